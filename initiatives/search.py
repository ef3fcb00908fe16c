"""One search across the tracker's public records: each kind of record is one `Kind` in `KINDS`.

A kind names its published queryset, the text fields searched, and how a hit is titled and linked; an optional
`extra` adds matches the text cannot give (a procedure by its stage, by its INFR number written "2019/2230"; a
Member State and its procedures by the Member State's name in the reader's language).
Adding a kind (legislative files, say) is one more entry in the list.

Matching: on PostgreSQL, full-text search (django.contrib.postgres.search, English stemming, the query read as a
web search) OR every word found in some field; elsewhere (SQLite) every word, reduced to a simple stem, found in
some field (icontains). The matching words are shown in a short excerpt of the field that holds them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
PER_KIND = 20
EXCERPT = 160
SUFFIXES = ("ers", "er", "es", "s", "ing", "ed")
INFR_NUMBER = re.compile(r"(?:INFR\s*\(?\s*)?((?:19|20)\d{2})\s*[)/\\-]?\s*(\d{3,4})\b", re.IGNORECASE)


def clean_query(raw: str | None) -> tuple[str, bool]:
    """The query as searched: control characters removed, spaces collapsed, at most MAX_QUERY_LENGTH characters.
    Returns it and whether it was cut."""
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in str(raw or ""))
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH].strip(), len(text) > MAX_QUERY_LENGTH


def terms(query: str) -> list[str]:
    """The words of the query (letters, digits and the marks inside numbers), at most MAX_TERMS."""
    words = re.findall(r"[\w][\w/().-]*[\w]|[\w]", query)
    return list(dict.fromkeys(word.lower() for word in words))[:MAX_TERMS]


def stem(word: str) -> str:
    """A crude English stem for the fallback: "programmes" -> "programm", "offender" -> "offend"."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word[-len(suffix) - 1].isdigit():
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class Kind:
    key: str
    heading: str
    queryset: Callable[[], QuerySet]
    fields: tuple[str, ...]
    title: Callable[[object], str]
    url: Callable[[object], str]
    extra: Callable[[str], Q | None] = lambda query: None
    order_by: tuple[str, ...] = ("pk",)


@dataclass
class Hit:
    title: str
    url: str
    excerpt: SafeString


@dataclass
class Group:
    kind: Kind
    hits: list[Hit] = field(default_factory=list)
    total: int = 0


def _words_q(fields: tuple[str, ...], words: list[str]) -> Q:
    """Every word (stemmed) in at least one of the fields."""
    return reduce(and_, (reduce(or_, (Q(**{f"{name}__icontains": stem(word)}) for name in fields)) for word in words))


def matching(kind: Kind, query: str) -> QuerySet:
    words = terms(query)
    queryset = kind.queryset()
    conditions = [_words_q(kind.fields, words)] if words else []
    if connection.vendor == "postgresql" and words:
        from django.contrib.postgres.search import SearchQuery, SearchVector

        queryset = queryset.annotate(search_document=SearchVector(*kind.fields, config="english"))
        conditions.append(Q(search_document=SearchQuery(query, search_type="websearch", config="english")))
    extra = kind.extra(query)
    if extra is not None:
        conditions.append(extra)
    if not conditions:
        return queryset.none()
    return queryset.filter(reduce(or_, conditions)).distinct().order_by(*kind.order_by)


