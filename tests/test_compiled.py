"""Queries compiled once per process (initiatives/compiled.py): the same rows as Django's, fresh data every time,
and a builder whose SQL depends on the data is caught."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives import aggregates, compiled, state
from initiatives.models import ArticleFinding, Assessment, Decision, MemberState, TranspositionReport
from initiatives.views import public
from tests.factories import DecisionFactory, KeyActionEventFactory, ProcedureFactory, member_state
from tests.test_member_state_summary_sql import awkward_decisions, reports_assessments_and_findings

pytestmark = pytest.mark.django_db

DAYS = [None, date(2016, 12, 31), date(2021, 12, 31)]
BUILDERS = [  # each builder, and its arguments on a day
    (aggregates._key_action_rows, lambda day: (day,)), (aggregates._event_group_rows, lambda day: (day,)),
    (aggregates._procedure_count_rows, lambda day: (day,)), (aggregates._decision_count_rows, lambda day: (day,)),
    (aggregates._decision_stage_rows, lambda day: (day,)), (aggregates._latest_decision_rows, lambda day: (day,)),
    (aggregates._status_count_rows, lambda day: (Assessment, day, True, True)),
    (aggregates._status_count_rows, lambda day: (TranspositionReport, day, False, True)),
    (aggregates._status_count_rows, lambda day: (ArticleFinding, day, False, False)),
    (state._basis_rows, lambda day: (day,)),
    (public._procedure_states, lambda day: (day, member_state("MT").pk)),
    (public._history_rows, lambda day: (Decision, ("stage", "date", "procedure__member_state__code"), 24)),
    (public._batch_rows, lambda day: (public.CHANGE_MODELS,)),
]


@pytest.fixture
def more_rows():
    """Rows of every kind the builders read besides the shipped data: dated, undated, between two days."""
    awkward_decisions()
    reports_assessments_and_findings()
    procedure = ProcedureFactory(member_state=member_state("LU"))
    DecisionFactory(procedure=procedure, stage="letter_of_formal_notice", when="2016-02")
    DecisionFactory(procedure=procedure, stage="closed", when="2020-01-01/2021-06-30")
    KeyActionEventFactory(date=date(2016, 5, 1))


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize(("build", "arguments_on"), BUILDERS, ids=lambda item: getattr(item, "__name__", ""))
def test_the_rows_are_those_django_reads(build, arguments_on, day, more_rows):
    """The same rows, in the same order, with the same types (dates are dates on SQLite too), as iterating the
    queryset; in one query."""
    arguments = arguments_on(day)
    expected = list(build(*arguments))
    assert expected or day is not None, "a builder with no row today would test nothing"
    with CaptureQueriesContext(connection) as captured:
        assert compiled.rows(build, *arguments) == expected
        assert compiled.rows(build, *arguments) == expected  # the kept SQL
    assert len(captured) == 2


def test_the_kept_sql_reads_the_data_of_the_moment(settings):
    """The SQL is kept, the rows are not: a decision recorded after the first call is counted by the next, though
    the query is neither built nor compiled again."""
    settings.COMPILED_SQL_CHECK = False
    built = []

    def count_luxembourg(day):
        built.append(day)
        return Decision.objects.filter(procedure__member_state__code="LU").order_by().values_list("stage")

    compiled.forget()
    before = compiled.rows(count_luxembourg, None)
    DecisionFactory(procedure=ProcedureFactory(member_state=member_state("LU")), stage="referral", when="2024-01-02")
    after = compiled.rows(count_luxembourg, None)
    assert len(after) == len(before) + 1 and built == [None]
    assert compiled.rows(count_luxembourg, date(2020, 1, 1)) == after and built == [None, date(2020, 1, 1)]


def test_a_builder_that_reads_the_data_is_caught():
    """A builder that puts a row it read into its query breaks the rule: the test suite's check finds its SQL
    changed when the data did."""
    def first_member_state(day):
        first = MemberState.objects.order_by("protocol_order").first()
        return MemberState.objects.filter(pk=first.pk).values_list("code")

    compiled.forget()
    assert compiled.rows(first_member_state, None) == [("BE",)]
    MemberState.objects.filter(code="BE").update(protocol_order=99)
    with pytest.raises(compiled.StaleQuery, match="first_member_state"):
        compiled.rows(first_member_state, None)


def test_a_query_that_can_match_nothing_asks_nothing():
    with CaptureQueriesContext(connection) as captured:
        assert compiled.rows(lambda: MemberState.objects.filter(pk__in=[]).values_list("code")) == []
    assert len(captured) == 0
