"""Issue 14, in Chromium: charts that read right, pages that fit a phone, the map that opens a Member State."""

from datetime import date

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_page(page, path, width=1280):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    page.wait_for_load_state("networkidle")
    return page


def chart(page, selector):
    page.locator(selector).scroll_into_view_if_needed()  # js/charts.js loads plotly.js as a chart nears the screen
    page.wait_for_selector(f"{selector}.chart-drawn .main-svg", state="attached", timeout=10_000)
    return page.locator(selector)


def tick_labels(page, selector, axis="x"):
    return page.locator(f"{selector} .{axis}tick text").evaluate_all("nodes => nodes.map(n => n.textContent)")


def boxes_overlap(a, b) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def add_reasoned_opinion_for_germany():
    from initiatives.models import Decision, InfringementProcedure

    procedure = InfringementProcedure.objects.filter(member_state__code="DE").first()
    last = procedure.decisions.order_by("-position").first()
    Decision.objects.create(procedure=procedure, position=last.position + 1, stage="reasoned_opinion",
                            date=date(2020, 2, 1), date_precision="month")


def test_germanys_decisions_over_time_never_repeats_a_year_on_its_axis(page):
    open_page(page, "/member-states/DE/")
    chart(page, "#chart-procedures")
    years = tick_labels(page, "#chart-procedures")
    assert years, "the axis has year labels"
    assert len(years) == len(set(years)), f"repeated ticks: {years}"


def test_after_a_decision_is_added_the_legend_stays_clear_of_the_year_labels(page):
    add_reasoned_opinion_for_germany()
    open_page(page, "/member-states/DE/")
    chart(page, "#chart-procedures")
    legend = page.locator("#chart-procedures .legend").bounding_box()
    assert legend is not None, "two stages: the legend shows"
    for tick in page.locator("#chart-procedures .xtick text").all():
        assert not boxes_overlap(legend, tick.bounding_box()), f"the legend covers the year {tick.text_content()}"


def test_hovering_a_decision_known_to_the_month_names_the_month_not_a_day(page):
    open_page(page, "/member-states/EL/")
    chart(page, "#chart-procedures")
    hovers = []
    points = page.locator("#chart-procedures .scatterlayer .point")
    for index in range(points.count()):  # the 2014 case is listed after the open one
        page.mouse.move(0, 0)
        points.nth(index).hover(force=True)
        page.wait_for_timeout(100)
        hovers.append(page.locator("#chart-procedures .hoverlayer").text_content())
    assert any("January 2014" in hover for hover in hovers), hovers
    assert not any("Jan 1, 2014" in hover for hover in hovers), hovers


def test_letters_by_year_show_the_years_without_letters(page):
    open_page(page, "/infringements/")
    chart(page, "#chart-letters")
    years = tick_labels(page, "#chart-letters")
    assert {"2015", "2016", "2017", "2018"} <= set(years), years
    assert len(years) == len(set(years))


# --- Phone: no public page is wider than the screen ---------------------------------------------------------------

WIDE_PAGES = ["/", "/initiatives/", "/initiatives/2/", "/timeline/", "/member-states/", "/member-states/DE/",
              "/member-states/EL/", "/directive/", "/infringements/", "/about/", "/open-data/", "/api/docs/",
              "/accounts/login/", "/legislation/", "/search/?q=Malta", "/search/?q=reasoned+opinion"]


@pytest.mark.parametrize("prefix", ["", "/de"])  # German: the longest words
@pytest.mark.parametrize("path", WIDE_PAGES)
def test_no_public_page_is_wider_than_a_phone_or_tablet(page, path, prefix):
    from django.urls import Resolver404, resolve

    try:
        resolve(path.split("?")[0])
    except Resolver404:
        pytest.skip(f"{path} does not exist yet")
    if prefix and path.startswith("/api/"):
        pytest.skip("the API's pages are language-neutral")
    path = prefix + path
    too_wide = {}
    for width in (320, 390, 768):
        open_page(page, path, width)
        page.wait_for_timeout(300)  # charts redraw for the width
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            culprits = page.evaluate("""w => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-scroll'))
                .slice(0, 4).map(e => e.tagName + '.' + e.className + ' '
                            + Math.round(e.getBoundingClientRect().right))""",
                                     width)
            too_wide[width] = (scroll_width, culprits)
    assert too_wide == {}, f"{path}: wider than the screen: {too_wide}"


def test_the_registers_stage_column_is_reached_by_scrolling_the_table_and_its_first_column_stays(page):
    open_page(page, "/infringements/", 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("table.data-table").first.locator("xpath=..")
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    first_cell = page.locator("table.data-table tbody tr td").first
    assert first_cell.evaluate("e => getComputedStyle(e).position") == "sticky"


# --- The map opens a Member State's page ------------------------------------------------------------------------


def map_shape(page, iso3):
    page.wait_for_selector("#chart-map .choroplethlocation[role=link]", state="attached", timeout=10_000)
    index = page.evaluate("""iso => [...document.querySelectorAll('#chart-map .choroplethlocation')]
        .findIndex(p => p.__data__ && p.__data__.loc === iso)""", iso3)
    assert index >= 0, f"{iso3} is not on the map"
    return page.locator("#chart-map .choroplethlocation").nth(index)


def test_a_click_on_a_member_state_on_the_map_opens_its_page(page):
    open_page(page, "/member-states/")
    shape = map_shape(page, "DEU")
    with page.expect_navigation():
        shape.click(force=True)
    assert page.url.endswith("/member-states/DE/")


def test_a_keyboard_user_opens_a_member_state_from_the_map(page):
    open_page(page, "/member-states/")
    shape = map_shape(page, "FIN")
    assert shape.get_attribute("tabindex") == "0" and shape.get_attribute("aria-label") == "Finland"
    shape.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/member-states/FI/")


def test_the_map_is_not_cut_at_its_right_edge(page):
    open_page(page, "/member-states/")
    finland = map_shape(page, "FIN").bounding_box()
    frame = page.locator("#chart-map .geo .bglayer, #chart-map .geolayer").first.bounding_box()
    chart = page.locator("#chart-map").bounding_box()
    assert finland["x"] + finland["width"] < chart["x"] + chart["width"] - 5
    assert frame is not None


@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_a_procedures_decisions_keep_a_narrow_number_column_and_a_readable_note(page, width):
    """On a phone the decisions' "#" column took 7rem (every cell of a sideways-scrolling table had that minimum)
    and stayed fixed on the left while the table scrolled, and the notes wrapped at some 15 characters a line."""
    open_page(page, "/member-states/EL/", width)
    table = page.locator("article.procedure .data-table").first
    number = table.locator("thead th").first.bounding_box()
    note = table.locator("thead th").nth(3).bounding_box()
    rem = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert number["width"] <= 3.5 * rem, f"the number column is {number['width']} px wide"
    assert note["width"] >= 13.5 * rem, f"the note column is {note['width']} px wide"
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the table scrolls, not the page
