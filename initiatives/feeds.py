"""Atom feeds of published changes: the whole tracker, one Member State, one initiative.

Entries come from the history that django-simple-history keeps of every tracked model. Each entry names the
record, says what changed (field by field, with dates to their precision and choice labels) and links to the
public page that shows it. Only public fields are compared (those the public pages and the API show): no
change reason, user name or internal key reaches a feed. Control characters stored by an older version are
left out (initiatives/text.py), since XML cannot hold them. Only records that are published now are told about
(`.published()`); deletions are left out, since what was deleted can no longer be checked for publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.syndication.views import Feed
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
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
                "ms": r.procedure.member_state.display_name, "stage": r.get_stage_display(),
                "when": PartialDate.of(r) or _("date unknown")},
            lambda r: _ms_page(r.procedure.member_state.code,
                                f"?procedure={r.procedure_id}#procedure-{r.procedure_id}"),
            ("stage", "date", "reply_months", "note", *CHECKED)),
    Tracked(TranspositionReport, ("member_state", "article"), "member_state", None,
            lambda r: _("Transposition report of %(ms)s on article %(n)s: %(status)s") % {
                "ms": r.member_state.display_name, "n": r.article.number, "status": r.get_status_display()},
            lambda r: _ms_page(r.member_state.code),
            ("status", "comment", "date", *CHECKED)),
    Tracked(Assessment, ("member_state", "article"), "member_state", None,
            lambda r: _("Commission assessment of %(ms)s on article %(n)s: %(status)s") % {
                "ms": r.member_state.display_name, "n": r.article.number, "status": r.get_status_display()},
            lambda r: _ms_page(r.member_state.code),
            ("status", "comment", "date", *CHECKED)),
    Tracked(LegislativeStage, ("file",), None, None,
            lambda r: _("Legislative file %(ref)s: %(stage)s, %(when)s") % {
                "ref": r.file.reference, "stage": r.get_stage_display(),
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


def _readable(field: models.Field, record) -> str:
    value = getattr(record, field.attname, None)
    if value in (None, ""):
        return _("unknown")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return PartialDate.of(record, field.name).display()
        except ValueError:
            return str(value)
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _unchanged(field: models.Field, record, previous) -> bool:
    """The field reads the same in both rows. Equal stored values read the same, and are compared first (the
    readable form costs a translation or a date format each); a date reads with its precision, so dates are
    always compared as read."""
    if not isinstance(field, models.DateField) and getattr(record, field.attname, None) == getattr(
            previous, field.attname, None):
        return True
    return _readable(field, previous) == _readable(field, record)


def _what_changed(tracked: Tracked, record, previous) -> str:
    """One line per changed public field: "notification status: partially notified → completely notified".

    The change reason is not told: it is a free-text note for staff (it names files and user names)."""
    if previous is None or record.history_type == "+":
        lines = [_("Added.")]
    else:
        lines = []
        for name in tracked.public:  # a precision is told with its date
            field = tracked.model._meta.get_field(name)
            if not _unchanged(field, record, previous):
                lines.append(_("%(field)s: %(old)s → %(new)s") % {
                    "field": field.verbose_name, "old": _readable(field, previous), "new": _readable(field, record)})
        if not lines:
            lines = [_("Its sources or related records changed.")]
    return "<br>".join(escape(strip_control_characters(line)) for line in lines)


def entries(*, member_state: MemberState | None = None, initiative: Initiative | None = None,
            host: str = "localhost") -> list[Entry]:
    """The newest published changes in scope, newest first, at most LIMIT."""
    candidates, previous = [], {}
    for tracked in TRACKED:
        history = tracked.model.history.model.objects
        if member_state is not None:
            if tracked.by_member_state is None:
                continue
            history = history.filter(**{tracked.by_member_state: member_state})
        if initiative is not None:
            if tracked.by_initiative is None:
                continue
            history = history.filter(**{tracked.by_initiative: initiative.pk})
        published = tracked.model.objects.all()
        if hasattr(published, "published"):
            published = published.published()
        newest = history.exclude(history_type="-").filter(id__in=published.values("pk")).order_by(
            "-history_date", "-history_id")[:LIMIT]
        # the newest rows and, in the same query, the row before each (one query per model whatever changed)
        everything = tracked.model.history.model.objects
        before = everything.filter(id=OuterRef("id")).filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))).order_by(
            "-history_date", "-history_id").values("history_id")[:1]
        wanted = everything.filter(Q(history_id__in=newest.values("history_id")) | Q(
            history_id__in=newest.annotate(before=Subquery(before)).values("before"))).annotate(
            before=Subquery(before), newest=ExpressionWrapper(Q(history_id__in=newest.values("history_id")),
                                                              output_field=BooleanField()))
        rows = {row.history_id: row for row in wanted.select_related(*tracked.related)}
        for row in rows.values():
            if row.newest:
                previous[(tracked.model, row.history_id)] = rows.get(row.before)
                candidates.append((tracked, row))
    candidates.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    candidates = candidates[:LIMIT]
    kept = _one_entry_per_change(candidates, previous)
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
            summary=_what_changed(tracked, row, before),
            guid=f"tag:{host},2020:{model._meta.model_name}/{row.id}/history/{row.history_id}",
        ))
    return result


SAME_CHANGE = timedelta(minutes=1)


def _one_entry_per_change(candidates, previous) -> dict:
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
            told = [p for p in burst if not _only_related(p[0], p[1], previous.get((model, p[1].history_id)))]
            kept.setdefault(model, set()).update(p[1].history_id for p in (told or burst[:1]))
    return kept


def _only_related(tracked: Tracked, record, previous) -> bool:
    """A history row that changed none of the record's public fields (its sources were linked, say)."""
    if previous is None or record.history_type == "+":
        return False
    return all(_unchanged(tracked.model._meta.get_field(name), record, previous) for name in tracked.public)


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
