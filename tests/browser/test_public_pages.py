"""Each public page in Chromium: it opens with no console error and no request to another origin, and its
charts are drawn (plotly.js from our static files, the map's geometry too)."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_page(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    page.wait_for_load_state("networkidle")
    return page


def drawn_charts(page):
    """Scrolls to each chart (js/charts.js loads plotly.js as a chart nears the screen) and counts those drawn."""
    for chart in page.locator("[data-plotly-figure]").all():
        chart.scroll_into_view_if_needed()
    page.wait_for_function("""() => [...document.querySelectorAll('[data-plotly-figure]')]
        .every(chart => chart.querySelector('.main-svg'))""", timeout=10_000)
    return page.locator(".chart-drawn").count()


def test_a_chart_far_below_the_screen_is_not_drawn_and_its_plotly_not_loaded_until_a_reader_scrolls_to_it(page):
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if "plotly" in request.url else None)
    page.set_viewport_size({"width": 1280, "height": 700})
    open_page(page, "/infringements/")  # the letters chart is under the register's filters and summary
    assert page.locator(".chart-drawn").count() == 0 and scripts == []
    assert page.locator("#chart-letters").evaluate("e => parseFloat(getComputedStyle(e).minHeight)") == 320
    assert drawn_charts(page) == 1
    assert any("plotly-basic" in url for url in scripts) and any(url.endswith(".css") for url in scripts)



@pytest.mark.parametrize(("width", "layout"), [(1280, "wide"), (390, "narrow")])
def test_a_chart_holds_its_height_before_any_script_runs_so_the_text_below_does_not_move(page, width, layout):
    """Lighthouse once measured a layout shift of 0.22 on /timeline/: the page was painted before js/charts.js
    gave each chart its height, and the table below jumped down. The room is now in the HTML and CSS: here
    charts.js does nothing, and each chart already has the height its drawing will take (the phone layout's on
    a phone); the fallback text takes none of it."""
    page.route("**/js/charts*.js", lambda route: route.fulfill(status=200, content_type="text/javascript", body=""))
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, "/timeline/")
    charts = page.locator("[data-plotly-figure]").all()
    assert charts
    for chart in charts:
        figure = page.evaluate("id => JSON.parse(document.getElementById(id).textContent)",
                               chart.get_attribute("data-plotly-figure"))
        expected = figure["layout"]["height"]
        if layout == "narrow":
            expected = ((figure["layout"].get("meta") or {}).get("narrow") or {}).get("height", expected)
        assert chart.evaluate("e => e.getBoundingClientRect().height") == pytest.approx(expected, abs=1)
        assert chart.locator(".chart-fallback").is_visible()

def chart_boxes(page):
    """Where each drawn chart, its plot, its row and axis labels and its legend lie on the page."""
    return page.evaluate("""() => [...document.querySelectorAll('.chart-drawn')].map(chart => {
        const box = e => { const r = e.getBoundingClientRect();
                           return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
        const legend = chart.querySelector('.legend');
        return {id: chart.id, chart: box(chart), plot: box(chart.querySelector('.nsewdrag')),
                rows: [...chart.querySelectorAll('.ytick text')].map(box),
                ticks: [...chart.querySelectorAll('.xtick text')].map(box), legend: legend && box(legend),
                measured: chart.layout.yaxis.automargin === false,
                foot_measured: chart.layout.xaxis.automargin === false};
    })""")


def charts_drawn_at(page, path, width, *, having):
    """The boxes of the charts of `path` drawn at `width` that have row labels ("rows") or a legend ("legend")."""
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, path)
    assert drawn_charts(page) >= 1
    charts = [chart for chart in chart_boxes(page) if chart[having]]
    assert charts
    return charts


@pytest.mark.parametrize("width", [1280, 390, 320])
@pytest.mark.parametrize("path", ["/", "/timeline/", "/member-states/EL/", "/legislation/2022-0155-COD/"])
def test_row_labels_are_never_cut_and_leave_the_plot_its_room(page, path, width):
    """js/charts.js measures a chart's row labels before drawing and sets its margins, instead of plotly.js's
    automargin drawing the chart twice. Whatever measures them, at every width each label lies whole inside the
    chart, the plot keeps a third of its width, and the axis's ticks stay clear of the legend. (On a phone the
    legislative file's stages were cut, "nt plenary: first-reading ...", beside a sliver of a plot.)"""
    charts = charts_drawn_at(page, path, width, having="rows")
    for chart in charts:
        frame, plot = chart["chart"], chart["plot"]
        assert all(row["left"] >= frame["left"] - 1 and row["right"] <= plot["left"] + 1 for row in chart["rows"]), \
            chart["id"]
        assert plot["right"] - plot["left"] >= (frame["right"] - frame["left"]) / 3, chart["id"]
        if chart["legend"]:
            assert all(tick["bottom"] <= chart["legend"]["top"] + 1 for tick in chart["ticks"]), chart["id"]
        assert all(tick["bottom"] <= frame["bottom"] + 1 for tick in chart["ticks"]), chart["id"]
    if width == 1280:  # the wide layout is measured before drawing, and drawn once
        assert all(chart["measured"] for chart in charts)
        if path in ("/", "/timeline/"):  # legends clear of a line break: their rows are sure
            assert all(chart["foot_measured"] for chart in charts)


@pytest.mark.parametrize("width", [390, 320])
@pytest.mark.parametrize("path", ["/de/", "/de/member-states/EL/"])
def test_a_legend_stays_whole_inside_its_chart_on_a_phone(page, path, width):
    """German legend names were cut at the chart's edge on a phone ("mit Gründen versehene Stellungnahm", "?
    unbekannt (keine veröffentlichte Auf"): they wrap, and the chart is tall enough for every entry."""
    for chart in charts_drawn_at(page, path, width, having="legend"):
        entries = page.locator(f"#{chart['id']} .legend .traces text").all()
        assert entries
        for entry in entries:
            box = entry.bounding_box()
            assert box["x"] + box["width"] <= chart["chart"]["right"] + 1, entry.text_content()
            assert box["y"] + box["height"] <= chart["chart"]["bottom"] + 1, entry.text_content()


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_the_matrix_is_a_table_of_coloured_cells_that_scrolls_inside_its_box(page, width):
    """The Directive's matrix is one table: a row per Member State, a cell per article, each cell coloured by its
    value and showing its symbol; on a phone the table scrolls sideways in its own box, never the page. No chart
    script loads (the page drew the same cells a second time with plotly.js)."""
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, "/directive/?group=victims")
    assert not [url for url in scripts if "plotly" in url or "charts" in url]
    cells = page.evaluate("""() => [...document.querySelectorAll('table.matrix tbody tr')].map(row =>
        [...row.querySelectorAll('td.cell')].map(cell => [cell.className, getComputedStyle(cell).backgroundColor,
                                                          cell.querySelector('[aria-hidden]').textContent]))""")
    assert len(cells) == 27 and all(len(row) == 4 for row in cells)
    colours = {}
    for row in cells:
        for class_name, colour, symbol in row:
            assert symbol.strip()
            colours.setdefault(class_name, set()).add(colour)
    assert len(colours) >= 2 and all(len(found) == 1 for found in colours.values())  # one colour per value
    assert len({next(iter(found)) for found in colours.values()}) == len(colours)  # and values apart
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_overview_draws_its_progress_chart_and_compact_timeline(page):
    open_page(page, "/")
    assert "Overview" in page.title()
    assert drawn_charts(page) == 2
    assert page.locator("#chart-progress .main-svg").count() >= 1
    assert page.get_by_text("The 2019 letters of formal notice reach 23 Member States.").is_visible()


