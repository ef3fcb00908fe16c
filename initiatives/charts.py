"""The only module that imports plotly: pure functions, DataFrame in, a figure out, as the plain
`{"data": traces, "layout": layout}` that plotly.js draws.

No ORM and no request here. Each builder collects plain trace and layout dicts and makes the figure once. It is
not a plotly Figure: building one (it copies every trace and the layout), then writing it out, cost 1 to 2.5 ms
a chart, per request, and twenty times less as plain data through plotly's JSON encoder. tests/test_charts.py
makes every figure a plotly Figure, validated, so a misspelt property still fails the suite; building one step by
step with update_layout() would cost ten times more again.
Colours and symbols come from choices.py (the map the status badges read), so a chart, its table and the
badges always agree. A figure reaches the page as `figure_data(fig)`
through `json_script`, and initiatives/static/initiatives/js/charts.js draws it with Plotly.newPlot.
"""

from __future__ import annotations

import json
import math
import textwrap
from datetime import date, timedelta

from django.utils.translation import gettext, ngettext
from plotly.utils import PlotlyJSONEncoder

from initiatives import aggregates
from initiatives.aggregates import NOT_BOUND
from initiatives.choices import (
    ASSESSMENT_LOOK,
    EXTRA_LOOK,
    KEY_ACTION_STATUS_LOOK,
    NOTIFICATION_LOOK,
    STAGE_LOOK,
    AssessmentStatus,
    KeyActionStatus,
    NotificationStatus,
    Stage,
    is_stage_number,
)
from initiatives.dates import PartialDate, Precision

INK, MUTED, TINT, LINE = "#1b1b1b", "#4a4a4a", "#eef1f6", "#c9ced6"
FONT = {"family": 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif', "size": 13,
        "color": INK}
VOCABULARIES = {
    "key_action": (KeyActionStatus, KEY_ACTION_STATUS_LOOK),
    "stage": (Stage, STAGE_LOOK),
    "notification": (NotificationStatus, NOTIFICATION_LOOK),
    "assessment": (AssessmentStatus, ASSESSMENT_LOOK),
}


def look(vocabulary: str, value: str):
    """The colour, symbol and definition of a value, including the extra categories (not bound, no record)."""
    if value in EXTRA_LOOK:
        return EXTRA_LOOK[value]
    choices, looks = VOCABULARIES[vocabulary]
    return looks[choices(value)]


def label(vocabulary: str, value: str, extra_labels: dict[str, str] | None = None) -> str:
    if value in EXTRA_LOOK:
        return str((extra_labels or {}).get(value, value))
    choices, _looks = VOCABULARIES[vocabulary]
    return str(choices(value).label)


def legend_name(vocabulary: str, value: str, extra_labels: dict[str, str] | None = None) -> str:
    """The symbol then the label; a stage's number after its label ("reasoned opinion (stage 2)"), never
    before it, where it would read as a count."""
    symbol = look(vocabulary, value).symbol
    if is_stage_number(vocabulary, symbol):
        return f"{label(vocabulary, value, extra_labels)} ({gettext('stage %(n)s') % {'n': symbol}})"
    return f"{symbol} {label(vocabulary, value, extra_labels)}"


# The plotly.js partial bundles we serve (initiatives/static/initiatives/vendor/plotly/, pinned in package.json),
# lightest first, each with the trace types it draws: a page loads the first one that draws all its figure's
# traces (tests/test_charts.py reads the trace types from the bundles themselves).
PLOTLY_BUNDLES = {
    "initiatives/vendor/plotly/plotly-basic.min.js": frozenset({"scatter", "bar", "pie"}),
    "initiatives/vendor/plotly/plotly-geo.min.js": frozenset({"scatter", "scattergeo", "choropleth"}),
}


def trace_types(figure: dict) -> set[str]:
    """The trace types a figure (as `figure_data` gives it) draws; plotly's default type is scatter."""
    return {trace.get("type", "scatter") for trace in figure.get("data", [])}


def bundle_for(figure: dict) -> str:
    """The static path of the lightest plotly.js bundle that draws every trace of `figure`."""
    needed = trace_types(figure)
    for path, types in PLOTLY_BUNDLES.items():
        if needed <= types:
            return path
    raise ValueError(f"no plotly.js bundle draws the traces {sorted(needed)}; add one to PLOTLY_BUNDLES")


