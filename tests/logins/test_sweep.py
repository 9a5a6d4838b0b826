"""Expired sessions: not listed as signed in, and the sweep clears them and marks their records."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from logins.choices import EndReason
from logins.models import UserSession
from logins.tasks import user_sessions_clear_expired_task

from .helpers import SAFARI_IPHONE, session_key, sign_in

pytestmark = pytest.mark.django_db


def _expire(client) -> UserSession:
    key = session_key(client)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(minutes=1))
    return UserSession.objects.get(session_key=key)


def test_an_expired_session_is_listed_as_ended_before_the_sweep(world):
    desk = sign_in(world.org_staff)
    old = _expire(sign_in(world.org_staff, SAFARI_IPHONE, ip="10.2.2.2"))
    response = desk.get(reverse("logins:list"))
    assert [row.record.pk for row in response.context["active"]] == [UserSession.objects.get(
        session_key=session_key(desk)).pk]
    assert [(row.record.pk, row.end_reason) for row in response.context["ended"]] == [(old.pk, EndReason.EXPIRED)]
    assert "结束其他所有会话" not in response.content.decode()


def test_the_sweep_clears_expired_sessions_and_marks_their_records(world):
    live = sign_in(world.org_staff)
    old = _expire(sign_in(world.bank_officer))
    gone = UserSession.objects.get(session_key=session_key(sign_in(world.leader)))
    # a session gone from the store two hours after it was last seen (its browser signed in as someone else)
    Session.objects.filter(session_key=gone.session_key).delete()
    last_seen = timezone.now() - timedelta(hours=2)
    UserSession.objects.filter(pk=gone.pk).update(last_seen=last_seen)
    old_key = old.session_key
    before = timezone.now()
    call_command("clear_expired_sessions", stdout=StringIO())
    old.refresh_from_db()
    gone.refresh_from_db()
    # then both records are ended as expired: the one just expired now, the other when it lapsed
    assert (old.end_reason, old.session_key, old.ended_by) == (EndReason.EXPIRED, None, None)
    assert before <= old.ended_at <= timezone.now()
    assert (gone.end_reason, gone.ended_at) == (EndReason.EXPIRED,
                                                last_seen + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    assert not Session.objects.filter(session_key=old_key).exists()
    # the live session is untouched, and a second run changes nothing
    assert UserSession.objects.get(session_key=session_key(live)).is_open
    assert user_sessions_clear_expired_task.delay().get() == 0


def test_the_sweep_runs_every_quarter_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["logins-clear-expired-sessions"]
    assert entry["task"] == user_sessions_clear_expired_task.name == "logins.clear_expired_sessions"
    assert entry["schedule"].minute == {0, 15, 30, 45}
