"""The read-only API: a valid OpenAPI 3 schema, every endpoint answering with data, dates with precision,
filters shared with the pages, published data only, anonymous rate limit, query counts that do not grow."""

from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from initiatives.api.urls import router
from initiatives.importers import run_import
from initiatives.models import Decision, InfringementProcedure, KeyAction, KeyActionEvent, Source

pytestmark = pytest.mark.django_db

REPORTS = (b"member_state_code,article,status,as_of,source_url_or_ref,confidence\n"
           b"DE,27,complete,2024-05,https://example.org/de,high\n"
           b"FR,25,partial,2024,COM(2016) 872,medium\n")


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reports_and_assessments():
    assert run_import("transposition", REPORTS, "reports.csv", dry_run=False).ok
    from initiatives.models import Article, Assessment, MemberState

    Assessment.objects.create(member_state=MemberState.objects.get(code="DE"),
                              article=Article.objects.get(legal_act__celex="32011L0093", number=27),
                              status="conform", date="2024-01-01", date_precision="month", confidence="high")


def test_the_openapi_schema_is_valid_openapi_3():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/infringement-procedures/" in schema["paths"]


def test_the_schema_and_the_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs.content
    assert b"<style" not in docs.content and b"<script>" not in docs.content  # no inline code under our CSP
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript") and b"SwaggerUIBundle" in script.content


def endpoints():
    return [prefix for prefix, _viewset, _basename in router.registry]


@pytest.mark.parametrize("prefix", endpoints())
def test_every_endpoint_lists_data_and_shows_one_record(client, reports_and_assessments, prefix):
    listing = client.get(f"/api/{prefix}/")
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] > 0 and body["results"]
    first = body["results"][0]
    key = first.get("code") if prefix == "member-states" else first["id"]
    assert client.get(f"/api/{prefix}/{key}/").status_code == 200


def test_the_api_root_lists_every_endpoint(client):
    assert set(client.get("/api/").json()) == set(endpoints())


def test_dates_come_with_their_precision(client):
    letters = client.get("/api/decisions/", {"member_state": "EL", "stage": "letter_of_formal_notice"}).json()
    first = letters["results"][0]
    assert (first["date"], first["date_precision"]) == ("2014-01", "month")
    # Malta's 2014 case: closed at some point between its reasoned opinion and the first copy of the register
    closure = client.get("/api/decisions/", {"member_state": "MT", "stage": "closed"}).json()["results"][0]
    assert (closure["date"], closure["date_precision"]) == ("2015-07-16/2020-08-24", "between")


def test_every_fact_carries_its_sources_and_confidence(client):
    procedure = client.get("/api/infringement-procedures/", {"member_state": "BG"}).json()["results"][0]
    assert procedure["infr_number"] == "INFR(2019)2136"
    assert procedure["confidence"] and procedure["sources"][0]["citation"]
    assert procedure["decisions"][0]["stage"] == "letter_of_formal_notice"


def test_procedures_filter_like_the_register_page(client):
    open_mt = client.get("/api/infringement-procedures/", {"member_state": "MT", "state": "open"}).json()
    closed_mt = client.get("/api/infringement-procedures/", {"member_state": "MT", "state": "closed"}).json()
    assert (open_mt["count"], closed_mt["count"]) == (1, 1)
    assert all(p["is_open"] for p in open_mt["results"])


def test_as_of_a_past_day_the_api_gives_the_procedures_opened_and_the_decisions_taken_by_then(client):
    """Malta's 2014 procedure: a letter on 27 January 2014, a reasoned opinion on 16 July 2015, closed between
    then and 24 August 2020 (the first copy of the Commission's register no longer lists it)."""
    def malta(day):
        response = client.get("/api/infringement-procedures/", {"member_state": "MT", "as_of": day})
        assert response.status_code == 200
        return [(p["state"], [d["stage"] for d in p["decisions"]]) for p in response.json()["results"]]

    assert malta("2014-01-26") == []
    assert malta("2014-01-27") == [("open", ["letter_of_formal_notice"])]
    assert malta("2016-12-31")[0] == ("unknown", ["letter_of_formal_notice", "reasoned_opinion"])
    assert malta("2020-08-24")[0] == ("closed", ["letter_of_formal_notice", "reasoned_opinion", "closed"])
    assert client.get("/api/decisions/", {"member_state": "MT", "as_of": "2014-01-30"}).json()["count"] == 1
    assert client.get("/api/infringement-procedures/", {"as_of": "2014-01-31"}).json()["count"] == 6  # + 5 "January"
    assert client.get("/api/infringement-procedures/", {"as_of": "2015-07-16", "stage": "reasoned_opinion",
                                                         "member_state": "MT"}).json()["count"] == 1
    assert client.get("/api/infringement-procedures/", {"as_of": "2015-07-15", "stage": "reasoned_opinion",
                                                         "member_state": "MT"}).json()["count"] == 0


