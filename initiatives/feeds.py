"""Atom feeds of published changes: the whole tracker, one Member State, one initiative.

Entries come from the history that django-simple-history keeps of every tracked model. Each entry names the
record, says what changed (field by field, with dates to their precision and choice labels) and links to the
public page that shows it. Only public fields are compared (those the public pages and the API show): no
change reason, user name or internal key reaches a feed. Control characters stored by an older version are
left out (initiatives/text.py), since XML cannot hold them. Only records that are published now are told about
(`.published()`); deletions are left out, since what was deleted can no longer be checked for publication.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.syndication.views import Feed
from django.db import connection, models
from django.db.models import OuterRef, Q, Subquery, Value
from django.http import Http404, HttpResponseNotAllowed
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiatives.dates import PartialDate
from initiatives.models import (
    Assessment,
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    KeyActionEvent,
    LegislativeStage,
    MemberState,
    TranspositionReport,
)
from initiatives.models.legislation import slug_of
from initiatives.templatetags.tracker import choice_label, choice_labels
from initiatives.text import strip_control_characters

LIMIT = 50
# What every published record shows besides its own fields: how sure the tracker is, and when it was checked.
CHECKED = ("last_verified", "confidence")


def _page(name: str, args: list, fallback: str, anchor: str = "") -> str:
    try:
        return reverse(f"initiatives:{name}", args=args) + anchor
    except NoReverseMatch:  # the public page is not there (yet): its stable address still is
        return fallback + anchor


def _ms_page(code: str, anchor: str = "") -> str:
    return _page("member_state_detail", [code], f"/member-states/{code}/", anchor)


def _initiative_page(number: int, anchor: str = "") -> str:
    return _page("initiative_detail", [number], f"/initiatives/{number}/", anchor)


@dataclass(frozen=True)
class Tracked:
    """One tracked model: how to scope its history, name a record and link to its page."""

    model: type[models.Model]
    related: tuple[str, ...]
    by_member_state: str | None  # the lookup from a history row to its Member State, if it has one
    by_initiative: str | None
    title: callable
    link: callable
    public: tuple[str, ...]  # the fields the public pages and the API show; a date's precision goes with it


TRACKED = [
    Tracked(Initiative, (), None, "id",
            lambda r: _("Initiative %(n)s: %(title)s") % {"n": r.number, "title": r.title},
            lambda r: _initiative_page(r.number),
            ("number", "title", "pillar", "summary", "section_reference")),
    Tracked(KeyAction, ("initiative",), None, "initiative",
            lambda r: _("Key action %(n)s/%(code)s: %(title)s") % {
                "n": r.initiative.number, "code": r.code, "title": r.short_title},
            lambda r: _initiative_page(r.initiative.number, f"#action-{r.code}"),
            ("code", "short_title", "statement", "section_reference", "is_context_commitment", "lead_actor",
             "deadline_wording", "deadline", "status", "progress", "date", "forecast", "narrative", *CHECKED)),
    Tracked(KeyActionEvent, ("key_action__initiative",), None, "key_action__initiative",
            lambda r: _("Event of key action %(n)s/%(code)s, %(when)s: %(what)s") % {
                "n": r.key_action.initiative.number, "code": r.key_action.code,
                "when": PartialDate.from_parts(r.date, r.date_precision), "what": r.description},
            lambda r: _initiative_page(r.key_action.initiative.number, f"#action-{r.key_action.code}"),
            ("kind", "date", "description", *CHECKED)),
    Tracked(InfringementProcedure, ("member_state",), "member_state", None,
            lambda r: _("Infringement procedure against %(ms)s, %(number)s") % {
                "ms": r.member_state.display_name, "number": r.infr_number or _("INFR number unknown")},
            lambda r: _ms_page(r.member_state.code, f"?procedure={r.id}#procedure-{r.id}"),
            ("infr_number", "type", "note", *CHECKED)),
    Tracked(Decision, ("procedure__member_state",), "procedure__member_state", None,
            lambda r: _("Infringement decision on %(ms)s: %(stage)s, %(when)s") % {
                "ms": r.procedure.member_state.display_name, "stage": _label(r, "stage"),
                "when": PartialDate.of(r) or _("date unknown")},
            lambda r: _ms_page(r.procedure.member_state.code,
                                f"?procedure={r.procedure_id}#procedure-{r.procedure_id}"),
            ("stage", "date", "reply_months", "note", *CHECKED)),
    Tracked(TranspositionReport, ("member_state", "article"), "member_state", None,
            lambda r: _("Transposition report of %(ms)s on article %(n)s: %(status)s") % {
                "ms": r.member_state.display_name, "n": r.article.number, "status": _label(r, "status")},
            lambda r: _ms_page(r.member_state.code),
            ("status", "comment", "date", *CHECKED)),
    Tracked(Assessment, ("member_state", "article"), "member_state", None,
            lambda r: _("Commission assessment of %(ms)s on article %(n)s: %(status)s") % {
                "ms": r.member_state.display_name, "n": r.article.number, "status": _label(r, "status")},
            lambda r: _ms_page(r.member_state.code),
            ("status", "comment", "date", *CHECKED)),
    Tracked(LegislativeStage, ("file",), None, None,
            lambda r: _("Legislative file %(ref)s: %(stage)s, %(when)s") % {
                "ref": r.file.reference, "stage": _label(r, "stage"),
                "when": PartialDate.from_parts(r.date, r.date_precision)},
            lambda r: _page("legislation_detail", [slug_of(r.file.reference)], "/legislation/"),
            ("stage", "date", "detail", *CHECKED)),
]


def public_fields(tracked: Tracked) -> set[str]:
    return set(tracked.public)


@dataclass
class Entry:
    title: str
    link: str
    when: datetime
    summary: str
    guid: str


def _label(record, name: str) -> str:
    """What get_<name>_display() gives, from the choices read once."""
    return str(choice_label(record, name))


def _readable(field: models.Field, record) -> str:
    value = getattr(record, field.attname, None)
    if value in (None, ""):
        return _("unknown")
    if field.choices:
        return str(choice_labels(type(record), field.name).get(value, value))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return PartialDate.of(record, field.name).display()
        except ValueError:
            return str(value)
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _stored(field: models.Field, record) -> tuple:
    """What a field's reading depends on: its stored value and, for a date, its precision and last day."""
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return tuple(getattr(record, name, None) for name in (
            field.attname, f"{field.name}_precision", f"{field.name}_latest"))
    return (getattr(record, field.attname, None),)


