"""The only module that imports plotly: pure functions, DataFrame in, plotly Figure out.

No ORM and no request here. Each builder collects plain trace and layout dicts and makes the Figure once
(plotly validates it then): building a figure step by step with update_layout() costs ten times more.
Colours and symbols come from choices.py (the map the status badges read), so a chart, its table and the
badges always agree. A figure reaches the page as `figure_data(fig)`
through `json_script`, and initiatives/static/initiatives/js/charts.js draws it with Plotly.newPlot.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

import plotly.graph_objects as go

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
)

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
    return f"{look(vocabulary, value).symbol} {label(vocabulary, value, extra_labels)}"


def figure_data(fig: go.Figure) -> dict:
    """The figure as plain JSON data for `json_script`."""
    return json.loads(fig.to_json())


def _figure(traces: list[dict], *, height: int, **layout) -> go.Figure:
    base = {
        "template": go.layout.Template(), "font": FONT, "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "hoverlabel": {"font": FONT},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0, "traceorder": "normal"},
    }
    # Not validated here, per request (it costs more than everything else on a page): tests/test_charts.py
    # rebuilds every figure with validation, so a misspelt property still fails the suite.
    return go.Figure(data=traces, layout={**base, **layout}, _validate=False)


def status_by_initiative_bar(counts, *, initiative_label: str) -> go.Figure:
    """Stacked horizontal bars: key actions per initiative, one segment per status.

    `counts` comes from aggregates.status_by_initiative (one column per status present)."""
    names = [f"{initiative_label} {n}" for n in counts["initiative"]]
    traces = []
    for status in KeyActionStatus:
        if status.value not in counts.columns:
            continue
        traces.append({
            "type": "bar", "y": names, "x": [int(v) for v in counts[status.value]], "orientation": "h",
            "name": legend_name("key_action", status.value),
            "marker": {"color": look("key_action", status.value).colour, "line": {"color": INK, "width": 1}},
            "hovertemplate": "%{y}: %{x} " + str(status.label) + "<extra></extra>"})
    return _figure(traces, height=90 + 34 * len(names), barmode="stack",
                   yaxis={"autorange": "reversed", "automargin": True},
                   xaxis={"dtick": 1, "gridcolor": LINE, "rangemode": "tozero", "automargin": True})


def timeline(rows, events, *, period_start: date, period_end: date, today: date, labels: dict[str, str],
             height_per_row: int = 34) -> go.Figure:
    """A Gantt-style timeline of the key actions.

    `rows` comes from aggregates.timeline_rows; `events` from aggregates.event_frame. The strategy period
    is shaded, a dashed line marks today; for each action an open diamond marks the end of the period its
    deadline names, a filled circle its delivery (coloured by status), and a line between them the
    slippage (or, for an action not delivered, the time since the deadline passed). Small grey crosses
    are the dated events. `labels`: "deadline", "delivered", "events", "today", "period"."""
    traces = []
    records = rows.to_dict("records")
    names = {row["id"]: f"{row['initiative']}/{row['code']} {_short(row['short_title'])}" for row in records}
    order = list(names.values())
    for status in KeyActionStatus:
        mine = [row for row in records if row["status"] == status.value]
        if not mine:
            continue
        xs, ys = [], []
        for row in mine:
            deadline_end, delivered = _value(row["deadline_end"]), _value(row["delivered"])
            end = delivered if delivered is not None else (today if deadline_end else None)
            if deadline_end is not None and end is not None and end > deadline_end:
                xs += [deadline_end.isoformat(), end.isoformat(), None]
                ys += [names[row["id"]], names[row["id"]], None]
        colour = look("key_action", status.value).colour
        delivered = [row for row in mine if _value(row["delivered"]) is not None]
        if xs:  # the legend names the status once: on its delay bars, or else on its delivery markers
            traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines",
                           "line": {"color": colour, "width": 6}, "name": legend_name("key_action", status.value),
                           "legendgroup": status.value, "hoverinfo": "skip", "showlegend": not delivered})
        if not delivered:
            continue
        traces.append({
            "type": "scatter", "x": [row["delivered"].isoformat() for row in delivered],
            "y": [names[row["id"]] for row in delivered], "mode": "markers",
            "name": legend_name("key_action", status.value), "legendgroup": status.value,
            "marker": {"color": colour, "size": 13, "symbol": "circle", "line": {"color": INK, "width": 1.5}},
            "hovertemplate": "%{y}<br>" + labels["delivered"] + ": %{x}<extra></extra>"})
    dated = rows[rows["deadline_end"].notna()]
    traces.append({
        "type": "scatter", "x": [d.isoformat() for d in dated["deadline_end"]], "y": [names[i] for i in dated["id"]],
        "mode": "markers", "name": "◇ " + labels["deadline"],
        "marker": {"color": "#ffffff", "size": 13, "symbol": "diamond", "line": {"color": INK, "width": 2}},
        "hovertemplate": "%{y}<br>" + labels["deadline"] + ": %{x}<extra></extra>"})
    known = events[events["key_action_id"].isin(names.keys())]
    if not known.empty:
        traces.append({
            "type": "scatter", "x": [d.isoformat() for d in known["date"]],
            "y": [names[i] for i in known["key_action_id"]], "mode": "markers", "name": "× " + labels["events"],
            "text": [_short(t, 80) for t in known["description"]],
            "marker": {"color": MUTED, "size": 7, "symbol": "x-thin", "line": {"color": MUTED, "width": 1.5}},
            "hovertemplate": "%{x}: %{text}<extra></extra>"})
    start = date(period_start.year - 1, 1, 1)
    latest = [today, period_end] + list(known["date"]) + [d for d in rows["delivered"] if d is not None]
    end = max(latest) + timedelta(days=180)
    shapes = [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": period_start.isoformat(), "x1": period_end.isoformat(),
         "y0": 0, "y1": 1, "fillcolor": TINT, "line": {"width": 0}, "layer": "below"},
        {"type": "line", "xref": "x", "yref": "paper", "x0": today.isoformat(), "x1": today.isoformat(), "y0": 0,
         "y1": 1, "line": {"color": INK, "width": 1.5, "dash": "dash"}},
    ]
    today_note = {"x": today.isoformat(), "y": 1, "xref": "x", "yref": "paper", "text": labels["today"],
                  "showarrow": False, "xanchor": "right", "yanchor": "bottom", "yshift": 16,
                  "font": {"size": 12, "color": INK}}  # a line above the period's note, so that they never overlap
    period_note = {"x": period_start.isoformat(), "y": 1, "xref": "x", "yref": "paper", "text": labels["period"],
                   "showarrow": False, "xanchor": "left", "yanchor": "bottom", "font": {"size": 12, "color": MUTED}}
    # On a phone (js/charts.js applies `meta.narrow` below 640 px) rows are named by their code only.
    narrow = {"yaxis": {"tickmode": "array", "tickvals": order,
                        "ticktext": [f"{row['initiative']}/{row['code']}" for row in records]},
              "xaxis": {"dtick": "M24", "tickformat": "%Y"}, "annotations": [today_note]}
    return _figure(traces, height=140 + height_per_row * max(len(order), 1), meta={"narrow": narrow},
                   margin={"l": 10, "r": 10, "t": 44, "b": 10}, shapes=shapes, annotations=[today_note, period_note],
                   xaxis={"type": "date", "range": [start.isoformat(), end.isoformat()], "gridcolor": LINE,
                          "automargin": True},
                   # a fixed range keeps a row for an action with nothing dated (it shows as an empty row)
                   yaxis={"type": "category", "categoryorder": "array", "categoryarray": order,
                          "range": [len(order) - 0.5, -0.5], "automargin": True})


def _value(value):
    """None for a missing value (None, or NaN in a float column), the value otherwise."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _short(text: str, length: int = 48) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def member_state_map(summary, *, category: str, vocabulary: str, geojson_url: str,
                     extra_labels: dict[str, str]) -> go.Figure:
    """A map of the EU-27 coloured by `category` (a column of aggregates.member_state_summary): one
    choropleth trace per value (the page's own key, with counts, names them); shapes from our own GeoJSON
    (ISO alpha-3 ids), drawn over the `europe_110m` base map (config topojsonURL points at our static files)."""
    traces = []
    records = summary[["iso_alpha3", "name", category]].to_dict("records")
    values = list(dict.fromkeys(row[category] for row in records))
    for value in _ordered(vocabulary, values):
        mine = [row for row in records if row[category] == value]
        colour = look(vocabulary, value).colour
        traces.append({
            "type": "choropleth", "geojson": geojson_url, "featureidkey": "id", "locationmode": "geojson-id",
            "locations": [row["iso_alpha3"] for row in mine], "z": [1] * len(mine),
            "text": [row["name"] for row in mine],
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
           "lonaxis": {"range": [-25, 38]}, "showcountries": True, "countrycolor": "#9aa3ad", "showland": True,
           "landcolor": "#fafafa", "showocean": True, "oceancolor": "#ffffff", "showlakes": False,
           "showframe": False, "bgcolor": "#ffffff"}
    return _figure(traces, height=560, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False, geo=geo,
                   meta={"narrow": {"height": 420}})


def _ordered(vocabulary: str, values) -> list[str]:
    choices, _looks = VOCABULARIES[vocabulary]
    known = [v.value for v in choices if v.value in values]
    return known + [v for v in values if v not in known]


def letters_by_year_bar(letters, *, labels: dict[str, str]) -> go.Figure:
    """Bars: Member States reached by letters of formal notice (first or additional) per year."""
    colour = look("stage", Stage.LETTER_OF_FORMAL_NOTICE).colour
    reached = [int(n) for n in letters["member_states"]]
    trace = {
        "type": "bar", "x": [str(y) for y in letters["year"]], "y": reached, "text": reached,
        "textposition": "outside", "customdata": [", ".join(codes) for codes in letters["codes"]],
        "marker": {"color": colour, "line": {"color": INK, "width": 1}}, "name": labels["member_states"],
        "hovertemplate": "%{x}: %{y} " + labels["member_states"] + "<br>%{customdata}<extra></extra>"}
    top = max(reached + [1])
    return _figure([trace], height=320, showlegend=False,
                   xaxis={"type": "category", "title": {"text": labels["year"]}, "automargin": True},
                   yaxis={"title": {"text": labels["member_states"]}, "range": [0, top * 1.2], "gridcolor": LINE,
                          "automargin": True})


def matrix_grid(matrix, *, measure: str, extra_labels: dict[str, str], article_label: str) -> go.Figure:
    """Member State x article: one square per cell, coloured by `measure` ("notification" or
    "assessment"); SVG squares (no heatmap, which would need data: images)."""
    traces = []
    records = matrix[["member_state", "name", "article", measure]].to_dict("records")
    articles = [f"{article_label} {n}" for n in dict.fromkeys(row["article"] for row in records)]
    states = list(dict.fromkeys(row["member_state"] for row in records))
    for value in _ordered(measure, list(dict.fromkeys(row[measure] for row in records))):
        mine = [row for row in records if row[measure] == value]
        traces.append({
            "type": "scatter", "x": [f"{article_label} {row['article']}" for row in mine],
            "y": [row["member_state"] for row in mine], "mode": "markers",
            "name": legend_name(measure, value, extra_labels),
            "marker": {"symbol": "square", "size": 15, "color": look(measure, value).colour,
                       "line": {"color": INK if value != "not_bound" else MUTED, "width": 1}},
            "customdata": [row["name"] for row in mine],
            "hovertemplate": "%{customdata}, %{x}: " + label(measure, value, extra_labels) + "<extra></extra>"})
    return _figure(traces, height=140 + 21 * max(len(states), 1),
                   xaxis={"type": "category", "categoryorder": "array", "categoryarray": articles, "side": "top",
                          "tickangle": -60, "automargin": True, "showgrid": False},
                   yaxis={"type": "category", "categoryorder": "array", "categoryarray": states,
                          "autorange": "reversed", "automargin": True, "showgrid": False})


def procedure_timeline(decisions, *, procedure_names: dict[int, str], date_label: str) -> go.Figure:
    """One row per procedure, one marker per dated decision, coloured and labelled by stage."""
    traces = []
    dated = decisions[decisions["date"].notna()]
    order = [procedure_names[p] for p in dict.fromkeys(decisions["procedure_id"])]
    for value in _ordered("stage", list(dict.fromkeys(dated["stage"]))):
        mine = dated[dated["stage"] == value]
        stage_look = look("stage", value)
        traces.append({
            "type": "scatter", "x": [d.isoformat() for d in mine["date"]],
            "y": [procedure_names[p] for p in mine["procedure_id"]], "mode": "markers+text",
            "text": [stage_look.symbol] * len(mine), "textposition": "top center", "cliponaxis": False,
            "name": legend_name("stage", value),
            "marker": {"symbol": "circle", "size": 14, "color": stage_look.colour,
                       "line": {"color": INK, "width": 1}},
            "hovertemplate": "%{y}<br>" + label("stage", value) + ", " + date_label + " %{x}<extra></extra>"})
    xaxis = {"type": "date", "gridcolor": LINE, "automargin": True}
    if len(dated):  # at least a year either side, so that one decision does not zoom the axis to milliseconds
        first, last = min(dated["date"]), max(dated["date"])
        xaxis.update(range=[date(first.year - 1, 7, 1).isoformat(), date(last.year + 1, 7, 1).isoformat()],
                     tickformat="%Y")
    return _figure(traces, height=150 + 50 * max(len(order), 1), margin={"l": 10, "r": 10, "t": 24, "b": 10},
                   xaxis=xaxis,
                   yaxis={"type": "category", "categoryorder": "array", "categoryarray": order,
                          "autorange": "reversed", "automargin": True})


def legislative_timeline(stages, *, in_force, stage_order: list[str], in_force_label: str,
                         date_label: str) -> go.Figure:
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
                       "line": {"color": BLUE_LINE, "width": 8}, "hovertemplate": stage["label"] + ", "
                       + date_label + " " + stage["when"] + "<extra></extra>"})
    if exact:
        traces.append({"type": "scatter", "x": [s["start"].isoformat() for s in exact],
                       "y": [s["label"] for s in exact], "mode": "markers", "showlegend": False,
                       "text": [s["when"] for s in exact],
                       "marker": {"symbol": "diamond", "size": 12, "color": BLUE_LINE,
                                  "line": {"color": INK, "width": 1}},
                       "hovertemplate": "%{y}, " + date_label + " %{text}<extra></extra>"})
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
    return _figure(traces, height=120 + 34 * max(len(rows), 1), shapes=shapes,
                   margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis=xaxis,
                   yaxis={"type": "category", "categoryorder": "array", "categoryarray": rows, "autorange": "reversed",
                          "automargin": True})


BLUE_LINE = "#0072B2"
