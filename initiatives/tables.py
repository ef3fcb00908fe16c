"""One django-tables2 Table per public list. Sorting and paging travel in the query string."""

from __future__ import annotations

import functools
import inspect
from datetime import date

import django_tables2 as tables
from django.db.models import Case, F, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives import state as state_engine
from initiatives.choices import ProcedureState, Stage
from initiatives.dates import format_day
from initiatives.member_state_names import SHORT_NAMES, member_state_name
from initiatives.search import fold
from initiatives.templatetags.tracker import choice_label, in_english, precise_date, status_badge

TEMPLATE = "django_tables2/tracker.html"


def _cache_cell_signatures():
    """django-tables2 3.0 calls inspect.signature() for every cell it renders (to learn which of value,
    record, ... a render method takes): a fifth of a 27-row table's time. A function's signature does not
    change, so remember it per function (and per bound or not: `self` is left out for bound methods)."""
    from django_tables2 import utils

    if getattr(utils.signature, "cached", False):
        return
    uncached = utils.signature

    @functools.lru_cache(maxsize=2048)
    def by_function(function, bound):
        return uncached(function.__get__(object()) if bound else function)

    def signature(fn):
        function = getattr(fn, "__func__", None)
        if function is None or not inspect.isfunction(function):
            return uncached(fn)
        return by_function(function, True)

    signature.cached = True
    utils.signature = signature


_cache_cell_signatures()


def duration(start: date | None, end: date | None) -> str:
    """"4 years 2 months", from the first day of one period to another; "unknown" if either is missing."""
    if start is None or end is None:
        return gettext("unknown")
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    if months < 1:
        return gettext("less than a month")
    years, months = divmod(months, 12)
    year_text = ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    month_text = ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    if not months:
        return year_text
    if not years:
        return month_text
    # Translators: a duration of years and months, e.g. "4 years 2 months" (French "4 ans et 2 mois").
    return gettext("%(years)s %(months)s") % {"years": year_text, "months": month_text}


def slippage_text(days: int | None) -> str:
    if days is None:
        return gettext("unknown")
    if days <= 0:
        return gettext("on time")
    return ngettext("%(n)d day late", "%(n)d days late", days) % {"n": days}


class KeyActionTable(tables.Table):
    """Key actions with their deadline as worded and as a date, their delivery and the slippage.

    `today` is given, not read from the clock: the slippage of an undelivered action runs to it."""

    initiative = tables.Column(_("Initiative"), accessor="initiative__number", order_by=("initiative__number",))
    short_title = tables.Column(_("Key action"), order_by=("short_title",))
    status = tables.Column(_("Status"))
    deadline_wording = tables.Column(_("Deadline as worded"))
    deadline = tables.Column(_("Deadline"), order_by=("deadline",))
    date = tables.Column(_("Delivered"), order_by=("date",))
    slippage = tables.Column(_("Slippage"), empty_values=(), orderable=False)

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data-table"}
        order_by = ("initiative",)
        empty_text = _("No key action matches these filters.")

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def render_initiative(self, record):
        number = record.initiative.number
        return format_html('<a href="{}">{}</a>', reverse("initiatives:initiative_detail", args=[number]), number)

    def render_short_title(self, record, value):
        tag = format_html(' <span class="tag">{}</span>', gettext("context commitment")) \
            if record.is_context_commitment else ""
        return format_html('<a href="{}">{}</a>{}', record.get_absolute_url(), in_english(value), tag)

    def render_status(self, record):
        return status_badge("key_action", record.status)

    def render_deadline_wording(self, value):
        return in_english(value)  # the strategy's own words

    def render_deadline(self, record):
        return precise_date(record.deadline_date)

    def render_date(self, record):
        return precise_date(record.when)

    def render_slippage(self, record):
        return slippage_text(record.slippage_days(self.today))

    def value_slippage(self, record):
        return record.slippage_days(self.today)


def unknown_last(field: str):
    """A django-tables2 `order_<column>` method: by `field`, then id, with empty values last either way."""

    def order(self, queryset, is_descending):
        column = F(field).desc(nulls_last=True) if is_descending else F(field).asc(nulls_last=True)
        return queryset.order_by(column, "-id" if is_descending else "id"), True

    return order


def in_vocabulary_order(field: str, values: list[str]):
    """A django-tables2 `order_<column>` method: by the position of `field`'s value in `values` (a vocabulary in
    its own order: the stages as a procedure goes), then id; empty values last either way."""

    def order(self, queryset, is_descending):
        rank = Case(*[When(**{field: value}, then=Value(index)) for index, value in enumerate(values)],
                    default=None, output_field=IntegerField())
        column = F("vocabulary_rank").desc(nulls_last=True) if is_descending else F("vocabulary_rank").asc(
            nulls_last=True)
        return queryset.alias(vocabulary_rank=rank).order_by(column, "-id" if is_descending else "id"), True

    return order