def _unchanged(field: models.Field, record, previous) -> bool:
    """The field reads the same in both rows. Equal stored values read the same, and are compared first (the
    readable form costs a translation or a date format each); a date reads with its precision, so it is compared
    as read unless its value, precision and last day are all equal."""
    if _stored(field, record) == _stored(field, previous):
        return True
    return _readable(field, previous) == _readable(field, record)


def _changes(tracked: Tracked, record, previous) -> list | None:
    """The public fields that read differently in the row before, in the order of `tracked.public`; None for an
    addition (or a row with nothing before it)."""
    if previous is None or record.history_type == "+":
        return None
    fields = (tracked.model._meta.get_field(name) for name in tracked.public)
    return [field for field in fields if not _unchanged(field, record, previous)]


def _what_changed(tracked: Tracked, record, previous, changes: list | None = None) -> str:
    """One line per changed public field: "notification status: partially notified → completely notified".

    The change reason is not told: it is a free-text note for staff (it names files and user names)."""
    if changes is None:
        changes = _changes(tracked, record, previous)
    if changes is None:
        lines = [_("Added.")]
    else:
        lines = [_("%(field)s: %(old)s → %(new)s") % {  # a precision is told with its date
            "field": field.verbose_name, "old": _readable(field, previous), "new": _readable(field, record)}
            for field in changes]
        if not lines:
            lines = [_("Its sources or related records changed.")]
    return "<br>".join(escape(strip_control_characters(line)) for line in lines)


@functools.cache
def _history(model: type[models.Model]) -> type[models.Model]:
    """The history model of a tracked model (django-simple-history builds a manager class on every `.history`)."""
    return model.history.model


