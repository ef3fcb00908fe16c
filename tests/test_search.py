"""Issue 14, item 21: one search box on every page, one query across the public records, grouped by kind."""

import pytest

from initiatives import search
from initiatives.models import InfringementProcedure

pytestmark = pytest.mark.django_db


def results(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200, (query, response.status_code)
    return response, {group.kind.key: group for group in response.context["groups"]}


def urls(group):
    return [hit.url for hit in group.hits]


def test_every_public_page_has_the_search_box(client):
    for url in ["/", "/initiatives/", "/member-states/DE/", "/about/", "/accounts/login/"]:
        html = client.get(url).content.decode()
        assert 'role="search"' in html and 'action="/search/"' in html, url


def test_a_search_for_malta_leads_to_maltas_page_and_keeps_the_query_in_the_url(client):
    response, groups = results(client, "Malta")
    assert urls(groups["member_states"]) == ["/member-states/MT/"]
    assert 'value="Malta"' in response.content.decode()


def test_a_search_by_infr_number_finds_the_procedure_however_it_is_written(client):
    procedure = InfringementProcedure.objects.published().filter(member_state__code="MT").first()
    if not InfringementProcedure.objects.filter(infr_number="INFR(2019)2230").exists():
        procedure.infr_number = "INFR(2019)2230"
        procedure.save()
    else:
        procedure = InfringementProcedure.objects.get(infr_number="INFR(2019)2230")
    for query in ["2019/2230", "INFR(2019)2230", "infr 2019 2230"]:
        _response, groups = results(client, query)
        assert f"#procedure-{procedure.pk}" in " ".join(urls(groups["procedures"])), query


def test_a_search_for_reasoned_opinion_finds_the_procedures_at_that_stage(client):
    _response, groups = results(client, "reasoned opinion")
    at_stage = InfringementProcedure.objects.published().filter(decisions__stage="reasoned_opinion").distinct()
    assert groups["procedures"].total == at_stage.count() > 0


def test_a_search_for_offender_programmes_finds_the_directives_intervention_programmes(client):
    _response, groups = results(client, "offender programmes")
    titles = " ".join(hit.title for hit in groups["articles"].hits)
    assert "Art. 22" in titles
    assert "<mark>" in str(groups["articles"].hits[0].excerpt)  # the matching words are shown


def test_results_are_grouped_by_kind_with_their_headings(client):
    response, groups = results(client, "Europol")
    assert {"key_actions", "events"} <= set(groups)
    html = response.content.decode()
    assert 'id="results-key_actions"' in html and "Key actions" in html


@pytest.mark.parametrize("query", ["", " ", "x" * 5000, "a\x00b\x07c\u202e", "%", "'; DROP TABLE x; --", "\\",
                                   "2019/", "(((", "!@#$%^&*", "a" * 201, "\ud800"[:0] + "é", "-", "\"unclosed"])
def test_no_query_gives_a_500(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_a_long_query_is_cut_and_says_so(client):
    response = client.get("/search/", {"q": "Malta " + "x" * 400})
    assert response.context["cut"] and "Only the first 200 characters" in response.content.decode()


def test_each_kind_is_one_entry_in_the_list():
    assert [kind.key for kind in search.KINDS] == ["initiatives", "key_actions", "events", "member_states",
                                                   "articles", "procedures", "sources"]
    assert search.clean_query("a\x00b\tc  d") == ("a b c d", False)


def test_a_french_reader_finds_germany_by_its_french_name_and_a_german_one_czechia_by_its_german_name(client):
    response = client.get("/fr/search/", {"q": "allemagne"})
    groups = {group.kind.key: group for group in response.context["groups"]}
    assert urls(groups["member_states"]) == ["/fr/member-states/DE/"]
    assert "procedures" in groups and all("/member-states/DE/" in url for url in urls(groups["procedures"]))
    response = client.get("/de/search/", {"q": "Tschechien"})
    groups = {group.kind.key: group for group in response.context["groups"]}
    assert urls(groups["member_states"]) == ["/de/member-states/CZ/"]
