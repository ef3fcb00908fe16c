"""The chart builders are pure: a frame in, a plotly figure out, no database. And the plotly.js we serve
is the one the Python package was built for."""

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.offline
import pytest
from django.utils import translation

from initiatives import aggregates, charts
from initiatives.choices import EXTRA_LOOK, KEY_ACTION_STATUS_LOOK, STAGE_LOOK

STATIC = Path(__file__).resolve().parent.parent / "initiatives" / "static" / "initiatives"
EXTRA_LABELS = {"not_bound": "not bound", "no_procedure": "no procedure", "no_record": "unknown"}


PLAIN_FIGURE = charts._figure  # as the pages build it (the fixture below makes every other figure a plotly Figure)


@pytest.fixture(autouse=True)
def every_figure_is_valid(monkeypatch):
    """The builders make plain figure data, not validated per request; here every figure they make becomes a
    plotly Figure, validated (a ValueError on any invalid property or value), which the tests then read."""
    original = charts._figure

    def validated(*args, **kwargs):
        return go.Figure(original(*args, **kwargs))

    monkeypatch.setattr(charts, "_figure", validated)


def test_validation_catches_a_misspelt_property():
    with pytest.raises(ValueError):
        charts._figure([{"type": "bar", "colour": "red"}], height=100)


def test_a_figure_reaches_the_page_as_plotly_writes_it():
    """figure_data() writes the builders' plain data as plotly's own Figure.to_json() wrote the same figure
    before the builders stopped making Figures: dates, missing values, numpy and pandas scalars, the empty
    template. (When this changed, every figure of the pages was compared the same way, on the shipped data and on
    the 50x synthetic data, in three languages: all equal.)"""
    import numpy as np

    traces = [{"type": "bar", "x": [2019, np.int64(2020)], "y": [3, None], "name": "a", "marker": {"color": "#123"}},
              {"type": "scatter", "x": [date(2020, 1, 1), pd.Timestamp("2021-03-04")], "y": [1.5, np.float64(2)],
               "customdata": ["January 2020", None], "mode": "markers", "hovertemplate": "%{customdata}"}]
    layout = {"xaxis": {"range": ["2019-01-01", "2021-12-31"], "tickvals": [date(2019, 1, 1)]},
              "meta": {"narrow": {"data": [{"name": "a"}]}}}
    plain = PLAIN_FIGURE(traces, height=300, **layout)
    assert isinstance(plain, dict)
    as_plotly = json.loads(go.Figure(data=plain["data"], layout={**plain["layout"], "template": go.layout.Template()},
                                     _validate=False).to_json())
    assert charts.figure_data(plain) == as_plotly


def bundle_text(path: str) -> str:
    return (STATIC.parent / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", list(charts.PLOTLY_BUNDLES))
def test_each_served_plotly_bundle_is_the_version_the_python_package_expects(path):
    head = bundle_text(path)[:300]
    assert re.search(r"plotly\.js \([a-z]+ - minified\) v([\d.]+)", head)[1] == plotly.offline.get_plotlyjs_version()


@pytest.mark.parametrize("path", list(charts.PLOTLY_BUNDLES))
def test_each_served_plotly_bundle_draws_exactly_the_trace_types_charts_py_says(path):
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle_text(path)))
    assert registered == charts.PLOTLY_BUNDLES[path]


def test_the_vendored_plotly_files_are_those_recorded_from_the_lock_file():
    from tools import vendor_js

    assert vendor_js.check() == []
    assert set(charts.PLOTLY_BUNDLES) == {f"initiatives/vendor/plotly/{name}" for name in vendor_js.FILES
                                          if name.endswith(".js")}
    assert (STATIC / "vendor" / "plotly" / "plotly.css").stat().st_size > 1000


@pytest.mark.parametrize("path", list(charts.PLOTLY_BUNDLES))
def test_each_served_plotly_bundle_asks_v8_to_compile_it_off_the_main_thread(path):
    """The compile hint is read on the file's first line only; without it plotly.js's start-up held the main
    thread 216-289 ms in Lighthouse on a slow machine (`/timeline/` TBT 272-290 ms), with it 90-100 ms."""
    from tools import vendor_js

    assert (STATIC.parent / path).read_bytes().startswith(vendor_js.COMPILE_HINT)
    assert vendor_js.COMPILE_HINT == b"//# allFunctionsCalledOnLoad\n"


def test_the_full_plotly_bundle_is_not_served():
    assert not (STATIC / "vendor" / "plotly" / "plotly.min.js").exists()