def _in_scope(tracked: Tracked, member_state: MemberState | None, initiative: Initiative | None):
    """The history rows of a tracked model that a feed tells about: in scope, of records published now, not
    deletions; None when the model has no place in the feed's scope."""
    history = _history(tracked.model).objects
    if member_state is not None:
        if tracked.by_member_state is None:
            return None
        history = history.filter(**{tracked.by_member_state: member_state})
    if initiative is not None:
        if tracked.by_initiative is None:
            return None
        history = history.filter(**{tracked.by_initiative: initiative.pk})
    published = tracked.model.objects.all()
    if hasattr(published, "published"):
        published = published.published()
    return history.exclude(history_type="-").filter(id__in=published.values("pk"))


NEWEST_FIRST = ("-history_date", "-history_id")
NO_ROW = 0  # a history id no row has (they count from 1): a model with no row told still costs its one query


def _row_before(model: type[models.Model]):
    """The history id of the row a record had just before the outer history row (None for its first row)."""
    return _history(model).objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))).order_by(
        *NEWEST_FIRST).values("history_id")[:1]


def _newest(scoped: list) -> list[tuple]:
    """The LIMIT newest rows over every model in scope, newest first, as (history_date, history_id, index of the
    model in `scoped`, history id of the record's row before it or None): one query of four columns, whatever the
    models and however many rows they hold (each model's newest LIMIT rows, then the newest LIMIT of those). No
    row is built.

    On PostgreSQL each model's part is ordered and limited in the compound query itself, and is read through the
    history's indexes (its scope's, then each row's own for the row before it): the work grows with the rows told,
    not with the history. SQLite allows no ORDER BY or LIMIT in a compound query's parts: there each part picks
    its rows by id from a subquery that does, which SQLite reads by the primary key too."""
    in_parts = connection.features.supports_slicing_ordering_in_compound
    branches = []
    for index, (tracked, history) in enumerate(scoped):
        rows = history if in_parts else _history(tracked.model).objects.filter(
            history_id__in=history.order_by(*NEWEST_FIRST).values("history_id")[:LIMIT])
        rows = rows.annotate(model=Value(index), before=Subquery(_row_before(tracked.model))).values_list(
            "history_date", "history_id", "model", "before")
        branches.append(rows.order_by(*NEWEST_FIRST)[:LIMIT] if in_parts else rows.order_by())
    if not branches:
        return []
    if len(branches) == 1:
        return list(branches[0]) if in_parts else list(branches[0].order_by(*NEWEST_FIRST)[:LIMIT])
    combined = branches[0].union(*branches[1:], all=True)
    return list(combined.order_by(*NEWEST_FIRST, "model")[:LIMIT])


def entries(*, member_state: MemberState | None = None, initiative: Initiative | None = None,
            host: str = "localhost") -> list[Entry]:
    """The newest published changes in scope, newest first, at most LIMIT.

    The queries do not depend on the data: one for the LIMIT newest changes over every model in scope and the row
    before each (four columns a row), then one per model in scope for those rows and the rows before them, by
    id. Only the rows told and the rows before them are built: the work grows with the entries (at most LIMIT),
    not with the history."""
    scoped = [(tracked, history) for tracked in TRACKED
              if (history := _in_scope(tracked, member_state, initiative)) is not None]
    newest = _newest(scoped)
    told: dict[int, dict] = {}  # per model: each history id told -> the history id of the row before it
    for _when, history_id, index, before in newest:
        told.setdefault(index, {})[history_id] = before
    candidates, previous = [], {}
    for index, (tracked, _history_rows) in enumerate(scoped):
        befores = told.get(index, {})
        # one query per model in scope whatever the data (NO_ROW when none of it is told), by primary key
        ids = {*befores, *(before for before in befores.values() if before is not None)} or {NO_ROW}
        rows = {row.history_id: row for row in _history(tracked.model).objects.filter(
            history_id__in=sorted(ids)).select_related(*tracked.related).order_by()}
        for history_id, before in befores.items():
            if history_id in rows:
                previous[(tracked.model, history_id)] = rows.get(before)
                candidates.append((tracked, rows[history_id]))
    candidates.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    candidates = candidates[:LIMIT]
    # each row's changed public fields, compared once (None for an addition)
    changes = {(tracked.model, row.history_id): _changes(tracked, row, previous.get((tracked.model, row.history_id)))
               for tracked, row in candidates}
    kept = _one_entry_per_change(candidates, changes)
    result = []
    for tracked, row in candidates:
        model = tracked.model
        before = previous.get((model, row.history_id))
        if row.history_id not in kept.get(model, ()):
            continue
        # Translators: a feed entry's title; %(what)s names the record ("Initiative 2: ...").
        title = (_("Added: %(what)s") if row.history_type == "+" else _("Changed: %(what)s")) % {
            "what": tracked.title(row)}
        result.append(Entry(
            title=strip_control_characters(title),
            link=tracked.link(row),
            when=row.history_date,
            summary=_what_changed(tracked, row, before, changes[(model, row.history_id)]),
            guid=f"tag:{host},2020:{model._meta.model_name}/{row.id}/history/{row.history_id}",
        ))
    return result


