"""The staff page "As recorded on a date" at /staff/as-recorded/: what the tracker itself said at the end of
a past day, read back from the audit history (django-simple-history), next to what it says now.

Not to be confused with initiatives/as_of.py, which computes from the dated decisions and events what was
true in the world on a day. This page answers another question: what had staff *recorded* by then?

For each kind of record there are two queries, whatever the number of records: the latest history row of
each record up to the moment (`history.as_of(moment)`, which leaves out records deleted by then), and the
records as they are now, annotated with whether any history row is newer than the moment. Comparing the two
in Python gives, per record: the same, changed (in the fields shown, or in others), not yet recorded then,
or deleted since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django import forms
from django.apps import apps
from django.db.models import Exists, Min, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from initiatives.choices import ProcedureType
from initiatives.dates import PartialDate
from initiatives.models import (
    Assessment,
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    MemberState,
    TranspositionReport,
)

from .mixins import StaffRequiredMixin

# What a record did between the moment and now.
SAME, CHANGED, CHANGED_ELSEWHERE, NEW, DELETED, NO_HISTORY = (
    "same", "changed", "changed_elsewhere", "new", "deleted", "no_history")
CHANGE_STATES = {CHANGED, CHANGED_ELSEWHERE, NEW, DELETED}

KEY_ACTION_FIELDS = ["initiative_id", "code", "short_title", "status", "progress", "deadline_wording", "date",
                     "date_precision"]
PROCEDURE_FIELDS = ["member_state_id", "infr_number", "type"]
DECISION_FIELDS = ["procedure_id", "position", "stage", "date", "date_precision", "date_latest"]
COUNTED_FIELDS = ["member_state_id"]


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in the site's time zone: what was recorded on that day counts."""
    return timezone.make_aware(datetime.combine(day, time.max))


@dataclass(frozen=True)
class Cell:
    """One shown value of a record, then and now (None: the record did not exist then, or does not now)."""

    then: object
    now: object

    @property
    def changed(self) -> bool:
        return self.then is not None and self.now is not None and self.then != self.now

    @property
    def shown(self) -> object:
        return self.now if self.now is not None else self.then


@dataclass
class Row:
    pk: int
    state: str
    cells: dict[str, Cell]
    then: dict | None
    now: dict | None
    history_url: str | None = None
    children: list[Row] = field(default_factory=list)

    @property
    def record(self) -> dict:
        """The record's raw values: as they are now, or as they were for a record deleted since."""
        return self.now if self.now is not None else self.then

    @property
    def is_change(self) -> bool:
        return self.state in CHANGE_STATES or any(child.is_change for child in self.children)


def compare(then: dict[int, dict], now: dict[int, dict], display: Callable[[dict], dict[str, object]],
            history_kind: str | None = None) -> list[Row]:
    """One Row per record present then or now. `now` rows carry `changed_since` (a history row newer than
    the moment) and `has_history` (any history row at all); `display` turns raw values into shown ones."""
    rows = []
    for pk in sorted(then.keys() | now.keys()):
        old, new = then.get(pk), now.get(pk)
        shown_then = display(old) if old is not None else {}
        shown_now = display(new) if new is not None else {}
        cells = {name: Cell(shown_then.get(name), shown_now.get(name)) for name in shown_then.keys() | shown_now}
        if old is None:
            state = NEW if new["has_history"] else NO_HISTORY
        elif new is None:
            state = DELETED
        elif any(cell.changed for cell in cells.values()):
            state = CHANGED
        elif new["changed_since"]:
            state = CHANGED_ELSEWHERE
        else:
            state = SAME
        url = (reverse("initiatives:staff_history", args=[history_kind, pk])
               if history_kind and state != NO_HISTORY else None)
        rows.append(Row(pk, state, cells, old, new, url))
    return rows


def recorded_then(model, moment: datetime, fields: list[str]) -> dict[int, dict]:
    """The latest history row of each record of `model` up to `moment`, deleted ones left out: one query.
    Two rows with the same time (rare) are settled by the later history id."""
    rows = model.history.as_of(moment).order_by("id", "history_id").values("id", *fields)
    return {row["id"]: row for row in rows}


