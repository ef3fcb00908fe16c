"""Accessibility in a real browser: axe-core finds no WCAG 2.1 A or AA violation on any public page, at
desktop and phone width, nor in the staff and liaison workspaces; a keyboard user sees where focus is.

A page whose issue has not landed yet (its URL does not resolve at all) is skipped, and the message says so;
a page that resolves but does not answer 200 fails.
"""

import pytest
from django.urls import Resolver404, resolve

from .conftest import LANGUAGE_PREFIXES, axe_violations, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/initiatives/", "/initiatives/1/", "/timeline/", "/member-states/", "/member-states/EL/",
                "/directive/", "/infringements/", "/about/", "/open-data/", "/accounts/login/",
                "/?as_of=2019-12-31", "/member-states/?as_of=2014-12-31", "/timeline/?as_of=nonsense",
                "/search/?q=Malta", "/search/?q=offender+programmes"]
# The main pages of each workspace, visited in one session per user.
WORKSPACES = {
    "staff": ["/staff/", "/staff/key-actions/", "/staff/procedures/", "/staff/procedures/open/",
              "/staff/assessments/", "/staff/assessments/DE/", "/staff/reviews/", "/staff/deadlines/",
              "/staff/needs-checking/", "/staff/as-recorded/?on=2026-01-31"],
    "liaison-de": ["/liaison/", "/liaison/DE/", "/liaison/DE/articles/3/", "/liaison/DE/articles/"],
}
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def resolves(path) -> bool:
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def existing(path):
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        pytest.skip(f"{path} does not exist yet (404: its issue has not landed), so it has no accessibility test")
    return path


def open_html_page(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    if "text/html" not in response.headers.get("content-type", ""):
        pytest.skip(f"{path} is not an HTML page ({response.headers.get('content-type')}): nothing for axe")
    return response


def assert_no_violations(page, path, width):
    violations = axe_violations(page)
    assert violations == [], f"{path} at {width}px:\n{describe_violations(violations)}"


@pytest.mark.parametrize("prefix", LANGUAGE_PREFIXES)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_public_page_has_no_wcag_21_aa_violation_on_desktop_or_phone(page, path, prefix):
    path = prefix + existing(path)
    open_html_page(page, path)
    assert_no_violations(page, path, DESKTOP["width"])
    page.set_viewport_size(PHONE)
    assert_no_violations(page, path, PHONE["width"])


@pytest.mark.parametrize("prefix", LANGUAGE_PREFIXES)
@pytest.mark.parametrize("username", WORKSPACES)
def test_a_workspace_has_no_wcag_21_aa_violation(page, log_in, accounts, username, prefix):
    paths = [prefix + path for path in WORKSPACES[username] if resolves(path)]
    if not paths:
        pytest.skip(f"the pages of {username}'s workspace do not exist yet (404: their issue has not landed)")
    log_in(username)
    found = {}
    for path in paths:
        open_html_page(page, path)
        assert "/accounts/login/" not in page.url, f"{username} was sent to the login page from {path}"
        violations = axe_violations(page)
        if violations:
            found[path] = describe_violations(violations)
    assert found == {}, "\n".join(f"{path}:\n{text}" for path, text in found.items())


def test_a_keyboard_user_can_log_in_without_a_mouse(page, log_in, accounts):
    log_in("staff")
    assert page.get_by_role("button", name="Log out staff").is_visible()


FOCUS_STYLE = """() => {
  const element = document.activeElement, style = getComputedStyle(element);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                  || style.boxShadow !== 'none';
  return {tag: element.tagName, text: (element.textContent || element.value || '').trim().slice(0, 40),
          visible: visible, onScreen: element.getBoundingClientRect().width > 0};
}"""


@pytest.mark.parametrize("path", ["/", "/infringements/"])
def test_every_element_a_keyboard_user_reaches_shows_its_focus(page, path):
    open_html_page(page, existing(path))
    seen, unmarked = set(), []
    for _ in range(150):  # bounded: a page with more stops than this is itself a keyboard problem
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        key = (focused["tag"], focused["text"])
        if focused["tag"] == "BODY" or key in seen:
            break
        seen.add(key)
        if not (focused["visible"] and focused["onScreen"]):
            unmarked.append(key)
    assert len(seen) > 1, f"Tab reached nothing on {path}"
    assert unmarked == [], f"focus is not visible on: {unmarked}"


def test_a_page_number_of_the_register_is_a_target_of_at_least_24_by_24_pixels(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/infringements/")
    links = page.locator("nav.pagination a")
    assert links.count() >= 2
    for box in [links.nth(i).bounding_box() for i in range(links.count())]:
        assert box["width"] >= 24 and box["height"] >= 24, box