SAME_CHANGE = timedelta(minutes=1)


def _one_entry_per_change(candidates, changes) -> dict:
    """The history ids to tell, per model. Of the rows one record got within a minute, those that only linked
    sources or related records are left out when a creation or a change of a public field is told with them
    (the creation, then its sources linked, is one change); a burst of such rows alone is told once."""
    by_record: dict = {}
    for tracked, row in candidates:  # newest first
        by_record.setdefault((tracked.model, row.id), []).append((tracked, row))
    kept: dict = {}
    for (model, _id), rows in by_record.items():
        bursts: list[list] = []
        for pair in rows:
            if bursts and bursts[-1][-1][1].history_date - pair[1].history_date < SAME_CHANGE:
                bursts[-1].append(pair)
            else:
                bursts.append([pair])
        for burst in bursts:
            told = [p for p in burst if changes[(model, p[1].history_id)] != []]  # not only related records
            kept.setdefault(model, set()).update(p[1].history_id for p in (told or burst[:1]))
    return kept


@dataclass(frozen=True)
class Scope:
    host: str
    member_state: MemberState | None = None
    initiative: Initiative | None = None


def _host(request) -> str:
    return request.get_host().split(":")[0] or "localhost"


class ChangesFeed(Feed):
    """Every published change."""

    feed_type = Atom1Feed
    author_name = gettext_lazy("EU CSA Strategy Tracker")
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):  # a feed only reads
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return Scope(_host(request))

    def title(self, obj):
        return _("EU CSA Strategy Tracker: changes")

    def subtitle(self, obj):
        return _("Published changes to the tracker of COM(2020) 607: key actions, transposition and infringement "
                 "procedures.")

    def link(self, obj):
        return "/"

    def items(self, obj):
        return entries(member_state=obj.member_state, initiative=obj.initiative, host=obj.host)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.link

    def item_pubdate(self, item):
        return item.when

    def item_updateddate(self, item):
        return item.when

    def item_guid(self, item):
        return item.guid


class MemberStateFeed(ChangesFeed):
    def get_object(self, request, code):
        code = code.upper()
        member_state = MemberState.objects.filter(code="EL" if code == "GR" else code).first()
        if member_state is None:
            raise Http404(_("No such Member State."))
        return Scope(_host(request), member_state=member_state)

    def title(self, obj):
        return _("EU CSA Strategy Tracker: changes for %(ms)s") % {"ms": obj.member_state.display_name}

    def subtitle(self, obj):
        return _("Published changes to the transposition and infringement records of %(ms)s.") % {
            "ms": obj.member_state.display_name}

    def link(self, obj):
        return _ms_page(obj.member_state.code)


class InitiativeFeed(ChangesFeed):
    def get_object(self, request, number):
        initiative = Initiative.objects.published().filter(number=number).order_by("strategy__adopted_on").first()
        if initiative is None:
            raise Http404(_("No such initiative."))
        return Scope(_host(request), initiative=initiative)

    def title(self, obj):
        return _("EU CSA Strategy Tracker: changes to initiative %(n)s") % {"n": obj.initiative.number}

    def subtitle(self, obj):
        return strip_control_characters(_("Published changes to initiative %(n)s, %(title)s, and its key actions.") % {
            "n": obj.initiative.number, "title": obj.initiative.title})

    def link(self, obj):
        return _initiative_page(obj.initiative.number)