def test_as_of_a_past_day_a_key_action_has_the_status_it_had_then(client):
    action = KeyAction.objects.get(initiative__number=2, code="2a")
    first_event = min(e.when.start for e in action.events.all() if e.when)
    before = (first_event - timedelta(days=1)).isoformat()
    listed = client.get("/api/key-actions/", {"as_of": before, "page_size": 500}).json()["results"]
    assert {item["id"]: item["status"] for item in listed}[action.pk] == "not_started"
    assert client.get(f"/api/key-actions/{action.pk}/", {"as_of": before}).json()["status"] == "not_started"
    assert client.get(f"/api/key-actions/{action.pk}/").json()["status"] == action.status
    not_started = client.get("/api/key-actions/", {"as_of": before, "status": "not_started"}).json()
    assert action.pk in [item["id"] for item in not_started["results"]]
    assert all(item["status"] == "not_started" for item in not_started["results"])
    assert client.get("/api/key-actions/999999/", {"as_of": before}).status_code == 404


@pytest.mark.parametrize("raw", ["yesterday", "2021-02-30", "2999-01-01", "1999-12-31"])
def test_a_bad_as_of_day_is_a_400_with_a_reason(client, raw):
    for url in ("/api/infringement-procedures/", "/api/decisions/", "/api/events/", "/api/key-actions/",
                "/api/key-actions/1/"):
        response = client.get(url, {"as_of": raw})
        assert response.status_code == 400
        assert list(response.json()) == ["as_of"]


def test_greece_is_el_and_gr_is_understood(client):
    assert client.get("/api/member-states/gr/").json()["code"] == "EL"
    assert client.get("/api/decisions/", {"member_state": "gr"}).json()["count"] > 0


@pytest.mark.parametrize("query", [{"year": "abc"}, {"stage": "nonsense"}, {"member_state": ""},
                                   {"year": "99999999999999999999"}])
