"""What was true on a given day, computed from the dated decisions and events. Pure functions.

Rules, used the same way everywhere (and stated on the methodology page):
- A decision or event counts on a day once its whole period has passed: a letter dated "January 2014"
  counts from 31 January 2014 on; one dated 27 January 2014 counts from that day on.
- A decision or event with no known date is not placed in time: it counts for the present state only.
- What follows from these rules for procedures, decisions, key actions, reports and assessments is computed
  in SQL by the state engine, initiatives/state.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext

from initiatives.dates import PartialDate, Precision


def counts_on(when: PartialDate | None, day: date | None) -> bool:
    """Whether something dated `when` has certainly happened by `day` (None: the present, always)."""
    if day is None:
        return True
    return when is not None and when.end <= day


# --- the same rule in SQL, and the `?as_of=` parameter of the public pages ------------------------------------

EARLIEST = date(2011, 1, 1)  # the year Directive 2011/93/EU was adopted: nothing the tracker follows is older


def latest_counted_start(day: date, precision: str) -> date:
    """The first day of the latest period of `precision` that has wholly passed by `day` (its end <= day).

    Stored dates are the first day of their period, so "counts on `day`" is "date <= this" in SQL."""
    following = PartialDate.from_parts(day + timedelta(days=1), precision)  # the period holding the next day
    return PartialDate.from_parts(following.start - timedelta(days=1), precision).start


def counted_q(day: date, prefix: str = "", *, last_day_field: str | None = None) -> Q:
    """A Q object selecting the rows (with `date` and `date_precision`) that `counts_on` would keep.

    A model that stores the last day of each date's period (`last_day_field`, as decisions do, which can
    also hold a date known only to lie between two days) is compared with it directly."""
    if last_day_field is not None:
        return Q(**{f"{prefix}{last_day_field}__lte": day})
    condition = Q(pk__in=[])
    for precision in Precision.values:
        if precision == Precision.BETWEEN:
            continue  # only a model with a last-day field can hold an interval

        condition |= Q(**{f"{prefix}date_precision": precision,
                          f"{prefix}date__lte": latest_counted_start(day, precision)})
    return condition


@dataclass(frozen=True)
class AsOf:
    """The day a page is shown as of (None: today, the present state) and what to tell the reader."""

    day: date | None
    today: date
    error: str = ""

    @property
    def is_past(self) -> bool:
        return self.day is not None

    @property
    def reference_day(self) -> date:
        """The day durations and slippage are counted to."""
        return self.day or self.today

    def year_steps(self) -> list[date]:
        """The last day of each year from the first year of the records to last year."""
        return [date(year, 12, 31) for year in range(EARLIEST.year + 2, self.today.year)]


def parse_as_of(raw: str | None, today: date) -> AsOf:
    """Read `?as_of=YYYY-MM-DD`. Anything unusable gives the present, with a message saying why (the page
    adds that it shows today; the API answers 400 with it)."""
    text = (raw or "").strip()
    if not text:
        return AsOf(None, today)
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return AsOf(None, today, gettext("“%(value)s” is not a date: write it as YYYY-MM-DD, for example "
                                    "2021-12-31.") % {"value": text[:40]})
    if day > today:
        return AsOf(None, today, gettext("%(day)s is in the future.") % {"day": day.isoformat()})
    if day < EARLIEST:
        return AsOf(None, today, gettext("The tracker starts on %(earliest)s: choose a later date.") % {
            "earliest": EARLIEST.isoformat()})
    if day == today:
        return AsOf(None, today)
    return AsOf(day, today)
