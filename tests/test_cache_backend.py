"""The shared cache's backend (strategy_tracker/cache.py): Django's RedisCache, with one redis-py client per
connection pool instead of one per cache call."""

import os
import uuid

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from strategy_tracker.cache import RedisCache
from tests.test_production import settings_in_production

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def backend():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-cache-backend-{uuid.uuid4().hex}"})
    try:
        cache.get("probe")
    except RedisConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL} (TEST_REDIS_URL): CI starts it")
        pytest.skip(f"Redis is not running at {REDIS_URL} (CI starts it)")
    yield cache
    cache.delete_many(["a", "b", "c"])


def test_every_call_reuses_one_client_and_reads_back_what_it_wrote(backend):
    first = backend._cache.get_client()
    backend.set("a", {"figure": 1}, 5)
    backend.set_many({"b": [2], "c": "three"}, 5)
    assert backend.get("a") == {"figure": 1}
    assert backend.get_many(["a", "b", "c", "missing"]) == {"a": {"figure": 1}, "b": [2], "c": "three"}
    assert backend.add("a", "other", 5) is False
    backend.delete("a")
    assert backend.get("a") is None
    assert backend._cache.get_client() is first
    assert backend._cache.get_client(write=True) is first  # one server: one pool, one client
    assert backend._cache._clients == {0: first}


def test_production_uses_the_reusing_backend_with_redis():
    """Django's own client builds a redis.Redis (and its 170 response callbacks) on every call."""
    result = settings_in_production(
        "from django.core.cache import cache; client = cache._cache.get_client(); "
        "print(client is cache._cache.get_client(), client is cache._cache.get_client(write=True))",
        REDIS_URL="redis://127.0.0.1:6379/3")  # no connection is opened: a client is built, not used
    assert result.stdout.split() == ["True", "True"], result.stderr