def test_a_figure_gets_the_lightest_bundle_that_draws_all_its_traces():
    assert charts.bundle_for({"data": [{"type": "bar"}, {"y": [1]}]}).endswith("plotly-basic.min.js")
    assert charts.bundle_for({"data": [{"type": "choropleth"}, {"type": "scattergeo"}]}).endswith(
        "plotly-geo.min.js")
    with pytest.raises(ValueError, match="heatmap"):
        charts.bundle_for({"data": [{"type": "bar"}, {"type": "heatmap"}]})


def test_status_bar_has_one_trace_per_status_coloured_like_the_badges():
    counts = pd.DataFrame([{"initiative": 1, "initiative_title": "One", "delivered": 1, "stalled": 2, "total": 3}])
    fig = charts.status_by_initiative_bar(counts, initiative_label="Initiative %(number)s")
    assert [trace.marker.color for trace in fig.data] == [KEY_ACTION_STATUS_LOOK["delivered"].colour,
                                                          KEY_ACTION_STATUS_LOOK["stalled"].colour]
    assert list(fig.data[1].x) == [2]
    assert json.dumps(charts.figure_data(fig))  # plain JSON for json_script


def test_timeline_marks_deadline_delivery_today_and_the_strategy_period():
    frame = pd.DataFrame([{"id": 1, "initiative": 3, "initiative_title": "t", "code": "3", "short_title": "Study",
                           "status": "delivered_late", "is_context_commitment": False, "deadline": date(2020, 1, 1),
                           "deadline_precision": "year", "date": date(2021, 9, 1), "date_precision": "month"}])
    rows = aggregates.timeline_rows(frame, date(2026, 1, 1))
    events = pd.DataFrame([(1, date(2021, 9, 1), "month", "report", "Study published")],
                          columns=aggregates.EVENT_COLUMNS)
    fig = charts.timeline(rows, events, period_start=date(2020, 7, 24), period_end=date(2025, 12, 31),
                          today=date(2026, 1, 1),
                          labels={k: k for k in ("deadline", "delivered", "events", "today", "period", "no_date")})
    xs = [(trace.name, trace.mode, list(trace.x)) for trace in fig.data]
    assert ("◇ deadline", "markers", ["2020-12-31"]) in xs
    assert ("◉ delivered late", "markers", ["2021-09-01"]) in xs
    assert ("◉ delivered late", "lines", ["2020-12-31", "2021-09-01", None]) in xs  # the delay bar
    assert {shape.type for shape in fig.layout.shapes} == {"rect", "line"}
    assert fig.layout.shapes[1].x0 == "2026-01-01"


def test_map_colours_each_member_state_by_its_category_from_our_own_geojson():
    summary = pd.DataFrame([
        {"code": "DE", "name": "Germany", "iso_alpha3": "DEU", "stage_category": "reasoned_opinion"},
        {"code": "DK", "name": "Denmark", "iso_alpha3": "DNK", "stage_category": "not_bound"},
        {"code": "EL", "name": "Greece", "iso_alpha3": "GRC", "stage_category": "reasoned_opinion"}])
    fig = charts.member_state_map(summary, category="stage_category", vocabulary="stage",
                                  geojson_url="/static/geo.geojson", extra_labels=EXTRA_LABELS)
    areas = [trace for trace in fig.data if trace.type == "choropleth"]
    by_colour = {trace.colorscale[0][1]: list(trace.locations) for trace in areas}
    assert by_colour == {STAGE_LOOK["reasoned_opinion"].colour: ["DEU", "GRC"],
                         EXTRA_LOOK["not_bound"].colour: ["DNK"]}
    assert all(trace.geojson == "/static/geo.geojson" for trace in areas)
    assert fig.layout.geo.scope == "europe"
    # white like the land outside the EU, so Denmark also carries the "not bound" symbol
    [symbols] = [trace for trace in fig.data if trace.type == "scattergeo"]
    assert (list(symbols.locations), list(symbols.text)) == (["DNK"], [EXTRA_LOOK["not_bound"].symbol])


