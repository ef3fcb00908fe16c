"""Public, read-only pages. Published data only (every queryset goes through `.published()`); no login.

Each page makes a fixed number of queries whatever the amount of data (tests/test_public_pages.py pins
them). Figures are built by charts.py from frames of aggregates.py and drawn by js/charts.js; every
chart also has its numbers in a table, so the pages work without JavaScript.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, npgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from initiatives import aggregates, caching, charts, compiled, exports, state
from initiatives.choices import (
    ASSESSMENT_LOOK,
    CONFIDENCE_DEFINITIONS,
    EXTRA_LOOK,
    KEY_ACTION_STATUS_LOOK,
    NOTIFICATION_LOOK,
    PROCEDURE_STATE_LOOK,
    PROCEDURE_TYPE_DEFINITIONS,
    STAGE_LOOK,
    KeyActionStatus,
    ProcedureState,
    Stage,
)
from initiatives.dates import PartialDate
from initiatives.filters import KEY_ACTION, ArticleFilter, KeyActionFilter, MeasureForm, ProcedureFilter
from initiatives.member_state_names import member_state_name
from initiatives.models import (
    ArticleFinding,
    Assessment,
    Decision,
    InfringementProcedure,
    Initiative,
    KeyAction,
    KeyActionEvent,
    LegalAct,
    MemberState,
    NationalMeasure,
    RegisterCopy,
    Source,
    Strategy,
    TranspositionReport,
    decisions_of_published_procedures,
)
from initiatives.models.transposition import directive_articles, obliges_member_states, obliging_articles
from initiatives.tables import KeyActionTable, MemberStateTable, ProcedureTable, duration, slippage_text
from initiatives.templatetags.tracker import VOCABULARIES, choice_label
from initiatives.views.as_of import AsOfMixin
from initiatives.views.factsheet import average_time_since, decision_stages, factsheet
from initiatives.views.findings import findings_on
from initiatives.views.legislation import attach_outcomes, commitments_and_outcomes, successor_states
from initiatives.views.mixins import BoundedPaginator

GEOJSON = "initiatives/vendor/geo/eu27_50m.geojson"
TOPOJSON_FOLDER = "initiatives/vendor/geo/"
EXTRA_LABELS = {
    aggregates.NOT_BOUND: _("not bound (Denmark)"),
    aggregates.NO_PROCEDURE: _("no procedure recorded"),
    aggregates.NO_RECORD: _("unknown (no published record)"),
}
STAGE_MEASURE, ASSESSMENT_MEASURE, NOTIFICATION_MEASURE = "stage", "assessment", "notification"


@dataclass
class Chart:
    """What the chart include needs: an id, a heading, a one-sentence summary, the figure's data."""

    id: str
    heading: str
    summary: str
    figure: dict
    topojson_url: str = ""

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    @property
    def bundle(self) -> str:
        """The static path of the plotly.js bundle that draws this figure (js/charts.js loads it)."""
        return charts.bundle_for(self.figure)

    @property
    def heights(self) -> tuple[int, int] | None:
        """The figure's height in pixels, and on a phone (its `meta.narrow` layout, which js/charts.js applies
        below 640 px): the page holds that room from its first paint, so the text below does not move when the
        chart is drawn. None for a figure without a height."""
        layout = self.figure.get("layout") or {}
        height = layout.get("height")
        if not height:
            return None
        narrow = ((layout.get("meta") or {}).get("narrow") or {}).get("height") or height
        return int(height), int(narrow)


def extra_labels() -> dict[str, str]:
    return {key: str(value) for key, value in EXTRA_LABELS.items()}


# --- Overview -------------------------------------------------------------------------------------------------


HISTORY_TYPES = {"+": _("added"), "~": _("changed"), "-": _("removed")}


SAME_CHANGE = timedelta(minutes=1)
REGISTER_REASON = re.compile(r"register copy of (\d{4}-\d{2}-\d{2})")


def batch_label(reason: str) -> str:
    """What a reader is told of a batch of changes made together (one import, one load), from its history
    reason; the reason itself (file names, user names) is never shown."""
    from initiatives.importers.common import LOADER_REASON

    if reason == LOADER_REASON:
        return gettext("The tracker's shipped data was loaded")
    found = REGISTER_REASON.search(reason)
    if found:
        return gettext("The copy of the Commission's register of %(day)s was read") % {
            "day": PartialDate(date.fromisoformat(found[1])).display()}
    return gettext("A file was imported")


CHANGE_MODELS = (KeyAction, KeyActionEvent, Decision, Initiative)  # all their rows are public


def last_recorded_change():
    """When the newest of the published changes was recorded: one query per model of `latest_changes`."""
    days = [model.history.aggregate(newest=Max("history_date"))["newest"] for model in CHANGE_MODELS]
    return max((day for day in days if day is not None), default=None)


