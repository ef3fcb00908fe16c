"""The shared cache's backend: Django's RedisCache, with one redis-py client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` on every cache call (django/core/cache/backends/redis.py,
`get_client`). Building one fills its table of some 170 response callbacks: 0.25 ms a call, on a page that the
data cache serves in 1.5 ms (issue 16, the overview under load). A `redis.Redis` holds no connection of its own
(it takes one from the pool for each command, and redis-py makes it safe to share between threads), so one per
pool is kept and reused. Everything else (connection pools, serializer, options) is Django's.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # pool index -> redis.Redis on that pool

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