def figure_data(fig: dict) -> dict:
    """The figure as plain JSON data for `json_script`, through plotly's own JSON encoder: dates as ISO strings,
    numpy and pandas values as plain numbers and lists. The builders give lists, not numpy arrays, so this is
    the JSON plotly's `Figure.to_json` wrote for them (it writes a numpy array as a typed array instead)."""
    return json.loads(json.dumps(fig, cls=PlotlyJSONEncoder))


def _figure(traces: list[dict], *, height: int, **layout) -> dict:
    base = {
        "template": {}, "font": FONT, "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "hoverlabel": {"font": FONT},
        # The legend sits at the foot of the figure itself, not at a fraction of the plot's height below the
        # plot: plotly then makes room for it under the axis labels, whatever the chart's height.
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0,
                   "traceorder": "normal"},
    }
    layout = {**base, **layout}
    layout["showlegend"] = _legend_shown(traces, layout)  # stated, so that js/charts.js need not work it out
    layout = _narrow_legend(traces, layout)
    # Not a plotly Figure, not validated here, per request: tests/test_charts.py validates every figure.
    return {"data": traces, "layout": layout}


# A legend line on a phone: 26 characters fit in 320 px beside the entry's symbol at the chart's font; each line
# added to an entry makes it 17 px taller (plotly.js's line spacing).
NARROW_LEGEND_WIDTH, LEGEND_LINE = 26, 17


def _legend_shown(traces: list[dict], layout: dict) -> bool:
    """Whether the figure has a legend: as its layout says, or else as plotly.js decides by default, for two
    traces or more of which one has a name to show."""
    if layout.get("showlegend") is not None:
        return bool(layout["showlegend"])
    return len(traces) > 1 and any(trace.get("name") and trace.get("showlegend") is not False for trace in traces)


def _narrow_legend(traces: list[dict], layout: dict) -> dict:
    """On a phone (js/charts.js applies `meta.narrow` below 640 px) a legend name too long for the chart's width
    ("ergänzendes Aufforderungsschreiben (Stadium 1+)") wraps at its spaces, and the figure grows by the lines
    added: plotly.js would cut it at the chart's edge. The wrapped names go in `meta.narrow.data`, the changes
    to each trace on a phone."""
    if not _legend_shown(traces, layout):
        return layout
    names = [_wrap(trace["name"], NARROW_LEGEND_WIDTH) if trace.get("name") and trace.get("showlegend") is not False
             else None for trace in traces]
    added = sum(name.count("<br>") for name in names if name)
    if not added:
        return layout
    meta = dict(layout.get("meta") or {})
    narrow = dict(meta.get("narrow") or {})
    narrow["data"] = [{"name": name} if name and "<br>" in name else None for name in names]
    narrow["height"] = narrow.get("height", layout["height"]) + LEGEND_LINE * added
    return {**layout, "meta": {**meta, "narrow": narrow}}


def status_by_initiative_bar(counts, *, initiative_label: str) -> dict:
    """Stacked horizontal bars: key actions per initiative, one segment per status.

    `initiative_label` names a bar, with the initiative's number as %(number)s ("Initiative %(number)s").
    `counts` comes from aggregates.status_by_initiative (one column per status present)."""
    names = [initiative_label % {"number": n} for n in counts["initiative"]]
    traces = []
    for status in KeyActionStatus:
        if status.value not in counts.columns:
            continue
        traces.append({
            "type": "bar", "y": names, "x": [int(v) for v in counts[status.value]], "orientation": "h",
            "name": legend_name("key_action", status.value),
            "marker": {"color": look("key_action", status.value).colour, "line": {"color": INK, "width": 1}},
            # Translators: a chart's hover text: an initiative, how many of its key actions have a status, and
            # the status; %(initiative)s and %(count)s are filled in by the chart.
            "hovertemplate": gettext("%(initiative)s: %(count)s %(status)s") % {
                "initiative": "%{y}", "count": "%{x}", "status": status.label} + "<extra></extra>"})
    return _figure(traces, height=90 + 34 * len(names), barmode="stack", meta=FITTED,
                   yaxis={"categoryorder": "array", "categoryarray": names, "autorange": "reversed",
                          "automargin": True},
                   xaxis={"dtick": 1, "gridcolor": LINE, "rangemode": "tozero", "automargin": True})