def fitted_figures():
    """The figures with a category axis of row labels: js/charts.js measures the labels they name."""
    counts = pd.DataFrame([{"initiative": 1, "initiative_title": "One", "delivered": 1, "total": 1},
                           {"initiative": 2, "initiative_title": "Two", "delivered": 2, "total": 2}])
    decisions = pd.DataFrame([(7, "EL", "non_communication", None, 1, "letter_of_formal_notice", date(2014, 1, 1),
                               "month", date(2014, 1, 31))], columns=aggregates.DECISION_COLUMNS)
    stage = "Parliament plenary: first-reading position or mandate"
    return {
        "status bar": charts.status_by_initiative_bar(counts, initiative_label="Initiative %(number)s"),
        "timeline": timeline_of({"id": 1, "short_title": "Complete transposition of Directive 2011/93/EU"}),
        "procedure timeline": charts.procedure_timeline(decisions, procedure_names={7: "INFR(2014)0001"}),
        "legislative timeline": charts.legislative_timeline(
            [{"label": stage, "start": date(2023, 11, 22), "end": date(2023, 11, 22), "when": "22 November 2023"},
             {"label": "trilogue", "start": date(2025, 12, 9), "end": date(2025, 12, 9), "when": "9 December 2025"}],
            in_force=[], stage_order=[stage, "trilogue"], in_force_label="in force"),
    }


@pytest.mark.parametrize("name", ["status bar", "timeline", "procedure timeline", "legislative timeline"])
def test_charts_with_row_labels_name_them_so_that_the_page_measures_the_margin_before_drawing(name):
    """plotly.js's automargin draws a chart a second time once it has measured its labels (a task of 90 ms on
    the timeline, over Lighthouse's 50 ms): each such chart names its row labels and asks js/charts.js to
    measure them (meta.fit_labels, meta.fit_bottom), for every row its traces draw, in both layouts."""
    figure = charts.figure_data(fitted_figures()[name])
    layout = figure["layout"]
    assert layout["meta"]["fit_labels"] == charts.FIT_Y_LABELS and layout["meta"]["fit_bottom"] == charts.FIT_FOOT
    rows = layout["yaxis"]["categoryarray"]
    drawn = {y for trace in figure["data"] for y in trace.get("y") or [] if y is not None}
    assert drawn and drawn <= set(rows)
    narrow = (layout["meta"].get("narrow") or {}).get("yaxis")
    if narrow:  # a phone's labels stand for the same rows
        assert narrow["tickvals"] == rows and len(narrow["ticktext"]) == len(rows)


def test_a_legislative_files_stages_wrap_on_a_phone_and_its_rows_grow_to_fit():
    """On a phone the legislative file's chart cut its stages' names ("nt plenary: first-reading position or
    mandate") and left the plot a sliver: on a phone they now wrap, and the chart grows to hold them."""
    layout = charts.figure_data(fitted_figures()["legislative timeline"])["layout"]
    narrow = layout["meta"]["narrow"]
    lines = [line for text in narrow["yaxis"]["ticktext"] for line in text.split("<br>")]
    assert max(len(line) for line in lines) <= 16
    assert "<br>".join(lines).replace("<br>", " ") == " ".join(layout["yaxis"]["categoryarray"])
    assert narrow["height"] > layout["height"]


def test_a_legend_name_too_long_for_a_phone_wraps_there_and_the_figure_grows_to_hold_it():
    """German legends were cut at the chart's edge on a phone ("mit Gründen versehene Stellungnahm"): on a phone
    (meta.narrow) a long name wraps at its spaces, and the figure is taller by the lines added, so that the room
    the page holds for it from the first paint is right too. A short name and the wide layout stay as they are."""
    long_name = "ergänzendes Aufforderungsschreiben (Stadium 1+)"
    traces = [{"type": "scatter", "name": long_name}, {"type": "scatter", "name": "✓ Einstellung"},
              {"type": "scatter", "name": "no legend entry", "showlegend": False}]
    layout = charts._narrow_legend(traces, {"height": 300, "meta": {"narrow": {"height": 200}}})
    narrow = layout["meta"]["narrow"]
    assert narrow["data"] == [{"name": "ergänzendes<br>Aufforderungsschreiben<br>(Stadium 1+)"}, None, None]
    assert narrow["height"] == 200 + 2 * charts.LEGEND_LINE and layout["height"] == 300
    assert traces[0]["name"] == long_name  # the wide layout keeps it whole
    assert charts._narrow_legend(traces[:1], {"height": 300}) == {"height": 300}  # one trace: no legend
    assert charts._narrow_legend(traces, {"height": 300, "showlegend": False}) == {"height": 300, "showlegend": False}
    assert "narrow" not in charts._narrow_legend(traces[1:], {"height": 300}).get("meta", {})
    # and the builders ask for it: a procedure's stages, as German names them
    decisions = pd.DataFrame([
        (7, "EL", "non_communication", None, 1, "letter_of_formal_notice", date(2014, 1, 1), "month",
         date(2014, 1, 31)),
        (7, "EL", "non_communication", None, 2, "reasoned_opinion", date(2016, 1, 1), "day", date(2016, 1, 1))],
        columns=aggregates.DECISION_COLUMNS)
    with translation.override("de"):
        figure = charts.figure_data(charts.procedure_timeline(decisions, procedure_names={7: "EL"}))
    lines = [line for change in figure["layout"]["meta"]["narrow"]["data"] if change
             for line in change["name"].split("<br>")]
    assert lines and max(len(line) for line in lines) <= charts.NARROW_LEGEND_WIDTH
    assert figure["layout"]["meta"]["narrow"]["height"] > figure["layout"]["height"]


