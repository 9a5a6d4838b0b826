"""Keeping the records current: last seen at most once a minute, a session without a record adopted, and a
session whose record was ended elsewhere signed out."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from logins import tracking
from logins.models import UserSession
from portal.models import AuditLog

from .helpers import session_key, sign_in, signed_in

pytestmark = pytest.mark.django_db


def _writes_to_records(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "logins_usersession" in q["sql"]]


def _age_the_touch(client, seconds: float) -> None:
    """As if the record was last touched `seconds` ago."""
    session = client.session
    session[tracking.SEEN] = time.time() - seconds
    session.save()


def test_last_seen_moves_at_most_once_a_minute(world):
    client = sign_in(world.org_staff)
    record = UserSession.objects.get()
    signed_in_at = record.last_seen
    # requests within the minute write nothing to the record
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(reverse("home")).status_code == 200
    assert _writes_to_records(queries) == []
    record.refresh_from_db()
    assert record.last_seen == signed_in_at
    # a request a minute later moves it, with one UPDATE
    _age_the_touch(client, 61)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert len(_writes_to_records(queries)) == 1
    record.refresh_from_db()
    assert record.last_seen > signed_in_at
    # and the next request of that minute writes nothing again
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert _writes_to_records(queries) == []


def test_a_session_signed_in_before_the_records_is_adopted_without_an_audit_row(world):
    client = Client(HTTP_USER_AGENT="curl/8.5.0", REMOTE_ADDR="10.4.4.4")
    client.force_login(world.leader)
    UserSession.objects.all().delete()
    session = client.session
    for name in (tracking.RECORD, tracking.SEEN, tracking.KEY):
        session.pop(name)
    session.save()
    assert client.get(reverse("home")).status_code == 200
    record = UserSession.objects.get()
    assert (record.user, record.session_key, record.ip, record.device) == (world.leader, session_key(client),
                                                                            "10.4.4.4", "curl 8")
    assert not AuditLog.objects.filter(action="auth.login").exists()


def test_a_session_whose_record_was_ended_is_signed_out_at_its_next_touch(world):
    # given a session whose record was ended while the store kept it (a cache store that missed the delete)
    client = sign_in(world.org_staff)
    UserSession.objects.update(ended_at="2026-01-01T00:00:00+08:00", session_key=None, end_reason="admin")
    # within the minute nothing is asked of the database; at the next touch the session ends
    _age_the_touch(client, 61)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not signed_in(client)
