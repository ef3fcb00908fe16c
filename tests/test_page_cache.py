"""The page cache (initiatives/caching.py): anonymous visitors of the public pages get a stored copy, until
any change to the data; logged-in users, query strings and forms with a CSRF token are never stored."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from initiatives.caching import GENERATION_KEY, page_key
from initiatives.models import KeyAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield settings
    cache.clear()


def test_without_page_cache_seconds_nothing_is_stored(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")


def test_a_second_anonymous_visit_to_the_overview_is_served_from_the_cache(client, page_cache,
                                                                            django_assert_num_queries):
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    assert "frame-ancestors 'none'" in second["Content-Security-Policy"]
    assert "Cookie" in second["Vary"]


def test_a_change_to_the_data_is_on_the_page_at_the_next_visit(client, page_cache):
    client.get("/")
    action = KeyAction.objects.order_by("id").first()
    action.short_title = "A title changed a moment ago"
    action.save()
    response = client.get(reverse("initiatives:initiative_detail", args=[action.initiative.number]))
    assert response["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_page_stored_by_another_server_while_a_write_was_uncommitted_is_stale_once_it_commits(
        client, page_cache, django_capture_on_commit_callbacks):
    """Another app server (or gunicorn worker) may render a page from the data as it was before a write, while
    the write's transaction is still open, and store it under the generation of that moment. The commit makes
    it stale: the write is on the page at the next visit, not after PAGE_CACHE_SECONDS."""
    client.get("/")
    key = page_key(RequestFactory().get("/"))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        action = KeyAction.objects.order_by("id").first()
        action.short_title = "A title changed a moment ago"
        action.save()
        _generation, page_before_the_write = cache.get(key)
        cache.set(key, (cache.get(GENERATION_KEY), page_before_the_write), 300)  # what the other server does
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"


def test_a_transaction_of_many_changes_invalidates_once_more_at_its_commit_not_once_per_change(
        page_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for action in KeyAction.objects.order_by("id")[:3]:
            action.save()
    assert len(callbacks) == 1


def test_a_change_to_the_sources_of_a_fact_also_invalidates(client, page_cache):
    client.get("/")
    action = KeyAction.objects.order_by("id").first()
    action.sources.clear()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_logged_in_user_is_never_served_a_stored_page(client, page_cache, staff_user):
    client.get("/")
    client.force_login(staff_user)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "Log out staff" in response.content.decode()


def test_a_query_string_is_rendered_each_time(client, page_cache):
    client.get("/infringements/?member_state=DE")
    assert "X-Page-Cache" not in client.get("/infringements/?member_state=DE")


def test_the_login_form_with_its_csrf_token_is_never_stored(client, page_cache):
    client.get(reverse("login"))
    assert "X-Page-Cache" not in client.get(reverse("login"))


def test_the_api_is_not_page_cached(client, page_cache):
    client.get("/healthz")
    assert "X-Page-Cache" not in client.get("/healthz")


def test_a_page_is_stored_per_host_name_as_its_absolute_addresses_name_the_host(client, page_cache):
    """The language alternates of a page name the host it was asked under: a copy stored for one name of the
    site is not served to a visitor of another."""
    assert 'href="http://testserver/' in client.get("/").content.decode()
    other = client.get("/", HTTP_HOST="localhost")
    assert other["X-Page-Cache"] == "miss"
    assert 'href="http://localhost/' in other.content.decode()
    assert "http://testserver/" not in other.content.decode()
    assert client.get("/", HTTP_HOST="localhost")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("path", ["/feed/", "/feed/member-states/DE/", "/feed/initiatives/2/"])
def test_the_feeds_are_stored_and_a_change_is_in_them_at_the_next_request(client, page_cache, path):
    first = client.get(path)
    assert first["X-Page-Cache"] == "miss" and first["Content-Type"].startswith("application/atom+xml")
    second = client.get(path)
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    action = KeyAction.objects.order_by("id").first()
    action.save()
    assert client.get(path)["X-Page-Cache"] == "miss"
