"""The staff "Needs checking" page at /staff/needs-checking/: the published records not verified against their
sources within settings.FRESHNESS_MONTHS months, never verified first, then the oldest check first, per kind.

Staff tick the records they checked and press "Verified today": services.mark_verified records the day in
each record's `last_verified` and history. The rules (when a record falls due) are in initiatives/freshness.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from initiatives import services
from initiatives.freshness import due_for_checking, needing_checking, needs_checking_q
from initiatives.models import (
    Assessment,
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    KeyActionEvent,
    MemberState,
    TranspositionReport,
)

from .deadlines import DeadlineFilterForm
from .mixins import StaffRequiredMixin

INITIATIVE, MEMBER_STATE = "initiative", "member_state"


@dataclass(frozen=True)
class Kind:
    """One kind of sourced record the page lists. `slug` names it in the form (and in the history URL);
    `scope` says which filter narrows it and `lookup` is the path to that filter's field; `related` is joined
    for the label, `order` sorts records verified on the same day."""

    slug: str
    title: str
    published: Callable[[], QuerySet]
    scope: str
    lookup: str
    related: tuple[str, ...]
    order: tuple[str, ...]

    @property
    def model(self) -> type:
        return self.published().model


KINDS = [
    Kind("key-action", _("Key actions"), lambda: KeyAction.objects.published(), INITIATIVE, "initiative__number",
         ("initiative",), ("initiative__number", "code")),
    Kind("event", _("Events of key actions"), lambda: KeyActionEvent.objects.published(), INITIATIVE,
         "key_action__initiative__number", ("key_action__initiative",),
         ("key_action__initiative__number", "key_action__code", "date")),
    Kind("procedure", _("Infringement procedures"), lambda: InfringementProcedure.objects.published(),
         MEMBER_STATE, "member_state__code", ("member_state",), ("member_state__protocol_order",)),
    # A decision is published with its procedure.
    Kind("decision", _("Infringement decisions"),
         lambda: Decision.objects.filter(procedure__in=InfringementProcedure.objects.published().values("pk")),
         MEMBER_STATE, "procedure__member_state__code", ("procedure__member_state",),
         ("procedure__member_state__protocol_order", "procedure_id", "position")),
    Kind("assessment", _("Commission assessments"), lambda: Assessment.objects.published(), MEMBER_STATE,
         "member_state__code", ("member_state", "article"), ("member_state__protocol_order", "article__number")),
    Kind("transposition-report", _("Transposition reports"), lambda: TranspositionReport.objects.published(),
         MEMBER_STATE, "member_state__code", ("member_state", "article"),
         ("member_state__protocol_order", "article__number")),
]
KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}


@dataclass(frozen=True)
class Row:
    kind: str
    record: object
    label: str
    due: date | None  # the day it fell due for checking; None: never verified
    edit_url: str | None  # the staff page that edits it, where there is one
    history_url: str

    @property
    def value(self) -> str:
        """The value of its tick box: kind and primary key."""
        return f"{self.kind}:{self.record.pk}"


def label_and_edit_url(slug: str, record) -> tuple[str, str | None]:
    """What the page calls a record, and the staff page where it is edited (None: no such page)."""
    if slug == "key-action":
        return (f"{record.initiative.number}/{record.code} {record.short_title}",
                reverse("initiatives:staff_key_action", args=[record.pk]))
    if slug == "event":
        action = record.key_action
        return (f"{action.initiative.number}/{action.code} · {record.when.display()}: {record.description}",
                reverse("initiatives:staff_event_edit", args=[record.pk]))
    if slug == "procedure":
        return str(record), reverse("initiatives:staff_procedure", args=[record.pk])
    if slug == "decision":  # decisions are added, not edited: their procedure's page lists them
        return (gettext("%(procedure)s, decision %(n)s: %(decision)s") % {
            "procedure": record.procedure, "n": record.position, "decision": record},
            reverse("initiatives:staff_procedure", args=[record.procedure_id]))
    if slug == "assessment":
        return str(record), reverse("initiatives:staff_assessment",
                                    args=[record.member_state.code, record.article.number])
    return str(record), None  # a transposition report is published by approving a liaison report


def rows_needing_checking(kind: Kind, today: date, months: int, chosen: dict) -> list[Row]:
    """The records of `kind` that need checking on `today`, narrowed by the filter that concerns the kind."""
    queryset = kind.published().select_related(*kind.related)
    if chosen.get(kind.scope):
        queryset = queryset.filter(**{kind.lookup: chosen[kind.scope]})
    rows = []
    for record in needing_checking(queryset, today, months, *kind.order):
        label, edit_url = label_and_edit_url(kind.slug, record)
        rows.append(Row(kind.slug, record, label, due_for_checking(record.last_verified, months), edit_url,
                        reverse("initiatives:staff_history", args=[kind.slug, record.pk])))
    return rows


def count_needing_checking(today: date, months: int) -> int:
    """How many published records of every kind need checking, in one query (a UNION ALL of the kinds)."""
    first, *others = [kind.published().filter(needs_checking_q(today, months)).order_by().values("pk")
                      for kind in KINDS]
    return first.union(*others, all=True).count()


class FreshnessFilterForm(DeadlineFilterForm):
    """The Deadlines page's filters, without its counting day: staff verify records today."""

    today = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_state"].help_text = _("Procedures, decisions, assessments and reports only.")
        self.fields["initiative"].help_text = _("Key actions and their events only.")


