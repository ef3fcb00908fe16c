"""The page's frame (header, as-of bar, footer, language alternates) for an anonymous visitor is rendered once
per process and address, language and day (base.html's {% cache %} fragments): it must still be right for every
visitor, address, language and day, and a logged-in user's header is never shared."""

import re
from datetime import date

import pytest

from initiatives import context_processors
from initiatives.views import as_of as as_of_views

pytestmark = pytest.mark.django_db


def header(html: str) -> str:
    return re.search(r'<header class="site-header">.*?</header>', html, re.S)[0]


def test_a_logged_in_user_never_gets_the_anonymous_header_nor_leaves_theirs_behind(client, staff_user):
    assert "Log in" in header(client.get("/").content.decode())
    client.force_login(staff_user)
    mine = header(client.get("/").content.decode())
    assert f"Log out {staff_user.get_username()}" in mine and "Staff workspace" in mine
    assert 'name="csrfmiddlewaretoken"' in mine
    client.logout()
    theirs = header(client.get("/").content.decode())
    assert "Log in" in theirs and "Log out" not in theirs and "Staff workspace" not in theirs


def test_the_header_follows_the_address(client):
    assert 'href="/timeline/" aria-current="page"' in client.get("/timeline/").content.decode()
    html = client.get("/member-states/").content.decode()
    assert 'href="/member-states/" aria-current="page"' in html
    assert 'href="/timeline/" aria-current="page"' not in html
    # the language switcher brings the reader back to the same address, query included
    filtered = header(client.get("/infringements/?type=non_communication").content.decode())
    assert "next=%2Ffr%2Finfringements%2F%3Ftype%3Dnon_communication" in filtered
    assert "type%3Dnon_communication" not in header(client.get("/infringements/").content.decode())


def test_the_frame_follows_the_language(client):
    french = client.get("/fr/").content.decode()
    english = client.get("/").content.decode()
    assert 'hreflang="en" href="http://testserver/"' in english
    assert "Données ouvertes" in french and "Données ouvertes" not in english
    assert "Open data" in english


def test_the_as_of_bar_follows_the_day(client, monkeypatch):
    monkeypatch.setattr(as_of_views, "today", lambda: date(2026, 12, 31))
    assert 'max="2026-12-31"' in client.get("/").content.decode()
    monkeypatch.setattr(as_of_views, "today", lambda: date(2027, 1, 1))
    html = client.get("/").content.decode()
    assert 'max="2027-01-01"' in html
    assert 'title="31 December 2026"' in html  # a new year to step to


def test_a_past_day_gets_its_own_bar(client):
    assert "Past date" not in client.get("/").content.decode()
    assert "Past date: this page shows the state on 31 December 2021." in client.get(
        "/?as_of=2021-12-31").content.decode()


def test_an_anonymous_visitors_frame_is_worked_out_once_per_address(client, monkeypatch):
    calls = []
    for name in ("_languages", "_navigation"):
        original = getattr(context_processors, name)
        monkeypatch.setattr(context_processors, name,
                            lambda request, original=original, name=name: calls.append(name) or original(request))
    bars = []
    original_bar = as_of_views.as_of_bar
    monkeypatch.setattr(as_of_views, "as_of_bar", lambda *args: bars.append(1) or original_bar(*args))
    first = client.get("/timeline/").content
    assert sorted(calls) == ["_languages", "_navigation"] and bars == [1]
    assert client.get("/timeline/").content == first
    assert sorted(calls) == ["_languages", "_navigation"] and bars == [1]  # the second request read none
    client.get("/timeline/?as_of=2021-12-31")
    assert len(bars) == 2


def test_no_template_comment_spans_lines():
    """Django's {# #} comment ends on its line: one that goes on shows its text on the page (it once put the
    frame cache's explanation at the top of every page). Longer notes use {% comment %}."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    unclosed = [f"{path.relative_to(root)}:{number}"
                for folder in (root / "templates", root / "initiatives" / "templates") if folder.is_dir()
                for path in sorted(folder.rglob("*.html"))
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                if "{#" in line and "#}" not in line[line.index("{#"):]]
    assert not unclosed


@pytest.mark.parametrize("path", ["/", "/timeline/?as_of=2021-12-31", "/fr/member-states/", "/directive/",
                                  "/infringements/", "/about/", "/accounts/login/"])
def test_no_template_syntax_reaches_the_page(client, path):
    html = client.get(path, follow=True).content.decode()
    assert not any(mark in html for mark in ("{#", "#}", "{%", "%}")), path
