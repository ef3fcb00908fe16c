from datetime import date

from initiatives.as_of import counts_on, furthest_stage, key_action_status_on, procedure_state_on
from initiatives.choices import KeyActionStatus, Stage
from initiatives.dates import PartialDate

P = PartialDate.parse
MALTA = [(Stage.LETTER_OF_FORMAL_NOTICE, P("2014-01-27")), (Stage.REASONED_OPINION, P("2015-07-16")),
         (Stage.CLOSED, None)]
GREECE = [(Stage.LETTER_OF_FORMAL_NOTICE, P("2014-01")), (Stage.REASONED_OPINION, P("2015-07-16"))]


def test_before_on_and_after_a_dated_decision():
    assert procedure_state_on(MALTA, date(2014, 1, 26))[0] is None
    assert procedure_state_on(MALTA, date(2014, 1, 27))[0] == Stage.LETTER_OF_FORMAL_NOTICE
    assert procedure_state_on(MALTA, date(2015, 7, 15))[0] == Stage.LETTER_OF_FORMAL_NOTICE
    assert procedure_state_on(MALTA, date(2015, 7, 16))[0] == Stage.REASONED_OPINION


def test_a_month_precision_decision_counts_from_the_end_of_its_month():
    assert procedure_state_on(GREECE, date(2014, 1, 30))[0] is None
    assert procedure_state_on(GREECE, date(2014, 1, 31))[0] == Stage.LETTER_OF_FORMAL_NOTICE
    assert counts_on(P("2014-01"), date(2014, 2, 1))


def test_an_undated_closure_counts_for_the_present_only():
    assert procedure_state_on(MALTA, date(2026, 11, 28)) == (Stage.REASONED_OPINION, P("2015-07-16"), False)
    assert procedure_state_on(MALTA, None) == (Stage.REASONED_OPINION, P("2015-07-16"), True)


def test_the_furthest_stage_of_a_member_state_ignores_closed_procedures_when_asked():
    states = [(Stage.REASONED_OPINION, True), (Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE, False)]
    assert furthest_stage(states) == Stage.REASONED_OPINION
    assert furthest_stage(states, open_only=True) == Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE
    assert furthest_stage([]) is None


def test_a_key_action_status_before_its_events_is_computed_from_them():
    events = [P("2020-09-10"), P("2021-07-14"), P("2026-07-02")]
    status = dict(recorded=KeyActionStatus.PARTIALLY_DELIVERED, deadline=None, delivered=None, events=events)
    assert key_action_status_on(**status, day=date(2020, 8, 1)) == KeyActionStatus.NOT_STARTED
    assert key_action_status_on(**status, day=date(2021, 12, 31)) == KeyActionStatus.IN_PROGRESS
    assert key_action_status_on(**status, day=date(2026, 7, 2)) == KeyActionStatus.PARTIALLY_DELIVERED
    assert key_action_status_on(**status, day=None) == KeyActionStatus.PARTIALLY_DELIVERED


def test_a_late_delivery_shows_as_delivered_late_from_its_date():
    status = dict(recorded=KeyActionStatus.DELIVERED_LATE, deadline=P("2020"), delivered=P("2025-07-29"),
                  events=[P("2021-05"), P("2025-07-29"), P("2026-01-13")])
    assert key_action_status_on(**status, day=date(2025, 7, 28)) == KeyActionStatus.IN_PROGRESS
    assert key_action_status_on(**status, day=date(2025, 7, 29)) == KeyActionStatus.DELIVERED_LATE


def test_a_key_action_with_no_event_keeps_its_recorded_status():
    assert key_action_status_on(recorded=KeyActionStatus.UNKNOWN, deadline=None, delivered=None, events=[],
                                day=date(2021, 1, 1)) == KeyActionStatus.UNKNOWN
