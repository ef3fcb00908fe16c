"""The state engine (initiatives/state.py) on small data built by factories: procedures open, closed or unknown on
any day from their evidence, key actions' status on a day, and one query whatever the data size."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Count

from initiatives import state
from initiatives.as_of import counts_on
from initiatives.choices import KeyActionStatus, ProcedureState, Stage
from initiatives.dates import PartialDate
from initiatives.filters import ProcedureFilter
from initiatives.models import InfringementProcedure, KeyAction
from tests.factories import (
    DecisionFactory,
    LegalActFactory,
    ProcedureFactory,
    RegisterCopyFactory,
    RegisterListingFactory,
)

pytestmark = pytest.mark.django_db
P = PartialDate.parse


@pytest.fixture
def act():
    return LegalActFactory()


def on(procedure, day):
    """The procedure as the engine sees it on `day`, or None when nothing was known of it yet."""
    return state.procedures(day, InfringementProcedure.objects.filter(pk=procedure.pk)).first()


def procedure_with(act, *steps, **kwargs):
    procedure = ProcedureFactory(legal_act=act, **kwargs)
    for stage, when in steps:
        DecisionFactory(procedure=procedure, stage=stage, when=when)
    return procedure


# --- procedures ----------------------------------------------------------------------------------------------


def test_a_procedure_is_unknown_to_the_days_before_its_first_letter_and_open_from_it(act):
    procedure = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10-10"))
    assert on(procedure, date(2019, 10, 9)) is None
    seen = on(procedure, date(2019, 10, 10))
    assert seen.state == ProcedureState.OPEN
    assert state.describe_state(seen) == "open: letter of formal notice of 10 October 2019"


def test_a_letter_known_to_the_month_counts_from_the_last_day_of_that_month(act):
    procedure = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2014-01"))
    assert on(procedure, date(2014, 1, 30)) is None
    assert on(procedure, date(2014, 1, 31)).state == ProcedureState.OPEN


def test_a_closure_known_to_lie_between_two_days_leaves_the_days_between_unknown(act):
    procedure = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10-10"),
                               (Stage.CLOSED, "2020-08-24/2021-06-22"))
    assert on(procedure, date(2020, 8, 24)).state == ProcedureState.OPEN  # its last evidence: still running
    assert on(procedure, date(2020, 8, 25)).state == ProcedureState.UNKNOWN
    assert on(procedure, date(2021, 6, 21)).state == ProcedureState.UNKNOWN
    closed = on(procedure, date(2021, 6, 22))
    assert closed.state == ProcedureState.CLOSED
    assert (closed.closed_earliest, closed.closed_latest) == (date(2020, 8, 24), date(2021, 6, 22))
    assert state.describe_state(closed) == "closed between 24 August 2020 and 22 June 2021"
    assert on(procedure, None).state == ProcedureState.CLOSED


def test_a_closure_on_a_known_day_closes_it_from_that_day(act):
    procedure = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10-10"), (Stage.CLOSED, "2022-03-01"))
    assert on(procedure, date(2022, 2, 28)).state == ProcedureState.OPEN
    closed = on(procedure, date(2022, 3, 1))
    assert (closed.state, closed.closed_earliest, closed.closed_latest) == (
        ProcedureState.CLOSED, date(2022, 3, 1), date(2022, 3, 1))
    assert state.describe_state(closed) == "closed on 1 March 2022"


def test_an_undated_closure_is_closed_today_and_unknown_after_the_last_evidence_on_a_past_day(act):
    procedure = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2014-01-27"),
                               (Stage.REASONED_OPINION, "2015-07-16"), (Stage.CLOSED, None))
    today = on(procedure, None)
    assert today.state == ProcedureState.CLOSED and today.closed_earliest is None
    assert state.describe_state(today) == "closed (date unknown)"
    assert on(procedure, date(2015, 1, 1)).state == ProcedureState.OPEN  # a later decision shows it running then
    assert on(procedure, date(2016, 1, 1)).state == ProcedureState.UNKNOWN


def test_a_gap_in_the_sources_is_not_read_as_open_when_nothing_dates_the_procedure(act):
    procedure = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, None))
    assert on(procedure, None).state == ProcedureState.UNKNOWN


def test_a_listing_in_the_register_is_evidence_from_the_day_the_copy_was_taken(act):
    procedure = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10-10"))
    RegisterListingFactory(procedure=procedure, copy=RegisterCopyFactory(legal_act=act, taken_on=date(2024, 4, 24)))
    assert on(procedure, date(2024, 4, 23)).last_listed is None
    today = on(procedure, None)
    assert today.last_listed == date(2024, 4, 24)
    assert state.describe_state(today) == "open: listed in the Commission's register on 24 April 2024"


def test_the_newest_evidence_is_a_decision_when_it_is_newer_than_the_last_listing(act):
    procedure = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10-10"),
                               (Stage.REASONED_OPINION, "2025-10-08"))
    RegisterListingFactory(procedure=procedure, copy=RegisterCopyFactory(legal_act=act, taken_on=date(2024, 4, 24)))
    assert state.describe_state(on(procedure, None)) == "open: reasoned opinion of 8 October 2025"


def test_time_open_is_counted_for_open_procedures_only(act):
    open_one = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10-10"))
    closed = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10-10"), (Stage.CLOSED, "2021-01-05"))
    assert state.time_open_end(on(open_one, None), date(2026, 1, 1)) == date(2026, 1, 1)
    assert state.time_open_end(on(closed, None), date(2026, 1, 1)) is None


def test_the_register_filters_read_the_state_of_the_day(act):
    kept = procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10-10"), (Stage.CLOSED, "2020-08-24/2021-06-22"))
    procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10-10"))
    mine = InfringementProcedure.objects.filter(legal_act=act)

    def chosen(day, **query):
        return [p.pk for p in ProcedureFilter(query, queryset=state.procedures(day, mine)).qs]

    assert chosen(None, state="closed") == [kept.pk]
    assert chosen(date(2021, 1, 1), state="closed") == []
    assert chosen(date(2021, 1, 1), state="unknown") == [kept.pk]
    assert len(chosen(date(2021, 1, 1), year="2019")) == 2
    assert chosen(date(2019, 10, 9), year="2019") == []


@pytest.mark.parametrize("extra", [0, 9])
def test_the_state_of_any_number_of_procedures_is_one_query(act, extra, django_assert_num_queries):
    for _ in range(1 + extra):
        procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10-10"), (Stage.CLOSED, "2020-08-24/2021-06-22"))
    with django_assert_num_queries(1):  # the procedures with every state annotation
        rows = list(state.procedures(date(2021, 1, 1), InfringementProcedure.objects.filter(legal_act=act)))
    assert len(rows) == 1 + extra


def test_what_the_headline_rests_on_names_the_newest_copy_and_the_decisions_since(act):
    assert "no copy" in state.basis(date(2012, 1, 1)).describe()
    newest = state.basis(None)
    assert newest.copy_day is not None
    assert "as listed in the Commission's register on" in newest.describe()


# --- key actions -----------------------------------------------------------------------------------------------


def key_action_status_on(*, recorded, deadline, delivered, events, day):
    """The rule as the about page states it, in plain Python: the oracle the SQL is checked against."""
    if day is None or not events:
        return recorded
    if max(when.end for when in events) <= day:
        return recorded
    if delivered is not None and counts_on(delivered, day):
        late = deadline is not None and delivered.start > deadline.end
        return KeyActionStatus.DELIVERED_LATE if late else KeyActionStatus.DELIVERED
    if any(counts_on(when, day) for when in events):
        return KeyActionStatus.IN_PROGRESS
    return KeyActionStatus.NOT_STARTED


def test_the_key_action_status_in_sql_agrees_with_the_rule_on_every_edge_day_of_every_shipped_key_action():
    actions = list(KeyAction.objects.published().prefetch_related("events"))
    days = {date(2016, 2, 29), date(2020, 7, 24)}
    for action in actions:
        dated = [e.when for e in action.events.all() if e.when]
        for when in [*dated, action.delivered_on, action.deadline_date]:
            if when is not None:
                days |= {when.start - timedelta(days=1), when.start, when.end, when.end + timedelta(days=1)}
    today = date.today()
    for day in sorted(d for d in days if d < today):
        computed = {a.pk: a.status_on for a in state.key_actions(day, KeyAction.objects.published())}
        for action in actions:
            expected = key_action_status_on(
                recorded=action.status, deadline=action.deadline_date, delivered=action.delivered_on,
                events=[e.when for e in action.events.all() if e.when], day=day)
            assert computed[action.pk] == expected, (action.code, day)


def test_a_late_delivery_shows_as_delivered_late_from_its_date_and_not_before():
    action = KeyAction.objects.published().exclude(events=None).first()
    action.status, action.deadline, action.deadline_precision = KeyActionStatus.DELIVERED_LATE, date(2020, 1, 1), "year"
    action.date, action.date_precision = date(2021, 9, 1), "month"
    action.save()
    action.events.all().delete()
    action.events.create(date=date(2020, 10, 1), date_precision="month", description="a", kind="other")
    action.events.create(date=date(2021, 9, 1), date_precision="month", description="b", kind="other")
    action.events.create(date=date(2026, 1, 13), date_precision="day", description="c", kind="other")

    def seen(day):
        found = state.key_actions(day, KeyAction.objects.filter(pk=action.pk)).get()
        return found.status_on, found.delivery_on

    assert seen(date(2020, 9, 30)) == (KeyActionStatus.NOT_STARTED, None)
    assert seen(date(2021, 6, 30)) == (KeyActionStatus.IN_PROGRESS, None)
    assert seen(date(2021, 9, 30)) == (KeyActionStatus.DELIVERED_LATE, date(2021, 9, 1))
    assert seen(None) == (KeyActionStatus.DELIVERED_LATE, date(2021, 9, 1))


def test_the_key_action_engine_built_once_per_day_answers_as_built_afresh_and_reads_the_data_of_the_moment():
    """The key actions' expressions for a past day are built once per day and process
    (state._key_action_engine), as the procedures' are: listed, filtered and used as a subquery, they answer as
    expressions built afresh, and they hold no data: an event recorded after they were built counts at once."""
    action = KeyAction.objects.published().first()
    action.events.all().delete()
    action.status, action.date, action.date_precision = KeyActionStatus.DELIVERED, date(2023, 5, 1), "month"
    action.save()
    day = date(2021, 12, 31)

    def answers():
        listed = sorted(state.key_actions(day).values_list("pk", "status_on", "delivery_on", "progress_on"))
        delivered = state.key_actions(day).filter(status_on=KeyActionStatus.DELIVERED).values("pk")
        in_subquery = sorted(KeyAction.objects.filter(pk__in=delivered).values_list("pk", flat=True))
        return listed, in_subquery

    state._key_action_engine.cache_clear()
    first = answers()
    assert answers() == answers() == first
    state._key_action_engine.cache_clear()
    assert answers() == first
    assert dict((pk, status) for pk, status, *_rest in first[0])[action.pk] == KeyActionStatus.DELIVERED

    # built already; then an event of 2022 is recorded: on the last day of 2021 the delivery lies ahead
    action.events.create(date=date(2022, 3, 1), date_precision="month", description="a step", kind="other")
    seen = state.key_actions(day, KeyAction.objects.filter(pk=action.pk)).get()
    assert (seen.status_on, seen.delivery_on) == (KeyActionStatus.NOT_STARTED, None)


def test_a_key_action_with_no_dated_event_keeps_its_recorded_status():
    action = KeyAction.objects.published().first()
    action.events.all().delete()
    found = state.key_actions(date(2021, 1, 1), KeyAction.objects.filter(pk=action.pk)).get()
    assert found.status_on == action.status


@pytest.mark.parametrize("day", [None, date(2014, 6, 30), date(2019, 12, 31), date(2021, 1, 1), date(2023, 6, 30)])
def test_counting_by_state_uses_the_same_rule_as_the_full_annotation(day):
    """`procedures(only_state=True)` (for counts) gives every procedure the state the full annotation gives it,
    on the shipped data and the awkward cases of this module's factories."""
    DecisionFactory(procedure=ProcedureFactory(), stage=Stage.CLOSED, when="2020-08-24/2021-06-22")
    undated = ProcedureFactory()
    DecisionFactory(procedure=undated, stage=Stage.LETTER_OF_FORMAL_NOTICE, when="2019-10")
    DecisionFactory(procedure=undated, stage=Stage.CLOSED)
    full = dict(state.procedures(day).values_list("pk", "state"))
    only = dict(state.procedures(day, only_state=True).values_list("pk", "state"))
    assert full and only == full