def latest_changes(limit: int = 8):
    """The latest published changes, from django-simple-history, newest first: one query per model (its latest
    rows, with what each line needs joined in) and one for the batches of them all (how many records each
    touched), each compiled once per process (initiatives/compiled.py).

    A batch (the rows of one import or load: one history reason shared by several records) is one entry that
    counts what it did ("The copy of the Commission's register of 24 April 2024 was read: 4 infringement
    decisions added"); any other change is one entry per record, saying what was recorded and, for a dated
    fact, when it happened. Only models whose rows are all public are read; transposition reports and
    assessments (which have drafts) are left out."""

    def when(row):
        return PartialDate.of(row) or gettext("date unknown")

    def initiative_url(number, anchor=""):
        return reverse("initiatives:initiative_detail", args=[number]) + anchor if number else None

    sources = [
        (KeyAction, ("short_title", "code", "initiative__number"), (_("key action"), _("key actions")),
         lambda r: (r["short_title"], initiative_url(r["initiative__number"], f"#action-{r['code']}"))),
        (KeyActionEvent, ("description", "date", "date_precision", "key_action__initiative__number"),
         (_("event"), _("events")),
         lambda r: (gettext("%(what)s, on %(when)s") % {"what": r["description"], "when": when(r)},
                    initiative_url(r["key_action__initiative__number"]))),
        (Decision, ("stage", "date", "date_precision", "date_latest", "procedure__member_state__code",
                    "procedure__member_state__name"),
         (_("infringement decision"), _("infringement decisions")),
         lambda r: (gettext("%(ms)s: %(stage)s of %(when)s") % {
             "ms": member_state_name(r["procedure__member_state__name"] or ""),
             "stage": Stage(r["stage"]).label, "when": when(r)},
                    reverse("initiatives:member_state_detail", args=[r["procedure__member_state__code"]])
                    if r["procedure__member_state__code"] else None)),
        (Initiative, ("number", "title"), (_("initiative"), _("initiatives")),
         lambda r: (f"{r['number']}. {r['title']}", initiative_url(r["number"]))),
    ]
    changes, batches = [], {}
    for reason, source, records, newest, added in compiled.rows(_batch_rows, tuple(s[0] for s in sources)):
        noun, plural = sources[source][2]
        batch = batches.setdefault(reason, {
            "when": newest, "kind": "batch", "parts": [], "url": None, "action": gettext("recorded"),
            "text": batch_label(reason)})
        batch["when"] = max(batch["when"], newest)
        changed = records - added
        if added:
            batch["parts"].append(gettext("%(n)s %(what)s added") % {
                "n": added, "what": noun if added == 1 else plural})
        if changed:
            batch["parts"].append(gettext("%(n)s %(what)s changed") % {
                "n": changed, "what": noun if changed == 1 else plural})
    for model, fields, (noun, _plural), describe in sources:
        newest = {}  # one line per record: a creation and the sources linked right after it are one change
        names = (*HISTORY_FIELDS, *fields)
        for values in compiled.rows(_history_rows, model, fields, limit * 3):
            row = dict(zip(names, values, strict=True))
            if row["history_change_reason"] in batches:
                continue
            if row["id"] in newest:
                change = newest[row["id"]]
                if row["history_type"] == "+" and change["when"] - row["history_date"] < SAME_CHANGE:
                    change["action"] = HISTORY_TYPES["+"]
                continue
            text, url = describe(row)
            newest[row["id"]] = {"when": row["history_date"], "kind": noun, "text": text, "url": url,
                                 "action": HISTORY_TYPES.get(row["history_type"], row["history_type"])}
        changes.extend(list(newest.values())[:limit])
    for batch in batches.values():
        batch["text"] = f"{batch['text']}: {', '.join(batch['parts'])}"
        changes.append(batch)
    changes.sort(key=lambda change: change["when"], reverse=True)
    return changes[:limit]


HISTORY_FIELDS = ("history_date", "history_id", "history_type", "history_change_reason", "id")


def _history_rows(model, fields, count):
    """`latest_changes`' newest `count` history rows of `model`, with `fields` of each."""
    return model.history.values_list(*HISTORY_FIELDS, *fields).order_by("-history_date", "-history_id")[:count]


def _batch_rows(models):
    """`latest_changes`' batches: for each history reason shared by several records of one of `models` (a
    creation and its sources linked right after count once), its reason, the model's index in `models`, how many
    records it touched, its newest row's time and how many records it added. One query for all the models."""
    counts = [model.history.model.objects.exclude(history_change_reason__isnull=True).exclude(
        history_change_reason="").values("history_change_reason").annotate(
        source=Value(index), records=Count("id", distinct=True), newest=Max("history_date"),
        added=Count("id", distinct=True, filter=Q(history_type="+"))).filter(records__gt=1).values_list(
        "history_change_reason", "source", "records", "newest", "added").order_by()
        for index, model in enumerate(models)]
    return counts[0].union(*counts[1:], all=True)


def frames_on(day):
    """Key actions as they stood on `day` (None: now), and the events, procedures and letters of formal notice
    counted in SQL (by key action, year; Member State, state; Member State, stage, year): the state engine
    (initiatives/state.py) decides each."""
    return (aggregates.key_action_frame(day=day), aggregates.event_group_frame(day=day),
            aggregates.procedure_count_frame(day), aggregates.decision_count_frame(day, aggregates.LETTER_STAGES))


class OverviewView(AsOfMixin, TemplateView):
    template_name = "initiatives/public/overview.html"

    content_template = "initiatives/public/overview_content.html"

    def get_context_data(self, **kwargs):
        """The page around the content is rendered for every request (the visitor's menu, messages, language);
        the content, the same for every visitor of a language and a day, is rendered once per generation of the
        data (caching.computed: any write makes it stale at once)."""
        context = super().get_context_data(**kwargs)
        day, now = self.as_of.day, self.as_of.reference_day

        def content():
            return render_to_string(self.content_template, {**context, **self.figures(day, now)})

        context["content"] = caching.computed("overview-html", content, day=day, reference_day=now)
        return context

    def figures(self, day, now):
        """Everything the overview shows of the data on `day`: the same for every visitor."""
        strategy = Strategy.objects.first()
        actions, events, procedure_counts, decisions = frames_on(day)
        procedures = aggregates.procedure_figures(procedure_counts)
        member_states = aggregates.member_state_frame()
        letters = aggregates.letters_by_year(decisions)
        by_initiative = aggregates.status_by_initiative(actions)
        changes = [] if day else latest_changes()  # what changed in the tracker lately says nothing of the past
        headline = aggregates.headline_counts(actions)
        headline_tiles = [(status, n, headline_label(status, n)) for status, n in headline["tiles"]]
        status_columns = [c for c in by_initiative.columns if c in VOCABULARIES["key_action"][0].values]
        open_codes = set(procedures["open_member_states"])
        names = dict(zip(member_states["code"], member_states["name"], strict=True))
        progress = Chart(
            "chart-progress", gettext("Progress by initiative"),
            gettext("Each bar is one initiative; its segments count the key actions in each status."),
            charts.figure_data(charts.status_by_initiative_bar(
                by_initiative, initiative_label=gettext("Initiative %(number)s"))))
        compact, compact_rows = None, []
        if strategy is not None:
            rows = aggregates.timeline_rows(aggregates.key_actions_only(actions), now)
            compact_rows = [{**row, "deadline_when": PartialDate.from_parts(row["deadline"], row["deadline_precision"]),
                             "delivered_when": PartialDate.from_parts(row["date"], row["date_precision"]),
                             "slippage": slippage_text(row["slippage_days"])}
                            for row in aggregates.records(rows)]
            compact = Chart(
                "chart-timeline", gettext("Key actions over time"),
                gettext("Diamonds mark the end of each deadline's period, circles the delivery, bars the delay; the "
                   "shaded band is the strategy period and the dashed line today."),
                charts.figure_data(timeline_chart(rows, events, strategy, now, past=bool(day))))
        return dict(
            strategy=strategy, headline=headline, headline_tiles=headline_tiles, progress=progress,
            compact_timeline=compact,
            compact_rows=compact_rows,
            status_columns=status_columns,
            by_initiative=[{"initiative": row["initiative"], "title": row["initiative_title"],
                            "counts": [row[c] for c in status_columns], "total": row["total"]}
                           for row in aggregates.records(by_initiative)],
            bound=int(member_states["bound"].sum()), member_state_count=len(member_states),
            not_bound=[name for name, bound in zip(member_states["name"], member_states["bound"], strict=True)
                       if not bound],
            open_procedures=procedures["open"], open_member_states=[(code, name) for code, name in names.items()
                                                                    if code in open_codes],  # protocol order
            procedure_count=procedures["total"], letters=aggregates.records(letters),
            procedure_basis=state.basis(day).describe(),
            unknown_procedures=procedures["unknown"],
            verified={"key_actions": aggregates.verification(aggregates.key_actions_only(actions)),
                      "procedures": procedures["verification"]},
            changes=changes, last_updated=changes[0]["when"] if changes else None, today=now,
            commitments=commitments_and_outcomes(day))


