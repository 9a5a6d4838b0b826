"""The Redis cache fails soft (portal.cache): while Redis is out of reach a read is a miss and a write is
dropped, instead of the exception that made every page touching the cache a 500; with Redis up it is
Django's Redis cache."""

import logging

import pytest
from django.conf import settings

from portal.cache import RedisCache

NOWHERE = "redis://127.0.0.1:1/0"


def cache_at(location):
    return RedisCache(location, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})


def test_while_redis_is_down_reads_miss_and_writes_are_dropped(caplog, monkeypatch):
    monkeypatch.setattr("portal.cache._last_warning", 0.0)
    cache = cache_at(NOWHERE)
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        assert cache.get("k", "default") == "default"
        cache.set("k", 1)
        assert cache.add("k", 1) is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        assert cache.touch("k") is False
        assert cache.delete("k") is False
        assert cache.set_many({"a": 1}) == []
        cache.delete_many(["a"])
        assert cache.get_or_set("k", 5) == 5
        with pytest.raises(ValueError, match="not found"):
            cache.incr("counter")
    # one warning for the outage, not one per call
    warnings = [r for r in caplog.records if r.name == "portal.cache"]
    assert len(warnings) == 1
    assert "ConnectionError" in warnings[0].getMessage()


def test_with_redis_up_it_stores_and_reads():
    cache = cache_at(settings.REDIS_URL)
    cache.set("portal-cache-test", {"n": 1}, timeout=30)
    assert cache.get("portal-cache-test") == {"n": 1}
    cache.delete("portal-cache-test-n")
    assert cache.add("portal-cache-test-n", 1) is True
    assert cache.incr("portal-cache-test-n") == 2
    cache.delete_many(["portal-cache-test", "portal-cache-test-n"])
    assert cache.get("portal-cache-test") is None
