"""Freshness: when a sourced record falls due for checking against its sources again. Pure rules: `today` and
`months` (settings.FRESHNESS_MONTHS) are always passed in.

A record verified on a day is due for checking `months` later, on the same day of the month (the last day of
the month when that day does not exist: 31 August + 6 months is 28 February, or 29 in a leap year). It needs
checking from that day on. A record never verified (`last_verified` empty) always needs checking: imported
research data gives no day on which anyone checked it, and the tracker does not invent one.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.db.models import F, Q, QuerySet

from initiatives.deadlines import add_months


def due_for_checking(last_verified: date | None, months: int) -> date | None:
    """The day a record verified on `last_verified` needs checking again; None when it was never verified."""
    if last_verified is None:
        return None
    return add_months(last_verified, months)


def needs_checking(last_verified: date | None, today: date, months: int) -> bool:
    """True when the record was never verified, or its check is `months` old or older on `today`."""
    due = due_for_checking(last_verified, months)
    return due is None or due <= today


def cutoff(today: date, months: int) -> date:
    """The latest `last_verified` that needs checking on `today`: a record verified on this day or before is due.

    The inverse of due_for_checking: the last day d with add_months(d, months) <= today. Because add_months
    moves a day that does not exist to the end of the month, several days can fall due on the same day (29,
    30 and 31 August + 6 months are all due on 28 February): on the last day of a month the cutoff is the
    last day of the month `months` before.
    """
    back = add_months(today, -months)
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        back = back.replace(day=calendar.monthrange(back.year, back.month)[1])
    return back


def needs_checking_q(today: date, months: int, field: str = "last_verified") -> Q:
    """The records that needs_checking() selects, as a filter the database applies: never verified, or
    verified on the cutoff day or before."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": cutoff(today, months)})


def needing_checking(queryset: QuerySet, today: date, months: int, *then: str) -> QuerySet:
    """`queryset` narrowed to the records that need checking on `today`: never verified first, then the oldest
    check first, then by the fields `then` (the primary key last, so the order is stable)."""
    return queryset.filter(needs_checking_q(today, months)).order_by(
        F("last_verified").asc(nulls_first=True), *then, "pk")
