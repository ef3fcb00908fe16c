from datetime import date

import pytest

from initiatives.choices import KeyActionStatus
from initiatives.dates import PartialDate
from initiatives.deadlines import Due, add_months, key_action_due, reply_due


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2019, 7, 25), 2, date(2019, 9, 25)),
    (date(2019, 12, 31), 2, date(2020, 2, 29)),   # leap year: the last day of February
    (date(2022, 12, 31), 2, date(2023, 2, 28)),
    (date(2015, 7, 16), 2, date(2015, 9, 16)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2024, 10, 31), 2, date(2024, 12, 31)),
])
def test_months_are_added_with_month_ends_and_leap_years(day, months, expected):
    assert add_months(day, months) == expected


def test_a_reply_is_due_two_months_after_a_letter_unless_it_states_another_period():
    assert reply_due(PartialDate.parse("2019-07-25")) == date(2019, 9, 25)
    assert reply_due(PartialDate.parse("2019-07-25"), 4) == date(2019, 11, 25)


def test_a_letter_known_to_the_month_is_counted_from_the_last_day_of_that_month():
    assert reply_due(PartialDate.parse("2014-01")) == date(2014, 3, 31)
    assert reply_due(PartialDate.parse("2023-12")) == date(2024, 2, 29)


def test_an_unknown_decision_date_gives_an_unknown_deadline():
    assert reply_due(None) is None


def test_overdue_and_due_soon_are_relative_to_today():
    due = Due("reply", date(2026, 12, 15))
    assert due.is_due_soon(date(2026, 11, 28)) and not due.is_overdue(date(2026, 11, 28))
    assert due.is_overdue(date(2026, 12, 16)) and not due.is_due_soon(date(2026, 12, 16))
    assert not due.is_overdue(date(2026, 12, 15))  # due today is not yet overdue
    assert due.days_left(date(2026, 11, 28)) == 17


def test_a_key_action_is_due_at_the_end_of_its_deadline_period_until_done():
    q2 = PartialDate.parse("2021-Q2")
    assert key_action_due(q2, KeyActionStatus.IN_PROGRESS) == date(2021, 6, 30)
    assert key_action_due(q2, KeyActionStatus.DELIVERED) is None
    assert key_action_due(None, KeyActionStatus.IN_PROGRESS) is None
