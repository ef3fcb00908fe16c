"""Issue 15 in Chromium: the language switcher with the keyboard, the choice remembered, a phone's width."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, name, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    pytest.fail(f"Tab never reached {name!r}")


def test_a_keyboard_user_switches_to_german_and_stays_in_german_until_english_is_chosen(page):
    page.goto("/initiatives/")
    tab_to(page, "Deutsch")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/de/initiatives/")
    assert page.evaluate("document.documentElement.lang") == "de"
    page.goto("/member-states/")
    assert page.url.endswith("/de/member-states/")  # remembered
    tab_to(page, "English")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/member-states/") and "/de/" not in page.url
    page.goto("/about/")
    assert page.url.endswith("/about/") and page.evaluate("document.documentElement.lang") == "en"


@pytest.mark.parametrize("width", [320, 390])
def test_the_switcher_fits_a_phone_and_names_each_language_in_itself(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/de/")
    switcher = page.get_by_role("navigation", name="Sprache")
    for name, code in [("English", "en"), ("français", "fr"), ("Deutsch", "de")]:
        link = switcher.get_by_role("link", name=name, exact=False)
        assert link.get_attribute("lang") == code and link.get_attribute("hreflang") == code
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_on_a_french_page_of_a_past_day_the_links_keep_the_day(page):
    page.goto("/fr/infringements/?as_of=2015-12-31&member_state=MT")
    page.locator("table.data-table tbody a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/fr/member-states/MT/" in page.url and "as_of=2015-12-31" in page.url


def test_a_german_chart_writes_its_axes_with_german_separators_and_month_names(page):
    """plotly.js knew only English: on /de/ pages its axes wrote "Jan 2021" and "1,234.5". The page now hands it the
    language's month names and separators (#plotly-locale, from Django's translations)."""
    from .test_public_pages import drawn_charts, open_page

    open_page(page, "/de/timeline/?kind=key_action")
    assert drawn_charts(page) >= 1
    chart = page.locator("#chart-timeline")
    assert chart.evaluate("element => element._fullLayout.separators") == ",."
    month = chart.evaluate("element => element._fullLayout._d3locale.timeFormat('%B')(new Date(Date.UTC(2021, 2, 15)))")
    assert month == "März"