def timeline(rows, events, *, period_start: date, period_end: date, today: date, labels: dict[str, str],
             label_width: int = 34, narrow_label_width: int = 20) -> dict:
    """A Gantt-style timeline of the key actions.

    `rows` comes from aggregates.timeline_rows; `events` from aggregates.event_frame. The strategy period
    is shaded, a dashed line marks today; for each action an open diamond marks the end of the period its
    deadline names, a marker of its status its delivery, and a line between them the slippage (or, for an
    action not delivered, the time since the deadline passed). An action with no delivery date (not delivered
    yet, or delivered on a day the sources do not give) has its status marker in a column of its own at the
    right, so that every row shows its state. Grey crosses are the dated events, at most one per action and
    year whatever their number: a small cross is an event of its own (its date and description on hover), a
    large one the several events of that year, placed on the first of them (how many, and between which
    dates). Row labels wrap, never cut. `labels`: "deadline", "events", "event_groups", "today", "period",
    "no_date"."""
    traces = []
    records = rows.to_dict("records")
    names = {row["id"]: _wrap(f"{row['initiative']}/{row['code']} {row['short_title']}", label_width)
             for row in records}
    order = list(names.values())
    start = date(period_start.year - 1, 1, 1)
    groups = aggregates.event_groups(events)
    known = groups[groups["key_action_id"].isin(names.keys())]
    latest = [today, period_end] + list(known["last_date"]) + [d for d in rows["delivered"] if _value(d) is not None]
    end = max(latest) + timedelta(days=120)
    lane = end + timedelta(days=300)  # the column of the actions with no delivery date
    axis_end = lane + timedelta(days=300)
    for status in KeyActionStatus:
        mine = [row for row in records if row["status"] == status.value]
        if not mine:
            continue
        xs, ys = [], []
        for row in mine:
            deadline_end, delivered = _value(row["deadline_end"]), _value(row["delivered"])
            end_of_bar = delivered if delivered is not None else (today if deadline_end else None)
            if deadline_end is not None and end_of_bar is not None and end_of_bar > deadline_end:
                xs += [deadline_end.isoformat(), end_of_bar.isoformat(), None]
                ys += [names[row["id"]], names[row["id"]], None]
        status_look = look("key_action", status.value)
        if xs:
            traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines",
                           "line": {"color": status_look.colour, "width": 6}, "legendgroup": status.value,
                           "name": legend_name("key_action", status.value), "hoverinfo": "skip",
                           "showlegend": False})
        dated = [row for row in mine if _value(row["delivered"]) is not None]
        undated = [row for row in mine if _value(row["delivered"]) is None]
        marker = {"color": status_look.colour, "size": 13, "symbol": KEY_ACTION_MARKERS.get(status.value, "circle"),
                  "line": {"color": INK, "width": 1.5}}
        # the legend names each status once, on its markers (every status present has some)
        traces.append({
            "type": "scatter", "mode": "markers", "name": legend_name("key_action", status.value),
            "legendgroup": status.value, "marker": marker,
            "x": [row["delivered"].isoformat() for row in dated] + [lane.isoformat()] * len(undated),
            "y": [names[row["id"]] for row in dated + undated],
            "customdata": [gettext("%(status)s, delivered %(when)s") % {
                               "status": status.label, "when": _when(row["delivered"], row["date_precision"])}
                           for row in dated] + [f"{status.label}, {labels['no_date']}"] * len(undated),
            "hovertemplate": "%{y}<br>%{customdata}<extra></extra>"})
    deadlined = [row for row in records if _value(row["deadline_end"]) is not None]
    traces.append({
        "type": "scatter", "x": [row["deadline_end"].isoformat() for row in deadlined],
        "y": [names[row["id"]] for row in deadlined], "mode": "markers", "name": "◇ " + labels["deadline"],
        "customdata": [_when(row["deadline"], row["deadline_precision"]) for row in deadlined],
        "marker": {"color": "#ffffff", "size": 13, "symbol": "diamond", "line": {"color": INK, "width": 2}},
        "hovertemplate": "%{y}<br>" + labels["deadline"] + ": %{customdata}<extra></extra>"})
    if not known.empty:
        traces += _event_traces(known.to_dict("records"), names, labels)
    shapes = [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": period_start.isoformat(), "x1": period_end.isoformat(),
         "y0": 0, "y1": 1, "fillcolor": TINT, "line": {"width": 0}, "layer": "below"},
        {"type": "line", "xref": "x", "yref": "paper", "x0": today.isoformat(), "x1": today.isoformat(), "y0": 0,
         "y1": 1, "line": {"color": INK, "width": 1.5, "dash": "dash"}},
        {"type": "rect", "xref": "x", "yref": "paper", "x0": (lane - timedelta(days=200)).isoformat(),
         "x1": axis_end.isoformat(), "y0": 0, "y1": 1, "fillcolor": "#f6f6f6", "line": {"color": LINE, "width": 1},
         "layer": "below"},
    ]
    today_note = {"x": today.isoformat(), "y": 1, "xref": "x", "yref": "paper", "text": labels["today"],
                  "showarrow": False, "xanchor": "right", "yanchor": "bottom", "yshift": 16,
                  "font": {"size": 12, "color": INK}}  # a line above the period's note, so that they never overlap
    period_note = {"x": period_start.isoformat(), "y": 1, "xref": "x", "yref": "paper", "text": labels["period"],
                   "showarrow": False, "xanchor": "left", "yanchor": "bottom", "font": {"size": 12, "color": MUTED}}
    lane_note = {"x": lane.isoformat(), "y": 1, "xref": "x", "yref": "paper", "text": _wrap(labels["no_date"], 10),
                 "showarrow": False, "xanchor": "center", "yanchor": "bottom", "font": {"size": 11, "color": MUTED}}
    narrow_names = [_wrap(f"{row['initiative']}/{row['code']} {row['short_title']}", narrow_label_width)
                    for row in records]
    # On a phone (js/charts.js applies `meta.narrow` below 640 px) labels wrap narrower, rows grow to fit them.
    narrow = {"yaxis": _phone_rows(order, narrow_names),
              # a year is some 10 px there: ten months keep an early marker clear of the labels
              "xaxis": {**_year_tick_array(start.year, end.year, most=4),
                        "range": [(start - timedelta(days=300)).isoformat(), axis_end.isoformat()]},
              "height": 150 + _row_height(_lines(narrow_names)) * max(len(order), 1),
              "annotations": [today_note, lane_note]}
    return _figure(traces, height=150 + _row_height(_lines(order)) * max(len(order), 1),
                   meta={"narrow": narrow, **FITTED},
                   margin={"l": 10, "r": 10, "t": 50, "b": 10}, shapes=shapes,
                   annotations=[today_note, period_note, lane_note],
                   # two months before the first year's tick: a marker early in that year stays clear of the labels
                   xaxis={"type": "date", "range": [(start - timedelta(days=60)).isoformat(), axis_end.isoformat()],
                          "gridcolor": LINE, "automargin": True, **_year_tick_array(start.year, end.year)},
                   # a fixed range keeps a row for every action
                   yaxis={"type": "category", "categoryorder": "array", "categoryarray": order,
                          "range": [len(order) - 0.5, -0.5], "automargin": True})