def excerpt(obj, kind: Kind, words: list[str]) -> SafeString:
    """The start of the first field that holds a matching word, around it, with the matching words marked."""
    stems = [stem(word) for word in words]
    texts = [str(_value(obj, name) or "") for name in kind.fields]
    chosen = next((text for text in texts if any(s in text.lower() for s in stems)), texts[0] if texts else "")
    lower = chosen.lower()
    first = min((lower.find(s) for s in stems if s in lower), default=0)
    start = max(0, first - EXCERPT // 3)
    piece = chosen[start:start + EXCERPT]
    prefix, suffix = ("…" if start else ""), ("…" if start + EXCERPT < len(chosen) else "")
    marked = escape(piece)
    for s in sorted({s for s in stems if s}, key=len, reverse=True):
        marked = re.sub(rf"({re.escape(escape(s))}[\w-]*)", r"<mark>\1</mark>", marked, flags=re.IGNORECASE)
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - escaped above; only <mark> added


def _value(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
        if hasattr(obj, "all") and callable(obj.all):  # a many-to-many: its items joined
            return " · ".join(str(item) for item in obj.all())
    return obj


def search(raw_query: str, kinds: list[Kind] | None = None) -> list[Group]:
    """Each kind with its hits (at most PER_KIND) and how many matched; kinds without a hit are left out."""
    query, _cut = clean_query(raw_query)
    words = terms(query)
    if not words:
        return []
    groups = []
    for kind in kinds if kinds is not None else KINDS:
        found = matching(kind, query)
        total = found.count()
        if not total:
            continue
        hits = [Hit(kind.title(obj), kind.url(obj), excerpt(obj, kind, words)) for obj in found[:PER_KIND]]
        groups.append(Group(kind, hits, total))
    return groups


# --- the kinds -----------------------------------------------------------------------------------------------


def _initiatives():
    from initiatives.models import Initiative

    return Initiative.objects.all()


def _key_actions():
    from initiatives.models import KeyAction

    return KeyAction.objects.published().select_related("initiative")


def _events():
    from initiatives.models import KeyActionEvent

    return KeyActionEvent.objects.published().select_related("key_action__initiative")


def _member_states():
    from initiatives.models import MemberState

    return MemberState.objects.all()


def _articles():
    from initiatives.models.transposition import directive_articles

    return directive_articles()


def _procedures():
    from initiatives.models import InfringementProcedure

    return InfringementProcedure.objects.published().select_related("member_state", "legal_act")


def _sources():
    from initiatives.models import Source

    return Source.objects.all()


def fold(text: str) -> str:
    """Lower case without accents: "Tchéquie" and "tchequie" match."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def named_member_states(query: str) -> list[str]:
    """The English names (as stored) of the Member States whose name in the reader's language holds a word of
    the query: a French reader searching "Allemagne" finds Germany, a German one "Tschechien" Czechia."""
    from initiatives.member_state_names import SHORT_NAMES

    words = [fold(word) for word in terms(query) if len(word) >= 4]
    return [english for english, translated in SHORT_NAMES.items()
            if any(word in fold(str(translated)) for word in words)]


def _member_state_extra(query: str) -> Q | None:
    names = named_member_states(query)
    return Q(name__in=names) if names else None


def _procedure_extra(query: str) -> Q | None:
    """A procedure by its INFR number however written ("2019/2230", "INFR(2019)2230"), or by a stage it reached
    ("reasoned opinion")."""
    from initiatives.choices import Stage

    conditions = [Q(infr_number__icontains=f"({year}){number}") for year, number in INFR_NUMBER.findall(query)]
    names = named_member_states(query)
    if names:
        conditions.append(Q(member_state__name__in=names))
    lowered = query.lower()
    stages = [stage.value for stage in Stage if lowered in str(stage.label).lower()]
    if stages and len(lowered) >= 4:
        conditions.append(Q(decisions__stage__in=stages))
    return reduce(or_, conditions) if conditions else None


def _procedure_title(procedure) -> str:
    from initiatives.views.public import procedure_name

    return f"{procedure.member_state.display_name}: {procedure_name(procedure)}"


KINDS: list[Kind] = [
    Kind("initiatives", _("Initiatives"), _initiatives, ("title", "summary"),
         lambda o: f"{o.number}. {o.title}", lambda o: reverse("initiatives:initiative_detail", args=[o.number]),
         order_by=("number",)),
    Kind("key_actions", _("Key actions"), _key_actions, ("short_title", "statement", "narrative", "deadline_wording"),
         lambda o: f"{o.initiative.number}/{o.code} {o.short_title}",
         lambda o: reverse("initiatives:initiative_detail", args=[o.initiative.number]) + f"#action-{o.code}",
         order_by=("initiative__number", "pk")),
    Kind("events", _("Events of the key actions"), _events, ("description",),
         lambda o: f"{o.key_action.initiative.number}/{o.key_action.code}: {o.when.display() if o.when else ''}",
         lambda o: reverse("initiatives:initiative_detail", args=[o.key_action.initiative.number])
         + f"#action-{o.key_action.code}", order_by=("date", "pk")),
    Kind("member_states", _("Member States"), _member_states, ("name", "code"),
         lambda o: o.display_name, lambda o: reverse("initiatives:member_state_detail", args=[o.code]),
         extra=_member_state_extra,
         order_by=("protocol_order",)),  # the Style Guide's order in every language (ISG 7.1.2)
    Kind("articles", _("Articles of Directive 2011/93/EU"), _articles, ("title",),
         lambda o: gettext("Art. %(n)s %(title)s") % {"n": o.number, "title": o.title},
         lambda o: reverse("initiatives:directive_matrix") + f"?group={o.group}",
         order_by=("number",)),
    Kind("procedures", _("Infringement procedures"), _procedures,
         ("infr_number", "member_state__name", "note", "legal_act__short_name"),
         _procedure_title,
         lambda o: o.get_absolute_url(),
         extra=_procedure_extra, order_by=("member_state__protocol_order", "pk")),
    Kind("sources", _("Sources"), _sources, ("citation", "url"),
         lambda o: o.citation[:120], lambda o: o.url or "", order_by=("citation",)),
]
