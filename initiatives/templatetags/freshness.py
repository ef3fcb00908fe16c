"""Template helpers for staff pages: does a record need checking against its sources, and how many do.

Today and settings.FRESHNESS_MONTHS are read here, at the edge; the rules in initiatives/freshness.py take
them as arguments.
"""

from django import template
from django.conf import settings
from django.utils import timezone

from initiatives import freshness

register = template.Library()


@register.filter
def needs_checking(last_verified) -> bool:
    """True when a record last verified on `last_verified` (None: never) needs checking today."""
    return freshness.needs_checking(last_verified or None, timezone.localdate(), settings.FRESHNESS_MONTHS)


@register.simple_tag
def needs_checking_count() -> int:
    """How many published records need checking today (one query)."""
    from initiatives.views.freshness import count_needing_checking

    return count_needing_checking(timezone.localdate(), settings.FRESHNESS_MONTHS)