def recorded_now(queryset, moment: datetime, fields: list[str]) -> dict[int, dict]:
    """The records as they are now, each with `changed_since` and `has_history`: one query."""
    history = queryset.model.history.model.objects.filter(id=OuterRef("pk"))
    rows = queryset.order_by().annotate(
        changed_since=Exists(history.filter(history_date__gt=moment)), has_history=Exists(history),
    ).values("id", "changed_since", "has_history", *fields)
    return {row["id"]: row for row in rows}


def first_history_entry() -> datetime | None:
    """The time of the oldest history row of any tracked record: one query over every history table."""
    models = [model for model in apps.get_app_config("initiatives").get_models()
              if getattr(model, "history", None) is not None and hasattr(model.history, "as_of")]
    parts = [model.history.model.objects.order_by().values("history_type")
             .annotate(first=Min("history_date")).values_list("first", flat=True) for model in models]
    if not parts:
        return None
    return min((value for value in parts[0].union(*parts[1:], all=True) if value is not None), default=None)


def partial(value, precision, unknown: str) -> str:
    return PartialDate.from_parts(value, precision).display() if value is not None else unknown


def key_action_display(initiatives: dict[int, int]) -> Callable[[dict], dict[str, object]]:
    def display(row: dict) -> dict[str, object]:
        number = initiatives.get(row["initiative_id"], f"#{row['initiative_id']}")
        progress = row["progress"]
        return {
            "action": f"{number}/{row['code']}",
            "title": row["short_title"],
            "status": row["status"],
            "progress": gettext("unknown") if progress is None else f"{progress} %",
            "deadline": row["deadline_wording"],
            "delivered": partial(row["date"], row["date_precision"], gettext("not delivered or unknown")),
        }
    return display


def procedure_display(member_states: dict[int, MemberState]) -> Callable[[dict], dict[str, object]]:
    types = dict(ProcedureType.choices)

    def display(row: dict) -> dict[str, object]:
        state = member_states.get(row["member_state_id"])
        return {
            "member_state": state.name if state else f"#{row['member_state_id']}",
            "number": row["infr_number"] or gettext("INFR number unknown"),
            "type": str(types.get(row["type"], row["type"])),
        }
    return display


def decision_display(row: dict) -> dict[str, object]:
    return {"position": row["position"], "stage": row["stage"],
            "date": PartialDate.of(row).display() if row["date"] is not None else gettext("date unknown")}


def infringements_by_member_state(procedures: list[Row], decisions: list[Row],
                                  member_states: dict[int, MemberState]) -> list[tuple[MemberState, list[Row]]]:
    """Procedures grouped by Member State (in protocol order), each with its decisions as `children`."""
    by_procedure = defaultdict(list)
    for decision in decisions:
        by_procedure[decision.record["procedure_id"]].append(decision)
    groups = defaultdict(list)
    for procedure in procedures:
        procedure.children = sorted(by_procedure.get(procedure.pk, []),
                                    key=lambda row: (row.record["position"], row.pk))
        groups[procedure.record["member_state_id"]].append(procedure)
    order = sorted(groups, key=lambda pk: (member_states[pk].protocol_order if pk in member_states else 999, pk))
    return [(member_states.get(pk), groups[pk]) for pk in order]


@dataclass(frozen=True)
class MemberStateCounts:
    member_state: MemberState
    reports: Cell
    assessments: Cell


def counts_by_member_state(reports: list[Row], assessments: list[Row], member_states: list[MemberState]
                           ) -> list[MemberStateCounts]:
    """Published transposition reports and Commission assessments per Member State, then and now; Member
    States with none then and none now are left out."""
    def tally(rows: list[Row], when: str) -> dict[int, int]:
        counts = defaultdict(int)
        for row in rows:
            values = getattr(row, when)
            if values is not None:
                counts[values["member_state_id"]] += 1
        return counts

    report_then, report_now = tally(reports, "then"), tally(reports, "now")
    assessed_then, assessed_now = tally(assessments, "then"), tally(assessments, "now")
    result = []
    for state in member_states:
        counts = MemberStateCounts(state, Cell(report_then[state.pk], report_now[state.pk]),
                                   Cell(assessed_then[state.pk], assessed_now[state.pk]))
        if any((counts.reports.then, counts.reports.now, counts.assessments.then, counts.assessments.now)):
            result.append(counts)
    return result


