"""The staff "Deadlines" page at /staff/deadlines/: what is overdue or due within DUE_SOON_DAYS days.

Computed, never typed, from the rules in initiatives/deadlines.py: the Member State's reply after the latest
decision of each open infringement procedure (when that decision asks for one), and the end of the period
each unfinished key action's deadline names. A date that is not known is shown as "date unknown" and never
counted as overdue. `today` is passed in to the pure functions below; staff may set it with ?today=.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from initiatives import state
from initiatives.choices import ProcedureState, Stage
from initiatives.dates import PartialDate
from initiatives.deadlines import DONE_STATUSES, DUE_SOON_DAYS, STAGES_WITH_REPLY, Due, key_action_due, reply_due
from initiatives.models import Decision, InfringementProcedure, Initiative, KeyAction, MemberState

from .mixins import StaffRequiredMixin

OVERDUE, DUE_SOON, UNKNOWN = "overdue", "due_soon", "unknown"


@dataclass(frozen=True)
class Item:
    """One line of the page: a thing (procedure or key action) due on `due` (None: date unknown)."""

    subject: object
    due: date | None
    state: str  # OVERDUE, DUE_SOON or UNKNOWN
    days: int | None  # days overdue (OVERDUE) or left (DUE_SOON)
    decided: PartialDate | None = None  # the decision a reply is due to, or the key action's deadline


def classify(due: date | None, today: date, window: int = DUE_SOON_DAYS) -> tuple[str, int | None] | None:
    """(state, days) of something due on `due`; None when it is due later than the window."""
    if due is None:
        return UNKNOWN, None
    item = Due("", due)
    if item.is_overdue(today):
        return OVERDUE, -item.days_left(today)
    if item.is_due_soon(today, window):
        return DUE_SOON, item.days_left(today)
    return None


def reply_items(procedures, today: date) -> list[Item]:
    """Replies due after the latest decision of each open procedure, when that decision asks for one.

    `procedures` carry the annotations of `state.procedures()` plus `latest_reply_months`. A procedure whose
    latest decision is a referral, a judgment or a closure awaits no reply: the Member State's earlier
    reply periods were overtaken by the later decision.
    """
    items = []
    for procedure in procedures:
        # Closed: no reply is awaited. Open, or unknown (an undated letter places nothing in time): it may be.
        if procedure.state == ProcedureState.CLOSED or procedure.latest_stage not in STAGES_WITH_REPLY:
            continue
        decided = PartialDate.from_parts(procedure.latest_date, procedure.latest_precision,
                                         procedure.latest_date_latest)
        due = reply_due(decided, procedure.latest_reply_months)
        found = classify(due, today)
        if found is not None:
            items.append(Item(procedure, due, found[0], found[1], decided))
    return items


def key_action_items(actions, today: date) -> list[Item]:
    """Unfinished key actions whose deadline period has ended or ends within the window; "date unknown"
    when the deadline names no date."""
    items = []
    for action in actions:
        if action.status in DONE_STATUSES:
            continue
        deadline = action.deadline_date
        found = classify(key_action_due(deadline, action.status), today)
        if found is not None:
            items.append(Item(action, deadline.end if deadline else None, found[0], found[1], deadline))
    return items


ORDER = {OVERDUE: 0, DUE_SOON: 1, UNKNOWN: 2}


def grouped(items: list[Item], key, sort_key) -> list[tuple[object, list[Item]]]:
    """Items grouped by `key` (groups in `sort_key` order), overdue first, then due soon, then unknown."""
    ordered = sorted(items, key=lambda item: (sort_key(key(item)), ORDER[item.state],
                                              item.due or date.max, item.subject.pk))
    return [(group, list(rows)) for group, rows in groupby(ordered, key=key)]


def counts(items: list[Item]) -> dict[str, int]:
    return {state: sum(1 for item in items if item.state == state) for state in ORDER}


class DeadlineFilterForm(forms.Form):
    member_state = forms.ChoiceField(label=_("Member State"), required=False)
    initiative = forms.ChoiceField(label=_("Initiative"), required=False)
    today = forms.DateField(label=_("Count as on"), required=False, input_formats=["%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            help_text=_("A date, YYYY-MM-DD; empty for today."))

    def __init__(self, *args, member_states, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = [("", _("All Member States"))] + [
            (state.code, f"{state.code} {state.display_name}") for state in member_states]
        self.fields["initiative"].choices = [("", _("All initiatives"))] + [
            (str(initiative.number), str(initiative)) for initiative in initiatives]


class DeadlinesView(StaffRequiredMixin, TemplateView):
    template_name = "initiatives/staff/deadlines.html"

    def get_context_data(self, **kwargs):
        member_states = list(MemberState.objects.order_by("protocol_order"))  # query: filter options
        initiatives = list(Initiative.objects.order_by("strategy", "number"))  # query: filter options
        form = DeadlineFilterForm(self.request.GET or None, member_states=member_states,
                                  initiatives=initiatives)
        today = timezone.localdate()
        context = {"form": form, "window": DUE_SOON_DAYS, "today": today, "valid": True}
        if form.is_bound and not form.is_valid():
            context["valid"] = False
            return super().get_context_data(**context, **kwargs)
        chosen = form.cleaned_data if form.is_bound else {}
        today = chosen.get("today") or today

        # On a past day, only what had happened by then counts: the decisions taken and the key actions'
        # status on that day (as on the public pages with ?as_of=). A later day counts today's state.
        past = today if today < timezone.localdate() else None
        latest = state.decisions(past, Decision.objects.filter(procedure=OuterRef("pk"))).order_by("-position")
        procedures = (state.procedures(past, InfringementProcedure.objects.all())
                      .select_related("member_state", "legal_act")
                      .annotate(latest_reply_months=Subquery(latest.values("reply_months")[:1])))
        if chosen.get("member_state"):
            procedures = procedures.filter(member_state__code=chosen["member_state"])
        replies = reply_items(procedures, today)  # query: open procedures with their latest decision

        actions = state.key_actions(past, KeyAction.objects.select_related("initiative")).exclude(
            status_on__in=DONE_STATUSES)
        if chosen.get("initiative"):
            actions = actions.filter(initiative__number=chosen["initiative"])
        # query: unfinished key actions (as they stood on the day) with their initiative
        due_actions = key_action_items([state.show_key_action_on(action) for action in actions], today)

        order = {state.pk: state.protocol_order for state in member_states}
        # Live deadlines lead the page: what is due within the window, replies and key actions together, soonest
        # first. A reply period that has ended is not a task (the replies are not public, so never recorded).
        live = sorted((item for item in replies + due_actions if item.state == DUE_SOON),
                      key=lambda item: (item.due, isinstance(item.subject, KeyAction), item.subject.pk))
        context.update(
            today=today, live=live,
            counted_on_another_day=today != timezone.localdate(),
            replies=grouped(replies, lambda item: item.subject.member_state,
                            lambda state: order.get(state.pk, 0)),
            reply_counts=counts(replies),
            actions=grouped(due_actions, lambda item: item.subject.initiative,
                            lambda initiative: initiative.number),
            action_counts=counts(due_actions),
            stages_with_reply=[Stage(stage).label for stage in Stage if stage in STAGES_WITH_REPLY],
        )
        return super().get_context_data(**context, **kwargs)
