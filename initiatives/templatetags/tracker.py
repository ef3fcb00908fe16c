"""Template helpers: dates with their precision, status badges, sources."""

import unicodedata
from datetime import date
from functools import lru_cache

from django import template
from django.utils import formats
from django.utils.encoding import force_str
from django.utils.html import conditional_escape, format_html, format_html_join, json_script
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext as _

from initiatives.choices import (
    ASSESSMENT_LOOK,
    KEY_ACTION_STATUS_LOOK,
    NOTIFICATION_LOOK,
    PROCEDURE_STATE_LOOK,
    STAGE_LOOK,
    AssessmentStatus,
    KeyActionStatus,
    NotificationStatus,
    ProcedureState,
    Stage,
    is_stage_number,
)
from initiatives.dates import PartialDate, format_day

register = template.Library()

VOCABULARIES = {
    "key_action": (KeyActionStatus, KEY_ACTION_STATUS_LOOK),
    "stage": (Stage, STAGE_LOOK),
    "notification": (NotificationStatus, NOTIFICATION_LOOK),
    "assessment": (AssessmentStatus, ASSESSMENT_LOOK),
    "procedure_state": (ProcedureState, PROCEDURE_STATE_LOOK),
}


@register.simple_tag
def precise_date(value, precision=None, unknown=None, latest=None):
    """A date shown to its precision ("January 2014", "between 24 August 2020 and 22 June 2021"); "unknown"
    when there is none. `latest` is the last day of a date known only to lie between two days."""
    if isinstance(value, PartialDate):
        return value.display()
    if value is None or value == "":
        return unknown if unknown is not None else _("unknown")
    if isinstance(value, date):
        return PartialDate.from_parts(value, precision or "day", latest).display()
    return str(value)


@register.filter
def one_per_document(sources):
    """Sources with one entry per document: a citation that only names the same link again ("INFR no. from
    <link>" beside "<link>") is not shown twice."""
    seen, kept = set(), []
    for source in sources or []:
        key = source.url or source.citation
        if key not in seen:
            seen.add(key)
            kept.append(source)
    return kept


@register.filter
def when(obj):
    """`obj.when` (a PartialDate) shown to its precision, or "unknown"."""
    partial = getattr(obj, "when", None)
    return partial.display() if partial else _("unknown")


@register.simple_tag
def badge_content(vocabulary, symbol, label):
    """The inside of a badge: the symbol then the label, or, for a stage number, the label then "stage 2"."""
    if is_stage_number(vocabulary, symbol):
        return format_html('{} <span class="badge-stage">{}</span>', label, _("stage %(n)s") % {"n": symbol})
    return format_html('<span class="badge-symbol" aria-hidden="true">{}</span> {}', symbol, label)


@register.simple_tag
def status_badge(vocabulary, value):
    """A badge with symbol, label and colour; the definition as its title. The same few badges fill a page (a
    stage per decision, a status per article): each is built once per process and language, from the
    vocabulary's fixed labels and looks."""
    key = (get_language(), vocabulary, value)
    badge = _BADGES.get(key)
    if badge is None:
        badge = _BADGES[key] = _status_badge(vocabulary, value)
    return badge


_BADGES = {}


def _status_badge(vocabulary, value):
    choices, looks = VOCABULARIES[vocabulary]
    if value in (None, ""):
        return format_html('<span class="badge badge-unknown"><span aria-hidden="true">?</span> {}</span>',
                           _("unknown"))
    member = choices(value)
    look = looks[member]
    return format_html('<span class="badge badge-{}-{}" title="{}">{}</span>', vocabulary, member.value,
                       look.definition, badge_content(vocabulary, look.symbol, member.label))


@register.filter
def choice_label(record, name):
    """`record.get_<name>_display()`: the label of the field's value, or the value when it is not a choice."""
    value = getattr(record, name)
    return force_str(choice_labels(type(record), name).get(value, value), strings_only=True)


def choice_labels(model, name) -> dict:
    """A field's choices, value to label, read once per process: Django's get_<name>_display() rebuilds a dict
    of all the field's choices, translating every label, at each call. The labels stay lazy: they read in the
    language of the request. The one reading of choices for pages, tables and feeds."""
    key = (model, name)
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = _CHOICE_LABELS[key] = dict(model._meta.get_field(name).flatchoices)
    return labels


_CHOICE_LABELS = {}


@register.filter
def in_english(value):
    """The facts' own text, which exists only in English (event descriptions, notes, titles, the strategy's
    words, sources), shown as it is and marked lang="en", so that a French or German page does not claim it
    and a screen reader reads it in English. Always marked, on English pages too: one rule. Not for attributes
    or <title>, which hold text only."""
    if value is None or value == "":
        return value
    return format_html('<span lang="en">{}</span>', value)


