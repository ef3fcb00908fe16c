"""Dates that keep their precision.

A fact known to the month is stored as the first day of that month with the precision "month", and is
shown as "January 2014", never as "1 January 2014". `PartialDate` is the value object; models store
its two halves in a DateField and a precision CharField.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


PRECISIONS = frozenset(Precision.values)  # read once: Precision.values builds a new list on every call


class DateParseError(ValueError):
    """The text is not a date in one of the accepted forms."""


_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), Precision.DAY),
    (re.compile(r"^(\d{4})-(\d{2})$"), Precision.MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE), Precision.QUARTER),
    (re.compile(r"^(\d{4})$"), Precision.YEAR),
]
ACCEPTED_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a day, a month, a quarter or a year. `value` is the first day of the period."""

    value: date
    precision: str = Precision.DAY

    def __post_init__(self):
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        if self.value != _period_start(self.value, self.precision):
            raise ValueError(f"{self.value} is not the first day of its {self.precision}")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY; raise DateParseError with a readable reason."""
        raw = (text or "").strip()
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
                raise DateParseError(f"{raw!r} is not a real date ({error})") from error
            if not 1900 <= value.year <= 2100:
                raise DateParseError(f"{raw!r} is outside the years 1900-2100")
            return cls(value, precision)
        raise DateParseError(f"{raw!r} is not a date; use {ACCEPTED_FORMS}")

    @classmethod
    def from_parts(cls, value: date | None, precision: str | None) -> PartialDate | None:
        if value is None:
            return None
        return cls(_period_start(value, precision or Precision.DAY), precision or Precision.DAY)

    @property
    def start(self) -> date:
        return self.value

    @property
    def end(self) -> date:
        """The last day of the period."""
        year, month = self.value.year, self.value.month
        if self.precision == Precision.DAY:
            return self.value
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
        return str(self.value.year)

    def display(self) -> str:
        """The human form, localised: "27 January 2014", "January 2014", "Q2 2021", "2020"."""
        if self.precision == Precision.DAY:
            return formats.date_format(self.value, "j F Y")
        if self.precision == Precision.MONTH:
            return formats.date_format(self.value, "F Y")
        if self.precision == Precision.QUARTER:
            return f"Q{(self.value.month - 1) // 3 + 1} {self.value.year}"
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