def test_initiative_list_opens(page):
    open_page(page, "/initiatives/")
    assert page.get_by_role("heading", level=1).inner_text() == "Initiatives and their key actions"
    assert page.locator("table.data-table").count() == 8


def test_initiative_detail_opens(page):
    open_page(page, "/initiatives/7/")
    assert page.get_by_text("25 days late").is_visible()


def test_timeline_draws_the_gantt_with_a_today_line(page):
    open_page(page, "/timeline/?kind=key_action")
    assert drawn_charts(page) == 1
    assert page.locator("#chart-timeline .shapelayer path").count() >= 2  # the strategy period and today
    page.get_by_label("Status").select_option("delivered_late")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")
    assert "status=delivered_late" in page.url


def test_member_state_map_is_drawn_from_our_own_geometry(page):
    geometry = []
    page.on("response", lambda r: geometry.append(r.url) if r.url.endswith((".geojson", ".json")) else None)
    open_page(page, "/member-states/")
    assert drawn_charts(page) == 1
    page.wait_for_selector("#chart-map .choropleth path", state="attached", timeout=10_000)
    assert page.locator("#chart-map .choropleth path").count() >= 27
    assert any(url.endswith("/eu27_50m.geojson") for url in geometry)
    assert any(url.endswith("/europe_110m.json") for url in geometry)


def test_member_state_detail_draws_its_procedures(page):
    open_page(page, "/member-states/EL/")
    assert drawn_charts(page) == 1
    assert page.get_by_text("January 2014").first.is_visible()


def test_infringement_register_draws_the_letters_chart_and_filters(page):
    open_page(page, "/infringements/")
    assert drawn_charts(page) == 1
    page.get_by_label("Member State").select_option("EL")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("2 procedures match these filters.").is_visible()


def test_about_opens(page):
    open_page(page, "/about/")
    assert page.get_by_role("heading", name="What is unknown").is_visible()


def test_pages_work_with_javascript_off(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/member-states/")
    assert page.get_by_text("The chart needs JavaScript").is_visible()
    assert page.locator("table.data-table tbody tr").count() == 27
    context.close()


def test_a_reader_picks_a_past_date_and_steps_through_the_years_on_the_map(page):
    open_page(page, "/member-states/?measure=stage")
    page.get_by_label("Show as of").fill("2014-12-31")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "as_of=2014-12-31" in page.url and "measure=stage" in page.url  # the map's own choice is kept
    assert page.get_by_text("Past date: this page shows the state on 31 December 2014.").is_visible()
    assert drawn_charts(page) == 1
    assert page.get_by_text("6 of the 26 bound Member States").is_visible()
    page.get_by_role("link", name="a year later ›").click()
    page.wait_for_load_state("networkidle")
    assert "as_of=2015-12-31" in page.url
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Infringements").click()
    page.wait_for_load_state("networkidle")
    assert "as_of=2015-12-31" in page.url  # the reader stays on the day shown
    page.get_by_role("link", name="Back to today").click()
    page.wait_for_load_state("networkidle")
    assert "as_of" not in page.url and page.get_by_text("Past date").count() == 0


def test_links_to_other_public_pages_keep_the_past_day(page):
    open_page(page, "/infringements/?as_of=2015-12-31&member_state=MT")
    page.locator("table.data-table tbody a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/member-states/MT/" in page.url and "as_of=2015-12-31" in page.url
    assert page.get_by_text("Past date: this page shows the state on 31 December 2015.").is_visible()
    # the same procedure, today (the register links to the procedure on its Member State's page)
    shown = urlsplit(page.url)
    today = "&".join(part for part in shown.query.split("&") if not part.startswith("as_of="))
    assert page.get_by_role("link", name="Back to today").get_attribute("href") == f"{shown.path}?{today}"
    assert "as_of" not in page.locator("footer a").first.get_attribute("href")  # open data is today's
