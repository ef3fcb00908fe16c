"""Read-only viewsets: published data only, eager loading declared here, filters shared with the pages."""

from datetime import date

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from initiatives import state
from initiatives.as_of import EARLIEST, parse_as_of
from initiatives.models import (
    Article,
    Assessment,
    InfringementProcedure,
    Initiative,
    KeyActionEvent,
    MemberState,
    Strategy,
    TranspositionReport,
)
from initiatives.text import control_character_error

from . import filters, serializers
from .limits import AnonymousThrottle, Pagination
from .serializers import listed


def lists(*names: str) -> list[Prefetch]:
    """Prefetches that leave plain lists for the serializers (serializers.Prefetched): no manager and queryset
    built per record."""
    return [Prefetch(name, to_attr=listed(name)) for name in names]


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    """Each viewset builds its queryset per request (`get_queryset`), so `.published()` is applied then."""

    pagination_class = Pagination
    throttle_classes = [AnonymousThrottle]
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[^/]+"  # anything: a malformed id gets the API's JSON 404, not the site's HTML page

    def initial(self, request, *args, **kwargs):
        """Query parameters the schema excludes are a 400 naming them, not silently ignored: an empty value
        (leave the parameter out instead), a yes/no filter other than true or false, a control character
        (initiatives/text.py). The schema says the same (initiatives/api/schema.py)."""
        super().initial(request, *args, **kwargs)
        filters_ = getattr(getattr(self, "filterset_class", None), "base_filters", {})
        errors = {}
        for name, value in request.query_params.items():
            if value == "":
                errors[name] = [gettext("Give a value, or leave the parameter out.")]
            elif isinstance(filters_.get(name), BooleanFilter) and value not in ("true", "false"):
                errors[name] = [gettext("Write true or false.")]
            elif reason := control_character_error(value):
                errors[name] = [gettext("This value %(reason)s") % {"reason": reason}]
        if errors:
            raise ValidationError(errors)


def _past_day_pattern(today: date) -> str:
    """A pattern that only days from EARLIEST (2011-01-01) to before `today`'s month match (days 01-28 of each
    month, so that every match is a real day): the machine form of the bounds the description states."""
    years = "|".join(str(year) for year in range(EARLIEST.year, today.year))
    months = "|".join(f"{month:02d}" for month in range(1, today.month))
    this_year = f"|{today.year}-({months})" if months else ""
    return rf"^(({years})-(0[1-9]|1[0-2]){this_year})-(0[1-9]|1[0-9]|2[0-8])$"


AS_OF = OpenApiParameter(
    "as_of", {"type": "string", "format": "date", "pattern": _past_day_pattern(timezone.localdate())},
    description=format_lazy(_(
        "A past day, YYYY-MM-DD, from {earliest} (the tracker's first day) to yesterday: only what had happened by "
        "then (a record dated to a month counts from the month's last day; undated records are left out). Leave "
        "it out for today; a day outside those bounds is a 400."), earliest=EARLIEST.isoformat()))


class AsOfMixin:
    """`?as_of=YYYY-MM-DD` on the dated records, with the rule of the pages (initiatives/as_of.py)."""

    def as_of_day(self):
        if getattr(self, "swagger_fake_view", False):
            return None
        as_of = parse_as_of(self.request.query_params.get("as_of"), timezone.localdate())
        if as_of.error:
            raise ValidationError({"as_of": [as_of.error]})
        return as_of.day


def _list_and_detail(noun: str, plural: str, how: str = "", parameters=()):
    return extend_schema_view(
        list=extend_schema(summary=f"List {plural}", description=how, parameters=list(parameters)),
        retrieve=extend_schema(summary=f"One {noun}", parameters=list(parameters)),
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
                  "`initiative` by number, `kind` = key_action or context. With `as_of`, each one's status on "
                  "that day (computed from its dated events) and its delivery date only if it had come.", [AS_OF])
class KeyActionViewSet(AsOfMixin, ReadOnly):
    serializer_class = serializers.KeyActionSerializer
    filterset_class = filters.KeyActionFilter

    def get_queryset(self):
        """The key actions as they stood on the `as_of` day (the state engine: status, delivery date, progress),
        so the `status` filter and the paging run in SQL."""
        return state.key_actions(self.as_of_day()).select_related("initiative").prefetch_related(
            *lists("sources")).order_by("initiative__number", "is_context_commitment", "code")


@_list_and_detail("event", "key-action events", "Dated steps that show progress on a key action.", [AS_OF])
class EventViewSet(AsOfMixin, ReadOnly):
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter

    def get_queryset(self):
        events = state.dated(KeyActionEvent.objects.published(), self.as_of_day())
        return events.select_related("key_action__initiative").prefetch_related(*lists("sources")).order_by(
            "date", "id")


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
        return Article.objects.select_related("legal_act").prefetch_related(*lists("sources")).order_by(
            "legal_act", "number")


@_list_and_detail("transposition report", "transposition reports",
                  "What each Member State reports it has notified for each article (published reports only).")
class TranspositionReportViewSet(ReadOnly):
    serializer_class = serializers.TranspositionReportSerializer
    filterset_class = filters.TranspositionReportFilter

    def get_queryset(self):
        return TranspositionReport.objects.published().select_related(
            "member_state", "article__legal_act").prefetch_related(*lists("sources", "measures")).order_by(
            "member_state__protocol_order", "article__number", "id")


@_list_and_detail("Commission assessment", "Commission assessments",
                  "The Commission's own assessment of each Member State's transposition of each article.")
class AssessmentViewSet(ReadOnly):
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilter

    def get_queryset(self):
        return Assessment.objects.published().select_related("member_state", "article__legal_act").prefetch_related(
            *lists("sources")).order_by("member_state__protocol_order", "article__number", "id")


@_list_and_detail("infringement procedure", "infringement procedures",
                  "The Commission's infringement procedures with their decisions in order, and their `state` "
                  "from the evidence: open, closed (on a day or between two days: `closed_earliest`, "
                  "`closed_latest`) or unknown; `last_listed` is the newest copy of the Commission's register "
                  "that listed it. Filter `state`. With `as_of`, the procedures known by that day with the "
                  "decisions taken by then.", [AS_OF])
class ProcedureViewSet(AsOfMixin, ReadOnly):
    def get_queryset(self):
        day = self.as_of_day()
        decisions = state.decisions(day)
        return state.procedures(day).select_related("member_state", "legal_act").prefetch_related(
            "articles", *lists("sources"),
            Prefetch("decisions", queryset=decisions.prefetch_related(*lists("sources")).order_by("position"),
                     to_attr=listed("decisions")),
        ).order_by("member_state__protocol_order", "id")

    serializer_class = serializers.ProcedureSerializer
    filterset_class = filters.ProcedureFilter


@_list_and_detail("decision", "infringement decisions", "Every decision of every published procedure.", [AS_OF])
class DecisionViewSet(AsOfMixin, ReadOnly):
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter

    def get_queryset(self):
        decisions = state.decisions(self.as_of_day())
        return decisions.filter(procedure__in=InfringementProcedure.objects.published()).select_related(
            "procedure__member_state").prefetch_related(*lists("sources")).order_by(
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
