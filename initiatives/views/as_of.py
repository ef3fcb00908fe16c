"""`?as_of=YYYY-MM-DD` on the public pages: the state on a past day, computed from the dated records.

The mixin reads the parameter once per request; the pages ask `self.as_of.day` (None: the present) and
pass it to the pure functions of aggregates.py and as_of.py. The bar at the top of each page (date picker,
year steps, the "past date" banner) is templates/initiatives/includes/as_of_bar.html.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext

from initiatives.as_of import EARLIEST, AsOf, parse_as_of


def today() -> date:
    return timezone.localdate()


class AsOfMixin:
    """For the public pages: `self.as_of` and the context the as-of bar needs."""

    @cached_property
    def as_of(self) -> AsOf:
        return parse_as_of(self.request.GET.get("as_of"), today())

    def get_context_data(self, **kwargs):
        # worked out when the template reads it: base.html keeps the bar in its fragments cache, unread
        bar = SimpleLazyObject(lambda: as_of_bar(self.request, self.as_of))
        return super().get_context_data(as_of=self.as_of, as_of_bar=bar, **kwargs)


def as_of_bar(request, as_of: AsOf) -> dict:
    """Links and hidden fields for the bar: every link keeps the page's other parameters (filters, sort)."""

    kept = request.GET.copy()  # the page's other parameters, encoded once for every link of the bar
    for name in ("as_of", "page"):
        kept.pop(name, None)
    others = kept.urlencode()

    def url_for(day: date | None) -> str:
        encoded = "&".join(part for part in (others, f"as_of={day.isoformat()}" if day else "") if part)
        return f"{request.path}?{encoded}" if encoded else request.path

    current = as_of.day
    years = [{"label": str(day.year), "url": url_for(day), "current": current == day,
              "title": gettext("31 December %(year)s") % {"year": day.year}} for day in as_of.year_steps()]
    reference = current or as_of.today
    previous_end = date(reference.year - 1, 12, 31)  # the end of the year before the one shown
    next_end = None
    if current is not None:  # the next end of a year, or today when that is past today
        year_end = date(current.year, 12, 31)
        candidate = year_end if current < year_end else date(current.year + 1, 12, 31)
        next_end = min(candidate, as_of.today)
    return {
        "years": years,
        "today_url": url_for(None),
        "previous": {"label": previous_end.year, "url": url_for(previous_end)} if previous_end >= EARLIEST else None,
        "next": ({"label": gettext("today") if next_end == as_of.today else next_end.year,
                  "url": url_for(None if next_end == as_of.today else next_end)} if next_end else None),
        "hidden": [(name, value) for name, values in kept.lists() for value in values],
        "min": EARLIEST.isoformat(),
        "max": as_of.today.isoformat(),
    }
