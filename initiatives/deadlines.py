"""Deadlines, computed rather than typed: reply periods, the strategy's own deadlines, the Directive's
transposition deadline. Pure functions: `today` is always passed in.

A date known only to its month (or quarter, or year) gives a deadline counted from the LAST day of that
period: the tracker never calls something overdue that might not be.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from initiatives.choices import KeyActionStatus, Stage
from initiatives.dates import PartialDate

DEFAULT_REPLY_MONTHS = 2
DUE_SOON_DAYS = 30
TRANSPOSITION_DEADLINE = date(2013, 12, 18)  # Directive 2011/93/EU, Art. 27(1)

# The stages after which the Member State is given a period to reply.
STAGES_WITH_REPLY = {
    Stage.LETTER_OF_FORMAL_NOTICE, Stage.ADDITIONAL_LETTER_OF_FORMAL_NOTICE,
    Stage.REASONED_OPINION, Stage.ADDITIONAL_REASONED_OPINION, Stage.ART_260_2_LETTER,
}
DONE_STATUSES = {KeyActionStatus.DELIVERED, KeyActionStatus.DELIVERED_LATE, KeyActionStatus.SUPERSEDED}


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of the month when that day does not exist (31 Dec + 2
    months is 28 February, or 29 in a leap year)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reply_due(decided: PartialDate | None, months: int | None = None) -> date | None:
    """When the Member State's reply to a decision is due; None when the decision's date is unknown."""
    if decided is None:
        return None
    return add_months(decided.end, months or DEFAULT_REPLY_MONTHS)


@dataclass(frozen=True)
class Due:
    """Something due on a date: overdue when the date has passed, due soon within DUE_SOON_DAYS."""

    what: str
    due: date

    def days_left(self, today: date) -> int:
        return (self.due - today).days

    def is_overdue(self, today: date) -> bool:
        return self.due < today

    def is_due_soon(self, today: date, window: int = DUE_SOON_DAYS) -> bool:
        return today <= self.due <= today + timedelta(days=window)


def key_action_due(deadline: PartialDate | None, status: str) -> date | None:
    """The last day of the period a key action's deadline names, unless it is done or names no date."""
    if deadline is None or status in DONE_STATUSES:
        return None
    return deadline.end


def reply_label(stage: str) -> str:
    return str(_("reply to the %(stage)s") % {"stage": Stage(stage).label})
