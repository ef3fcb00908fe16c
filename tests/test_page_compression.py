"""A page goes out compressed to a browser that accepts it (issue 16: page weight); static files already are
(whitenoise, tests/test_production.py)."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/member-states/", "/infringements/"])
def test_a_public_page_is_sent_gzipped_to_a_browser_that_accepts_it(client, url):
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content).decode().count("<h1") == plain.content.decode().count("<h1") == 1
    assert len(packed.content) < len(plain.content) / 3


def test_a_client_that_does_not_say_it_accepts_gzip_gets_the_page_as_it_is(client):
    assert not client.get("/").has_header("Content-Encoding")
