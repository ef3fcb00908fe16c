"""The cache of computed parts of pages (caching.computed): the same figures for every visitor of a day and a
language, never after a change to the data. Pages are still rendered each time (the page cache is off here)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import translation

from initiatives import caching
from initiatives.choices import Stage
from initiatives.models import KeyAction
from tests.factories import DecisionFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_cache(settings):
    settings.DATA_CACHE_SECONDS = 300
    cache.clear()
    yield settings
    cache.clear()


def open_count(html: str) -> str:
    return html.split("open infringement procedure")[0].rsplit('<span class="figure">', 1)[1].split("<")[0]


def test_without_data_cache_seconds_it_computes_every_time(settings):
    settings.DATA_CACHE_SECONDS = 0
    calls = []
    for _ in range(2):
        caching.computed("x", lambda: calls.append(1), day=None, reference_day=date(2026, 1, 1))
    assert len(calls) == 2


def test_the_overview_figures_are_computed_once_and_the_page_rendered_each_time(client, data_cache,
                                                                                django_assert_max_num_queries):
    first = client.get("/")
    with django_assert_max_num_queries(1):  # the session, at most: no figure is computed again
        second = client.get("/")
    assert second.content == first.content
    assert "X-Page-Cache" not in second


def test_a_write_shows_at_once(client, data_cache):
    before = open_count(client.get("/").content.decode())
    DecisionFactory(procedure=ProcedureFactory(), stage=Stage.LETTER_OF_FORMAL_NOTICE, when="2024-03-05")
    after = open_count(client.get("/").content.decode())
    assert int(after) == int(before) + 1
    action = KeyAction.objects.published().order_by("id").first()
    action.short_title = "A title changed a moment ago"
    action.save()
    assert "A title changed a moment ago" in client.get("/").content.decode()


def test_a_past_day_has_figures_of_its_own(client, data_cache):
    today = client.get("/").content.decode()
    past = client.get("/?as_of=2019-12-31").content.decode()
    assert open_count(past) != open_count(today)
    assert open_count(client.get("/").content.decode()) == open_count(today)


def test_each_language_has_its_own_figures(data_cache):
    built = []
    for language in ("en", "fr", "en"):
        with translation.override(language):
            caching.computed("words", lambda: built.append(translation.get_language()) or translation.get_language(),
                             day=None, reference_day=date(2026, 1, 1))
    assert built == ["en", "fr"]


def test_an_outage_of_the_cache_computes_instead_of_failing(data_cache, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", broken)
    assert caching.computed("x", lambda: 42, day=None, reference_day=date(2026, 1, 1)) == 42


def test_the_member_states_summary_and_the_eu_average_follow_a_write_at_once(client, data_cache):
    from initiatives.models import InfringementProcedure

    before_list = client.get("/member-states/").content.decode()
    before_page = client.get("/member-states/MT/").context["eu"]
    DecisionFactory(procedure=ProcedureFactory(), stage=Stage.LETTER_OF_FORMAL_NOTICE, when="2024-03-05")
    after_page = client.get("/member-states/MT/").context["eu"]
    assert after_page["open_procedures"] > before_page["open_procedures"]
    assert client.get("/member-states/").content.decode() != before_list
    assert InfringementProcedure.objects.filter(member_state__code="FR").exists()


def test_the_overview_content_is_rendered_once_and_the_page_around_it_each_time(client, data_cache,
                                                                               django_user_model):
    """The content is the same for every visitor; the menu around it is the visitor's own, never stored with it
    for the next visitor."""
    user = django_user_model.objects.create_user("reader-one", password="x-long-password-1")
    client.force_login(user)
    signed_in = client.get("/").content.decode()  # renders and stores the content
    client.logout()
    anonymous = client.get("/").content.decode()
    content = anonymous.split("<h1>", 1)[1].split("</main>", 1)[0]
    assert content in signed_in
    assert "reader-one" in signed_in and "reader-one" not in anonymous


def test_a_new_release_of_the_static_files_renders_afresh(data_cache, monkeypatch):
    """A stored part of a page names hashed static files (the charts' plotly.js bundles): after a release that
    changed them, it is rendered again rather than served naming files the new release no longer has."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    built = []
    staticfiles_storage.url  # noqa: B018 (sets up the storage behind the lazy object)
    storage = staticfiles_storage._wrapped
    monkeypatch.setattr(storage, "manifest_hash", "release-1", raising=False)
    for _ in range(2):
        caching.computed("x", lambda: built.append(1), day=None, reference_day=date(2026, 1, 1))
    monkeypatch.setattr(storage, "manifest_hash", "release-2", raising=False)
    caching.computed("x", lambda: built.append(1), day=None, reference_day=date(2026, 1, 1))
    assert len(built) == 2