def _event_traces(groups: list[dict], names: dict, labels: dict[str, str]) -> list[dict]:
    """The timeline's crosses, from `aggregates.event_groups` rows: one trace of the single events (a small
    cross: its date to its precision and its description), one of the groups of several events of one key
    action in one year (a large cross on the first event's day: how many, between which dates). Never a
    date that no event has."""
    single = [group for group in groups if group["n"] == 1]
    several = [group for group in groups if group["n"] > 1]
    traces = []
    if single:
        traces.append({
            "type": "scatter", "x": [group["date"].isoformat() for group in single],
            "y": [names[group["key_action_id"]] for group in single], "mode": "markers",
            "name": "× " + labels["events"],
            "customdata": [[_when(group["date"], group["date_precision"]), _short(group["description"], 80)]
                           for group in single],
            "marker": {"color": MUTED, "size": 7, "symbol": "x-thin", "line": {"color": MUTED, "width": 1.5}},
            "hovertemplate": "%{customdata[0]}: %{customdata[1]}<extra></extra>"})
    if several:
        traces.append({
            "type": "scatter", "x": [group["date"].isoformat() for group in several],
            "y": [names[group["key_action_id"]] for group in several], "mode": "markers",
            "name": "✕ " + labels.get("event_groups", labels["events"]),
            "customdata": [event_group_text(group) for group in several],
            "marker": {"color": MUTED, "size": 12, "symbol": "x-thin", "line": {"color": MUTED, "width": 2.5}},
            "hovertemplate": "%{y}<br>%{customdata}<extra></extra>"})
    return traces


