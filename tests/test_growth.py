"""Issue 16: every public page and API list endpoint (bench/pages.py reads them from the URLconf and the API's
root: the list `make bench` measures) makes the same number of SQL queries at 1x and 6x the data."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.pages import public_urls
from initiatives.models import Decision, InfringementProcedure, KeyActionEvent

pytestmark = pytest.mark.django_db

# Known differences of one query that are not growth, left to fix (issue 16). None is left: the feeds make one
# query for their newest changes, then one per model in scope, whichever models changed. Any difference fails.
NOT_GROWTH: set[str] = set()


def synthetic(multiplier, **options):
    call_command("make_synthetic_data", multiplier=multiplier, stdout=io.StringIO(), **options)


def query_counts(client, urls):
    counts = {}
    for url in urls:
        client.get(url)  # what a process does once (a first request) is not what each request costs
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(captured)
    return counts


def test_query_counts_are_the_same_at_1x_and_6x_on_every_public_page_and_api_list(client, settings):
    # the synthetic data of `make bench`, in place of the real volume facts (rolled back after the test)
    settings.SYNTHETIC_DATABASE = True
    InfringementProcedure.objects.all().delete()
    KeyActionEvent.objects.all().delete()
    for model in (InfringementProcedure, Decision, KeyActionEvent):
        model.history.all().delete()
    synthetic(1)
    urls = public_urls(client)
    assert {"/", "/?as_of=2021-12-31", "/member-states/", "/infringements/", "/about/",
            "/api/transposition-reports/"} <= set(urls)
    small = query_counts(client, urls)
    synthetic(6, replace=True)
    assert InfringementProcedure.objects.count() == 6 * 30
    large = query_counts(client, urls)
    differ = {url: (small[url], large[url]) for url in urls if small[url] != large[url]}
    assert {url: counts for url, counts in differ.items() if url not in NOT_GROWTH or abs(counts[0] - counts[1]) > 1
            } == {}
