"""Who a request comes from, for the API's anonymous rate limit and the login lockout (issue 12, items 4-5).

The client address is REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies, the address the outermost trusted
proxy saw (read from the right of X-Forwarded-For): what a client writes into that header itself counts for
nothing. With the cache unreachable the API serves without a rate limit and logs why; /healthz says 503.
"""

import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


class FakeRequest:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize("proxies,remote,forwarded,expected", [
    (0, "203.0.113.5", None, "203.0.113.5"),
    (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # no trusted proxy: the header is the client's own
    (1, PROXY, "198.51.100.1", "198.51.100.1"),
    (1, PROXY, "10.9.9.9, 198.51.100.1", "198.51.100.1"),  # the forged first entry is ignored
    (2, PROXY, "10.9.9.9, 198.51.100.1, 192.0.2.7", "198.51.100.1"),
    (1, PROXY, None, PROXY),  # a request that did not come through the proxy
    (1, PROXY, "not an address", PROXY),  # garbage is not an address
    (1, PROXY, "2001:db8::1", "2001:db8::1"),
])
def test_the_client_address_is_read_through_the_trusted_proxies_only(settings, proxies, remote, forwarded,
                                                                      expected):
    from initiatives.client import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(FakeRequest(remote, forwarded)) == expected


@pytest.mark.django_db
def test_an_anonymous_client_cannot_escape_the_rate_limit_by_forging_x_forwarded_for(client, settings):
    settings.API_ANON_RATE = "3/minute"
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = [client.get("/api/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_one_proxy_each_client_has_its_own_count_and_forging_does_not_reset_it(settings):
    settings.API_ANON_RATE = "2/minute"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR=PROXY)
    forged = [proxy.get("/api/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.1").status_code for n in range(3)]
    assert forged == [200, 200, 429]
    assert proxy.get("/api/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200  # another client


def _login(client, password, forwarded):
    return client.post(reverse("login"), {"username": "staff", "password": password},
                       HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
def test_behind_the_proxy_five_bad_passwords_lock_out_that_client_not_everyone(accounts, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, staff_member = Client(REMOTE_ADDR=PROXY), Client(REMOTE_ADDR=PROXY)
    for _attempt in range(5):
        _login(attacker, "wrong", "198.51.100.66")
    assert _login(attacker, "tracker-demo", "198.51.100.66").status_code == 429
    assert _login(staff_member, "tracker-demo", "198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_forging_x_forwarded_for_does_not_lift_a_login_lockout(accounts, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    attacker = Client()
    for attempt in range(5):
        _login(attacker, "wrong", f"10.0.0.{attempt}")
    assert _login(attacker, "tracker-demo", "10.0.0.99").status_code == 429


@pytest.fixture
def unreachable_redis(settings):
    """The cache points at a closed port (nothing listens on port 1)."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": settings.REDIS_URL,
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/", "/api/schema/", "/api/member-states/DE/", "/api/decisions/"])
def test_with_redis_unreachable_the_anonymous_api_still_answers_and_logs_why(client, unreachable_redis, url,
                                                                               caplog):
    with caplog.at_level(logging.ERROR, logger="initiatives.api.limits"):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert any("rate limit" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_with_redis_unreachable_healthz_still_says_503(client, unreachable_redis):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "unreachable"
