"""Read-only viewsets: published data only, eager loading declared here, filters shared with the pages."""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets

from initiatives.models import (
    Article,
    Assessment,
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    KeyActionEvent,
    MemberState,
    Strategy,
    TranspositionReport,
)

from . import filters, serializers
from .limits import AnonymousThrottle, Pagination


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    """Each viewset builds its queryset per request (`get_queryset`), so `.published()` is applied then."""

    pagination_class = Pagination
    throttle_classes = [AnonymousThrottle]
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[^/]+"  # anything: a malformed id gets the API's JSON 404, not the site's HTML page


def _list_and_detail(noun: str, plural: str, how: str = ""):
    return extend_schema_view(
        list=extend_schema(summary=f"List {plural}", description=how),
        retrieve=extend_schema(summary=f"One {noun}"),
    )


@_list_and_detail("strategy", "strategies")
class StrategyViewSet(ReadOnly):
    serializer_class = serializers.StrategySerializer

    def get_queryset(self):
        return Strategy.objects.order_by("adopted_on", "id")


@_list_and_detail("initiative", "initiatives", "The strategy's numbered initiatives.")
class InitiativeViewSet(ReadOnly):
    serializer_class = serializers.InitiativeSerializer
    filterset_class = filters.InitiativeFilter

    def get_queryset(self):
        return Initiative.objects.published().select_related("strategy").order_by("strategy__adopted_on", "number")


@_list_and_detail("key action", "key actions", "Key actions and the commitments tracked beside them. Filter "
                  "`initiative` by number, `kind` = key_action or context.")
class KeyActionViewSet(ReadOnly):
    serializer_class = serializers.KeyActionSerializer
    filterset_class = filters.KeyActionFilter

    def get_queryset(self):
        return KeyAction.objects.published().select_related("initiative").prefetch_related("sources").order_by(
            "initiative__number", "is_context_commitment", "code")


@_list_and_detail("event", "key-action events", "Dated steps that show progress on a key action.")
class EventViewSet(ReadOnly):
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter

    def get_queryset(self):
        return KeyActionEvent.objects.published().select_related("key_action__initiative").prefetch_related(
            "sources").order_by("date", "id")


@_list_and_detail("Member State", "Member States", "The EU Member States in protocol order, by EU code (EL for "
                  "Greece).")
class MemberStateViewSet(ReadOnly):
    serializer_class = serializers.MemberStateSerializer
    filterset_class = filters.MemberStateFilter
    lookup_field = "code"

    def get_queryset(self):
        return MemberState.objects.select_related("bound_source").order_by("protocol_order")

    def get_object(self):
        code = self.kwargs[self.lookup_field].upper()
        self.kwargs[self.lookup_field] = "EL" if code == "GR" else code
        return super().get_object()


@_list_and_detail("article", "articles", "The articles of Directive 2011/93/EU (and of other tracked acts).")
class ArticleViewSet(ReadOnly):
    serializer_class = serializers.ArticleSerializer
    filterset_class = filters.ArticleFilter

    def get_queryset(self):
        return Article.objects.select_related("legal_act").prefetch_related("sources").order_by("legal_act", "number")


@_list_and_detail("transposition report", "transposition reports",
                  "What each Member State reports it has notified for each article (published reports only).")
class TranspositionReportViewSet(ReadOnly):
    serializer_class = serializers.TranspositionReportSerializer
    filterset_class = filters.TranspositionReportFilter

    def get_queryset(self):
        return TranspositionReport.objects.published().select_related(
            "member_state", "article__legal_act").prefetch_related("sources", "measures").order_by(
            "member_state__protocol_order", "article__number", "id")


@_list_and_detail("Commission assessment", "Commission assessments",
                  "The Commission's own assessment of each Member State's transposition of each article.")
class AssessmentViewSet(ReadOnly):
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilter

    def get_queryset(self):
        return Assessment.objects.published().select_related("member_state", "article__legal_act").prefetch_related(
            "sources").order_by("member_state__protocol_order", "article__number", "id")


@_list_and_detail("infringement procedure", "infringement procedures",
                  "The Commission's infringement procedures with their decisions in order. A procedure with no "
                  "recorded closure is open.")
class ProcedureViewSet(ReadOnly):
    def get_queryset(self):
        return InfringementProcedure.objects.published().select_related("member_state", "legal_act").prefetch_related(
            "articles", "sources",
            Prefetch("decisions", queryset=Decision.objects.prefetch_related("sources").order_by("position")),
    ).order_by("member_state__protocol_order", "id")

    serializer_class = serializers.ProcedureSerializer
    filterset_class = filters.ProcedureFilter


@_list_and_detail("decision", "infringement decisions", "Every decision of every published procedure.")
class DecisionViewSet(ReadOnly):
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter

    def get_queryset(self):
        return Decision.objects.filter(procedure__in=InfringementProcedure.objects.published()).select_related(
            "procedure__member_state").prefetch_related("sources").order_by(
            "procedure__member_state__protocol_order", "procedure_id", "position")


def not_found(request, rest=""):
    """Any other address under /api/: a JSON 404, like the API's own."""
    from django.http import JsonResponse

    return JsonResponse({"detail": "Not found."}, status=404)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files; its start-up script is a separate URL, so the
    page needs no inline script. The template is ours: the stock one carries an inline <style>."""

    template_name = "initiatives/open_data/api_docs.html"
    throttle_classes = []
