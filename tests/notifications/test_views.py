"""The notification pages: the bell's count, the list (own only, newest first, paginated), marking one
(own only: another's is 404) or all read, and the channel preferences."""

import pytest
from django.urls import reverse

from notifications import services
from notifications.choices import Channel, Kind
from notifications.models import Notification, NotificationPreference
from tests.access import OWN_ACCOUNT, AccessCase, case_id, everyone, run_access_case, users

pytestmark = pytest.mark.django_db

OPEN_TO_EVERY_ROLE = {
    "notifications:list": "every signed-in user's own notifications, nobody else's",
    "notifications:read_all": "every signed-in user marks their own notifications read",
    "notifications:preferences": "every signed-in user's own channels",
}


def note(user, title="贷款申请已获批准", kind=Kind.APPLICATION_APPROVED, **fields):
    row, = services.notification_create(recipients=[user], kind=kind, title=title, **fields)
    return row


def _own_note(w):
    if not hasattr(w, "own_note"):
        w.own_note = note(w.enterprise_user, title="仅本人可见的通知")
    return w.own_note


ACCESS_CASES = [
    AccessCase("notifications:list", lambda w: reverse("notifications:list"), right=everyone,
               why_no_other_scope=OWN_ACCOUNT),
    AccessCase("notifications:read_all", lambda w: reverse("notifications:read_all"), right=everyone, method="post",
               ok=(302,), why_no_other_scope=OWN_ACCOUNT),
    AccessCase("notifications:preferences", lambda w: reverse("notifications:preferences"), right=everyone,
               why_no_other_scope=OWN_ACCOUNT),
    AccessCase("notifications:preferences", lambda w: reverse("notifications:preferences"), right=everyone,
               method="post", ok=(302,), why_no_other_scope=OWN_ACCOUNT),
    # One user's notification: every other account, whatever its role, is answered 404.
    AccessCase("notifications:read", lambda w: reverse("notifications:read", args=[_own_note(w).pk]),
               right=users("enterprise_user"), wrong=users("enterprise_b_user", "org_staff", "bank_officer", "admin"),
               other_scope=users("enterprise_b_user"), method="post", ok=(302,)),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, world):
    run_access_case(case, world)


def test_the_bell_shows_the_unread_count_with_a_label(world, client):
    note(world.enterprise_user)
    note(world.enterprise_user, title="贷款已放款", kind=Kind.APPLICATION_DISBURSED)
    note(world.enterprise_b_user)  # another's: not counted
    client.force_login(world.enterprise_user)
    page = client.get(reverse("home")).content.decode()
    assert 'id="notification-bell" data-unread="2"' in page
    assert 'aria-label="通知：2 条未读"' in page


def test_the_bell_with_nothing_unread(world, client):
    client.force_login(world.enterprise_user)
    page = client.get(reverse("home")).content.decode()
    assert 'data-unread="0"' in page
    assert 'aria-label="通知：没有未读"' in page


def test_the_list_shows_own_newest_first_unread_marked(world, client):
    first = note(world.enterprise_user, title="第一条")
    second = note(world.enterprise_user, title="第二条")
    services.notification_mark_read(user=world.enterprise_user, notification_id=first.pk)
    note(world.enterprise_b_user, title="别人的通知")
    client.force_login(world.enterprise_user)
    response = client.get(reverse("notifications:list"))
    assert [n.pk for n in response.context["notifications"]] == [second.pk, first.pk]
    page = response.content.decode()
    assert "别人的通知" not in page
    assert f'data-notification="{second.pk}" data-read="0"' in page
    assert f'data-notification="{first.pk}" data-read="1"' in page
    assert page.count(">标为已读</button>") == 1
    assert response.context["unread"] == 1


def test_the_list_is_paginated(world, client):
    for n in range(23):
        note(world.enterprise_user, title=f"通知{n}")
    client.force_login(world.enterprise_user)
    assert len(client.get(reverse("notifications:list")).context["notifications"]) == 20
    assert len(client.get(reverse("notifications:list") + "?page=2").context["notifications"]) == 3


