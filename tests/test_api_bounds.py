"""The API refuses what its schema excludes and the schema states what the API refuses (issue 12, item 17).

schemathesis with every check on (tests/test_api_fuzz.py) found these; each is pinned here by hand.
"""

import re

import pytest

pytestmark = pytest.mark.django_db


def parameter(client, path, name):
    schema = client.get("/api/schema/?format=json").json()
    return next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)


def test_as_of_before_the_first_day_is_refused_and_the_schema_says_where_the_days_start(client):
    response = client.get("/api/decisions/", {"as_of": "2000-01-01"})
    assert response.status_code == 400 and "as_of" in response.json()
    as_of = parameter(client, "/api/decisions/", "as_of")
    assert "2011-01-01" in as_of["description"]
    pattern = re.compile(as_of["schema"]["pattern"])
    assert not pattern.match("2000-01-01") and not pattern.match("2010-12-28") and pattern.match("2011-01-01")
    assert client.get("/api/decisions/", {"as_of": "2011-01-01"}).status_code == 200


@pytest.mark.parametrize("query", [{"stage": ""}, {"stage": "nonsense"}, {"member_state": ""}, {"year": ""},
                                   {"page_size": "null"}, {"page_size": "0"}, {"page_size": "501"},
                                   {"page_size": "-1"}])
def test_a_value_the_schema_excludes_is_a_400_naming_the_parameter(client, query):
    response = client.get("/api/infringement-procedures/", query)
    assert response.status_code == 400, (query, response.status_code)
    assert set(query) <= set(response.json())


def test_a_yes_no_filter_takes_true_or_false_only(client):
    assert client.get("/api/member-states/", {"bound_by_directive": "false"}).json()["count"] == 1
    assert client.get("/api/member-states/", {"bound_by_directive": "maybe"}).status_code == 400


def test_the_schema_states_the_page_size_bounds_and_numbers_bounds(client):
    page_size = parameter(client, "/api/decisions/", "page_size")["schema"]
    assert (page_size["minimum"], page_size["maximum"]) == (1, 500)
    assert client.get("/api/decisions/", {"page_size": "500"}).status_code == 200
    year = parameter(client, "/api/decisions/", "year")["schema"]
    assert (year["minimum"], year["maximum"]) == (1900, 2100)
    assert parameter(client, "/api/decisions/", "member_state")["schema"]["minLength"] == 1


def test_an_unknown_initiative_or_member_state_is_an_empty_list_as_the_schema_allows(client):
    assert client.get("/api/key-actions/", {"initiative": "0"}).json()["count"] == 0
    assert client.get("/api/infringement-procedures/", {"member_state": "XX"}).json()["count"] == 0
    assert client.get("/api/infringement-procedures/", {"member_state": "gr"}).status_code == 200
