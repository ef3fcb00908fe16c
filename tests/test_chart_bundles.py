"""Every page with a chart names the plotly.js partial bundle that draws all its figure's traces, loads no
plotly.js of its own in <head>, and blocks the first paint with no script: js/charts.js is deferred and loads
the bundle after the page is read (tests/browser/ sees the charts drawn)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.templatetags.static import static

from initiatives import charts

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parent.parent / "initiatives" / "static"
CHART_PAGES = ["/", "/timeline/", "/member-states/", "/member-states/?measure=assessment", "/member-states/DE/",
               "/infringements/", "/legislation/2025-0429-COD/", "/?as_of=2021-12-31"]


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.charts, self.data, self._data_id = [], [], {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/json":
            self._data_id = attrs.get("id")
        if "data-plotly-figure" in attrs:
            self.charts.append(attrs)

    def handle_data(self, data):
        if self._data_id:
            self.data[self._data_id] = json.loads(data)
            self._data_id = None


def read(client, url) -> Page:
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = Page()
    parsed.feed(response.content.decode())
    return parsed


def traces_in(bundle_url: str) -> set[str]:
    """The trace types the served bundle registers, read from the file itself."""
    path = next(path for path in charts.PLOTLY_BUNDLES if static(path) == bundle_url)
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', (STATIC / path).read_text(encoding="utf-8")))


@pytest.mark.parametrize("url", CHART_PAGES)
def test_each_chart_names_a_bundle_that_draws_every_trace_of_its_figure(client, url):
    page = read(client, url)
    assert page.charts, f"{url} draws no chart"
    for chart in page.charts:
        figure = page.data[chart["data-plotly-figure"]]
        assert chart["data-plotly-bundle"] == static(charts.bundle_for(figure))
        assert charts.trace_types(figure) <= traces_in(chart["data-plotly-bundle"])


def test_the_map_gets_the_geo_bundle_and_the_bar_charts_the_basic_one(client):
    assert {c["data-plotly-bundle"] for c in read(client, "/member-states/").charts} == {
        static("initiatives/vendor/plotly/plotly-geo.min.js")}
    for url in ["/", "/infringements/", "/timeline/"]:
        assert {c["data-plotly-bundle"] for c in read(client, url).charts} == {
            static("initiatives/vendor/plotly/plotly-basic.min.js")}, url


def test_the_directive_matrix_is_a_table_and_loads_no_chart_script(client):
    """The Directive's matrix is a table of coloured cells (each with its symbol and, for screen readers, its
    meaning): the page drew the same cells a second time as a plotly.js grid, whose 400 KB script took 150 ms of
    the main thread to start and 70-80 ms to draw."""
    page = read(client, "/directive/")
    assert page.charts == []
    assert not [script for script in page.scripts if "charts.js" in script["src"] or "plotly" in script["src"]]


@pytest.mark.parametrize("url", [*CHART_PAGES, "/directive/", "/about/", "/initiatives/"])
def test_no_page_loads_plotly_in_its_markup_nor_any_script_that_blocks_the_first_paint(client, url):
    response = client.get(url)
    page = Page()
    page.feed(response.content.decode())
    assert "plotly.min.js" not in response.content.decode()
    for script in page.scripts:
        assert "plotly" not in script["src"], script
        assert "defer" in script or "async" in script or script.get("type") == "module", script
