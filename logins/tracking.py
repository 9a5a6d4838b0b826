"""What a session carries about its own record, and the request being served.

The session remembers its record's id, when the record was last touched and a digest of the key it
was stored under: the middleware then touches the record at most once a minute, and notices when the
key changed (a password change gives the session a new key) without asking the database."""

from __future__ import annotations

import hashlib
import time
from contextvars import ContextVar

RECORD = "_logins_record"
SEEN = "_logins_seen"
KEY = "_logins_key"
# The record's "last seen" moves at most this often (seconds): one UPDATE a minute per session, not one a
# request.
TOUCH_EVERY = 60

_request: ContextVar = ContextVar("logins_request", default=None)


def key_digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:16]


def remember(session, record_id: int) -> None:
    session[RECORD] = record_id
    session[SEEN] = time.time()
    session[KEY] = key_digest(session.session_key)


def current_request():
    """The request this thread is serving (set by SessionTrackingMiddleware), or None: a shell, a task."""
    return _request.get()


def is_http(request) -> bool:
    """A request that came over HTTP. `login()` called on a made-up request - the test client's
    force_login - has no method, no address and nobody at a browser: it gets a session record, but no
    audit row says a person signed in."""
    return request is not None and bool(getattr(request, "method", None))
