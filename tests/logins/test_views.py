"""The signed-in devices page: a user sees and ends their own sessions, and never anyone else's."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from logins.choices import EndReason
from logins.models import UserSession
from portal.models import AuditLog
from tests.access import AccessCase, case_id, run_access_case, users

from .helpers import FIREFOX_LINUX, SAFARI_IPHONE, session_key, sign_in, signed_in

try:  # the access matrix's helper asks every scoped role's case why no other scope is tried
    from tests.access import OWN_ACCOUNT

    OWN = {"why_no_other_scope": OWN_ACCOUNT}
except ImportError:
    OWN = {}

pytestmark = pytest.mark.django_db

EVERYONE = ("org_staff", "town_staff", "station", "bank_officer", "insurer_officer", "enterprise_user", "cadre",
            "leader", "admin")

# Every signed-in user has their own devices page and may end their own other sessions: no role is wrong.
OPEN_TO_EVERY_ROLE = {
    "logins:list": "every signed-in user's own devices: the page shows their sessions and no one else's",
    "logins:end_others": "every signed-in user ends their own other sessions, never another account's",
}


def _org_staff_session(w):
    """An open session of the organization department's user (for the end address)."""
    if not hasattr(w, "logins_session"):
        w.logins_session = UserSession.objects.create(user=w.org_staff, session_key="k" * 32, device="Firefox 128 · Linux",
                                                      ip="10.5.5.5")
    return w.logins_session


ACCESS_CASES = [
    # Every signed-in user has this page, about their own account only.
    AccessCase("logins:list", lambda w: reverse("logins:list"), right=users(*EVERYONE), **OWN),
    AccessCase("logins:end_others", lambda w: reverse("logins:end_others"), right=users(*EVERYONE), method="post",
               ok=(302,), **OWN),
    # One user's session: every other account, whatever its role, is answered 404.
    AccessCase("logins:end", lambda w: reverse("logins:end", args=[_org_staff_session(w).pk]),
               right=users("org_staff"), wrong=users("admin", "bank_officer", "enterprise_user", "town_staff"),
               method="post", ok=(302,)),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, world):
    run_access_case(case, world)


def test_the_page_lists_the_users_own_sessions_and_marks_this_one(world):
    # given the bank officer signed in on Chrome/Windows and on an iPhone, and another officer on Firefox
    desk = sign_in(world.bank_officer, ip="10.1.1.1")
    sign_in(world.bank_officer, SAFARI_IPHONE, ip="10.2.2.2")
    sign_in(world.bank2_officer, FIREFOX_LINUX, ip="10.3.3.3")
    # when the first opens the signed-in devices page
    response = desk.get(reverse("logins:list"))
    page = response.content.decode()
    # then both of theirs are there, this one marked, and nothing of the other officer's
    assert response.status_code == 200
    assert "Chrome 131 · Windows" in page
    assert "10.1.1.1" in page
    assert "Safari 17 · iPhone" in page
    assert "10.2.2.2" in page
    assert "Firefox 128" not in page
    assert "10.3.3.3" not in page
    assert page.count("本设备") == 1
    assert [row.record.ip for row in response.context["active"]] == ["10.1.1.1", "10.2.2.2"]
    assert [row.current for row in response.context["active"]] == [True, False]
    # and no session key is on the page
    for key in Session.objects.values_list("session_key", flat=True):
        assert key not in page