def test_a_marker_early_in_the_timelines_first_year_stays_clear_of_the_row_labels():
    """Events of 24 January 2019 drew their cross 24 days from the axis's first day, over the end of the row's
    label ("... enforce ✕"): the axis starts two months before the first year's tick, which stays 2019, and ten
    months before it on a phone."""
    events = pd.DataFrame([(1, date(2019, 1, 24), "day", "report", "One"), (1, date(2019, 3, 1), "day", "report",
                                                                               "Two")],
                          columns=aggregates.EVENT_COLUMNS)
    fig = timeline_of({"id": 1}, events=events)
    first = date.fromisoformat(fig.layout.xaxis.range[0][:10])
    drawn = [date.fromisoformat(str(x)[:10]) for trace in fig.data for x in trace.x or [] if x is not None]
    assert min(drawn) == date(2019, 1, 24) and (min(drawn) - first).days >= 60
    assert fig.layout.xaxis.tickvals[0] == "2019-01-01"
    narrow = fig.layout.meta["narrow"]["xaxis"]  # on a phone, where a year is some 10 px
    assert (min(drawn) - date.fromisoformat(narrow["range"][0][:10])).days >= 300
    assert narrow["range"][1] == fig.layout.xaxis.range[1]


def test_a_procedures_names_wrap_on_a_phone_and_its_first_marks_stay_off_them():
    """On a phone a Member State's procedures chart gave its one-line names ("INFR number unknown
    (non-communication)") more than half the width, and the first stage's mark and number sat on them: there the
    names wrap narrower, the rows grow to fit, and the axis starts a year earlier."""
    decisions = pd.DataFrame([(7, "EL", "non_communication", None, 1, "letter_of_formal_notice", date(2014, 1, 1),
                               "month", date(2014, 1, 31))], columns=aggregates.DECISION_COLUMNS)
    fig = charts.procedure_timeline(decisions, procedure_names={7: "INFR number unknown<br>(non-communication)"})
    narrow = fig.layout.meta["narrow"]
    assert narrow["yaxis"]["ticktext"] == ["INFR number<br>unknown<br>(non-communication)"]
    assert narrow["height"] >= 150 + 3 * 16
    assert fig.layout.xaxis.range[0] == "2013-07-01" and narrow["xaxis"]["range"][0] == "2012-07-01"
    assert narrow["xaxis"]["range"][1] == fig.layout.xaxis.range[1]


def test_letters_bar_and_procedure_timeline_build_from_frames():
    letters = pd.DataFrame([{"year": 2019, "first_letters": 23, "additional_letters": 0, "member_states": 23,
                             "codes": ["AT", "BE"]}])
    fig = charts.letters_by_year_bar(letters, labels={"member_states": "Member States", "year": "year"})
    assert list(fig.data[0].y) == [23]
    decisions = pd.DataFrame([(7, "EL", "non_communication", None, 1, "letter_of_formal_notice", date(2014, 1, 1),
                               "month", date(2014, 1, 31)),
                              (7, "EL", "non_communication", None, 2, "reasoned_opinion", None, "day", None)],
                             columns=aggregates.DECISION_COLUMNS)
    fig = charts.procedure_timeline(decisions, procedure_names={7: "unknown (non-communication)"})
    assert [list(trace.x) for trace in fig.data] == [["2014-01-01"]]  # undated decisions are left out