def headline_label(status: str, n: int) -> str:
    """What a tile of the overview says after its figure: "key actions delivered on time", "not started"."""
    if status == KeyActionStatus.DELIVERED:
        return ngettext("key action delivered on time", "key actions delivered on time", n)
    if status == KeyActionStatus.UNKNOWN:
        return ngettext("of unknown status", "of unknown status", n)
    if status == aggregates.DELIVERED_NO_DEADLINE:
        return ngettext("delivered, with no dated deadline to say whether on time",
                        "delivered, with no dated deadline to say whether on time", n)
    # A tile's figure agrees with its words in French and German ("4 réalisées en retard").
    counted = {
        KeyActionStatus.DELIVERED_LATE: lambda: npgettext("key actions", "delivered late", "delivered late", n),
        KeyActionStatus.IN_PROGRESS: lambda: npgettext("key actions", "in progress", "in progress", n),
        KeyActionStatus.STALLED: lambda: npgettext("key actions", "stalled or lapsed", "stalled or lapsed", n),
        KeyActionStatus.NOT_STARTED: lambda: npgettext("key actions", "not started", "not started", n),
        KeyActionStatus.PARTIALLY_DELIVERED: lambda: npgettext("key actions", "partially delivered",
                                                               "partially delivered", n),
        KeyActionStatus.SUPERSEDED: lambda: npgettext("key actions", "superseded", "superseded", n),
    }
    return counted[status]() if status in counted else str(KeyActionStatus(status).label)


def timeline_chart(rows, events, strategy, now, *, past=False):
    return charts.timeline(
        rows, events, period_start=strategy.adopted_on, period_end=date(strategy.period_end, 12, 31), today=now,
        labels={"deadline": gettext("end of the deadline's period"),
                "events": gettext("dated event"), "no_date": gettext("no delivery date"),
                "event_groups": gettext("several dated events in a year"),
                "today": PartialDate(now).display() if past else gettext("today"),
                "period": gettext("strategy period %(start)s-%(end)s") % {"start": strategy.period_start,
                                                                     "end": strategy.period_end}})


# --- Initiatives ------------------------------------------------------------------------------------------------


def sources_list():
    """Prefetch sources into a plain list (`source_list`): with `to_attr`, Django does not build a queryset
    per object for the prefetched rows, which is most of a page's time otherwise."""
    return Prefetch("sources", queryset=Source.objects.order_by("citation"), to_attr="source_list")


def initiatives_with_actions(*, details=True, day=None):
    """Initiatives with their key actions (`action_list`) as they stood on `day` (the state engine's `status_on`,
    `delivery_on`, `progress_on`), each with the number of its events (`event_count`) and, with `details`, its
    sources. Only events that had happened by `day` count; `attach_latest_events` gives an initiative's actions
    their latest events."""
    published = state.dated(KeyActionEvent.objects.published(), day)
    # counted in a subquery per key action: a join to the events, grouped, would make the database work out the
    # state engine's annotations once per event instead of once per key action
    actions = state.key_actions(day).annotate(event_count=Coalesce(Subquery(
        published.filter(key_action=OuterRef("pk")).order_by().values("key_action").annotate(n=Count("id"))
        .values("n")), 0))
    if details:
        actions = actions.prefetch_related(sources_list())
    return Initiative.objects.published().select_related("strategy").prefetch_related(
        Prefetch("key_actions", queryset=actions, to_attr="action_list"))


def events_with_sources(events) -> list:
    """The events of `events` (a queryset, sliced or ranked as need be), each with its sources (`source_list`):
    always two queries, even for no events, since the sources are read through the same queryset in SQL
    rather than by a list of ids (a prefetch asks nothing for no rows, and the count would vary)."""
    listed = list(events)
    sources = {}
    for link in KeyActionEvent.sources.through.objects.filter(keyactionevent__in=events.values("pk")).select_related(
            "source").order_by("source__citation"):
        sources.setdefault(link.keyactionevent_id, []).append(link.source)
    for event in listed:
        event.source_list = sources.get(event.pk, [])
    return listed


EVENTS_SHOWN = 10  # the latest events of each key action on its initiative's page; the rest on a page of their own