def parse_chosen(values: list[str]) -> tuple[dict[type, set[int]], list[str]]:
    """The records ticked in the form ("key-action:12"), by model; and a message per value that names none."""
    chosen: dict[type, set[int]] = {}
    errors = []
    for value in values:
        slug, _sep, pk = value.partition(":")
        kind = KINDS_BY_SLUG.get(slug)
        if kind is None:
            errors.append(gettext("“%(value)s” is not a kind of record that can be verified here.")
                          % {"value": value[:60]})
        elif not pk.isdecimal() or len(pk) > 18:
            errors.append(gettext("“%(value)s” does not name a record.") % {"value": value[:60]})
        else:
            chosen.setdefault(kind.model, set()).add(int(pk))
    return chosen, errors


class NeedsCheckingView(StaffRequiredMixin, TemplateView):
    template_name = "initiatives/staff/needs_checking.html"

    def get_context_data(self, errors=(), **kwargs):
        member_states = list(MemberState.objects.order_by("protocol_order"))  # query: filter options
        initiatives = list(Initiative.objects.order_by("strategy", "number"))  # query: filter options
        form = FreshnessFilterForm(self.request.GET or None, member_states=member_states, initiatives=initiatives)
        today, months = timezone.localdate(), settings.FRESHNESS_MONTHS
        context = {"form": form, "months": months, "today": today, "errors": errors, "valid": True}
        if form.is_bound and not form.is_valid():
            context["valid"] = False
            return super().get_context_data(**context, **kwargs)
        chosen = form.cleaned_data if form.is_bound else {}
        # A filter leaves out the kinds it does not concern (key actions have no Member State), unless both are set.
        shown = [kind for kind in KINDS if chosen.get(kind.scope) or not any(chosen.values())]
        sections = [(kind, rows_needing_checking(kind, today, months, chosen))  # query: one per kind shown
                    for kind in shown]
        context.update(sections=sections, total=sum(len(rows) for _kind, rows in sections),
                       left_out=[kind.title for kind in KINDS if kind not in shown])
        return super().get_context_data(**context, **kwargs)

    def post(self, request, *args, **kwargs):
        values = request.POST.getlist("record")
        chosen, errors = parse_chosen(values)
        if not values:
            errors = [gettext("Tick at least one record you checked against its sources, then press “Verified today”.")]
        if not errors:
            try:
                marked = services.mark_verified(chosen, user=request.user, today=timezone.localdate())
            except ValidationError as error:
                errors = error.messages
        if errors:
            return self.render_to_response(self.get_context_data(errors=errors, **kwargs))
        messages.success(request, ngettext("%(n)d record marked as verified today.",
                                           "%(n)d records marked as verified today.", marked) % {"n": marked})
        unchanged = sum(len(pks) for pks in chosen.values()) - marked
        if unchanged:
            messages.info(request, ngettext("%(n)d was already marked as verified today.",
                                            "%(n)d were already marked as verified today.", unchanged)
                          % {"n": unchanged})
        return HttpResponseRedirect(request.get_full_path())
