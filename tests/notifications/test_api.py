"""GET /api/v1/notifications/ (the caller's own, newest first, paginated) and marking read over the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from notifications import services
from notifications.choices import Kind
from tests.access import OWN_ACCOUNT, AccessCase, case_id, everyone, run_access_case, users

pytestmark = pytest.mark.django_db

OPEN_TO_EVERY_ROLE = {
    "api:notification-list": "every signed-in user's own notifications, nobody else's",
    "api:notification-read-all": "every signed-in user marks their own notifications read",
}


def note(user, title="贷款申请已获批准"):
    row, = services.notification_create(recipients=[user], kind=Kind.APPLICATION_APPROVED, title=title)
    return row


def _own_note(w):
    if not hasattr(w, "own_api_note"):
        w.own_api_note = note(w.enterprise_user, title="仅本人可见的通知")
    return w.own_api_note


ACCESS_CASES = [
    AccessCase("api:notification-list", lambda w: reverse("api:notification-list"), api=True, right=everyone,
               why_no_other_scope=OWN_ACCOUNT),
    AccessCase("api:notification-read-all", lambda w: reverse("api:notification-read-all"), api=True,
               method="post", right=everyone, why_no_other_scope=OWN_ACCOUNT),
    AccessCase("api:notification-read", lambda w: reverse("api:notification-read", args=[_own_note(w).pk]), api=True,
               method="post", right=users("enterprise_user"),
               wrong=users("enterprise_b_user", "org_staff", "bank_officer", "admin"),
               other_scope=users("enterprise_b_user")),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, world):
    run_access_case(case, world)


def client_of(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_is_the_callers_own_newest_first(world):
    first = note(world.bank_officer, title="新的贷款申请待受理")
    second = note(world.bank_officer, title="贷款申请已撤回")
    note(world.bank2_officer, title="别行的通知")
    body = client_of(world.bank_officer).get(reverse("api:notification-list")).json()
    assert body["count"] == 2
    assert [r["id"] for r in body["results"]] == [second.pk, first.pk]
    assert body["results"][0]["title"] == "贷款申请已撤回"
    assert body["results"][0]["read"] is False
    assert set(body["results"][0]) == {"id", "kind", "title", "body", "url", "workflow", "case_pk", "created_at",
                                       "read", "read_at"}


def test_only_the_unread_when_asked(world):
    first, second = note(world.bank_officer, title="一"), note(world.bank_officer, title="二")
    services.notification_mark_read(user=world.bank_officer, notification_id=first.pk)
    client = client_of(world.bank_officer)
    assert [r["id"] for r in client.get(reverse("api:notification-list") + "?unread=true").json()["results"]] == [
        second.pk]
    assert client.get(reverse("api:notification-list")).json()["count"] == 2


def test_mark_one_read_own_only(world):
    mine, theirs = note(world.bank_officer), note(world.bank2_officer)
    client = client_of(world.bank_officer)
    response = client.post(reverse("api:notification-read", args=[theirs.pk]))
    assert response.status_code == 404
    assert "detail" in response.json()
    response = client.post(reverse("api:notification-read", args=[mine.pk]))
    assert response.status_code == 200
    assert response.json()["read"] is True
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(world):
    note(world.bank_officer)
    note(world.bank_officer)
    other = note(world.bank2_officer)
    response = client_of(world.bank_officer).post(reverse("api:notification-read-all"))
    assert response.json() == {"marked": 2}
    other.refresh_from_db()
    assert other.read_at is None


def test_the_schema_describes_the_endpoints(world):
    client = APIClient()
    client.force_login(world.org_staff)
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/notifications/", "/api/v1/notifications/{id}/read/", "/api/v1/notifications/read-all/"):
        assert path in schema


def test_a_banks_system_reads_its_queue_with_a_key_that_holds_the_scope(world, quota_table, product, rated_a,
                                                                        committed):
    from apikeys.scopes import LOAN_APPLICATIONS, NOTIFICATIONS_READ
    from finance import services as loans
    from tests.apikeys.conftest import key_client, make_key

    # given the bank's key with the notifications scope and the other bank's without
    _key, plain = make_key(world, world.bank, scopes=[LOAN_APPLICATIONS, NOTIFICATIONS_READ], by=world.admin)
    _key2, plain2 = make_key(world, world.bank2, scopes=[LOAN_APPLICATIONS], by=world.admin)
    # when an enterprise applies to the bank
    app = committed(loans.loan_application_submit, acting_user=world.enterprise_user, enterprise=world.ent_a,
                    bank=world.bank, product=product, amount="800000", purpose="购置生产设备")
    # then the bank's system finds the new case in its notifications and marks it read
    body = key_client(plain).get(reverse("api:notification-list")).json()
    assert [(r["kind"], r["case_pk"], r["url"]) for r in body["results"]] == [
        ("case_assigned", app.pk, f"/finance/applications/{app.pk}/")]
    marked = key_client(plain).post(reverse("api:notification-read", args=[body["results"][0]["id"]]))
    assert marked.status_code == 200
    # and a key without the scope is refused
    assert key_client(plain2).get(reverse("api:notification-list")).status_code == 403
