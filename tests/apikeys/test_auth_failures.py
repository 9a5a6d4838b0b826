"""Refused API calls leave a trace: each reason (unknown key, wrong secret, revoked, expired, rotated past
its overlap, address not allowed, missing scope, endpoint closed to keys, service account disabled) is a
WARNING on the `apikeys.auth` logger every time and an audit row without actor, naming the key by its
prefix only and the client's address; at most one row per (key or address, reason) a minute, so a
flood does not fill the audit log."""

import datetime
import logging
import time
import types

import pytest
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.urls import reverse
from django.utils import timezone

from apikeys import services
from apikeys.models import InstitutionAPIKey, ServiceAccount
from apikeys.scopes import ELIGIBILITY_READ, INSURANCE_READ, LOAN_APPLICATIONS
from portal.models import AuditLog

from .conftest import key_client, make_key

pytestmark = pytest.mark.django_db

ACTION = "apikey.auth_failure"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The bound lives in the cache: start each test without another test's refusals in it.
    cache.clear()
    yield
    cache.clear()


def eligibility(w):
    return reverse("api:eligibility", args=[w.ent_a.uscc])


def rows():
    return list(AuditLog.objects.filter(action=ACTION).order_by("pk"))


def warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "apikeys.auth" and r.levelno == logging.WARNING]


def _prefix(plain):
    return plain.split(".")[0]


# --- each reason --------------------------------------------------------------------------------------


def _unknown(w):
    return key_client("AAAAAAAA.notasecretnotasecretnotasecret1").get(eligibility(w)), None, "AAAAAAAA", 401


def _not_a_key(w):
    return key_client("notasecretnotasecretnotasecret2").get(eligibility(w)), None, None, 401


def _wrong_secret(w):
    return key_client(f"{_prefix(w.plain_a)}.{'x' * 32}").get(eligibility(w)), w.key_a, _prefix(w.plain_a), 401


def _revoked(w):
    services.api_key_revoke(acting_user=w.bank_officer, key=w.key_a, reason="密钥泄露")
    return key_client(w.plain_a).get(eligibility(w)), w.key_a, _prefix(w.plain_a), 401


def _expired(w):
    InstitutionAPIKey.objects.filter(pk=w.key_a.pk).update(expiry_date=timezone.now() - datetime.timedelta(minutes=1))
    return key_client(w.plain_a).get(eligibility(w)), w.key_a, _prefix(w.plain_a), 401


def _rotated(w):
    services.api_key_rotate(acting_user=w.bank_officer, key=w.key_a, overlap_days=7)
    InstitutionAPIKey.objects.filter(pk=w.key_a.pk).update(expiry_date=timezone.now() - datetime.timedelta(seconds=1))
    return key_client(w.plain_a).get(eligibility(w)), w.key_a, _prefix(w.plain_a), 401


def _address(w):
    key, plain = make_key(w, w.bank, networks="10.8.0.0/16")
    return key_client(plain, REMOTE_ADDR="10.9.0.1").get(eligibility(w)), key, _prefix(plain), 403


def _scope(w):
    key, plain = make_key(w, w.bank, scopes=[LOAN_APPLICATIONS])
    return key_client(plain).get(eligibility(w)), key, _prefix(plain), 403


def _not_open(w):
    return key_client(w.plain_a).get(reverse("api:institution-list")), w.key_a, _prefix(w.plain_a), 403


def _account_inactive(w):
    account = ServiceAccount.objects.get(institution=w.bank).user
    account.is_active = False
    account.save(update_fields=["is_active"])
    return key_client(w.plain_a).get(eligibility(w)), w.key_a, _prefix(w.plain_a), 401


@pytest.mark.parametrize(("call", "reason", "extra"), [
    (_unknown, "unknown", {}),
    (_not_a_key, "unknown", {}),
    (_wrong_secret, "wrong_secret", {}),
    (_revoked, "revoked", {}),
    (_expired, "expired", {}),
    (_rotated, "rotated", {}),
    (_address, "address", {}),
    (_scope, "scope", {"scope": ELIGIBILITY_READ}),
    (_not_open, "not_open", {}),
    (_account_inactive, "account_inactive", {}),
])
def test_each_refusal_is_audited_without_actor_by_prefix_and_address_and_logged(kworld, caplog, call, reason, extra):
    w = kworld
    sent_secrets = [w.plain_a.split(".")[1], w.plain_b.split(".")[1], "notasecret", "x" * 32]
    caplog.set_level(logging.WARNING, logger="apikeys.auth")
    # when a call is refused for this reason
    response, key, prefix, status = call(w)
    address = "10.9.0.1" if reason == "address" else "127.0.0.1"
    assert response.status_code == status
    # then the audit log has one row: no actor, the prefix, the address, the reason
    [row] = rows()
    assert (row.actor_id, row.actor_name, row.ip) == (None, "system", address)
    expected = {"reason": reason, "prefix": prefix, "address": address, "method": "GET",
                "path": response.wsgi_request.path, **extra}
    if key is not None:
        expected["institution"] = key.institution_id
    assert row.after == expected
    assert (row.object_type, row.object_id) == ("apikeys.institutionapikey", prefix or "")
    # and never the key: no secret (nor the hash) anywhere in the row
    text = repr((row.object_id, row.object_repr, row.before, row.after, row.note))
    assert not [s for s in sent_secrets if s in text]
    if key is not None:
        assert key.hashed_key.split("$")[-1][:16] not in text
    # and the logger has a WARNING saying the same
    [message] = warnings(caplog)
    assert f"reason={reason} " in message
    assert f"prefix={prefix or '-'} " in message
    assert f"address={address} " in message
    assert message.endswith("audited=yes")
    assert not [s for s in sent_secrets if s in message]