def timeline_of(*actions, events=None):
    columns = {"id": 0, "initiative": 1, "initiative_title": "t", "code": "1", "short_title": "Action",
               "status": "in_progress", "is_context_commitment": False, "deadline": None, "deadline_precision": "",
               "date": None, "date_precision": "day"}
    frame = pd.DataFrame([{**columns, **action} for action in actions])
    rows = aggregates.timeline_rows(frame, date(2026, 11, 30))
    events = events if events is not None else pd.DataFrame([], columns=aggregates.EVENT_COLUMNS)
    return charts.timeline(rows, events, period_start=date(2020, 7, 24), period_end=date(2025, 12, 31),
                           today=date(2026, 11, 30),
                           labels={k: k for k in ("deadline", "delivered", "events", "event_groups", "today", "period",
                                                  "no_date")})


def test_every_key_action_on_the_timeline_shows_its_state_even_with_no_date():
    fig = timeline_of({"id": 4, "code": "4", "status": "delivered"},
                      {"id": 2, "code": "2a", "status": "partially_delivered"},
                      {"id": 1, "code": "1", "status": "in_progress"},
                      {"id": 8, "code": "8", "status": "unknown"})
    shown = {}
    for trace in fig.data:
        if trace.mode == "markers" and trace.name[0] in "●◑◐?":
            for y, text in zip(trace.y, trace.customdata, strict=True):
                shown[y.split(" ")[0]] = text
    assert shown == {"1/4": "delivered, no_date", "1/2a": "partially delivered, no_date",
                     "1/1": "in progress, no_date", "1/8": "unknown, no_date"}


def test_timeline_labels_wrap_and_are_never_cut():
    title = "EU Internet Forum expert process on detection in end-to-end encrypted communications"
    fig = timeline_of({"id": 7, "code": "7", "short_title": title})
    [label] = fig.layout.yaxis.categoryarray
    assert "…" not in label and label.replace("<br>", " ") == "1/7 " + title
    assert all(len(line) <= 34 for line in label.split("<br>"))
    narrow = fig.layout.meta["narrow"]["yaxis"]["ticktext"][0]
    assert narrow.replace("<br>", " ") == "1/7 " + title  # the title on a phone too, not just the code


def test_hover_text_keeps_the_precision_of_the_date():
    fig = timeline_of({"id": 3, "code": "3", "status": "delivered_late", "deadline": date(2020, 1, 1),
                       "deadline_precision": "year", "date": date(2021, 9, 1), "date_precision": "month"})
    texts = [str(item) for trace in fig.data for item in (trace.customdata if trace.customdata is not None else [])]
    assert "delivered late, delivered September 2021" in texts
    assert "2020" in texts  # the deadline, to the year it names
    decisions = pd.DataFrame([(7, "EL", "non_communication", None, 1, "letter_of_formal_notice", date(2014, 1, 1),
                               "month", date(2014, 1, 31))], columns=aggregates.DECISION_COLUMNS)
    fig = charts.procedure_timeline(decisions, procedure_names={7: "EL"})
    assert list(fig.data[0].customdata) == ["January 2014"]