def attach_latest_events(initiative, day=None, limit=EVENTS_SHOWN):
    """Give each key action of `initiative` its latest `limit` events that had happened by `day` (`event_list`,
    in date order) with their sources: two queries whatever the number of events, even none (a window function
    ranks each action's events in SQL; the sources are read through the same ranking, never from a list of
    ids, so the query runs for no events too)."""
    ranked = state.dated(KeyActionEvent.objects.published(), day).filter(key_action__initiative=initiative).annotate(
        rank=Window(RowNumber(), partition_by=[F("key_action_id")], order_by=[F("date").desc(), F("id").desc()]))
    by_action = {}
    for event in events_with_sources(ranked.filter(rank__lte=limit).order_by("date", "id")):
        by_action.setdefault(event.key_action_id, []).append(event)
    for action in initiative.action_list:
        action.event_list = by_action.get(action.pk, [])
        action.more_events = action.event_count > len(action.event_list)
    return initiative


def with_slippage(initiatives, now):
    for initiative in initiatives:
        for action in initiative.action_list:
            action.slippage = slippage_text(action.slippage_days(now))
    return initiatives


def initiatives_on(initiatives):
    """Show each key action of `initiatives` with the values the state engine gave it for the day."""
    for initiative in initiatives:
        for action in initiative.action_list:
            state.show_key_action_on(action)
    return initiatives


class InitiativeListView(AsOfMixin, TemplateView):
    template_name = "initiatives/public/initiative_list.html"

    def get_context_data(self, **kwargs):
        initiatives = list(initiatives_with_actions(details=False, day=self.as_of.day))
        initiatives = with_slippage(initiatives_on(initiatives), self.as_of.reference_day)
        return super().get_context_data(initiatives=initiatives, strategy=Strategy.objects.first(), **kwargs)


class InitiativeDetailView(AsOfMixin, TemplateView):
    template_name = "initiatives/public/initiative_detail.html"

    def get_context_data(self, number, **kwargs):
        initiative = initiatives_with_actions(day=self.as_of.day).filter(number=number).first()
        if initiative is None:
            raise Http404("No such initiative")
        attach_latest_events(initiative, self.as_of.day)
        with_slippage(initiatives_on([initiative]), self.as_of.reference_day)
        attach_outcomes(initiative.action_list, self.as_of.day)
        return super().get_context_data(initiative=initiative, **kwargs)


class KeyActionEventsView(AsOfMixin, TemplateView):
    """Every event of one key action that had happened by the day, in date order, a page at a time: where the
    initiative's page, which shows the latest few, sends a reader for the rest."""

    template_name = "initiatives/public/key_action_events.html"
    paginate_by = 25

    def get_context_data(self, number, action, **kwargs):
        day = self.as_of.day
        key_action = get_object_or_404(
            state.key_actions(day).select_related("initiative__strategy"), initiative__number=number, code=action)
        state.show_key_action_on(key_action)
        events = state.dated(KeyActionEvent.objects.published(), day).filter(key_action=key_action).order_by(
            "date", "id")
        page = Paginator(events, self.paginate_by).get_page(self.request.GET.get("page"))
        # the page's events and their sources: the same two queries on an empty page too
        start = (page.number - 1) * self.paginate_by
        page.object_list = events_with_sources(events[start:start + self.paginate_by])
        return super().get_context_data(initiative=key_action.initiative, action=key_action, page=page,
                                        page_range=page.paginator.get_elided_page_range(page.number), **kwargs)


# --- Timeline ---------------------------------------------------------------------------------------------------


class TimelineView(AsOfMixin, SingleTableMixin, FilterView):
    template_name = "initiatives/public/timeline.html"
    filterset_class = KeyActionFilter
    table_class = KeyActionTable
    table_pagination = False

    def get_queryset(self):
        """The key actions as they stood on the day (`status_on` ...: the state engine); the status filter
        filters on that status, in SQL."""
        return state.key_actions(self.as_of.day).select_related("initiative__strategy")

    def get_table_data(self):
        return [state.show_key_action_on(action) for action in super().get_table_data()]

    def get_filterset_kwargs(self, filterset_class):
        """The key actions the overview counts, by default; the context commitments one choice away (an empty
        `kind` in the query: both)."""
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "kind" not in self.request.GET:
            data = self.request.GET.copy()
            data["kind"] = KEY_ACTION
            kwargs["data"] = data
        return kwargs

    def get_table_kwargs(self):
        return {"today": self.as_of.reference_day}

    @cached_property
    def events(self):
        """The published events of the chosen key actions that had happened by the day, counted per key action
        and year for the chart."""
        return aggregates.event_group_frame(self.object_list, day=self.as_of.day)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        strategy = Strategy.objects.first()
        day, now = self.as_of.day, self.as_of.reference_day
        chosen = self.object_list
        events = self.events
        actions = aggregates.key_action_frame(chosen, day=day)
        rows = aggregates.timeline_rows(actions, now)
        chart = None
        if strategy is not None and len(rows):
            heading = (gettext("Deadlines and delivery since %(start)s") if day else  # the chart adds "on <day>"
                       gettext("Deadlines and delivery, %(start)s to today")) % {"start": strategy.period_start}
            chart = Chart(
                "chart-timeline", heading,
                gettext("One row per key action: the open diamond is the end of the period its deadline names, the "
                        "filled circle its delivery, the coloured bar the delay; a small cross is a dated event, a "
                        "large cross several dated events of the same year, drawn on the first of them."),
                charts.figure_data(timeline_chart(rows, events, strategy, now, past=bool(day))))
        shows_key_actions_only = self.filterset.data.get("kind") == KEY_ACTION
        with_context = self.request.GET.copy()
        with_context["kind"] = ""
        context.update(strategy=strategy, chart=chart, today=now, key_actions_only=shows_key_actions_only,
                       context_commitments=KeyAction.objects.published().filter(is_context_commitment=True).count(),
                       with_context_url="?" + with_context.urlencode())
        return context


# --- Member States ----------------------------------------------------------------------------------------------


MAP_MEASURES = [(STAGE_MEASURE, _("furthest infringement stage reached")),
                (ASSESSMENT_MEASURE, _("Commission assessment (least favourable article)"))]


