"""Bad URLs and methods get a clear answer, never a 500 (issue 12, items 15-16).

- A page size that makes no sense (`?per_page=-1`, 0, a word, a huge number) falls back to a sensible one.
- The open-data downloads, the feeds and the exports only read: GET and HEAD, anything else is 405.
"""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("per_page", ["-1", "0", "-999999", "abc", "1.5", "99999999999999999999", ""])
def test_a_nonsense_page_size_on_the_register_is_not_a_server_error(client, per_page):
    response = client.get("/infringements/", {"per_page": per_page})
    assert response.status_code == 200, (per_page, response.status_code)


@pytest.mark.parametrize("per_page,page", [("-1", "2"), ("-1", "-1"), ("3", "999"), ("3", "-5")])
def test_a_nonsense_page_with_a_nonsense_size_is_not_a_server_error(client, per_page, page):
    assert client.get("/infringements/", {"per_page": per_page, "page": page}).status_code == 200


def test_a_negative_page_size_shows_the_smallest_page_not_everything(client):
    response = client.get("/infringements/", {"per_page": "-1"})
    assert len(response.context["table"].page.object_list) >= 1


READ_ONLY = ["/open-data/", "/open-data/eu-csa-strategy-tracker.zip", "/open-data/datapackage.json",
             "/feed/", "/feed/member-states/DE/", "/feed/initiatives/1/", "/infringements/?format=csv"]
STAFF_EXPORTS = ["/staff/import/current/infringements/", "/staff/import/current/events/?format=xlsx"]


def _first_table_csv():
    from initiatives import open_data

    return f"/open-data/{open_data.tables()[0].name}.csv"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_open_data_feeds_and_exports_answer_only_get_and_head(client, method):
    for url in READ_ONLY + [_first_table_csv()]:
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url
        assert getattr(client, method)(url).status_code == 405, (method, url)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_staff_and_liaison_exports_answer_only_get_and_head(staff_user, liaison_de, method):
    staff, liaison = Client(), Client()
    staff.force_login(staff_user)
    liaison.force_login(liaison_de)
    for client, url in [(staff, url) for url in STAFF_EXPORTS] + [(liaison, "/liaison/import/current/")]:
        assert client.get(url).status_code == 200, url
        assert getattr(client, method)(url).status_code == 405, (method, url)