def test_a_bad_filter_is_a_400_with_a_reason(client, query):
    response = client.get("/api/infringement-procedures/", query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_unknown_records_and_pages_are_404(client):
    assert client.get("/api/initiatives/999999999999999999999/").status_code == 404
    assert client.get("/api/member-states/XX/").status_code == 404
    assert client.get("/api/events/", {"page": 999}).status_code == 404


def test_pagination_pages_through_the_events(client):
    page = client.get("/api/events/", {"page_size": 10}).json()
    assert len(page["results"]) == 10 and page["next"].endswith("page=2&page_size=10")


def test_the_api_shows_published_data_only(client, reports_and_assessments, monkeypatch):
    from initiatives.models.transposition import TranspositionReportQuerySet

    assert client.get("/api/transposition-reports/").json()["count"] == 2
    monkeypatch.setattr(TranspositionReportQuerySet, "published", lambda self: self.filter(member_state__code="FR"))
    body = client.get("/api/transposition-reports/").json()
    assert [r["member_state"] for r in body["results"]] == ["FR"]


def test_the_api_is_read_only(client):
    assert client.post("/api/initiatives/", {}, content_type="application/json").status_code == 405
    assert client.delete("/api/initiatives/1/").status_code == 405


def test_anonymous_clients_are_rate_limited(client, settings):
    settings.API_ANON_RATE = "3/minute"
    statuses = [client.get("/api/strategies/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def make_procedures(n):
    source = Source.objects.get_or_create_from_citation("https://example.org/query-count")
    from initiatives.models import LegalAct, MemberState

    act = LegalAct.objects.get(celex="32011L0093")
    for index in range(n):
        procedure = InfringementProcedure.objects.create(member_state=MemberState.objects.get(code="DE"),
                                                         type="non_conformity", legal_act=act)
        procedure.sources.add(source)
        decision = Decision.objects.create(procedure=procedure, position=1, stage="letter_of_formal_notice",
                                           date=f"2030-01-{index + 1:02d}")
        decision.sources.add(source)


def make_events(n):
    key_action = KeyAction.objects.get(initiative__number=3, code="3")
    source = Source.objects.get_or_create_from_citation("https://example.org/query-count")
    for index in range(n):
        event = KeyActionEvent.objects.create(key_action=key_action, kind="report", date=f"2030-02-{index + 1:02d}",
                                              description=f"Step {index}")
        event.sources.add(source)


# (endpoint, how to add n rows, the queries: the count for the paginator, the page of rows with its joins,
#  then one prefetch per related list)
QUERY_COUNTS = [
    # count, page (+ member state, legal act), articles, sources, decisions, the decisions' sources
    ("/api/infringement-procedures/", make_procedures, 6),
    # count, page (+ procedure, member state), sources
    ("/api/decisions/", make_procedures, 3),
    # count, page (+ key action, initiative), sources
    ("/api/events/", make_events, 3),
    # count, page (+ initiative), sources
    ("/api/key-actions/", make_events, 3),
    # on a past day: every matching key action (+ initiative; the page is cut from that list, so no count),
    # sources, the dates of their events
    ("/api/key-actions/?as_of=2025-06-30", make_events, 3),
]


@pytest.mark.parametrize("n", [1, 10])
@pytest.mark.parametrize(("url", "make", "queries"), QUERY_COUNTS)
def test_api_list_query_counts_do_not_grow_with_the_data(client, django_assert_num_queries, n, url, make, queries):
    make(n)
    path, _sep, query = url.partition("?")
    with django_assert_num_queries(queries):
        assert client.get(path, {"page_size": 500, **dict(parse_qsl(query))}).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_transposition_report_query_count_does_not_grow(client, django_assert_num_queries, n):
    from initiatives.models import Article, MemberState, TranspositionReport

    germany = MemberState.objects.get(code="DE")
    source = Source.objects.get_or_create_from_citation("https://example.org/query-count")
    for article in Article.objects.filter(legal_act__celex="32011L0093")[:n]:
        report = TranspositionReport.objects.create(member_state=germany, article=article, status="partial",
                                                    date="2024-01-01")
        report.sources.add(source)
    # count, page (+ member state, article, legal act), sources, measures
    with django_assert_num_queries(4):
        assert client.get("/api/transposition-reports/").json()["count"] == n


@pytest.mark.parametrize(("url", "serializer", "records"), [
    ("/api/transposition-reports/", "TranspositionReportSerializer", "reports"),
    ("/api/infringement-procedures/", "ProcedureSerializer", "procedures"),
])
def test_nested_lists_read_from_prefetched_lists_say_what_the_managers_say(client, reports_and_assessments, url,
                                                                           serializer, records):
    """Issue 16: the list endpoints prefetch their nested lists (sources, measures, decisions) as plain lists
    (serializers.Prefetched), not as a manager and a queryset built per record; a record read without them
    (not through the viewsets) is serialized through its managers, and says the same."""
    import json

    from initiatives import state
    from initiatives.api import serializers
    from initiatives.models import TranspositionReport

    response = client.get(url, {"page_size": 500})
    listed = response.json()["results"]
    plain = {
        "reports": lambda: TranspositionReport.objects.published().order_by(
            "member_state__protocol_order", "article__number", "id"),
        "procedures": lambda: state.procedures(None).order_by("member_state__protocol_order", "id"),
    }[records]()
    assert not any(hasattr(record, "sources_listed") for record in plain)
    through_managers = getattr(serializers, serializer)(
        plain, many=True, context={"request": response.wsgi_request}).data
    assert listed and listed == json.loads(json.dumps(through_managers))
    assert any(record["sources"] for record in listed)
