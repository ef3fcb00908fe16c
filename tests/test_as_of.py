from datetime import date

import pandas as pd

from initiatives import aggregates
from initiatives.as_of import counts_on, key_action_status_on
from initiatives.choices import KeyActionStatus, Stage
from initiatives.dates import PartialDate

P = PartialDate.parse
MALTA = [(Stage.LETTER_OF_FORMAL_NOTICE, P("2014-01-27")), (Stage.REASONED_OPINION, P("2015-07-16")),
         (Stage.CLOSED, None)]
GREECE = [(Stage.LETTER_OF_FORMAL_NOTICE, P("2014-01")), (Stage.REASONED_OPINION, P("2015-07-16"))]


def state_on(decisions, day):
    """(latest stage, its date, closed?) of one procedure on `day`, as the pages compute it; None if not
    yet opened."""
    frame = pd.DataFrame(
        [(1, "MT", "non_communication", None, position, stage, when.start if when else None,
          when.precision if when else "") for position, (stage, when) in enumerate(decisions, start=1)],
        columns=aggregates.DECISION_COLUMNS)
    procedures = pd.DataFrame([(1, "MT", None, "non_communication", False, None, None, "", None)],
                              columns=aggregates.PROCEDURE_COLUMNS)
    on_day = aggregates.procedures_on(procedures, aggregates.dated_on(frame, day), day)
    if on_day.empty:
        return None
    row = on_day.iloc[0]
    return row["latest_stage"], PartialDate.from_parts(row["latest_date"], row["latest_precision"]), row["is_closed"]


def test_before_on_and_after_a_dated_decision():
    assert state_on(MALTA, date(2014, 1, 26)) is None
    assert state_on(MALTA, date(2014, 1, 27))[0] == Stage.LETTER_OF_FORMAL_NOTICE
    assert state_on(MALTA, date(2015, 7, 15))[0] == Stage.LETTER_OF_FORMAL_NOTICE
    assert state_on(MALTA, date(2015, 7, 16))[0] == Stage.REASONED_OPINION


def test_a_month_precision_decision_counts_from_the_end_of_its_month():
    assert state_on(GREECE, date(2014, 1, 30)) is None
    assert state_on(GREECE, date(2014, 1, 31))[0] == Stage.LETTER_OF_FORMAL_NOTICE
    assert counts_on(P("2014-01"), date(2014, 2, 1))


def test_an_undated_closure_counts_for_the_present_only():
    assert state_on(MALTA, date(2026, 11, 28)) == (Stage.REASONED_OPINION, P("2015-07-16"), False)
    assert counts_on(None, None) and not counts_on(None, date(2026, 11, 28))


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