class MemberStateListView(AsOfMixin, TemplateView):
    template_name = "initiatives/public/member_state_list.html"

    def get_context_data(self, **kwargs):
        form = MeasureForm(self.request.GET or None, choices=MAP_MEASURES)
        measure = form.chosen
        day = self.as_of.day
        summary = caching.computed("member-state-summary", lambda: member_state_summary(day), day=day,
                                   reference_day=self.as_of.reference_day)
        articles_total = obliging_articles().count()  # what a Member State's page counts its reports against
        rows = aggregates.records(summary)
        for row in rows:
            row["articles_total"] = articles_total
        table = MemberStateTable(rows)
        RequestConfig(self.request, paginate=False).configure(table)
        category = "stage_category" if measure == STAGE_MEASURE else "assessment_category"
        vocabulary = "stage" if measure == STAGE_MEASURE else "assessment"
        figure = charts.member_state_map(summary, category=category, vocabulary=vocabulary,
                                         geojson_url=static(GEOJSON), extra_labels=extra_labels(),
                                         link=reverse("initiatives:member_state_detail", args=["XX"]).replace(
                                             "XX", "{code}"))
        counts = summary[category].value_counts()
        legend = [{"value": value, "look": charts.look(vocabulary, value),
                   "label": charts.label(vocabulary, value, extra_labels()), "count": int(counts[value])}
                  for value in charts._ordered(vocabulary, list(counts.index))]
        measure_label = dict(MAP_MEASURES)[measure]
        chart = Chart("chart-map", gettext("Map of the EU-27: %(measure)s") % {"measure": measure_label},
                      map_summary(summary, measure), charts.figure_data(figure), static(TOPOJSON_FOLDER))
        return super().get_context_data(form=form, measure=measure, table=table, chart=chart, legend=legend,
                                        no_assessments=not int(summary["articles_assessed"].sum()), **kwargs)


def map_summary(summary, measure) -> str:
    bound = summary[summary["bound"]]
    if measure == STAGE_MEASURE:
        with_procedure = int((bound["procedures"] > 0).sum())
        return gettext("%(n)s of the %(bound)s bound Member States have had at least one infringement procedure about "
                  "the Directive; the colour shows the furthest stage any of them reached.") % {
            "n": with_procedure, "bound": len(bound)}
    assessed = int((bound["articles_assessed"] > 0).sum())
    return gettext("%(n)s of the %(bound)s bound Member States have a published Commission assessment of at least one "
              "article; the others are shown as unknown.") % {"n": assessed, "bound": len(bound)}


CODE_RE = re.compile(r"^[A-Za-z]{2}$")


def member_state_detail(request, code):
    if not CODE_RE.match(code):
        raise Http404("No such Member State")
    if code != code.upper():
        return redirect("initiatives:member_state_detail", code=code.upper(), permanent=True)
    return MemberStateDetailView.as_view()(request, code=code)


PROCEDURES_PER_PAGE = 10
# The open procedures first, then those whose state the evidence cannot decide, then the closed ones: `is_closed`
# (the state engine's closed), then `state`, whose other two values sort so. Both are columns the query selects,
# and PostgreSQL and SQLite sort by them as such; a CASE over `state` put the state engine's subqueries into the
# query twice more, for 3-5 ms of building and planning on every page.
OPEN_UNKNOWN_CLOSED = ("is_closed", "state")
assert ProcedureState.OPEN.value < ProcedureState.UNKNOWN.value
DECISIONS_SHOWN = 12  # per procedure: the latest; a procedure rarely has more than eight
MEASURES_SHOWN = 10


