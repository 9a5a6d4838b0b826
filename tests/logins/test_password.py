"""A new password ends the account's other sessions and keeps the one that changed it."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.urls import reverse

from logins.choices import EndReason
from logins.models import UserSession
from portal.models import AuditLog
from tests.factories import TEST_PASSWORD

from .helpers import SAFARI_IPHONE, session_key, sign_in, signed_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-password-2027"


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(world):
    desk = sign_in(world.station, ip="10.1.1.1")
    phone = sign_in(world.station, SAFARI_IPHONE, ip="10.2.2.2")
    phone_key = session_key(phone)
    phone_record = UserSession.objects.get(session_key=phone_key)
    desk_record = UserSession.objects.get(session_key=session_key(desk))
    # when the desk changes the password
    response = desk.post(reverse("password_change"), {
        "old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    # then the phone is signed out, its record ended by the password change, its session gone from the store
    assert not signed_in(phone)
    phone_record.refresh_from_db()
    assert (phone_record.end_reason, phone_record.ended_by, phone_record.session_key) == (
        EndReason.PASSWORD, world.station, None)
    assert not Session.objects.filter(session_key=phone_key).exists()
    # and the desk carries on, its record following the session's new key
    assert signed_in(desk)
    desk_record.refresh_from_db()
    assert desk_record.is_open
    assert desk_record.session_key == session_key(desk)
    log = AuditLog.objects.get(action="auth.password_change")
    assert (log.actor_id, log.object_type, log.object_id, log.ip) == (
        world.station.pk, "auth.user", str(world.station.pk), "10.1.1.1")
    assert log.after == {"ended_sessions": [phone_record.pk]}
    assert log.note == "已结束其他 1 个登录会话"
    # and the list shows the desk alone, the phone among the ended
    page = desk.get(reverse("logins:list"))
    assert [row.record.pk for row in page.context["active"]] == [desk_record.pk]
    assert [(row.record.pk, row.end_reason_label) for row in page.context["ended"]] == [(phone_record.pk, "修改密码")]


def test_a_password_set_outside_a_request_ends_every_session_without_an_audit_row(world):
    clients = [sign_in(world.cadre), sign_in(world.cadre, SAFARI_IPHONE)]
    world.cadre.set_password(NEW_PASSWORD)
    world.cadre.save()
    assert [signed_in(client) for client in clients] == [False, False]
    assert not UserSession.objects.filter(ended_at__isnull=True).exists()
    assert set(UserSession.objects.values_list("end_reason", flat=True)) == {"password"}
    assert not AuditLog.objects.filter(action="auth.password_change").exists()


def test_saving_a_user_without_a_new_password_ends_nothing(world):
    client = sign_in(world.cadre)
    world.cadre.first_name = "新"
    world.cadre.save()
    assert signed_in(client)
    assert UserSession.objects.get().is_open


def test_a_password_reset_by_the_administrator_ends_every_session_of_that_account(world):
    # given the bank officer signed in on two devices, and the administrator in the admin site
    clients = [sign_in(world.bank_officer), sign_in(world.bank_officer, SAFARI_IPHONE)]
    world.admin.is_staff = True
    world.admin.save()
    world.admin.user_permissions.add(Permission.objects.get(codename="change_user"))
    admin = sign_in(world.admin, ip="10.8.8.8")
    # when the administrator sets a new password for the officer
    response = admin.post(reverse("admin:auth_user_password_change", args=[world.bank_officer.pk]), {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    # then both of the officer's sessions are ended, by the administrator, and the administrator's stays
    assert [signed_in(client) for client in clients] == [False, False]
    assert set(UserSession.objects.filter(user=world.bank_officer).values_list("end_reason", "ended_by")) == {
        (EndReason.PASSWORD, world.admin.pk)}
    assert signed_in(admin)
    log = AuditLog.objects.get(action="auth.password_change")
    assert (log.actor_id, log.object_id, log.ip) == (world.admin.pk, str(world.bank_officer.pk), "10.8.8.8")
    assert len(log.after["ended_sessions"]) == 2