def event_group_text(group: dict) -> str:
    """A large cross's hover: how many dated events of one year, between which dates, and where it stands."""
    first = _when(group["date"], group["date_precision"])
    last = _when(group["last_date"], group["last_precision"])
    n = int(group["n"])
    if first == last:
        # Translators: the timeline's hover on a large cross: several events of a key action on one date (a
        # day, a month or a year); %(when)s is that date.
        return ngettext("%(n)s dated event, dated %(when)s", "%(n)s dated events, all dated %(when)s", n) % {
            "n": n, "when": first}
    # Translators: the timeline's hover on a large cross, which stands for several events of a key action in
    # one year and is drawn on the day of the first of them; %(first)s and %(last)s are their dates.
    return ngettext("%(n)s dated event between %(first)s and %(last)s (marked on the first)",
                    "%(n)s dated events between %(first)s and %(last)s (marked on the first)", n) % {
        "n": n, "first": first, "last": last}


# Timeline markers: the shape says the status too, not the colour alone.
KEY_ACTION_MARKERS = {
    KeyActionStatus.NOT_STARTED: "circle-open", KeyActionStatus.IN_PROGRESS: "circle",
    KeyActionStatus.DELIVERED: "circle", KeyActionStatus.DELIVERED_LATE: "circle-dot",
    KeyActionStatus.PARTIALLY_DELIVERED: "circle", KeyActionStatus.STALLED: "square",
    KeyActionStatus.SUPERSEDED: "triangle-up", KeyActionStatus.UNKNOWN: "circle-open",
}


def _row_height(lines: int) -> int:
    return max(34, 16 * lines + 10)


def _lines(labels) -> int:
    """The most lines one of `labels` (lines joined by <br>) takes; 1 for none."""
    return max((str(label).count("<br>") + 1 for label in labels), default=1)


def _phone_rows(rows: list[str], labels: list[str]) -> dict:
    """A category axis on a phone (js/charts.js applies `meta.narrow` below 640 px): the same `rows`, named by
    `labels`, wrapped narrower than the wide layout's."""
    return {"tickmode": "array", "tickvals": rows, "ticktext": labels}


def _wrap(text: str, width: int) -> str:
    """The text in lines of at most `width` characters (a longer word keeps its line), joined by <br>."""
    return "<br>".join(textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False)) or ""


def _year_tick_array(first: int, last: int, *, most: int = 9) -> dict:
    """Year ticks from `first` to `last` only (the axis may run further, into the column of undated actions)."""
    step = year_step(first, last, most=most)
    years = range(first - first % step, last + 1, step)
    return {"tickmode": "array", "tickvals": [f"{y}-01-01" for y in years], "ticktext": [str(y) for y in years]}


def year_step(first: int, last: int, *, most: int = 9) -> int:
    """The step in whole years between two year ticks: at most `most` ticks from `first` to `last`, and never
    less than a year, so that an axis labelled by year never repeats one."""
    span = max(last - first, 0) + 1
    return next((step for step in (1, 2, 5, 10, 20, 50) if math.ceil(span / step) <= most), 100)


def _year_ticks(first: int, last: int, *, most: int = 9) -> dict:
    """Date-axis ticks on 1 January, every `year_step` years, labelled by the year alone."""
    step = year_step(first, last, most=most)
    return {"dtick": f"M{12 * step}", "tick0": f"{first - first % step}-01-01", "tickformat": "%Y"}


