"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium).

In CI (CI=true) a missing Chromium fails the run; on a developer machine without it the browser tests
are skipped with a message that says so. `page` collects console errors and requests to other origins.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must install it (apt-get install chromium).")
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class PageWatch:
    def __init__(self, origin):
        self.origin = origin
        self.console_errors = []
        self.foreign_requests = []

    def on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def on_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)

    def assert_clean(self):
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.foreign_requests == [], f"requests to other origins: {self.foreign_requests}"


@pytest.fixture
def page(browser, live_server):
    """A fresh page on the live server; fails the test on a console error or a request off-origin."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = PageWatch(live_server.url)
    page.on("console", watch.on_console)
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    page.on("request", watch.on_request)
    page.watch = watch
    yield page
    context.close()
    watch.assert_clean()


# axe-core, pinned and test-only (tests/browser/vendor/axe-core/README.md). Evaluated in the page through
# Playwright's protocol channel, not added as a <script>: the site's strict CSP stays as in production.
AXE_VERSION = "4.14.1"
AXE_PATH = os.path.join(os.path.dirname(__file__), "vendor", "axe-core", "axe.min.js")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, tags=WCAG_21_AA) -> list[dict]:
    """Run axe-core on the page as it stands; return its WCAG 2.1 A and AA violations (empty if none)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        with open(AXE_PATH, encoding="utf-8") as source:
            page.evaluate(source.read())
        assert page.evaluate("axe.version") == AXE_VERSION
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
                           "['violations']})", tags)
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    """One line per violation and up to three offending elements, for a readable assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}")
        for node in violation["nodes"][:3]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


# The pages are looked at in every language that must be complete (French and German), at their prefix.
LANGUAGE_PREFIXES = ["", "/fr", "/de"]


@pytest.fixture(autouse=True)
def _french_and_german_offered(settings):
    """The browser tests look at the French and German pages whatever their catalogues' coverage today (the
    coverage rule and the completeness check have tests of their own)."""
    from django.conf.locale import LANG_INFO

    offered = dict(settings.LANGUAGES)
    for code in ("fr", "de"):
        offered.setdefault(code, LANG_INFO[code]["name_local"])
    settings.LANGUAGES = list(offered.items())


@pytest.fixture
def log_in(page):
    """Log in through the login form, keyboard only (Tab and Enter): log_in("staff")."""
    from django.conf import settings

    def log_in(username, password=None):
        page.goto("/accounts/login/")
        page.get_by_label("Username").focus()
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(password or settings.DEMO_PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/accounts/login/" not in page.url, f"{username} could not log in"
        return page

    return log_in
