"""The browser can open the overview with no console error and no request to another origin."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_overview_opens_in_chromium_without_errors(page):
    page.goto("/")
    assert "Overview" in page.title()
    assert page.get_by_role("heading", level=1).is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"


def test_after_a_browser_test_the_real_data_is_back(client):
    assert "Improve protection of children globally" in client.get("/").content.decode()