def test_mark_one_read_and_back_to_the_page(world, client):
    row = note(world.enterprise_user)
    client.force_login(world.enterprise_user)
    response = client.post(reverse("notifications:read", args=[row.pk]), {"next": "/notifications/?page=1"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    row.refresh_from_db()
    assert row.read_at is not None


def test_mark_read_never_another_users(world, client):
    theirs = note(world.enterprise_b_user)
    client.force_login(world.enterprise_user)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_only_own(world, client):
    note(world.enterprise_user)
    note(world.enterprise_user)
    theirs = note(world.enterprise_b_user)
    client.force_login(world.enterprise_user)
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.filter(recipient=world.enterprise_user, read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_outside_next_is_not_followed(world, client):
    row = note(world.enterprise_user)
    client.force_login(world.enterprise_user)
    response = client.post(reverse("notifications:read", args=[row.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_preferences_save_exactly_the_ticked_channels(world, client):
    client.force_login(world.enterprise_user)
    client.post(reverse("notifications:preferences"), {"application_approved:email": "1",
                                                       "application_rejected:sms": "1", "bogus:email": "1"})
    chosen = set(NotificationPreference.objects.filter(user=world.enterprise_user).values_list("kind", "channel"))
    assert chosen == {(Kind.APPLICATION_APPROVED, Channel.EMAIL), (Kind.APPLICATION_REJECTED, Channel.SMS)}
    client.post(reverse("notifications:preferences"), {"application_rejected:sms": "1"})
    chosen = set(NotificationPreference.objects.filter(user=world.enterprise_user).values_list("kind", "channel"))
    assert chosen == {(Kind.APPLICATION_REJECTED, Channel.SMS)}
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="application_rejected:sms" id="pref-application_rejected-sms" value="1" checked' in page
    assert 'name="application_approved:email" id="pref-application_approved-email" value="1" aria-label' in page


def test_the_list_speaks_the_readers_language(world, client):
    # given a rejection written in Chinese from its source text and values
    services.notification_create(
        recipients=[world.enterprise_user], kind=Kind.APPLICATION_REJECTED, title="贷款申请未获批准",
        body="%(b)s未批准%(e)s的贷款申请（编号 %(n)s），原因：%(r)s。",
        params={"b": "农商银行", "e": "东湖精密机械有限公司", "n": 7, "r": "经营现金流不足以覆盖还款"})
    row = Notification.objects.get(recipient=world.enterprise_user)
    assert row.body == "农商银行未批准东湖精密机械有限公司的贷款申请（编号 7），原因：经营现金流不足以覆盖还款。"
    # when the reader has chosen English
    client.force_login(world.enterprise_user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("notifications:list")).content.decode()
    # then the title, the sentence and the coded reason are English; the names stay as stored
    assert "Loan application rejected" in page
    assert ("农商银行 rejected the loan application of 东湖精密机械有限公司 (no. 7). "
            "Reason: Operating cash flow insufficient to cover repayments.") in page
    assert "经营现金流不足以覆盖还款" not in page


def test_no_bell_before_the_second_factor_is_given(world, client, settings):
    # given a bank officer, whose role must pass the second factor, signed in with the password only
    settings.PORTAL_SECOND_FACTOR_ROLES = ["bank_officer"]
    note(world.bank_officer)
    client.force_login(world.bank_officer)
    # when a page answers (the second factor's own)
    response = client.get(reverse("home"), follow=True)
    # then it shows no bell and no count
    assert response.status_code == 200
    assert response.redirect_chain
    assert "notification-bell" not in response.content.decode()
    # and the bell is there for a role that need not pass it
    client.force_login(world.enterprise_user)
    assert "notification-bell" in client.get(reverse("home")).content.decode()