class MemberStateDetailView(AsOfMixin, TemplateView):
    """One Member State: the same number of queries whatever it holds (tests/test_public_pages.py).

    What grows is summarised in SQL and shown a page at a time: procedures counted by state, listed
    PROCEDURES_PER_PAGE at a time (open ones first, then by latest decision), `?procedure=<id>` alone (where
    the feeds and the search link); at most DECISIONS_SHOWN decisions a procedure, and MEASURES_SHOWN national
    measures, each list saying how many there are in all and where to read them all. Reports and assessments
    are one per article, a fixed set."""

    template_name = "initiatives/public/member_state_detail.html"

    def get_context_data(self, code, **kwargs):
        day = self.as_of.day
        member_state = get_object_or_404(MemberState.objects.select_related("bound_source"), code=code)
        articles = list(directive_articles())
        reports = {r.article_id: r for r in state.dated(TranspositionReport.objects.published(), day).filter(
            member_state=member_state).prefetch_related(Prefetch("measures", to_attr="measure_list"), sources_list())}
        assessments = {a.article_id: a for a in state.dated(Assessment.objects.published(), day).filter(
            member_state=member_state).prefetch_related(sources_list())}
        rows = [{"article": article, "report": reports.get(article.pk), "assessment": assessments.get(article.pk),
                 "counted": obliges_member_states(article)} for article in articles]
        counted = {row["article"].pk for row in rows if row["counted"]}
        now = self.as_of.reference_day
        listing = self.procedures(day, member_state, now)
        measures = list(NationalMeasure.objects.filter(member_state=member_state).annotate(
            total=Window(Count("id"))).order_by(F("date").desc(nulls_last=True), "reference")[:MEASURES_SHOWN])
        context = super().get_context_data(
            member_state=member_state, rows=rows, measures=measures,
            measure_total=measures[0].total if measures else 0,
            reported=len(counted & set(reports)), assessed=len(counted & set(assessments)), obliging=len(counted),
            findings=findings_on(day, member_state), **listing, **directive_with_deadline(now), **kwargs)
        context["factsheet"] = factsheet(
            listing["procedure_counts"].get(ProcedureState.OPEN, 0), listing["stages"], context["findings"],
            reported=context["reported"], obliging=context["obliging"], reference_day=now)
        # the EU average beside each figure (the same on every Member State's page)
        context["eu"] = caching.computed("eu-averages", lambda: eu_averages(day, now), day=day, reference_day=now)
        context["eu_since_decision"] = average_time_since(context["eu"].get("days_since_decision"), now)
        return context

    def procedures(self, day, member_state, now) -> dict:
        """The Member State's procedures on `day`: counted by state and their decisions by stage (the state
        engine, grouped in SQL), and one page of them (or the one `?procedure=` names) with their latest
        decisions; the chart draws the procedures shown, from the decisions the tables hold."""
        theirs = InfringementProcedure.objects.published().filter(member_state=member_state)
        all_ = state.procedures(day, theirs)
        # Counting and the stages need only each procedure's state: one row a procedure (a few dozen at most), so
        # that the stages' query holds the open ones' ids rather than the state engine again.
        states = dict(compiled.rows(_procedure_states, day, member_state.pk))
        procedure_counts = dict(Counter(states.values()))
        total = sum(procedure_counts.values())
        chosen = self.request.GET.get("procedure", "")
        decisions = state.decisions(day)
        shown = all_.annotate(decision_count=Coalesce(Subquery(
            decisions.filter(procedure=OuterRef("pk")).order_by().values("procedure").annotate(n=Count("id"))
            .values("n")), 0)).select_related("legal_act").prefetch_related(
            sources_list(), Prefetch("articles", to_attr="article_list"),
            Prefetch("decisions", queryset=decisions.prefetch_related(sources_list()).order_by("-position")[
                :DECISIONS_SHOWN], to_attr="decision_list"))
        page = None
        if chosen.isdigit() and len(chosen) < 10:
            procedures = list(shown.filter(pk=int(chosen)))
        else:
            chosen = ""
            page = Paginator(range(total), PROCEDURES_PER_PAGE).get_page(self.request.GET.get("page"))
            procedures = list(shown.order_by(*OPEN_UNKNOWN_CLOSED, F("latest_date_latest").desc(nulls_last=True),
                                             "-id")[page.start_index() - 1:page.end_index()]) if total else []
        for procedure in procedures:
            procedure.decision_list.reverse()  # in the order they were taken
            procedure.state_label = ProcedureState(procedure.state).label
            procedure.state_line = state.describe_state(procedure)
            procedure.time_open = duration(procedure.first_date, state.time_open_end(procedure, now))
            procedure.name = procedure_name(procedure)
            procedure.decisions_api = reverse("initiatives:api-decision-list") + "?" + urlencode(
                {"procedure": procedure.pk, **({"as_of": day.isoformat()} if day else {})})
        return {"procedures": procedures, "procedure_counts": procedure_counts, "procedure_total": total,
                "procedure_summary": procedure_summary(procedure_counts), "procedure_page": page,
                "procedure_chosen": bool(chosen), "procedure_pages": self.page_links(page),
                "register_url": reverse("initiatives:infringement_list") + "?" + urlencode(
                    {"member_state": member_state.code, **({"as_of": day.isoformat()} if day else {})}),
                "stages": decision_stages(
                    day, theirs, [pk for pk, state_ in states.items() if state_ == ProcedureState.OPEN]),
                "chart": procedure_chart(procedures)}

    def page_links(self, page) -> dict:
        """The addresses of the pages of procedures before and after this one (keeping `?as_of=`)."""
        if page is None:
            return {}

        def url(number):
            query = self.request.GET.copy()
            query.pop("procedure", None)
            query["page"] = number
            return "?" + query.urlencode() + "#procedures-heading"

        return {"previous": url(page.previous_page_number()) if page.has_previous() else None,
                "next": url(page.next_page_number()) if page.has_next() else None,
                "first": url(1)}


def _procedure_states(day, member_state_id):
    """The state on `day` of each published procedure against a Member State: (id, state) rows."""
    theirs = InfringementProcedure.objects.published().filter(member_state_id=member_state_id)
    return state.procedures(day, theirs, only_state=True).order_by().values_list("pk", "state")


def procedure_summary(counts: dict) -> str:
    """How many procedures in all, and how many in each state: "12 procedures in all: 2 open, 9 closed, 1
    whose state the evidence cannot decide"."""
    total = sum(counts.values())
    return ngettext(
        "%(total)s procedure in all: %(open)s open, %(closed)s closed, %(unknown)s whose state the evidence "
        "cannot decide.",
        "%(total)s procedures in all: %(open)s open, %(closed)s closed, %(unknown)s whose state the evidence "
        "cannot decide.", total) % {
        "total": total, "open": counts.get(ProcedureState.OPEN, 0), "closed": counts.get(ProcedureState.CLOSED, 0),
        "unknown": counts.get(ProcedureState.UNKNOWN, 0)}


def procedure_chart(procedures) -> Chart | None:
    """The decisions of the procedures shown, one row each: from the decisions their tables hold, no query."""
    frame = aggregates.decision_rows_frame(
        (p.pk, d.position, d.stage, d.date, d.date_precision, d.date_latest)
        for p in procedures for d in p.decision_list)
    if not len(frame):
        return None
    names = {p.pk: procedure_name(p, separator="<br>") for p in procedures}
    return Chart(
        "chart-procedures", gettext("Decisions over time"),
        gettext("One row per procedure listed on this page, one marker per dated decision, coloured and numbered "
                "by stage."),
        charts.figure_data(charts.procedure_timeline(frame, procedure_names=names)))


def member_state_summary(day):
    """One row per Member State as it stood on `day` (aggregates.member_state_summary): 6 queries, each
    grouped in SQL (procedures, assessments, reports and findings counted by Member State; one decision per
    Member State and stage), a few hundred rows at most whatever the volume. Reports and assessments count on
    the articles that oblige Member States only, as on a Member State's own page."""
    return aggregates.member_state_summary(
        aggregates.member_state_frame(), aggregates.procedure_count_frame(day), aggregates.decision_stage_frame(day),
        aggregates.status_count_frame(Assessment, day, obliging=True),
        aggregates.status_count_frame(TranspositionReport, day, obliging=True),
        aggregates.status_count_frame(ArticleFinding, day, by_status=False))


