"""The cache in Redis, failing soft: while Redis is out of reach a read is a miss and a write is dropped,
so that pages and the API keep serving (a cache holds nothing that cannot be lost: import progress, the
CSP report counter, the API keys' request counts — which count nothing during the outage). Django's own
Redis cache raises instead, turning every page that touches it into a 500. A warning is logged at most
once a minute while it lasts; `/healthz` names Redis as down meanwhile."""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

logger = logging.getLogger(__name__)
WARN_EVERY = 60.0
_last_warning = 0.0


def _warn(method: str, exc: Exception) -> None:
    global _last_warning  # noqa: PLW0603  (one clock per process for the whole outage)
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY:
        _last_warning = now
        logger.warning("cache unavailable (%s: %s: %s); serving without it", method, type(exc).__name__, exc)


def _soft(fallback):
    """The method, answering `fallback()` when Redis cannot be reached."""

    def wrap(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (self._lib.exceptions.ConnectionError, self._lib.exceptions.TimeoutError) as exc:
                _warn(method.__name__, exc)
                return fallback(*args)

        return guarded

    return wrap


class RedisCacheClient(DjangoRedisCacheClient):
    add = _soft(lambda *a: False)(DjangoRedisCacheClient.add)
    get = _soft(lambda key, default: default)(DjangoRedisCacheClient.get)
    set = _soft(lambda *a: None)(DjangoRedisCacheClient.set)
    touch = _soft(lambda *a: False)(DjangoRedisCacheClient.touch)
    delete = _soft(lambda *a: False)(DjangoRedisCacheClient.delete)
    get_many = _soft(lambda *a: {})(DjangoRedisCacheClient.get_many)
    has_key = _soft(lambda *a: False)(DjangoRedisCacheClient.has_key)
    set_many = _soft(lambda *a: None)(DjangoRedisCacheClient.set_many)
    delete_many = _soft(lambda *a: None)(DjangoRedisCacheClient.delete_many)
    clear = _soft(lambda *a: False)(DjangoRedisCacheClient.clear)

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except (self._lib.exceptions.ConnectionError, self._lib.exceptions.TimeoutError) as exc:
            # A counter that cannot be read is missing: Django's caches say so with ValueError.
            _warn("incr", exc)
            raise ValueError(f"Key '{key}' not found.") from exc


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
