"""Signing in and out, failed sign-ins and lockouts: a session record and an audit row each."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from logins.choices import EndReason
from logins.models import UserSession
from portal.models import AuditLog
from tests.factories import TEST_PASSWORD

from .helpers import browser, session_key, sign_in, signed_in

pytestmark = pytest.mark.django_db


def test_signing_in_records_the_session_with_its_device_and_address(world):
    # when the bank officer signs in from Chrome on Windows at 10.1.2.3
    client = sign_in(world.bank_officer, ip="10.1.2.3")
    # then one open record holds the session, the device and the address
    record = UserSession.objects.get(user=world.bank_officer)
    assert (record.device, record.ip, record.ended_at, record.end_reason) == ("Chrome 131 · Windows", "10.1.2.3", None, "")
    assert record.session_key == session_key(client)
    assert record.created_at == record.last_seen
    # and the audit log says who signed in, from where, on what
    log = AuditLog.objects.get(action="auth.login")
    assert (log.actor_id, log.actor_name, log.ip) == (world.bank_officer.pk, "t_bank", "10.1.2.3")
    assert (log.object_type, log.object_id) == ("logins.usersession", str(record.pk))
    assert log.object_repr == "t_bank · Chrome 131 · Windows · 10.1.2.3"


def test_the_session_key_is_in_no_audit_row(world):
    client = sign_in(world.bank_officer)
    key = session_key(client)
    client.post(reverse("logout"))
    assert len(key) == 32
    assert AuditLog.objects.filter(action__in=["auth.login", "auth.logout"]).count() == 2
    for row in AuditLog.objects.values():
        assert key not in json.dumps(row, default=str)


def test_force_login_gets_a_record_but_no_audit_row_and_the_pages_answer(world):
    # the test client's force_login calls login() on a made-up request: the signal fires there too
    client = Client()
    client.force_login(world.org_staff)
    record = UserSession.objects.get(user=world.org_staff)
    assert (record.session_key, record.ip, record.device) == (session_key(client), None, "")
    assert not AuditLog.objects.filter(action="auth.login").exists()
    assert client.get(reverse("home")).status_code == 200
    # signing in again in the same session renews the same record instead of adding one
    client.force_login(world.org_staff)
    assert UserSession.objects.filter(user=world.org_staff).count() == 1


def test_signing_out_ends_the_record_and_is_audited(world):
    client = sign_in(world.enterprise_user)
    key = session_key(client)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    record = UserSession.objects.get(user=world.enterprise_user)
    assert (record.end_reason, record.ended_by, record.session_key) == (EndReason.LOGOUT, world.enterprise_user, None)
    assert record.ended_at is not None
    assert not Session.objects.filter(session_key=key).exists()
    log = AuditLog.objects.get(action="auth.logout")
    assert (log.actor_id, log.object_id, log.ip) == (world.enterprise_user.pk, str(record.pk), "10.1.2.3")


def test_a_failed_sign_in_is_audited_with_the_name_tried_and_never_the_password(world):
    client = browser(ip="10.9.9.9")
    response = client.post(reverse("login"), {"username": "t_bank", "password": "Wrong-password-123"})
    assert response.status_code == 200  # the form again, with its error
    log = AuditLog.objects.get(action="auth.login_failed")
    assert (log.actor_id, log.actor_name, log.object_type, log.object_repr, log.ip) == (
        None, "system", "auth.user", "t_bank", "10.9.9.9")
    for row in AuditLog.objects.values():
        assert "Wrong-password-123" not in json.dumps(row, default=str)
    assert not UserSession.objects.exists()


def test_a_failed_sign_in_for_an_unknown_name_makes_no_account(world):
    users = get_user_model().objects.count()
    browser().post(reverse("login"), {"username": "nobody-here", "password": "Whatever-123"})
    log = AuditLog.objects.get(action="auth.login_failed")
    assert (log.actor_id, log.object_repr, log.object_id) == (None, "nobody-here", "")
    assert get_user_model().objects.count() == users
    assert not get_user_model().objects.filter(username="nobody-here").exists()


def test_five_failures_lock_the_account_once_in_the_audit_log(world):
    client = browser(ip="10.7.7.7")
    for _ in range(5):
        client.post(reverse("login"), {"username": "t_insurer", "password": "Wrong-password-123"})
    # then the fifth failure locks the account: one lockout row, after five failed sign-ins
    lockout = AuditLog.objects.get(action="auth.lockout")
    assert (lockout.actor_id, lockout.object_repr, lockout.ip) == (None, "t_insurer", "10.7.7.7")
    assert lockout.note == "连续 5 次登录失败，账号锁定 15 分钟"
    assert AuditLog.objects.filter(action="auth.login_failed", object_repr="t_insurer").count() == 5
    # and while locked, even the right password is refused: a failed sign-in, not another lockout
    response = client.post(reverse("login"), {"username": "t_insurer", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert AuditLog.objects.filter(action="auth.lockout").count() == 1
    assert AuditLog.objects.filter(action="auth.login_failed", object_repr="t_insurer").count() == 6
    assert not UserSession.objects.filter(user=world.insurer_officer).exists()
    assert not signed_in(client)


def test_a_lockout_of_one_account_leaves_another_alone(world):
    client = browser()
    for _ in range(5):
        client.post(reverse("login"), {"username": "t_insurer", "password": "Wrong-password-123"})
    assert signed_in(sign_in(world.insurer2_officer))
    assert list(AuditLog.objects.filter(action="auth.lockout").values_list("object_repr", flat=True)) == ["t_insurer"]
