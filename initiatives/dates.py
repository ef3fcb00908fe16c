"""Dates that keep their precision.

A fact known to the month is stored as the first day of that month with the precision "month", and is
shown as "January 2014", never as "1 January 2014". A fact known only to lie between two days (a procedure
that a copy of the Commission's register lists and a later copy no longer does) has the precision "between"
and keeps both days: "between 24 August 2020 and 22 June 2021". `PartialDate` is the value object; models
store it in a DateField (the first day), a precision CharField and, where a model can hold an interval, a
second DateField for the last day.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import formats
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy


class Precision(models.TextChoices):
    # Translators: how precisely a date is known (a choice in forms): to the day, the month, ...
    DAY = "day", pgettext_lazy("date precision", "day")
    MONTH = "month", pgettext_lazy("date precision", "month")
    QUARTER = "quarter", pgettext_lazy("date precision", "quarter")
    YEAR = "year", pgettext_lazy("date precision", "year")
    BETWEEN = "between", pgettext_lazy("date precision", "between two days")


PRECISIONS = frozenset(Precision.values)  # read once: Precision.values builds a new list on every call


def format_day(value: date, format_name: str = "DATE_FORMAT") -> str:
    """`formats.date_format(value, format_name)` in the active language ("27 January 2014", "27. Januar 2014"),
    remembered per day, format and language: a day reads the same every time it is shown, and formatting one
    afresh cost 10-12 µs, on pages that show hundreds (a timeline's events, a feed's entries)."""
    return _formatted_day(value, format_name, get_language())


@functools.lru_cache(maxsize=8192)
def _formatted_day(value: date, format_name: str, language: str | None) -> str:
    return formats.date_format(value, format_name)  # in `language`, the active one: the key says which


class DateParseError(ValueError):
    """The text is not a date in one of the accepted forms."""


_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII), Precision.DAY),
    (re.compile(r"^(\d{4})-(\d{2})$", re.ASCII), Precision.MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE | re.ASCII), Precision.QUARTER),
    (re.compile(r"^(\d{4})$", re.ASCII), Precision.YEAR),
]
_INTERVAL = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*/\s*(\d{4}-\d{2}-\d{2})$", re.ASCII)
ACCEPTED_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, YYYY-MM-DD/YYYY-MM-DD"  # machine forms, never translated


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a day, a month, a quarter or a year, or only to lie between two days.

    `value` is the first day of the period; `latest` is the last day of an interval ("between"), and None
    for the other precisions (their last day follows from the precision)."""

    value: date
    precision: str = Precision.DAY
    latest: date | None = None

    def __post_init__(self):
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        if self.precision == Precision.BETWEEN:
            if self.latest is None or self.latest <= self.value:
                raise ValueError(f"an interval needs a last day after its first day ({self.value}, {self.latest})")
        elif self.latest is not None:
            raise ValueError(f"only an interval has a last day of its own ({self.precision})")
        if self.value != _period_start(self.value, self.precision):
            raise ValueError(f"{self.value} is not the first day of its {self.precision}")

    @classmethod
    def between(cls, earliest: date, latest: date) -> PartialDate:
        """The interval from `earliest` to `latest` (both days included); a single day when they are equal."""
        if latest < earliest:
            raise ValueError(f"{latest} is before {earliest}")
        if latest == earliest:
            return cls(earliest)
        return cls(earliest, Precision.BETWEEN, latest)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY; raise DateParseError with a readable reason."""
        raw = (text or "").strip()
        interval = _INTERVAL.match(raw)
        if interval:
            first, last = (cls.parse(part).value for part in interval.groups())
            if last < first:
                raise DateParseError(gettext("%(value)s: the second day comes before the first.") % {
                    "value": repr(raw)})
            return cls.between(first, last)
        for pattern, precision in _PATTERNS:
            match = pattern.match(raw)
            if not match:
                continue
            try:
                if precision == Precision.DAY:
                    value = date(int(match[1]), int(match[2]), int(match[3]))
                elif precision == Precision.MONTH:
                    value = date(int(match[1]), int(match[2]), 1)
                elif precision == Precision.QUARTER:
                    value = date(int(match[1]), 3 * int(match[2]) - 2, 1)
                else:
                    value = date(int(match[1]), 1, 1)
            except ValueError as error:
                raise DateParseError(gettext("%(value)s is not a real date (no such day in the calendar).") % {
                    "value": repr(raw)}) from error
            if not 1900 <= value.year <= 2100:
                raise DateParseError(gettext("%(value)s is outside the years %(first)s-%(last)s.") % {
                    "value": repr(raw), "first": 1900, "last": 2100})
            return cls(value, precision)
        # Translators: %(forms)s lists the machine forms of a date (YYYY-MM-DD, ...), shown as they are.
        raise DateParseError(gettext("%(value)s is not a date; use one of these forms: %(forms)s.") % {
            "value": repr(raw), "forms": ACCEPTED_FORMS})

    @classmethod
    def from_parts(cls, value: date | None, precision: str | None, latest: date | None = None
                   ) -> PartialDate | None:
        """From stored fields. `latest` is read for an interval only (other models store the period's last
        day there too, or nothing)."""
        if value is None:
            return None
        if precision == Precision.BETWEEN:
            return cls.between(value, latest or value)
        return cls(_period_start(value, precision or Precision.DAY), precision or Precision.DAY)

    @classmethod
    def of(cls, record, name: str = "date") -> PartialDate | None:
        """The date `name` of a record (a model instance, a history row or a `.values()` dict), from its
        `<name>`, `<name>_precision` and, where the record has one, `<name>_latest` fields."""
        if isinstance(record, dict):
            value, precision, latest = (record.get(name), record.get(f"{name}_precision"),
                                        record.get(f"{name}_latest"))
        else:
            value, precision, latest = (getattr(record, name, None), getattr(record, f"{name}_precision", None),
                                        getattr(record, f"{name}_latest", None))
        return cls.from_parts(value, precision or Precision.DAY, latest)

    @property
    def start(self) -> date:
        return self.value

    @property
    def end(self) -> date:
        """The last day of the period."""
        year, month = self.value.year, self.value.month
        if self.precision == Precision.DAY:
            return self.value
        if self.precision == Precision.BETWEEN:
            return self.latest
        if self.precision == Precision.MONTH:
            return date(year, month, calendar.monthrange(year, month)[1])
        if self.precision == Precision.QUARTER:
            last_month = month + 2
            return date(year, last_month, calendar.monthrange(year, last_month)[1])
        return date(year, 12, 31)

    def certainly_before(self, other: PartialDate) -> bool:
        """True when every day of this period comes before every day of the other."""
        return self.end < other.start

    def isoformat(self) -> str:
        """The machine form that `parse` reads back: 2014-01-27, 2014-01, 2021-Q2, 2020."""
        if self.precision == Precision.DAY:
            return self.value.isoformat()
        if self.precision == Precision.MONTH:
            return self.value.strftime("%Y-%m")
        if self.precision == Precision.QUARTER:
            return f"{self.value.year}-Q{(self.value.month - 1) // 3 + 1}"
        if self.precision == Precision.BETWEEN:
            return f"{self.value.isoformat()}/{self.latest.isoformat()}"
        return str(self.value.year)

    def display(self) -> str:
        """The human form in the active language, with its date formats (DATE_FORMAT, YEAR_MONTH_FORMAT):
        "27 January 2014", "January 2014", "Q2 2021", "2020", "between 24 August 2020 and 22 June 2021"
        in English; "27. Januar 2014", "Januar 2014" in German."""
        if self.precision == Precision.DAY:
            return format_day(self.value)
        if self.precision == Precision.BETWEEN:
            # Translators: a fact known only to lie between two days; both are full dates.
            return gettext("between %(first)s and %(last)s") % {
                "first": format_day(self.value), "last": format_day(self.latest)}
        if self.precision == Precision.MONTH:
            return format_day(self.value, "YEAR_MONTH_FORMAT")
        if self.precision == Precision.QUARTER:
            # Translators: a quarter of a year, e.g. "Q2 2021" (French "2e trimestre 2021", German
            # "2. Quartal 2021"); %(quarter)s is 1 to 4.
            return pgettext("quarter of a year", "Q%(quarter)s %(year)s") % {
                "quarter": (self.value.month - 1) // 3 + 1, "year": self.value.year}
        return str(self.value.year)

    def __str__(self) -> str:
        return self.display()


def _period_start(value: date, precision: str) -> date:
    if precision == Precision.MONTH:
        return value.replace(day=1)
    if precision == Precision.QUARTER:
        return date(value.year, 3 * ((value.month - 1) // 3) + 1, 1)
    if precision == Precision.YEAR:
        return date(value.year, 1, 1)
    return value
