"""The session store, whatever SESSION_ENGINE is: delete a session, and tell which keys still live."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.utils import timezone


def store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def store_delete(session_key: str) -> None:
    """The session is gone from the store: the browser holding its cookie is signed out at its next
    request (or gets Django's "session deleted" answer if one is under way)."""
    store_class()().delete(session_key)


def live_keys(keys: Iterable[str]) -> set[str]:
    """Those of `keys` whose session is still in the store and not past its expiry."""
    keys = [key for key in keys if key]
    if not keys:
        return set()
    store = store_class()
    if hasattr(store, "get_model_class"):  # the database stores (db, cached_db): one query
        model = store.get_model_class()
        return set(model.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
                   .values_list("session_key", flat=True))
    # A cache store forgets an expired session by itself.
    return {key for key in keys if store().exists(key)}