def _when(value, precision, latest=None) -> str:
    """A date as the reader sees it everywhere else: to its precision ("January 2014", "2020", "between 24 August
    2020 and 22 June 2021")."""
    value = _value(value)
    if value is None:
        return ""
    return PartialDate.from_parts(value, _value(precision) or Precision.DAY, _value(latest)).display()


def _value(value):
    """None for a missing value (None, or NaN in a float column), the value otherwise."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _short(text: str, length: int = 48) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def member_state_map(summary, *, category: str, vocabulary: str, geojson_url: str,
                     extra_labels: dict[str, str], link: str | None = None) -> dict:
    """A map of the EU-27 coloured by `category` (a column of aggregates.member_state_summary): one
    choropleth trace per value (the page's own key, with counts, names them); shapes from our own GeoJSON
    (ISO alpha-3 ids), drawn over the `europe_110m` base map (config topojsonURL points at our static files).
    `link` ("/member-states/{code}/"): each Member State's page, in `customdata`, which js/charts.js opens on a
    click, or on Enter once the shape has the keyboard's focus."""
    traces = []
    records = summary[["code", "iso_alpha3", "name", category]].to_dict("records")
    values = list(dict.fromkeys(row[category] for row in records))
    for value in _ordered(vocabulary, values):
        mine = [row for row in records if row[category] == value]
        colour = look(vocabulary, value).colour
        traces.append({
            "type": "choropleth", "geojson": geojson_url, "featureidkey": "id", "locationmode": "geojson-id",
            "locations": [row["iso_alpha3"] for row in mine], "z": [1] * len(mine),
            "text": [row["name"] for row in mine],
            **({"customdata": [link.format(code=row["code"]) for row in mine]} if link else {}),
            "name": legend_name(vocabulary, value, extra_labels), "colorscale": [[0, colour], [1, colour]],
            "showscale": False, "showlegend": False, "marker": {"line": {"color": INK, "width": 0.7}},
            "hovertemplate": "%{text}: " + label(vocabulary, value, extra_labels) + "<extra></extra>"})
    # A Member State not bound is white like the land outside the EU: its symbol marks it on the map too.
    not_bound = [row for row in records if row[category] == NOT_BOUND]
    if not_bound:
        traces.append({
            "type": "scattergeo", "locationmode": "ISO-3", "locations": [row["iso_alpha3"] for row in not_bound],
            "mode": "text", "text": [EXTRA_LOOK[NOT_BOUND].symbol] * len(not_bound),
            "textfont": {"size": 18, "color": INK}, "showlegend": False,
            "customdata": [row["name"] for row in not_bound],
            "hovertemplate": "%{customdata}: " + label(vocabulary, NOT_BOUND, extra_labels) + "<extra></extra>"})
    geo = {"scope": "europe", "resolution": 110, "projection": {"type": "mercator"}, "lataxis": {"range": [33, 71]},
           "lonaxis": {"range": [-25, 42]}, "showcountries": True, "countrycolor": "#9aa3ad", "showland": True,
           "landcolor": "#fafafa", "showocean": True, "oceancolor": "#ffffff", "showlakes": False,
           "showframe": False, "bgcolor": "#ffffff"}
    return _figure(traces, height=560, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False, geo=geo,
                   meta={"narrow": {"height": 420}})


def _ordered(vocabulary: str, values) -> list[str]:
    choices, _looks = VOCABULARIES[vocabulary]
    known = [v.value for v in choices if v.value in values]
    return known + [v for v in values if v not in known]


def letters_by_year_bar(letters, *, labels: dict[str, str]) -> dict:
    """Bars: Member States reached by letters of formal notice (first or additional) per year."""
    colour = look("stage", Stage.LETTER_OF_FORMAL_NOTICE).colour
    reached = [int(n) for n in letters["member_states"]]
    years = [int(y) for y in letters["year"]]
    trace = {
        "type": "bar", "x": years, "y": reached, "text": reached,
        "textposition": "outside", "customdata": [", ".join(codes) for codes in letters["codes"]],
        "marker": {"color": colour, "line": {"color": INK, "width": 1}}, "name": labels["member_states"],
        "hovertemplate": "%{x}: %{y} " + labels["member_states"] + "<br>%{customdata}<extra></extra>"}
    top = max(reached + [1])
    return _figure([trace], height=320, showlegend=False,
                   # a linear axis of years, so that a year without letters shows as a gap, not vanishes
                   xaxis={"type": "linear", "title": {"text": labels["year"]}, "automargin": True,
                          "range": [min(years) - 0.6, max(years) + 0.6], "tick0": min(years),
                          "dtick": year_step(min(years), max(years), most=12), "tickformat": "d",
                          "showgrid": False},
                   yaxis={"title": {"text": labels["member_states"]}, "range": [0, top * 1.2], "gridcolor": LINE,
                          "automargin": True})


# js/charts.js sets the left margin from the category labels' width in the reader's font, measured before
# drawing, and turns the axis's automargin off: plotly.js's automargin would draw the chart a second time once
# it had measured them (a task of 90 ms on the timeline). `pad`: the gap between the labels and the axis, and
# room to spare at the figure's edge.
FIT_Y_LABELS = {"axis": "yaxis", "side": "l", "pad": 14}
# And the foot of the plot: the bottom axis's tick labels (`room`) over the legend (`pad` and `row` pixels a row of
# it; each entry its symbol and gaps, `entry` pixels, and its name), as plotly.js lays them out at the chart's font.
FIT_FOOT = {"axis": "xaxis", "room": 27, "pad": 10, "row": 20, "entry": 45}
FITTED = {"fit_labels": FIT_Y_LABELS, "fit_bottom": FIT_FOOT}


def dated_text(what: str, when: str) -> str:
    """A hover line: a stage and its date, as one sentence translators can reorder."""
    # Translators: a chart's hover text: a stage of a procedure and its date ("reasoned opinion, dated
    # January 2014"); the date may be a month, a year or "between X and Y".
    return gettext("%(what)s, dated %(when)s") % {"what": what, "when": when}


def procedure_timeline(decisions, *, procedure_names: dict[int, str]) -> dict:
    """One row per procedure, one marker per dated decision, coloured and labelled by stage. A decision known only
    to lie between two days (a closure between two copies of the register) is a line over that interval with
    its marker at the interval's end, the day by which it had certainly happened."""
    traces = []
    dated = decisions[decisions["date"].notna()]
    order = [procedure_names[p] for p in dict.fromkeys(decisions["procedure_id"])]
    intervals = dated[dated["date_precision"] == Precision.BETWEEN]
    if len(intervals):
        xs, ys = [], []
        for start, end, procedure in zip(intervals["date"], intervals["date_latest"], intervals["procedure_id"],
                                         strict=True):
            xs += [start.isoformat(), end.isoformat(), None]
            ys += [procedure_names[procedure]] * 2 + [None]
        traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "showlegend": False,
                       "hoverinfo": "skip", "line": {"color": INK, "width": 2, "dash": "dot"}})
    for value in _ordered("stage", list(dict.fromkeys(dated["stage"]))):
        mine = dated[dated["stage"] == value]
        stage_look = look("stage", value)
        traces.append({
            "type": "scatter",
            "x": [(end if precision == Precision.BETWEEN else start).isoformat()
                  for start, end, precision in zip(mine["date"], mine["date_latest"], mine["date_precision"],
                                                   strict=True)],
            "y": [procedure_names[p] for p in mine["procedure_id"]], "mode": "markers+text",
            "text": [stage_look.symbol] * len(mine), "textposition": "top center", "cliponaxis": False,
            "name": legend_name("stage", value),
            "customdata": [_when(d, p, latest) for d, p, latest in zip(mine["date"], mine["date_precision"],
                                                                        mine["date_latest"], strict=True)],
            "marker": {"symbol": "circle", "size": 14, "color": stage_look.colour,
                       "line": {"color": INK, "width": 1}},
            "hovertemplate": "%{y}<br>" + dated_text(label("stage", value), "%{customdata}") + "<extra></extra>"})
    xaxis = {"type": "date", "gridcolor": LINE, "automargin": True}
    if len(dated):  # at least a year either side, so that one decision does not zoom the axis to milliseconds
        first, last = min(dated["date"]), max(dated["date_latest"])
        xaxis.update(range=[date(first.year - 1, 7, 1).isoformat(), date(last.year + 1, 7, 1).isoformat()],
                     **_year_ticks(first.year - 1, last.year + 1))
    # On a phone (js/charts.js applies `meta.narrow` below 640 px) the names wrap narrower, and rows grow to fit.
    narrow_names = ["<br>".join(_wrap(part, 16) for part in name.split("<br>")) for name in order]
    narrow = {"yaxis": _phone_rows(order, narrow_names),
              "height": 150 + max(50, _row_height(_lines(narrow_names))) * max(len(order), 1)}
    if len(dated):  # where a year is some 20 px, another year on the left keeps the first marks off the names
        narrow["xaxis"] = {"range": [date(first.year - 2, 7, 1).isoformat(), xaxis["range"][1]]}
    return _figure(traces, height=150 + 50 * max(len(order), 1), margin={"l": 10, "r": 10, "t": 24, "b": 10},
                   meta={"narrow": narrow, **FITTED},
                   xaxis=xaxis,
                   yaxis={"type": "category", "categoryorder": "array", "categoryarray": order,
                          "autorange": "reversed", "automargin": True})


