"""The state engine: what was true on a day, for procedures and their decisions, key actions, and the dated
records (events, reports, assessments). Each answer is a queryset annotated in SQL.

Every page, API view, export, feed, filter and the deadlines page asks here, so the rules are written once:

- A decision counts on a day once its whole period has passed (as_of.counted_q): one dated "January 2014"
  counts from 31 January 2014, one known to lie between two days from the second day. An undated decision
  counts for the present only.
- A procedure exists on a day once a decision of it counts or a copy of the Commission's register taken by
  then listed it.
- It is **closed** on a day once its closure counts; **unknown** while the closure may or may not have
  happened (after the first day of the closure's interval, which is the last evidence of the procedure
  running, or inside its month; for an undated closure, on a day after the last evidence of the procedure),
  or when no dated evidence places it in time; **open** otherwise, and then its newest evidence says why:
  the latest dated decision or the latest copy of the register that listed it.

A gap in the sources is never read as "open": a procedure stops being open only through a recorded closure,
and the register reconciliation (importers/register.py) records one, between two days, for every procedure
that a copy of active cases no longer lists.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils import formats
from django.utils.translation import gettext

from initiatives.as_of import counted_q
from initiatives.choices import KeyActionStatus, ProcedureState, Stage
from initiatives.dates import PartialDate, Precision

ALWAYS = date(9999, 12, 31)  # the "day" of the present state in SQL comparisons: everything dated counts


def dated(queryset: QuerySet, day: date | None) -> QuerySet:
    """The rows of `queryset` (events, reports, assessments: a `date` and a `date_precision`) that had
    happened by `day`; all of them for the present. An undated row counts for the present only."""
    return queryset if day is None else queryset.filter(counted_q(day))


def decisions(day: date | None = None, queryset: QuerySet | None = None) -> QuerySet:
    """The decisions of `queryset` (default: all) that count on `day` (None: the present, all of them)."""
    from initiatives.models import Decision

    queryset = Decision.objects.all() if queryset is None else queryset
    return queryset if day is None else queryset.filter(decision_counted_q(day))


def decision_counted_q(day: date, prefix: str = "") -> Q:
    """The decisions that count on `day`: their period (to its last possible day) has passed."""
    return counted_q(day, prefix, last_day_field="date_latest")


def _listings(day):
    from initiatives.models import RegisterListing

    listings = RegisterListing.objects.filter(procedure=OuterRef("pk"))
    return listings if day is None else listings.filter(copy__taken_on__lte=day)


def procedures(day: date | None = None, queryset: QuerySet | None = None, *, only_state: bool = False) -> QuerySet:
    """Published procedures of `queryset` as they stood on `day` (None: now), in one query, annotated with:

    `state` (ProcedureState), `is_closed`; `closed_earliest`, `closed_latest`, `closed_precision` (the counted
    closure's period; the two days are equal when its day is known; empty when not closed or undated);
    `latest_stage`, `latest_date`, `latest_precision`, `latest_date_latest` (its latest decision by
    position); `first_date`, `first_precision` (its first dated decision); `evidence_stage`, `evidence_date`,
    `evidence_precision`, `evidence_date_latest` (its newest dated decision other than a closure);
    `last_listed` (the newest copy of the register taken by then that listed it); `state_day` (the day, or
    ALWAYS for the present, for filters that compare with it).

    On a past day, procedures of which nothing was known yet are left out. With `only_state`, only `state` and
    `state_day` are annotated, by the same rule: for counting by state (the other annotations cost the ORM
    milliseconds to build on every call)."""
    from initiatives.models import InfringementProcedure

    queryset = InfringementProcedure.objects.published() if queryset is None else queryset
    engine = _procedure_engine(day)
    if engine.known is not None:
        queryset = queryset.filter(engine.known)
    if only_state:
        return queryset.annotate(state=engine.state, state_day=engine.state_day)
    return queryset.annotate(state=engine.state, **engine.annotations, state_day=engine.state_day)


@dataclass(frozen=True)
class _ProcedureEngine:
    known: Q | None  # on a past day: the procedures of which something was known by then
    state: Case
    annotations: dict  # the rest of what `procedures()` annotates, in its order
    state_day: Value


@functools.lru_cache(maxsize=64)
def _procedure_engine(day: date | None) -> _ProcedureEngine:
    """The expressions of `procedures(day)`, built once per day and process: they hold no data, and Django copies
    an expression (and the queryset in an Exists or a Subquery) whenever a queryset is annotated or filtered with
    it, so one set serves every query. Building them cost a millisecond or more for each call, on pages that ask
    the state engine three or four times."""
    from initiatives.models import Decision

    own = Decision.objects.filter(procedure=OuterRef("pk"))
    counted = own if day is None else own.filter(decision_counted_q(day))
    listings = _listings(day)
    closure = counted.filter(stage=Stage.CLOSED)
    last = counted.order_by("-position")
    first = counted.filter(date__isnull=False).order_by("position")
    evidence = counted.filter(date__isnull=False).exclude(stage=Stage.CLOSED).order_by("-date_latest", "-position")
    dated_evidence = Exists(counted.filter(date__isnull=False)) | Exists(listings)
    known = None
    if day is None:
        closure_started = Q(pk__in=[])  # today every recorded closure counts
    else:
        later = Exists(own.filter(date_latest__gt=day).exclude(stage=Stage.CLOSED)) | Exists(
            _listings(None).filter(copy__taken_on__gt=day))
        # A closure known only to lie between two days starts after its first day, the last evidence of the
        # procedure running (the reconciliation puts it there); another imprecise one from its first day.
        started = Q(date_precision=Precision.BETWEEN, date__lt=day) | (
            ~Q(date_precision=Precision.BETWEEN) & Q(date__lte=day))
        closure_started = Exists(own.filter(started, stage=Stage.CLOSED)) | (
            Exists(own.filter(stage=Stage.CLOSED, date__isnull=True)) & ~later)
        known = Exists(counted) | Exists(listings)
    state = Case(
        When(Exists(closure), then=Value(ProcedureState.CLOSED.value)),
        When(closure_started, then=Value(ProcedureState.UNKNOWN.value)),
        When(dated_evidence, then=Value(ProcedureState.OPEN.value)),
        default=Value(ProcedureState.UNKNOWN.value), output_field=CharField())
    annotations = dict(
        is_closed=Case(When(Exists(closure), then=Value(True)), default=Value(False), output_field=BooleanField()),
        closed_earliest=Subquery(closure.values("date")[:1]),
        closed_latest=Subquery(closure.values("date_latest")[:1]),
        closed_precision=Subquery(closure.values("date_precision")[:1]),
        latest_stage=Subquery(last.values("stage")[:1]),
        latest_date=Subquery(last.values("date")[:1]),
        latest_precision=Subquery(last.values("date_precision")[:1]),
        latest_date_latest=Subquery(last.values("date_latest")[:1]),
        first_date=Subquery(first.values("date")[:1]),
        first_precision=Subquery(first.values("date_precision")[:1]),
        evidence_stage=Subquery(evidence.values("stage")[:1]),
        evidence_date=Subquery(evidence.values("date")[:1]),
        evidence_precision=Subquery(evidence.values("date_precision")[:1]),
        evidence_date_latest=Subquery(evidence.values("date_latest")[:1]),
        last_listed=Subquery(listings.order_by("-copy__taken_on").values("copy__taken_on")[:1]),
    )
    return _ProcedureEngine(known, state, annotations, Value(day or ALWAYS, output_field=DateField()))


def dated_by_state_day_q(prefix: str = "") -> Q:
    """The dated decisions (in a subquery on a procedure annotated by `procedures()`) that count on its
    `state_day`: filters ask it instead of carrying the day themselves."""
    return Q(**{f"{prefix}date_latest__lte": OuterRef("state_day")})


# --- key actions ---------------------------------------------------------------------------------------------


def _delivered_late() -> Q:
    """The delivery date's period starts after the deadline's period ends (both stored as first days)."""
    return (Q(deadline_precision="day", date__gt=F("deadline"))
            | Q(deadline_precision="month", state_delivered_month__gt=F("deadline"))
            | Q(deadline_precision="quarter", state_delivered_quarter__gt=F("deadline"))
            | Q(deadline_precision="year", state_delivered_year__gt=F("deadline")))


def key_actions(day: date | None = None, queryset: QuerySet | None = None) -> QuerySet:
    """Key actions of `queryset` (default: the published ones) annotated with `status_on`, `delivery_on`,
    `delivery_precision_on` and `progress_on`: what they were on `day` (None: the recorded values).

    The rule: the recorded status holds from the day its latest dated event has passed (the sources give the
    status at their latest event; a key action with no dated event keeps its recorded status). Before that
    day it is "delivered" (or "delivered late", when the delivery period starts after the deadline's ends)
    once its delivery date has passed, "in progress" once any of its events has, and "not started" before.
    The delivery date shows once it has passed, the progress once the latest event has."""
    from initiatives.models import KeyAction

    queryset = KeyAction.objects.published() if queryset is None else queryset
    if day is None:
        return queryset.annotate(status_on=F("status"), delivery_on=F("date"),
                                 delivery_precision_on=F("date_precision"), progress_on=F("progress"))
    truncated, annotations = _key_action_engine(day)
    return queryset.annotate(**truncated).annotate(**annotations)


@functools.lru_cache(maxsize=64)
def _key_action_engine(day: date) -> tuple[dict, dict]:
    """The expressions of `key_actions(day)` on a past day, built once per day and process, as
    `_procedure_engine` builds the procedures': they hold no data, and annotating copies them. Building them
    cost 1 to 2 ms a call (a queryset of events in two Exists, and the counted rule's comparisons in five
    places), and the timeline asks twice on a past day."""
    from initiatives.models import KeyActionEvent

    events = KeyActionEvent.objects.published().filter(key_action=OuterRef("pk"), date__isnull=False)
    pending = Exists(events.exclude(counted_q(day)))
    delivered = counted_q(day)
    truncated = dict(state_delivered_month=TruncMonth("date"), state_delivered_quarter=TruncQuarter("date"),
                     state_delivered_year=TruncYear("date"))
    annotations = dict(
        status_on=Case(
            When(~pending, then=F("status")),
            When(delivered & _delivered_late(), then=Value(KeyActionStatus.DELIVERED_LATE.value)),
            When(delivered, then=Value(KeyActionStatus.DELIVERED.value)),
            When(Exists(events.filter(counted_q(day))), then=Value(KeyActionStatus.IN_PROGRESS.value)),
            default=Value(KeyActionStatus.NOT_STARTED.value), output_field=CharField()),
        delivery_on=Case(When(delivered, then=F("date")), default=None, output_field=DateField()),
        delivery_precision_on=Case(When(delivered, then=F("date_precision")), default=Value(""),
                                    output_field=CharField()),
        progress_on=Case(When(~pending, then=F("progress")), default=None, output_field=IntegerField()),
    )
    return truncated, annotations


def show_key_action_on(action):
    """Put a key action's values for the day (annotated by `key_actions()`) where its templates, tables and
    serializers read them. The instance is for showing only: it is never saved."""
    if hasattr(action, "status_on"):
        action.status = action.status_on
        action.date, action.date_precision = action.delivery_on, action.delivery_precision_on or "day"
        action.progress = action.progress_on
    return action


# --- reading one annotated procedure (or a .values() row of it) ------------------------------------------------


def _get(procedure, name):
    return procedure.get(name) if isinstance(procedure, dict) else getattr(procedure, name, None)


def closure_when(procedure) -> PartialDate | None:
    """When the procedure was closed, to the precision known (None when not closed or undated)."""
    if _get(procedure, "state") != ProcedureState.CLOSED:
        return None
    return PartialDate.from_parts(_get(procedure, "closed_earliest"), _get(procedure, "closed_precision"),
                                  _get(procedure, "closed_latest"))


@dataclass(frozen=True)
class Evidence:
    """The newest evidence that a procedure was running: a decision or a listing in the register."""

    when: PartialDate
    stage: str | None = None  # None: a listing in the register

    def describe(self) -> str:
        if self.stage is None:
            return gettext("listed in the Commission's register on %(day)s") % {"day": self.when.display()}
        return gettext("%(stage)s of %(day)s") % {"stage": Stage(self.stage).label, "day": self.when.display()}


def newest_evidence(procedure) -> Evidence | None:
    decision = PartialDate.from_parts(_get(procedure, "evidence_date"), _get(procedure, "evidence_precision"),
                                      _get(procedure, "evidence_date_latest"))
    listed = _get(procedure, "last_listed")
    if listed is not None and (decision is None or listed > decision.end):
        return Evidence(PartialDate(listed))
    if decision is not None:
        return Evidence(decision, _get(procedure, "evidence_stage"))
    return None


def describe_state(procedure) -> str:
    """One line a reader can quote: "open: reasoned opinion of 8 October 2025", "closed between ..."."""
    state = _get(procedure, "state")
    if state == ProcedureState.CLOSED:
        when = closure_when(procedure)
        if when is None:
            return gettext("closed (date unknown)")
        return gettext("closed %(when)s") % {"when": when.display()} if when.precision == "between" else \
            gettext("closed on %(when)s") % {"when": when.display()}
    if state == ProcedureState.OPEN:
        evidence = newest_evidence(procedure)
        return gettext("open: %(evidence)s") % {"evidence": evidence.describe()} if evidence else gettext("open")
    return gettext("unknown: the evidence cannot say whether it was still open")


def state_detail(procedure) -> str:
    """What the state rests on, without the state's own word: "listed in the Commission's register on 24 April
    2024", "between 24 August 2020 and 22 June 2021", "date unknown"."""
    state = _get(procedure, "state")
    if state == ProcedureState.OPEN:
        evidence = newest_evidence(procedure)
        return evidence.describe() if evidence else ""
    if state == ProcedureState.CLOSED:
        when = closure_when(procedure)
        return when.display() if when else gettext("date unknown")
    return gettext("the evidence cannot decide")


def time_open_end(procedure, reference_day: date) -> date | None:
    """Where "time open" ends: the reference day for an open procedure; no duration for the others."""
    return reference_day if _get(procedure, "state") == ProcedureState.OPEN else None


# --- what the headline figures rest on ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Basis:
    """The newest copy of the register taken by the day, and whether decisions recorded since add to it."""

    copy_day: date | None
    decisions_since: bool

    def describe(self) -> str:
        if self.copy_day is None:
            return gettext("from the decisions recorded in the tracker's sources (no copy of the Commission's "
                      "register by then)")
        day = formats.date_format(self.copy_day)
        if self.decisions_since:
            return gettext("as listed in the Commission's register on %(day)s and the decisions recorded since") % {
                "day": day}
        return gettext("as listed in the Commission's register on %(day)s") % {"day": day}


def basis(day: date | None = None) -> Basis:
    """One query: the newest copy taken by `day`, and whether decisions dated after it count on `day`."""
    from initiatives import compiled

    newest = compiled.rows(_basis_rows, day)
    return Basis(*newest[0]) if newest else Basis(None, False)


def _basis_rows(day: date | None):
    from initiatives.models import Decision, RegisterCopy

    copies = RegisterCopy.objects.all() if day is None else RegisterCopy.objects.filter(taken_on__lte=day)
    since = decisions(day, Decision.objects.filter(date__gt=OuterRef("taken_on")))
    return copies.order_by("-taken_on").annotate(since=Exists(since)).values_list("taken_on", "since")[:1]