def test_a_good_call_leaves_no_refusal(kworld, caplog):
    caplog.set_level(logging.WARNING, logger="apikeys.auth")
    assert key_client(kworld.plain_a).get(eligibility(kworld)).status_code == 200
    assert rows() == []
    assert warnings(caplog) == []


def test_the_browsable_apis_own_permission_checks_are_no_refusal(kworld):
    # An insurer key that reads quotes but may not make one, asking for the HTML page: DRF checks the POST
    # form's permission on a copy of the request; the caller made no POST.
    _key, plain = make_key(kworld, kworld.insurer, scopes=[INSURANCE_READ])
    response = key_client(plain, HTTP_ACCEPT="text/html").get(reverse("api:insurance-quote-list"))
    assert response.status_code == 200
    assert rows() == []


# --- the bound ----------------------------------------------------------------------------------------


def test_a_flood_of_one_refusal_is_one_row_a_minute_and_a_warning_each(kworld, caplog, monkeypatch):
    w = kworld
    caplog.set_level(logging.WARNING, logger="apikeys.auth")
    client = key_client("AAAAAAAA.notasecretnotasecretnotasecret1")
    # when one address sends fifty unknown keys within the minute
    assert {client.get(eligibility(w)).status_code for _ in range(50)} == {401}
    # then one audit row, and fifty warnings (the first audited, the rest not)
    assert len(rows()) == 1
    logged = warnings(caplog)
    assert len(logged) == 50
    assert [m.rsplit("=", 1)[1] for m in logged] == ["yes"] + ["no"] * 49
    # once the minute has passed, the next refusal is audited again
    real_time = time.time
    monkeypatch.setattr(locmem, "time", types.SimpleNamespace(time=lambda: real_time() + 61))
    client.get(eligibility(w))
    assert len(rows()) == 2


def test_made_up_prefixes_from_one_address_are_one_row(kworld):
    # a caller inventing a new prefix for every try is bounded by its address
    for n in range(20):
        assert key_client(f"Zz{n:06d}.notasecretnotasecretnotasecret").get(eligibility(kworld)).status_code == 401
    [row] = rows()
    assert row.after["prefix"] == "Zz000000"


def test_each_address_and_each_reason_gets_its_own_row(kworld):
    w = kworld
    unknown = "AAAAAAAA.notasecretnotasecretnotasecret1"
    key_client(unknown, REMOTE_ADDR="198.51.100.7").get(eligibility(w))
    key_client(unknown, REMOTE_ADDR="198.51.100.7").get(eligibility(w))
    key_client(unknown, REMOTE_ADDR="198.51.100.8").get(eligibility(w))
    # from the first address again, a different reason: a closed endpoint with a good key
    key_client(w.plain_a, REMOTE_ADDR="198.51.100.7").get(reverse("api:institution-list"))
    assert [(r.after["reason"], r.after["address"]) for r in rows()] == [
        ("unknown", "198.51.100.7"), ("unknown", "198.51.100.8"), ("not_open", "198.51.100.7")]


def test_a_known_keys_refusals_are_bounded_by_the_key_whatever_the_address(kworld):
    # someone who knows a key's prefix and tries secrets from many addresses: one row a minute
    w = kworld
    for n in range(10):
        key_client(f"{_prefix(w.plain_a)}.{'x' * 32}", REMOTE_ADDR=f"203.0.113.{n + 1}").get(eligibility(w))
    [row] = rows()
    assert (row.after["reason"], row.after["address"]) == ("wrong_secret", "203.0.113.1")
    # another key's refusal is its own row
    key_client(f"{_prefix(w.plain_b)}.{'x' * 32}", REMOTE_ADDR="203.0.113.1").get(eligibility(w))
    assert [r.object_id for r in rows()] == [_prefix(w.plain_a), _prefix(w.plain_b)]


def test_without_the_cache_no_row_is_written_but_each_refusal_is_logged(kworld, caplog, monkeypatch):
    # portal.cache answers add() with False while Redis is out of reach: the flood guard stays shut
    caplog.set_level(logging.WARNING, logger="apikeys.auth")
    monkeypatch.setattr(services, "cache", types.SimpleNamespace(add=lambda *args, **kwargs: False))
    for _ in range(3):
        key_client("AAAAAAAA.notasecretnotasecretnotasecret1").get(eligibility(kworld))
    assert rows() == []
    assert len(warnings(caplog)) == 3
