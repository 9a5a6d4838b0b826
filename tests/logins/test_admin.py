"""The system administrator sees every account's sessions in the admin site and ends them; nobody else
does, and the session key is never shown."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from logins.choices import EndReason
from logins.models import UserSession
from portal.models import AuditLog

from .helpers import SAFARI_IPHONE, session_key, sign_in, signed_in

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:logins_usersession_changelist"


def _staff(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_the_administrator_sees_and_ends_any_users_session(world):
    victim = sign_in(world.bank_officer, SAFARI_IPHONE, ip="10.2.2.2")
    key = session_key(victim)
    record = UserSession.objects.get(session_key=key)
    admin = _staff(world.admin)
    page = admin.get(reverse(CHANGELIST)).content.decode()
    assert "t_bank" in page
    assert "Safari 17 · iPhone" in page
    assert "10.2.2.2" in page
    assert key not in page
    assert key not in admin.get(reverse("admin:logins_usersession_change", args=[record.pk])).content.decode()
    # when the administrator ends it with the list's action
    response = admin.post(reverse(CHANGELIST), {"action": "end_sessions", "_selected_action": [record.pk]})
    assert response.status_code == 302
    # then the officer's browser is signed out, and the record and the audit log say who ended it
    assert not signed_in(victim)
    record.refresh_from_db()
    assert (record.end_reason, record.ended_by) == (EndReason.ADMIN, world.admin)
    assert not Session.objects.filter(session_key=key).exists()
    log = AuditLog.objects.get(action="session.end")
    assert (log.actor_id, log.object_id, log.after["end_reason"]) == (world.admin.pk, str(record.pk), "admin")


def test_staff_without_the_administrator_role_do_not_see_the_sessions(world):
    sign_in(world.bank_officer)
    record = UserSession.objects.get()
    staff = _staff(world.org_staff)
    assert staff.get(reverse(CHANGELIST)).status_code == 403
    response = staff.post(reverse(CHANGELIST), {"action": "end_sessions", "_selected_action": [record.pk]})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.is_open


def test_the_records_cannot_be_edited_or_deleted_in_the_admin(world):
    sign_in(world.bank_officer)
    record = UserSession.objects.get()
    admin = _staff(world.admin)
    assert admin.post(reverse("admin:logins_usersession_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    admin.post(reverse("admin:logins_usersession_change", args=[record.pk]), {"ip": "1.1.1.1"})
    record.refresh_from_db()
    assert record.ip == "10.1.2.3"