@pytest.mark.parametrize(("first", "last"), [(2018, 2020), (2013, 2026), (1990, 2026), (2019, 2019)])
def test_a_year_axis_never_repeats_a_year(first, last):
    step = charts.year_step(first, last)
    assert step >= 1 and -(-(last - first + 1) // step) <= 9


def test_letters_by_year_are_on_a_linear_axis_that_shows_the_gap_years():
    letters = pd.DataFrame([{"year": y, "first_letters": 1, "additional_letters": 0, "member_states": 1,
                             "codes": ["AT"]} for y in (2014, 2019, 2022, 2023)])
    fig = charts.letters_by_year_bar(letters, labels={"member_states": "Member States", "year": "year"})
    assert fig.layout.xaxis.type == "linear" and fig.layout.xaxis.dtick == 1
    assert list(fig.data[0].x) == [2014, 2019, 2022, 2023]


def test_a_closure_known_to_lie_between_two_days_is_a_line_over_the_interval_with_its_marker_at_the_end():
    decisions = pd.DataFrame([(7, "FR", "non_conformity", "INFR(2019)2232", 1, "letter_of_formal_notice",
                               date(2019, 10, 10), "day", date(2019, 10, 10)),
                              (7, "FR", "non_conformity", "INFR(2019)2232", 2, "closed", date(2020, 8, 24), "between",
                               date(2021, 6, 22))], columns=aggregates.DECISION_COLUMNS)
    fig = charts.procedure_timeline(decisions, procedure_names={7: "FR"})
    line, *markers = fig.data
    assert (line.mode, list(line.x)) == ("lines", ["2020-08-24", "2021-06-22", None])
    closure = next(trace for trace in markers if "closure" in trace.name)
    assert list(closure.x) == ["2021-06-22"]
    assert list(closure.customdata) == ["between 24 August 2020 and 22 June 2021"]
    assert fig.layout.xaxis.range[1] >= "2021-07-01"


def test_a_charts_hover_text_is_one_sentence_translators_can_reorder():
    """The stage, the word "dated" and the date were glued together in code, in English order; now they are one
    message, so German can put the date where German wants it."""
    from django.utils import translation
    from django.utils.translation import trans_real

    decisions = pd.DataFrame([(7, "DE", "non_communication", None, 1, "reasoned_opinion", date(2014, 1, 1),
                               "month", date(2014, 1, 31))], columns=aggregates.DECISION_COLUMNS)
    try:
        with translation.override("de"):
            trans_real.translation("de")._catalog["%(what)s, dated %(when)s"] = "%(what)s vom %(when)s"
            fig = charts.procedure_timeline(decisions, procedure_names={7: "DE"})
        assert "vom %{customdata}" in fig.data[0].hovertemplate
    finally:
        trans_real._translations.clear()


def test_an_initiatives_bar_is_named_by_one_message_with_its_number():
    counts = pd.DataFrame([{"initiative": 2, "initiative_title": "Two", "delivered": 1, "total": 1}])
    fig = charts.status_by_initiative_bar(counts, initiative_label="Initiative n° %(number)s")
    assert list(fig.data[0].y) == ["Initiative n° 2"]
    assert fig.data[0].hovertemplate.startswith("%{y}: %{x} delivered")


def event_crosses(fig):
    """The timeline's event traces (× one event, ✕ several), by name's first character."""
    return {trace.name[0]: trace for trace in fig.data if trace.name and trace.name[0] in "×✕"}


def many_events():
    """Key action 1: 300 events in 2021 (the first on 3 February, the last in November, known to the month), one in
    2022; key action 2: three on the same day."""
    rows = [(1, date(2021, 2, 3), "day", "report", "First of the year")]
    rows += [(1, date(2021, 3 + i % 8, 1 + i % 28), "day", "report", f"Step {i}") for i in range(298)]
    rows += [(1, date(2021, 11, 1), "month", "report", "Last of the year"),
             (1, date(2022, 5, 14), "day", "adoption", "Adopted by the Council"),
             *[(2, date(2023, 1, 9), "day", "report", f"Same day {i}") for i in range(3)]]
    return pd.DataFrame(rows, columns=aggregates.EVENT_COLUMNS)


def test_the_timeline_draws_at_most_one_cross_per_key_action_and_year_whatever_the_number_of_events():
    fig = timeline_of({"id": 1, "code": "1"}, {"id": 2, "code": "2"}, events=many_events())
    crosses = event_crosses(fig)
    assert sum(len(trace.x) for trace in crosses.values()) == 3  # 1/2021, 1/2022, 2/2023: not 303
    assert len(json.dumps(charts.figure_data(fig))) < 20_000


def test_a_single_event_keeps_its_date_to_its_precision_and_its_description():
    fig = timeline_of({"id": 1, "code": "1"}, {"id": 2, "code": "2"}, events=many_events())
    single = event_crosses(fig)["×"]
    assert list(single.x) == ["2022-05-14"]
    assert [list(item) for item in single.customdata] == [["14 May 2022", "Adopted by the Council"]]


def test_a_group_of_events_is_drawn_on_its_first_event_and_says_how_many_and_between_which_dates():
    fig = timeline_of({"id": 1, "code": "1"}, {"id": 2, "code": "2"}, events=many_events())
    group = event_crosses(fig)["✕"]
    assert list(group.x) == ["2021-02-03", "2023-01-09"]  # real days: the first event of each group
    assert list(group.customdata) == [
        "300 dated events between 3 February 2021 and November 2021 (marked on the first)",
        "3 dated events, all dated 9 January 2023"]
    assert group.name == "✕ event_groups"


def test_grouping_events_in_pandas_gives_the_columns_the_sql_gives():
    groups = aggregates.event_groups(many_events())
    assert list(groups.columns) == aggregates.EVENT_GROUP_COLUMNS
    assert groups[["key_action_id", "year", "n"]].values.tolist() == [[1, 2021, 300], [1, 2022, 1], [2, 2023, 3]]
    assert groups.iloc[0]["description"] == "First of the year"
    assert (groups.iloc[0]["last_date"], groups.iloc[0]["last_precision"]) == (date(2021, 11, 1), "month")
    assert aggregates.event_groups(groups) is groups