def test_ending_a_session_signs_that_browser_out(world):
    desk = sign_in(world.enterprise_user, ip="10.1.1.1")
    phone = sign_in(world.enterprise_user, SAFARI_IPHONE, ip="10.2.2.2")
    phone_key = session_key(phone)
    phone_record = UserSession.objects.get(session_key=phone_key)
    # when the user ends the phone's session from the desk
    response = desk.post(reverse("logins:end", args=[phone_record.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("logins:list")
    # then the phone's next request goes to the login page, and the desk carries on
    assert not signed_in(phone)
    assert signed_in(desk)
    phone_record.refresh_from_db()
    assert (phone_record.end_reason, phone_record.ended_by, phone_record.session_key) == (
        EndReason.USER, world.enterprise_user, None)
    assert not Session.objects.filter(session_key=phone_key).exists()
    log = AuditLog.objects.get(action="session.end")
    assert (log.actor_id, log.object_id, log.ip) == (world.enterprise_user.pk, str(phone_record.pk), "10.1.1.1")
    assert log.object_repr == "t_enterprise · Safari 17 · iPhone · 10.2.2.2"
    assert log.after["end_reason"] == "user"


def test_ending_all_others_keeps_this_one(world):
    desk = sign_in(world.town_staff, ip="10.1.1.1")
    others = [sign_in(world.town_staff, SAFARI_IPHONE, ip="10.2.2.2"), sign_in(world.town_staff, FIREFOX_LINUX)]
    response = desk.post(reverse("logins:end_others"), follow=True)
    assert "已结束其他 2 个设备上的会话。" in response.content.decode()
    assert [signed_in(client) for client in others] == [False, False]
    assert signed_in(desk)
    assert list(UserSession.objects.filter(ended_at__isnull=True).values_list("session_key", flat=True)) == [
        session_key(desk)]
    assert AuditLog.objects.filter(action="session.end", actor_id=world.town_staff.pk).count() == 2


def test_nobody_ends_another_users_session(world):
    # given the enterprise user signed in, and the other enterprise's user (and an administrator) signed in
    victim = sign_in(world.enterprise_user)
    record = UserSession.objects.get(user=world.enterprise_user)
    for intruder in (world.enterprise_b_user, world.admin):
        client = sign_in(intruder, FIREFOX_LINUX, ip="10.6.6.6")
        # when they post its id to the end address, or ask to end "all others"
        assert client.post(reverse("logins:end", args=[record.pk])).status_code == 404
        client.post(reverse("logins:end_others"))
        # then they do not see it either
        assert "10.1.2.3" not in client.get(reverse("logins:list")).content.decode()
    # and the victim is still signed in, the record open, the session in the store
    assert signed_in(victim)
    record.refresh_from_db()
    assert record.is_open
    assert Session.objects.filter(session_key=record.session_key).exists()
    assert not AuditLog.objects.filter(action="session.end").exists()


def test_this_session_is_ended_by_signing_out_not_from_the_list(world):
    client = sign_in(world.cadre)
    record = UserSession.objects.get(user=world.cadre)
    response = client.post(reverse("logins:end", args=[record.pk]), follow=True)
    assert "这是您正在使用的会话；要结束它，请退出登录。" in response.content.decode()
    assert signed_in(client)


def test_an_ended_session_is_404_the_second_time(world):
    desk, phone = sign_in(world.leader), sign_in(world.leader, SAFARI_IPHONE)
    record = UserSession.objects.get(session_key=session_key(phone))
    assert desk.post(reverse("logins:end", args=[record.pk])).status_code == 302
    assert desk.post(reverse("logins:end", args=[record.pk])).status_code == 404
    assert AuditLog.objects.filter(action="session.end").count() == 1


def test_the_buttons_ask_first_and_the_page_has_no_inline_script(world):
    desk = sign_in(world.station)
    sign_in(world.station, SAFARI_IPHONE)
    page = desk.get(reverse("logins:list")).content.decode()
    assert page.count('data-confirm="确定结束该设备上的会话？该设备需要重新登录。"') == 1
    assert 'data-confirm="确定结束其他所有设备上的会话？这些设备需要重新登录。"' in page
    main = page.split('<main', 1)[1]
    assert "<script>" not in main
    assert " onclick=" not in main
    assert " style=" not in main


def test_the_user_menu_leads_to_the_page(world):
    client = Client()
    client.force_login(world.insurer_officer)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("logins:list")}"' in page
    assert "登录设备" in page