@pytest.mark.parametrize("day", [None, date(2021, 1, 1)])
def test_the_engine_built_once_per_day_gives_the_same_answers_in_every_kind_of_query(act, day):
    """The engine's expressions are built once per day and process (state._procedure_engine) and serve every
    query: used as a subquery, counted, filtered and listed in turn, they answer as expressions built afresh."""
    procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10"))
    procedure_with(act, (Stage.LETTER_OF_FORMAL_NOTICE, "2019-10"), (Stage.CLOSED, "2020-08-24/2021-06-22"))
    procedure_with(act, (Stage.REASONED_OPINION, "2022-03"))

    def answers():
        listed = sorted(state.procedures(day).values_list("pk", "state", "latest_stage", "closed_precision"))
        counted = sorted(state.procedures(day, only_state=True).order_by().values_list("state").annotate(
            n=Count("id")))
        opened = state.procedures(day).filter(state=ProcedureState.OPEN).values("pk")
        in_subquery = sorted(InfringementProcedure.objects.filter(pk__in=opened).values_list("pk", flat=True))
        return listed, counted, in_subquery

    state._procedure_engine.cache_clear()
    first = answers()
    assert answers() == answers() == first  # the same expressions, used again in every shape
    state._procedure_engine.cache_clear()
    assert answers() == first  # and as built afresh
    assert first[2] and first[1]