def legislative_timeline(stages, *, in_force, stage_order: list[str], in_force_label: str) -> dict:
    """One row per stage of a legislative file (in the procedure's order), one marker per dated stage; a stage
    known only to a month or a year is drawn as a bar over that period. `stages`: dicts with `label`, `start`,
    `end` (date) and `when` (the date as shown); `in_force`: (start, end or None) periods shaded behind."""
    traces = []
    rows = [label for label in stage_order if any(stage["label"] == label for stage in stages)]
    exact = [stage for stage in stages if stage["start"] == stage["end"]]
    spans = [stage for stage in stages if stage["start"] != stage["end"]]
    for stage in spans:
        traces.append({"type": "scatter", "x": [stage["start"].isoformat(), stage["end"].isoformat()],
                       "y": [stage["label"]] * 2, "mode": "lines", "showlegend": False,
                       "line": {"color": BLUE_LINE, "width": 8},
                       "hovertemplate": dated_text(stage["label"], stage["when"]) + "<extra></extra>"})
    if exact:
        traces.append({"type": "scatter", "x": [s["start"].isoformat() for s in exact],
                       "y": [s["label"] for s in exact], "mode": "markers", "showlegend": False,
                       "text": [s["when"] for s in exact],
                       "marker": {"symbol": "diamond", "size": 12, "color": BLUE_LINE,
                                  "line": {"color": INK, "width": 1}},
                       "hovertemplate": dated_text("%{y}", "%{text}") + "<extra></extra>"})
    dates = [s["start"] for s in stages] + [s["end"] for s in stages]
    shapes = []
    for start, end in in_force:
        last = end or (max(dates) if dates else start)
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": start.isoformat(),
                       "x1": last.isoformat(), "y0": 0, "y1": 1, "fillcolor": "#009E73", "opacity": 0.15,
                       "line": {"width": 0}, "layer": "below"})
        dates += [start, last]
    if in_force:  # a legend entry for the shading
        traces.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": in_force_label,
                       "marker": {"symbol": "square", "size": 12, "color": "rgba(0,158,115,0.3)"}})
    xaxis = {"type": "date", "gridcolor": LINE, "automargin": True}
    if dates:
        margin = timedelta(days=60)
        xaxis.update(range=[(min(dates) - margin).isoformat(), (max(dates) + margin).isoformat()])
    # On a phone the stages' names wrap (js/charts.js applies `meta.narrow` below 640 px), and rows grow to fit.
    narrow_names = [_wrap(row, 16) for row in rows]
    narrow = {"yaxis": _phone_rows(rows, narrow_names),
              "height": 120 + _row_height(_lines(narrow_names)) * max(len(rows), 1)}
    return _figure(traces, height=120 + 34 * max(len(rows), 1), shapes=shapes, meta={"narrow": narrow, **FITTED},
                   margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis=xaxis,
                   yaxis={"type": "category", "categoryorder": "array", "categoryarray": rows, "autorange": "reversed",
                          "automargin": True})


BLUE_LINE = "#0072B2"