def eu_averages(day, reference_day) -> dict:
    """The EU averages beside a Member State's figures on `day` (aggregates.eu_averages): from the four figures
    they average, counted in SQL by Member State as `member_state_summary` counts them (5 queries, at most a few
    dozen rows each whatever the volume), without the stages, assessments and map colours of the whole summary,
    which cost twice as much."""
    return aggregates.eu_averages(aggregates.member_state_figures(
        aggregates.member_state_frame(), aggregates.procedure_count_frame(day), aggregates.latest_decision_frame(day),
        aggregates.status_count_frame(TranspositionReport, day, by_status=False, obliging=True),
        aggregates.status_count_frame(ArticleFinding, day, by_status=False)), reference_day)


def directive_with_deadline(reference_day) -> dict:
    """Directive 2011/93/EU with its sources (2 queries), and how far its transposition deadline lies from
    `reference_day` (today, or the day a page is shown as of)."""
    directive = LegalAct.objects.prefetch_related(sources_list()).filter(celex=aggregates.DIRECTIVE_CELEX).first()
    deadline = directive.transposition_deadline if directive else None
    if deadline is None:
        return {"directive": directive, "directive_deadline": None}
    passed = deadline < reference_day
    distance = duration(deadline, reference_day) if passed else duration(reference_day, deadline)
    return {"directive": directive, "directive_deadline": {"passed": passed, "distance": distance}}


def procedure_name(procedure, *, separator=" ") -> str:
    number = procedure.infr_number or gettext("INFR number unknown")
    return f"{number}{separator}({choice_label(procedure, 'type')})"


# --- The Directive: Member State x article ----------------------------------------------------------------------


MATRIX_MEASURES = [(ASSESSMENT_MEASURE, _("Commission assessment")),
                   (NOTIFICATION_MEASURE, _("what the Member State reports it notified"))]


class DirectiveMatrixView(AsOfMixin, TemplateView):
    template_name = "initiatives/public/directive_matrix.html"

    def get_context_data(self, **kwargs):
        day = self.as_of.day
        articles = directive_articles()
        filterset = ArticleFilter(self.request.GET or None, queryset=articles)
        form = MeasureForm(self.request.GET or None, choices=MATRIX_MEASURES)
        measure = form.chosen
        chosen = filterset.qs if not filterset.is_bound or filterset.is_valid() else articles.none()
        article_frame = aggregates.article_frame(chosen)
        member_states = aggregates.member_state_frame()
        matrix = aggregates.article_matrix(member_states, article_frame, aggregates.report_frame(day=day),
                                          aggregates.assessment_frame(day=day))
        heading, summary, grid, counts = "", "", [], []
        if len(article_frame):
            # The matrix is a table of coloured cells, each with its symbol and, for screen readers, its meaning.
            heading = gettext("Member State by article: %(measure)s") % {"measure": dict(MATRIX_MEASURES)[measure]}
            summary = matrix_summary(matrix, measure)
            counts = [{"value": row["value"], "look": charts.look(measure, row["value"]),
                       "label": charts.label(measure, row["value"], extra_labels()), "cells": row["cells"]}
                      for row in aggregates.records(aggregates.matrix_counts(matrix, measure))]
            # 27 x 30 cells: each value's <td> is rendered once here and repeated, which is ten times faster
            # than a template loop over 810 cells.
            cells = {}
            rows = {}
            for code, name, value in zip(matrix["member_state"].tolist(), matrix["name"].tolist(),
                                         matrix[measure].tolist(), strict=True):
                if value not in cells:
                    cells[value] = format_html(
                        '<td class="cell cell-{}"><span aria-hidden="true">{}</span>'
                        '<span class="visually-hidden">{}</span></td>',
                        value, charts.look(measure, value).symbol, charts.label(measure, value, extra_labels()))
                rows.setdefault(code, {"code": code, "name": name, "cells": []})["cells"].append(cells[value])
            # every piece is format_html() output, so the joined string is safe too
            grid = [{**row, "cells": mark_safe("".join(row["cells"]))} for row in rows.values()]
        return super().get_context_data(
            filter=filterset, form=form, measure=measure, articles=list(article_frame.itertuples(index=False)),
            matrix_heading=heading, matrix_summary=summary, grid=grid, counts=counts,
            nothing_known=bool(len(matrix)) and matrix[measure].isin([aggregates.NO_RECORD,
                                                                     aggregates.NOT_BOUND]).all(),
            successors=successor_states(aggregates.DIRECTIVE_CELEX, self.as_of.day),
            # the findings on the articles shown: a group chosen above narrows them too
            findings=findings_on(self.as_of.day, articles=chosen if filterset.is_bound else None),
            **directive_with_deadline(self.as_of.reference_day), **kwargs)


def matrix_summary(matrix, measure) -> str:
    bound = matrix[matrix[measure] != aggregates.NOT_BOUND]
    known = int((bound[measure] != aggregates.NO_RECORD).sum())
    return ngettext("%(known)s of %(cells)s cell (bound Member States x articles shown) has a published record; "
                    "the rest are unknown.",
                    "%(known)s of %(cells)s cells (bound Member States x articles shown) have a published record; "
                    "the rest are unknown.", len(bound)) % {"known": known, "cells": len(bound)}


# --- Infringement register --------------------------------------------------------------------------------------


def register_queryset(day=None):
    """Published procedures as they stood on `day` (the state engine: state, first and latest decision,
    closure, last listing in the Commission's register)."""
    return state.procedures(day).select_related("member_state")


EXPORT_HEADERS = ["member_state_code", "member_state", "infr_number", "type", "latest_stage", "latest_date",
                  "state", "opened", "closed_earliest", "closed_latest", "last_listed", "last_verified"]


def register_rows(procedures):
    for p in procedures:
        closed = p.state == ProcedureState.CLOSED
        yield [p.member_state.code, p.member_state.name, p.infr_number, p.type, p.latest_stage,
               PartialDate.from_parts(p.latest_date, p.latest_precision, p.latest_date_latest), p.state,
               PartialDate.from_parts(p.first_date, p.first_precision),
               p.closed_earliest if closed else None, p.closed_latest if closed else None, p.last_listed,
               p.last_verified]