class AsRecordedForm(forms.Form):
    on = forms.DateField(
        label=_("Recorded by the end of"), required=False, input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("This is not a date. Pick one, or write it as YYYY-MM-DD.")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    changed = forms.BooleanField(label=_("Only records that changed"), required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["on"].widget.attrs["max"] = today.isoformat()

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day is not None and day > self.today:
            raise forms.ValidationError(_("This date is in the future: nothing is recorded for it yet."))
        return day


class AsRecordedView(StaffRequiredMixin, TemplateView):
    template_name = "initiatives/staff/as_recorded.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        form = AsRecordedForm(self.request.GET or None, today=today)
        chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
        day = chosen.get("on") or today
        moment = end_of_day(day)

        member_states = list(MemberState.objects.order_by("protocol_order"))  # query: Member States
        states_by_pk = {state.pk: state for state in member_states}
        initiatives = dict(Initiative.objects.values_list("pk", "number"))  # query: initiative numbers
        first = first_history_entry()  # query: the oldest history row of every history table

        key_actions = compare(
            recorded_then(KeyAction, moment, KEY_ACTION_FIELDS),  # query: key actions then
            recorded_now(KeyAction.objects.published(), moment, KEY_ACTION_FIELDS),  # query: key actions now
            key_action_display(initiatives), "key-action")
        key_actions.sort(key=lambda row: (initiatives.get(row.record["initiative_id"], 0), row.record["code"]))
        procedures = compare(
            recorded_then(InfringementProcedure, moment, PROCEDURE_FIELDS),  # query: procedures then
            recorded_now(InfringementProcedure.objects.published(), moment, PROCEDURE_FIELDS),  # query: now
            procedure_display(states_by_pk), "procedure")
        decisions = compare(
            recorded_then(Decision, moment, DECISION_FIELDS),  # query: decisions then
            recorded_now(Decision.objects.all(), moment, DECISION_FIELDS),  # query: decisions now
            decision_display, "decision")
        reports = compare(
            recorded_then(TranspositionReport, moment, COUNTED_FIELDS),  # query: reports then
            recorded_now(TranspositionReport.objects.published(), moment, COUNTED_FIELDS),  # query: now
            lambda row: {})
        assessments = compare(
            recorded_then(Assessment, moment, COUNTED_FIELDS),  # query: assessments then
            recorded_now(Assessment.objects.published(), moment, COUNTED_FIELDS),  # query: now
            lambda row: {})

        changes = {name: sum(1 for row in rows if row.state in CHANGE_STATES) for name, rows in [
            ("key_actions", key_actions), ("procedures", procedures), ("decisions", decisions),
            ("reports", reports), ("assessments", assessments)]}
        infringements = infringements_by_member_state(procedures, decisions, states_by_pk)
        counts = counts_by_member_state(reports, assessments, member_states)
        only_changed = bool(chosen.get("changed"))
        if only_changed:
            key_actions = [row for row in key_actions if row.is_change]
            infringements = [(state, kept) for state, rows in infringements
                             if (kept := [row for row in rows if row.is_change])]
            for _state, rows in infringements:
                for row in rows:
                    row.children = [child for child in row.children if child.is_change]
            counts = [row for row in counts if row.reports.changed or row.assessments.changed]
        return super().get_context_data(
            form=form, day=day, today=today, moment=moment, is_today=day == today,
            shown_on=formats.date_format(day),
            first_entry=first, before_history=first is None or moment < first,
            changes=changes, changed_total=sum(changes.values()), only_changed=only_changed,
            key_actions=key_actions, infringements=infringements,
            counts=counts,
            **kwargs)
