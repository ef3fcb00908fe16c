"""Public, read-only pages. Published data only; no login."""

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from initiatives.models import Initiative, KeyAction, KeyActionEvent, Strategy
from initiatives.templatetags.tracker import VOCABULARIES


def initiatives_with_actions():
    events = KeyActionEvent.objects.published().prefetch_related("sources").order_by("date", "id")
    actions = KeyAction.objects.published().prefetch_related("sources", Prefetch("events", queryset=events))
    return Initiative.objects.published().select_related("strategy").prefetch_related(
        Prefetch("key_actions", queryset=actions))


class OverviewView(TemplateView):
    template_name = "initiatives/public/overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            strategy=Strategy.objects.first(),
            initiatives=initiatives_with_actions(),
            **kwargs)


class InitiativeDetailView(TemplateView):
    template_name = "initiatives/public/initiative_detail.html"

    def get_context_data(self, number, **kwargs):
        initiative = initiatives_with_actions().filter(number=number).first()
        if initiative is None:
            raise Http404("No such initiative")
        return super().get_context_data(initiative=initiative, **kwargs)


@cache_control(max_age=3600, public=True)
def status_colours_css(request):
    """The badge colours, generated from choices.py so that badges, tables and charts share one map."""
    rules = []
    for vocabulary, (_choices, looks) in VOCABULARIES.items():
        for member, look in looks.items():
            rules.append(f".badge-{vocabulary}-{member.value} {{ --badge-colour: {look.colour}; }}")
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