@register.simple_tag
def sources_details(sources, confidence=""):
    """A record's sources, one per document (`one_per_document`), in a <details> whose summary counts them and
    gives the record's confidence (its `get_confidence_display`, if any). The one markup for sources: the include
    includes/sources.html calls this tag, and the pages that list many records (a Member State's reports,
    assessments and decisions; a key action's events) call it directly, so that a row costs no template of
    its own to render."""
    kept = one_per_document(sources)
    # as {% blocktranslate %} did: the translated text as it stands, the values put into it escaped
    summary = ngettext("%(n)s source", "%(n)s sources", len(kept)) % {"n": formats.localize(len(kept))}
    if confidence:
        summary += " · " + gettext("confidence: %(confidence)s") % {"confidence": conditional_escape(confidence)}
    if kept:
        items = format_html_join("", "\n    <li>{}</li>\n    ", ((
            format_html('<a href="{}" rel="noopener noreferrer" lang="en">{}</a>', source.url, _shortened(source.label))
            if source.url else conditional_escape(in_english(source.citation)),) for source in kept))
    else:
        items = format_html("<li>{}</li>\n    ", gettext("No source recorded."))
    return format_html('<details class="sources">\n  <summary>{}</summary>\n  <ul>\n    {}\n  </ul>\n</details>',
                       mark_safe(summary), items)


def _shortened(text: str, limit: int = 140) -> str:
    """`Truncator(text).chars(limit)`: the text in its composed form, cut to `limit` characters with an ellipsis.
    Most sources' labels are shorter, and for them the composed form alone is the answer, at a tenth of the cost
    (Truncator counted every character of every source on a page: 11 µs each)."""
    if len(text) <= limit:  # no more characters than the limit counts, whatever combining marks it holds
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(limit)


@register.simple_tag
def last_verified_note(last_verified):
    """When staff last checked a record against its sources (public pages): the one markup, which the include
    includes/last_verified.html calls and pages that list many records call directly."""
    if last_verified:
        text = gettext("Last verified %(day)s") % {
            "day": conditional_escape(format_day(last_verified))}
    else:
        text = gettext("Not yet verified by staff")
    return format_html('<p class="sources muted last-verified">{}</p>', mark_safe(text))


@register.simple_tag
def plotly_locale_script() -> str:
    """The chart pages' `<script id="plotly-locale" type="application/json">`: plotly_locale() of the reader's
    language, built once per language and process (the catalogues do not change while it runs)."""
    return _plotly_locale_script(get_language() or "en")


@lru_cache(maxsize=32)
def _plotly_locale_script(_language: str) -> str:
    return json_script(plotly_locale(), "plotly-locale")


def plotly_locale() -> dict:
    """What plotly.js needs to write dates and numbers on a chart's axes in the reader's language: month and
    day names from Django's own translations, the language's separators (charts.js registers it as a locale)."""
    from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR

    def sunday_first(names):
        return [str(names[6]), *(str(names[day]) for day in range(6))]

    return {"name": get_language() or "en", "format": {
        "months": [str(MONTHS[month]) for month in range(1, 13)],
        "shortMonths": [str(MONTHS_3[month]).capitalize() for month in range(1, 13)],
        "days": sunday_first(WEEKDAYS), "shortDays": sunday_first(WEEKDAYS_ABBR),
        "decimal": formats.get_format("DECIMAL_SEPARATOR"), "thousands": formats.get_format("THOUSAND_SEPARATOR"),
        # the rest of what plotly.js's locale format must hold (d3 reads every field): day before month
        "periods": ["AM", "PM"], "grouping": [3], "currency": ["", "\u00a0€"],
        "dateTime": "%A %e %B %Y, %X", "date": "%d/%m/%Y", "time": "%H:%M:%S",
        "year": "%Y", "month": "%b %Y", "dayMonth": "%-d %b", "dayMonthYear": "%-d %b %Y",
    }}


@register.filter
def article_label(article):
    """"Art. 5 Offences concerning child pornography": the number in the reader's language, the Directive's title
    of the article as the tracker holds it, in English (in_english)."""
    if article is None:
        return ""
    return format_html("{} {}", _("Art. %(ref)s") % {"ref": article.number}, in_english(article.title))


@register.filter
def machine_datetime(value) -> str:
    """A moment as a valid HTML `<time datetime>` value: to the second, with its offset, no microseconds."""
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat() if hasattr(value, "microsecond") else value.isoformat()
