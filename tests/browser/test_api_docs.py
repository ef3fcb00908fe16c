"""Swagger UI at /api/docs/ runs from our own static files under the strict CSP: no console error (a CSP
violation is one), no request off-origin, and "Try it out" reaches the API."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_work_under_the_strict_csp(page):
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("/api/member-states/{code}/").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_placeholder("code").fill("EL")
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table .response .response-col_status")
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert "Greece" in page.locator(".live-responses-table .microlight").first.inner_text()


def test_the_open_data_page_opens_without_errors(page):
    page.goto("/open-data/")
    page.locator("#table-infringement_decisions summary").click()
    assert page.get_by_role("cell", name="decision_date").is_visible()