class ProcedureTable(tables.Table):
    """The infringement register: one row per procedure, annotated by the state engine (state.procedures)."""

    member_state = tables.Column(_("Member State"), accessor="member_state__name")
    infr_number = tables.Column(_("INFR number"), order_by=("infr_number", "id"), default=_("unknown"))
    type = tables.Column(_("Type"), order_by=("type", "id"))
    latest_stage = tables.Column(_("Latest stage"), order_by=("latest_stage", "id"))
    latest_date = tables.Column(_("Latest decision"), order_by=("latest_date", "id"))
    state = tables.Column(_("State"), order_by=("state", "id"))
    first_date = tables.Column(_("Opened"), order_by=("first_date", "id"))
    time_open = tables.Column(_("Time open"), empty_values=(), orderable=False)
    last_verified = tables.Column(_("Last verified"), order_by=("last_verified", "id"), empty_values=())

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data-table"}
        order_by = ("member_state",)
        empty_text = _("No procedure matches these filters.")

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def render_member_state(self, record, value):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), member_state_name(value))

    def render_type(self, record):
        return choice_label(record, "type")

    def render_latest_stage(self, record):
        return status_badge("stage", record.latest_stage)

    def render_latest_date(self, record):
        return precise_date(record.latest_date, record.latest_precision, latest=record.latest_date_latest)

    def render_state(self, record):
        """The state's badge and what it rests on: the newest evidence of an open procedure, the closing day or
        interval of a closed one."""
        return format_html('{} <span class="state-evidence">{}</span>', status_badge("procedure_state", record.state),
                           state_engine.state_detail(record))

    def render_first_date(self, record):
        return precise_date(record.first_date, record.first_precision)

    def render_time_open(self, record):
        """Only for an open procedure, from its first dated decision to the day shown."""
        end = state_engine.time_open_end(record, self.today)
        return duration(record.first_date, end) if end is not None else "–"

    def render_last_verified(self, value):
        """The day staff last checked the procedure against its sources; the public never sees "needs checking"."""
        return format_day(value) if value else gettext("not yet verified by staff")

    def order_member_state(self, queryset, is_descending):
        """By the names the reader reads, alphabetically in their language, accents aside ("Allemagne" first in
        French, "Österreich" among the O's in German): the stored name is English."""
        names = sorted(SHORT_NAMES, key=lambda english: (fold(member_state_name(english)), english))
        if names == sorted(SHORT_NAMES):  # the stored order (English): no ranking to build, compile and run
            return unknown_last("member_state__name")(self, queryset, is_descending)
        return in_vocabulary_order("member_state__name", names)(self, queryset, is_descending)

    # What is unknown sorts last both ways, on every database (PostgreSQL puts NULL first when descending).
    order_infr_number = unknown_last("infr_number")
    order_latest_stage = in_vocabulary_order("latest_stage", Stage.values)
    order_state = in_vocabulary_order("state", ProcedureState.values)
    order_latest_date = unknown_last("latest_date")
    order_first_date = unknown_last("first_date")
    order_last_verified = unknown_last("last_verified")


class MemberStateTable(tables.Table):
    """One row per Member State, from aggregates.member_state_summary (a list of dicts, sorted in Python)."""

    name = tables.Column(_("Member State"), order_by=("protocol",))
    bound = tables.Column(_("Bound by the Directive"))
    procedures = tables.Column(_("Procedures"))
    open_procedures = tables.Column(_("Open"))
    furthest_stage = tables.Column(_("Furthest stage reached"), order_by=("furthest_rank", "protocol"))
    latest_date = tables.Column(_("Latest decision"), order_by=("latest_date", "protocol"))
    worst_assessment = tables.Column(_("Least favourable assessment"), order_by=("assessment_rank", "protocol"))
    articles_reported = tables.Column(_("Articles reported"))
    findings = tables.Column(_("Findings on articles"))

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data-table"}
        empty_text = _("No Member State.")

    def render_name(self, record, value):  # value: the name in the reader's language (member_state_frame)
        return format_html('<a href="{}">{}</a>', reverse("initiatives:member_state_detail", args=[record["code"]]),
                           value)

    def render_bound(self, value):
        return gettext("yes") if value else gettext("no (opt-out)")

    def render_furthest_stage(self, record, value):
        if not record["bound"]:
            return gettext("not bound")
        return status_badge("stage", value) if value else gettext("no procedure recorded")

    def render_latest_date(self, record):
        return precise_date(record["latest_date"], record["latest_precision"], unknown="–",
                            latest=record.get("latest_date_latest"))

    def render_worst_assessment(self, record, value):
        if not record["bound"]:
            return gettext("not bound")
        return status_badge("assessment", value) if value else gettext("unknown: no published assessment")

    def render_articles_reported(self, record, value):
        return format_html("{} / {}", value, record["articles_total"]) if record["bound"] else "–"