class InfringementListView(AsOfMixin, SingleTableMixin, FilterView):
    template_name = "initiatives/public/infringement_list.html"
    filterset_class = ProcedureFilter
    table_class = ProcedureTable
    table_pagination = {"per_page": 25}
    paginator_class = BoundedPaginator  # ?per_page=-1 and the like

    def get_queryset(self):
        return register_queryset(self.as_of.day)

    def get_table_kwargs(self):
        return {"today": self.as_of.reference_day}

    def render_to_response(self, context, **kwargs):
        fmt = self.request.GET.get("format")
        if fmt is None:
            return super().render_to_response(context, **kwargs)
        if fmt not in exports.FORMATS:
            raise Http404("Unknown export format")
        table = context["table"]
        ordered = table.data.data  # the filtered queryset, in the table's current order
        dataset = exports.build_dataset(EXPORT_HEADERS, register_rows(ordered), title="infringements")
        day = self.as_of.day
        return exports.response(dataset, fmt, f"infringements-as-of-{day.isoformat()}" if day else "infringements")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letters = aggregates.letters_by_year(aggregates.decision_count_frame(self.as_of.day, aggregates.LETTER_STAGES))
        chart = None
        if len(letters):
            chart = Chart(
                "chart-letters", gettext("Letters of formal notice by year"),
                letters_summary(letters),
                charts.figure_data(charts.letters_by_year_bar(
                    letters, labels={"member_states": gettext("Member States reached"), "year": gettext("year")})))
        query = self.request.GET.copy()
        query.pop("page", None)
        exports_links = []
        for fmt in exports.FORMATS:
            query["format"] = fmt
            exports_links.append((fmt.upper(), "?" + query.urlencode()))
        context.update(chart=chart, letters=aggregates.records(letters), export_links=exports_links,
                       today=self.as_of.reference_day, procedure_basis=state.basis(self.as_of.day).describe())
        return context


def letters_summary(letters) -> str:
    top = letters.sort_values(["member_states", "year"], ascending=[False, True]).iloc[0]
    return ngettext("In %(year)s the letters of formal notice reached %(n)s Member State, more than in any other "
                    "year.", "In %(year)s the letters of formal notice reached %(n)s Member States, more than in any "
                    "other year.", int(top["member_states"])) % {"year": top["year"], "n": top["member_states"]}


# --- About --------------------------------------------------------------------------------------------------------


def recorded_now() -> dict:
    """How many procedures and decisions of the published procedures are recorded now, and how many of them have
    no INFR number or no date (what /about/ says is unknown): two counts in SQL, whatever the day shown. On a past
    day the page counted them through the state engine of today as well, for the totals alone."""
    procedures = InfringementProcedure.objects.published().aggregate(
        procedures=Count("id"), unnumbered=Count("id", filter=Q(infr_number__isnull=True)))
    decisions = decisions_of_published_procedures().aggregate(
        decisions=Count("id"), undated=Count("id", filter=Q(date__isnull=True)))
    return {**procedures, **decisions}


class AboutView(AsOfMixin, TemplateView):
    template_name = "initiatives/public/about.html"

    def get_context_data(self, **kwargs):
        def definitions(vocabulary, looks):
            return [{"value": member.value, "label": member.label, "look": look_, "vocabulary": vocabulary}
                    for member, look_ in looks.items()]

        # What is unknown is said of the records as they are now (counted, with no state engine); the figures
        # follow `?as_of=`.
        day = self.as_of.day
        actions = aggregates.key_action_frame()
        now = recorded_now()
        on_day = aggregates.procedure_figures(aggregates.procedure_count_frame(day))
        letters = aggregates.letters_by_year(aggregates.decision_count_frame(day, aggregates.LETTER_STAGES))
        last_updated = last_recorded_change()
        return super().get_context_data(
            key_action_statuses=definitions("key_action", KEY_ACTION_STATUS_LOOK),
            stages=definitions("stage", STAGE_LOOK),
            procedure_states=definitions("procedure_state", PROCEDURE_STATE_LOOK),
            notifications=definitions("notification", NOTIFICATION_LOOK),
            assessments=definitions("assessment", ASSESSMENT_LOOK),
            extras=[{"label": EXTRA_LABELS[key], "look": look_} for key, look_ in EXTRA_LOOK.items()],
            confidences=[{"label": level.label, "definition": text} for level, text in CONFIDENCE_DEFINITIONS.items()],
            procedure_types=[{"label": kind.label, "definition": text}
                             for kind, text in PROCEDURE_TYPE_DEFINITIONS.items()],
            letters=aggregates.records(letters),
            procedure_count=now["procedures"], procedure_count_on=on_day["total"], open_count=on_day["open"],
            closed_count=on_day["closed"], unknown_count=on_day["unknown"],
            register_copies=list(RegisterCopy.objects.order_by("taken_on")),
            procedure_basis=state.basis(day).describe(),
            unknown_numbers=now["unnumbered"], undated_decisions=now["undated"], decision_count=now["decisions"],
            unknown_status=int(actions["status"].eq("unknown").sum()),
            report_count=TranspositionReport.objects.published().count(),
            assessment_count=Assessment.objects.published().count(),
            source_count=Source.objects.count(),
            strategy=Strategy.objects.first(),
            last_updated=last_updated, freshness_months=settings.FRESHNESS_MONTHS,
            **kwargs)


@cache_control(max_age=3600, public=True)
def status_colours_css(request):
    """The badge colours, generated from choices.py so that badges, tables and charts share one map."""
    rules = []
    for vocabulary, (_choices, looks) in VOCABULARIES.items():
        for member, look in looks.items():
            rules.append(f".badge-{vocabulary}-{member.value} {{ --badge-colour: {look.colour}; }}")
    for key, look in EXTRA_LOOK.items():
        rules.append(f".badge-extra-{key}, .cell-{key} {{ --badge-colour: {look.colour}; }}")
    for vocabulary in ("notification", "assessment"):
        for member, look in VOCABULARIES[vocabulary][1].items():
            rules.append(f".cell-{member.value} {{ --badge-colour: {look.colour}; }}")
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
