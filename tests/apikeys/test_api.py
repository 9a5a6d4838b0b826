"""Calling the API with an institution key: what is stored, which scope opens which endpoint,
expiry, revocation, rotation, the address allow-list, the rate per key, "last used", the service
account's reach, and how the audit log names the key."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apikeys import services
from apikeys.authentication import ApiKeyAuthentication
from apikeys.models import InstitutionAPIKey, ServiceAccount
from apikeys.permissions import HasKeyScope
from apikeys.scopes import BY_CODE, ELIGIBILITY_READ, INSURANCE_QUOTE, INSURANCE_READ, LOAN_APPLICATIONS
from finance.services.lookups import eligibility_lookups_flush
from portal.api.urls import urlpatterns as api_urlpatterns
from portal.choices import Role
from portal.models import AuditLog, RoleAssignment

from .conftest import key_client, make_key

pytestmark = pytest.mark.django_db


def eligibility(w, uscc=None):
    return reverse("api:eligibility", args=[uscc or w.ent_a.uscc])


# --- storage and verification ---------------------------------------------------------------------


def test_only_the_prefix_and_a_sha512_hash_are_stored(kworld):
    # given a key just made
    w = kworld
    prefix, secret = w.plain_a.split(".")
    row = InstitutionAPIKey.objects.get(prefix=prefix)
    # then the row holds the prefix and the SHA-512 of the whole key, and no column holds the key itself
    assert row.hashed_key == "sha512$$" + hashlib.sha512(w.plain_a.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {InstitutionAPIKey._meta.db_table}")  # noqa: S608 - our own table
        dump = repr(cursor.fetchall())
    assert prefix in dump
    assert secret not in dump
    assert w.plain_a not in dump
    # and the audit rows of its making name it by its prefix, without the hash
    logs = repr(list(AuditLog.objects.values_list("object_id", "before", "after", "note")))
    assert prefix in logs
    assert secret not in logs
    assert row.hashed_key[8:40] not in logs


def test_a_valid_key_authenticates_as_its_institutions_service_account(kworld):
    w = kworld
    response = key_client(w.plain_a).get(eligibility(w))
    assert response.status_code == 200
    assert response.json()["uscc"] == w.ent_a.uscc
    account = ServiceAccount.objects.get(institution=w.bank).user
    assert not account.has_usable_password()
    assert list(RoleAssignment.objects.filter(user=account).values_list("role", "institution")) == [
        (Role.BANK_OFFICER, w.bank.pk)]


def test_the_x_api_key_header_works_too(kworld):
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=kworld.plain_a)
    assert client.get(eligibility(kworld)).status_code == 200


@pytest.mark.parametrize("raw", ["", "nodot", "AAAAAAAA.wrongsecretwrongsecretwrongsecret", "toolongprefix.secret"])
def test_an_unknown_or_malformed_key_gets_401_with_a_message(kworld, raw):
    response = key_client(raw).get(eligibility(kworld))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert "接口密钥无效" in response.json()["detail"]


def test_the_right_prefix_with_a_wrong_secret_is_unknown_and_says_nothing_of_the_key(kworld):
    w = kworld
    services.api_key_revoke(acting_user=w.admin, key=w.key_a, reason="测试")
    prefix = w.plain_a.split(".")[0]
    response = key_client(f"{prefix}.{'x' * 32}").get(eligibility(w))
    assert response.status_code == 401
    assert "撤销" not in response.json()["detail"]


def test_verifying_a_key_costs_microseconds_not_a_password_hash(kworld):
    # The library's SHA-512 hasher, not PBKDF2: a thousand verifications well under a second.
    import time

    generator = InstitutionAPIKey.objects.key_generator
    row = kworld.key_a
    started = time.perf_counter()
    for _ in range(1000):
        assert generator.verify(kworld.plain_a, row.hashed_key)
    assert (time.perf_counter() - started) / 1000 < 0.001


# --- scopes ---------------------------------------------------------------------------------------


def test_a_key_without_the_eligibility_scope_is_refused_and_told_which_scope(kworld):
    w = kworld
    _key, plain = make_key(w, w.bank, scopes=[LOAN_APPLICATIONS])
    response = key_client(plain).get(eligibility(w))
    assert response.status_code == 403
    assert ELIGIBILITY_READ in response.json()["detail"]
    assert "查询党建增信资格" in response.json()["detail"]


def test_a_key_with_the_scope_gets_200(kworld):
    w = kworld
    _key, plain = make_key(w, w.bank, scopes=[ELIGIBILITY_READ])
    assert key_client(plain).get(eligibility(w)).status_code == 200
    # and the same key cannot list loan applications
    assert key_client(plain).get(reverse("api:loan-application-list")).status_code == 403


def test_reporting_a_decision_takes_the_feedback_scope(kworld):
    w = kworld
    url = reverse("api:loan-application-step", args=[w.app_a.pk, "accept"])
    _key, read_only = make_key(w, w.bank, scopes=[LOAN_APPLICATIONS])
    response = key_client(read_only).post(url, {}, format="json")
    assert response.status_code == 403
    assert "feedback:report" in response.json()["detail"]
    # with the scope, the bank's system accepts the application, as the service account
    response = key_client(w.plain_a).post(url, {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"


def test_an_endpoint_that_declares_no_scope_is_closed_to_keys(kworld):
    # the registry's own endpoints are for people and the department's systems
    response = key_client(kworld.plain_a).get(reverse("api:institution-list"))
    assert response.status_code == 403
    assert "不对机构接口密钥开放" in response.json()["detail"]


@override_settings(PORTAL_SECOND_FACTOR_ROLES=["admin", "bank_officer", "insurer_officer"])
def test_a_key_needs_no_second_factor_where_its_role_does(kworld):
    # the second factor guards sessions; a key is itself the credential of a system
    assert key_client(kworld.plain_a).get(eligibility(kworld)).status_code == 200


def test_a_session_is_not_limited_by_key_scopes(kworld):
    client = APIClient()
    client.force_login(kworld.bank_officer)
    assert client.get(reverse("api:institution-list")).status_code == 200


def test_an_insurer_key_reads_quotes_with_its_scope(kworld):
    w = kworld
    _key, plain = make_key(w, w.insurer, scopes=[INSURANCE_READ])
    assert key_client(plain).get(reverse("api:insurance-quote-list")).status_code == 200
    assert key_client(plain).get(reverse("api:insurance-policy-list")).status_code == 200
    response = key_client(plain).post(reverse("api:insurance-quote-list"), {}, format="json")
    assert response.status_code == 403
    assert INSURANCE_QUOTE in response.json()["detail"]


def _views(patterns):
    from django.urls import URLPattern, URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _views(p.url_patterns)
        elif isinstance(p, URLPattern):
            yield p


def test_every_api_endpoint_checks_the_key_scope_and_declares_only_known_scopes():
    for pattern in _views(api_urlpatterns):
        view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
        if view is None or pattern.name in ("api_schema", "api_docs"):
            continue
        assert HasKeyScope in view.permission_classes, f"{pattern.name}: {view.__name__} does not check key scopes"
        declared = getattr(view, "key_scope", None)
        codes = declared.values() if isinstance(declared, dict) else [declared] if declared else []
        assert set(codes) <= set(BY_CODE), f"{pattern.name} declares an unknown scope: {codes}"


# --- expiry, revocation, rotation -----------------------------------------------------------------


def test_an_expired_key_gets_401_saying_when(kworld):
    w = kworld
    InstitutionAPIKey.objects.filter(pk=w.key_a.pk).update(expiry_date=timezone.now() - datetime.timedelta(minutes=1))
    response = key_client(w.plain_a).get(eligibility(w))
    assert response.status_code == 401
    assert "过期" in response.json()["detail"]


def test_a_key_works_through_its_last_day(kworld):
    w = kworld
    key, plain = make_key(w, w.bank, expires_on=timezone.localdate())
    assert key.expires_on == timezone.localdate()
    assert key_client(plain).get(eligibility(w)).status_code == 200


def test_revocation_takes_effect_on_the_next_call(kworld):
    w = kworld
    client = key_client(w.plain_a)
    assert client.get(eligibility(w)).status_code == 200
    services.api_key_revoke(acting_user=w.bank_officer, key=w.key_a, reason="密钥泄露")
    response = client.get(eligibility(w))
    assert response.status_code == 401
    assert "撤销" in response.json()["detail"]


def test_a_rotated_key_keeps_working_through_the_overlap_then_points_to_the_new_one(kworld):
    w = kworld
    new, new_plain = services.api_key_rotate(acting_user=w.bank_officer, key=w.key_a, overlap_days=7)
    old = InstitutionAPIKey.objects.get(pk=w.key_a.pk)
    # both work during the overlap, which ends seven days from now
    assert key_client(w.plain_a).get(eligibility(w)).status_code == 200
    assert key_client(new_plain).get(eligibility(w)).status_code == 200
    assert abs(old.expiry_date - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(minutes=1)
    assert old.state() == "rotating"
    assert new.scopes == old.scopes
    # after it, the old key is refused with the new key's prefix named
    InstitutionAPIKey.objects.filter(pk=old.pk).update(expiry_date=timezone.now() - datetime.timedelta(seconds=1))
    response = key_client(w.plain_a).get(eligibility(w))
    assert response.status_code == 401
    assert new.prefix in response.json()["detail"]
    assert key_client(new_plain).get(eligibility(w)).status_code == 200


def test_a_rotation_without_overlap_stops_the_old_key_at_once(kworld):
    w = kworld
    _new, new_plain = services.api_key_rotate(acting_user=w.bank_officer, key=w.key_a, overlap_days=0)
    assert key_client(w.plain_a).get(eligibility(w)).status_code == 401
    assert key_client(new_plain).get(eligibility(w)).status_code == 200


# --- the address allow-list -----------------------------------------------------------------------


@pytest.mark.parametrize(("networks", "address", "status"), [
    ("10.8.1.20", "10.8.1.20", 200),
    ("10.8.1.20", "10.8.1.21", 403),
    ("10.8.0.0/16", "10.8.250.3", 200),
    ("10.8.0.0/16", "10.9.0.1", 403),
    ("10.8.1.20\n2001:db8::/32", "2001:db8::7", 200),
    ("", "203.0.113.9", 200),
])
def test_the_allow_list_admits_addresses_and_networks(kworld, networks, address, status):
    w = kworld
    _key, plain = make_key(w, w.bank, networks=networks)
    response = key_client(plain, REMOTE_ADDR=address).get(eligibility(w))
    assert response.status_code == status
    if status == 403:
        assert address in response.json()["detail"]


@override_settings(PORTAL_TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_forwarded_address_is_checked(kworld):
    w = kworld
    _key, plain = make_key(w, w.bank, networks="10.8.0.0/16")
    # the proxy (192.0.2.1) forwards for 10.8.1.20: allowed
    assert key_client(plain, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.8.1.20").get(
        eligibility(w)).status_code == 200
    # a client writing an allowed address itself before its own is seen as its own address: refused
    response = key_client(plain, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.8.1.20, 198.51.100.7").get(
        eligibility(w))
    assert response.status_code == 403
    assert "198.51.100.7" in response.json()["detail"]


def test_without_trusted_proxies_a_forwarded_header_is_ignored(kworld):
    w = kworld
    _key, plain = make_key(w, w.bank, networks="10.8.0.0/16")
    response = key_client(plain, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.8.1.20").get(eligibility(w))
    assert response.status_code == 403


# --- throttling -----------------------------------------------------------------------------------


@override_settings(APIKEYS_DEFAULT_RATE="2/min")
def test_a_key_over_its_rate_gets_429_with_retry_after_in_chinese(kworld):
    w = kworld
    client = key_client(w.plain_a)
    assert [client.get(eligibility(w)).status_code for _ in range(2)] == [200, 200]
    response = client.get(eligibility(w))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("请求过于频繁：此接口密钥每分钟最多 2 次请求，请 ")
    # the rate is per key: bank2's key is not held back by bank's
    assert key_client(w.plain_b).get(eligibility(w)).status_code == 200


@override_settings(APIKEYS_DEFAULT_RATE="2/min")
def test_the_429_speaks_english_to_a_caller_asking_for_it(kworld):
    w = kworld
    client = key_client(w.plain_a, HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(2):
        client.get(eligibility(w))
    response = client.get(eligibility(w))
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many requests")


@override_settings(APIKEYS_DEFAULT_RATE="1/min")
def test_a_keys_own_rate_overrides_the_default(kworld):
    w = kworld
    _key, plain = make_key(w, w.bank, rate_limit=3)
    client = key_client(plain)
    assert [client.get(eligibility(w)).status_code for _ in range(4)] == [200, 200, 200, 429]


@override_settings(APIKEYS_DEFAULT_RATE="1/min")
def test_sessions_are_not_throttled_per_key(kworld):
    client = APIClient()
    client.force_login(kworld.bank_officer)
    assert [client.get(eligibility(kworld)).status_code for _ in range(3)] == [200, 200, 200]


# --- last used ------------------------------------------------------------------------------------


def test_last_used_is_written_once_a_minute_with_an_update(kworld, django_assert_num_queries):
    w = kworld
    assert w.key_a.last_used_at is None
    client = key_client(w.plain_a, REMOTE_ADDR="10.8.1.20")
    client.get(eligibility(w))
    first = InstitutionAPIKey.objects.get(pk=w.key_a.pk)
    assert first.last_used_at is not None
    assert first.last_used_ip == "10.8.1.20"
    # a second call within the minute writes nothing
    client.get(eligibility(w))
    assert InstitutionAPIKey.objects.get(pk=w.key_a.pk).last_used_at == first.last_used_at
    # a minute later, one guarded UPDATE of the two columns
    key = InstitutionAPIKey.objects.get(pk=w.key_a.pk)
    later = first.last_used_at + datetime.timedelta(seconds=61)
    with django_assert_num_queries(1) as captured:
        assert services.api_key_mark_used(key=key, ip="10.8.1.21", now=later) is True
    sql = captured.captured_queries[0]["sql"]
    assert sql.startswith("UPDATE")
    assert "last_used_at" in sql
    assert "name" not in sql.split("WHERE")[0]
    assert InstitutionAPIKey.objects.get(pk=w.key_a.pk).last_used_ip == "10.8.1.21"


# --- the service account's reach ------------------------------------------------------------------


def test_a_bank_key_reads_only_its_banks_applications(kworld):
    w = kworld
    client = key_client(w.plain_a)
    listed = client.get(reverse("api:loan-application-list")).json()["results"]
    assert [row["id"] for row in listed] == [w.app_a.pk]
    assert client.get(reverse("api:loan-application-detail", args=[w.app_b.pk])).status_code == 404
    assert client.post(reverse("api:loan-application-step", args=[w.app_b.pk, "approve"]),
                       {"amount": "100000"}, format="json").status_code == 404
    # and bank2's key sees its own
    assert [r["id"] for r in key_client(w.plain_b).get(reverse("api:loan-application-list")).json()["results"]] == [
        w.app_b.pk]


# --- the audit log --------------------------------------------------------------------------------


def test_writes_through_a_key_name_the_key_in_the_audit_log(kworld):
    w = kworld
    key_client(w.plain_a).get(eligibility(w))
    eligibility_lookups_flush()  # the lookup reaches the audit chain in bulk (finance.models.lookups)
    lookup = AuditLog.objects.get(action="eligibility.lookup")
    account = ServiceAccount.objects.get(institution=w.bank).user
    assert lookup.actor == account
    assert lookup.actor_name == f"{account.username}/key:{w.key_a.prefix}"
    key_client(w.plain_a).post(reverse("api:loan-application-step", args=[w.app_a.pk, "accept"]), {}, format="json")
    step = AuditLog.objects.filter(object_id=str(w.app_a.pk)).exclude(action="eligibility.lookup").latest("pk")
    assert step.actor_name.endswith(f"/key:{w.key_a.prefix}")
    # and the rows are in the audit chain as written: the key is named before the row's hash is taken
    from portal.audit import audit_chain_break

    assert audit_chain_break()[1] is None
    # and the account itself keeps its own username everywhere else
    account.refresh_from_db()
    assert account.username == f"api-{w.bank.code.lower()}"


def test_a_session_users_audit_rows_are_unchanged(kworld):
    client = APIClient()
    client.force_login(kworld.bank_officer)
    client.get(eligibility(kworld))
    eligibility_lookups_flush()
    assert AuditLog.objects.get(action="eligibility.lookup").actor_name == "t_bank"


def test_the_authentication_answers_with_a_single_query_and_no_password_hashing(kworld, django_assert_num_queries):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    request = Request(APIRequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=f"Api-Key {kworld.plain_a}"))
    services.api_key_mark_used(key=kworld.key_a, ip="127.0.0.1")
    InstitutionAPIKey.objects.filter(pk=kworld.key_a.pk).update(last_used_at=timezone.now())
    with django_assert_num_queries(1):
        user, key = ApiKeyAuthentication().authenticate(request)
    assert key.prefix == kworld.key_a.prefix
    assert user.api_service_account.institution == kworld.bank
