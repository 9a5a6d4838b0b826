"""The eligibility API under the banks' load: each lookup audited without a chained write per call
(finance.models.lookups), the pending rows moved into the audit chain by an idempotent, crash-safe
flush, a fixed number of queries per call, and the batch lookup (1,000 codes per call) with the same
scope, key scope and audit as the single one."""

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from apikeys.scopes import LOAN_APPLICATIONS
from finance.models import EligibilityLookup
from finance.services import lookups
from finance.services.lookups import eligibility_lookups_flush
from portal.audit import audit_chain_break
from portal.models import AuditLog, Enterprise
from tests.apikeys import conftest as apikeys_fixtures
from tests.apikeys.conftest import key_client, make_key
from tests.factories import EnterpriseFactory
from tests.finance.conftest import fworld, product, product2, quota_table, rated_a, rated_b  # noqa: F401
from tests.ratings.conftest import cycle, org_a, org_b, rubric  # noqa: F401

pytestmark = pytest.mark.django_db

kworld = apikeys_fixtures.kworld  # the API key tests' world: bank keys with every bank scope

BATCH = reverse("api:eligibility-batch")


def single(uscc):
    return reverse("api:eligibility", args=[uscc])


def lookups_audited(enterprise=None):
    rows = AuditLog.objects.filter(action="eligibility.lookup")
    return rows.filter(object_id=str(enterprise.pk)) if enterprise is not None else rows


# --- the audit of a lookup ----------------------------------------------------------------------------

@override_settings(PORTAL_DEFER_LOOKUP_AUDIT=True)
def test_a_key_lookup_is_recorded_pending_then_flushed_into_the_chain_once(kworld):
    w = kworld
    # given a bank's system looking up ent_a with its key
    before = AuditLog.objects.count()
    response = key_client(w.plain_a).get(single(w.ent_a.uscc))
    assert response.status_code == 200
    # then the call wrote one pending row, and nothing in the chain yet
    pending = EligibilityLookup.objects.get()
    assert (pending.enterprise_id, pending.actor_name, pending.note) == (
        w.ent_a.pk, f"api-{w.bank.code.lower()}/key:{w.key_a.prefix}", "api")
    assert AuditLog.objects.count() == before
    # when the flush runs, twice
    assert eligibility_lookups_flush() == 1
    assert eligibility_lookups_flush() == 0
    # then the lookup is in the chain exactly once, with the time, actor and enterprise of the call
    row = lookups_audited(w.ent_a).get()
    assert (row.at, row.actor_id, row.actor_name, row.object_type, row.object_repr) == (
        pending.at, pending.actor_id, pending.actor_name, "portal.enterprise", w.ent_a.name)
    assert not EligibilityLookup.objects.exists()
    assert audit_chain_break()[1] is None


@override_settings(PORTAL_DEFER_LOOKUP_AUDIT=False)
def test_without_the_beat_a_lookup_goes_into_the_chain_at_once(kworld):
    key_client(kworld.plain_a).get(single(kworld.ent_a.uscc))
    assert lookups_audited(kworld.ent_a).count() == 1
    assert not EligibilityLookup.objects.exists()


@override_settings(PORTAL_DEFER_LOOKUP_AUDIT=True)
def test_the_registrys_own_roles_lookups_are_not_audited_as_before(kworld):
    client = APIClient()
    client.force_authenticate(kworld.org_staff)
    assert client.get(single(kworld.ent_a.uscc)).status_code == 200
    assert not EligibilityLookup.objects.exists()


@override_settings(PORTAL_DEFER_LOOKUP_AUDIT=True)
def test_a_flush_that_fails_half_way_leaves_every_lookup_pending_and_the_chain_unchanged(kworld, monkeypatch):
    w = kworld
    for _n in range(3):
        key_client(w.plain_a).get(single(w.ent_a.uscc))
    chain_before = AuditLog.objects.count()

    # given a flush that dies after appending to the chain, before deleting the pending rows
    def die(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(lookups.EligibilityLookup.objects, "filter", die)
    with pytest.raises(RuntimeError):
        eligibility_lookups_flush()
    monkeypatch.undo()
    # then nothing was lost and nothing doubled: the three are still pending, the chain as it was
    assert EligibilityLookup.objects.count() == 3
    assert AuditLog.objects.count() == chain_before
    # and the next flush moves them, once
    assert eligibility_lookups_flush() == 3
    assert lookups_audited(w.ent_a).count() == 3
    assert audit_chain_break()[1] is None


def test_the_flush_moves_in_batches_oldest_first(kworld):
    w = kworld
    lookups.eligibility_lookups_record(acting_user=w.bank_officer, enterprises=[w.ent_a, w.ent_b] * 3)
    assert eligibility_lookups_flush(batch=4) == 6
    assert list(lookups_audited().order_by("pk").values_list("object_id", flat=True)) == [
        str(w.ent_a.pk), str(w.ent_b.pk)] * 3
    assert audit_chain_break()[1] is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL")
def test_two_flushes_at_once_put_each_lookup_in_the_chain_exactly_once(world):
    from tests.threads import race

    enterprises = list(Enterprise.objects.all())
    lookups.eligibility_lookups_record(acting_user=world.bank_officer, enterprises=enterprises * 100)
    pending = EligibilityLookup.objects.count()
    assert pending == 100 * len(enterprises)
    results = race([lambda: eligibility_lookups_flush(batch=50) for _n in range(4)])
    assert sum(r[1] for r in results) == pending, results
    assert not EligibilityLookup.objects.exists()
    assert lookups_audited().count() == pending
    assert sorted(AuditLog.objects.filter(action="eligibility.lookup").values_list("object_id", flat=True)) == sorted(
        str(e.pk) for e in enterprises * 100)
    assert audit_chain_break()[1] is None


# --- the cost of one call -----------------------------------------------------------------------------

@override_settings(PORTAL_DEFER_LOOKUP_AUDIT=True, PORTAL_API_POLICY_CACHE_SECONDS=0)
def test_a_key_lookup_costs_seven_queries_none_of_them_the_chain_lock(kworld, django_assert_num_queries):
    w = kworld
    client = key_client(w.plain_a)
    client.get(single(w.ent_b.uscc))  # the key's "last used" is written once a minute: not this call
    # the key, the caller's roles, the enterprise with its credit line, its ratings through the coverage of
    # the day, the quota table with its rows, the insurance discounts, and the pending audit row (it was
    # 12, three of them the chain's lock, its last hash and the chained insert; then 8, the coverage apart)
    with django_assert_num_queries(7) as captured:
        assert client.get(single(w.ent_a.uscc)).status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "pg_advisory_xact_lock" not in sql
    assert "portal_auditlog" not in sql


@override_settings(PORTAL_DEFER_LOOKUP_AUDIT=True, PORTAL_API_POLICY_CACHE_SECONDS=0)
def test_an_unrated_enterprise_costs_one_query_more_its_coverage(kworld, django_assert_num_queries):
    w = kworld
    unrated = EnterpriseFactory()
    client = key_client(w.plain_a)
    client.get(single(w.ent_b.uscc))
    # no rating reached through a coverage: the coverage is read to tell "no organization" from "unrated"
    with django_assert_num_queries(7):
        answer = client.get(single(unrated.uscc)).json()
    assert answer["eligible"] is False
    assert answer["rating"] is None


def _record_and_capture(world, **settings):
    from django.test.utils import CaptureQueriesContext

    enterprise = Enterprise.objects.first()
    with override_settings(**settings), CaptureQueriesContext(connection) as captured:
        lookups.eligibility_lookups_record(acting_user=world.bank_officer, enterprises=[enterprise])
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        after = cursor.fetchone()[0]
    return [q["sql"] for q in captured.captured_queries], after


ASYNC = "set_config('synchronous_commit', 'off', true)"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
def test_a_pending_lookup_commits_without_waiting_for_the_disk_and_only_it(world):
    # when a lookup is recorded outside any transaction of the caller
    statements, after = _record_and_capture(world)
    # then one statement, its own transaction, which sets synchronous_commit off for itself alone
    assert len(statements) == 1
    assert statements[0].startswith('INSERT INTO "finance_eligibilitylookup"')
    assert ASYNC in statements[0]
    assert after == "on"
    row = EligibilityLookup.objects.get()
    assert (row.actor_id, row.actor_name, row.note) == (world.bank_officer.pk, world.bank_officer.username, "api")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
def test_a_synchronous_lookup_audit_is_one_setting_away(world):
    statements, after = _record_and_capture(world, PORTAL_LOOKUP_AUDIT_SYNCHRONOUS=True)
    assert len(statements) == 1
    assert ASYNC not in statements[0]
    assert EligibilityLookup.objects.count() == 1


def test_inside_a_callers_transaction_the_callers_commit_decides(world):
    # the test's own transaction stands for a caller's: nothing is set, no savepoint is made
    statements, after = _record_and_capture(world)
    assert len(statements) == 1
    assert ASYNC not in statements[0]
    assert after == "on"


@override_settings(PORTAL_DEFER_LOOKUP_AUDIT=True, PORTAL_API_POLICY_CACHE_SECONDS=30)
def test_with_the_policy_copy_a_key_lookup_costs_five_queries(kworld, django_assert_num_queries):
    from finance import selectors

    selectors._POLICIES.clear()
    w = kworld
    client = key_client(w.plain_a)
    first = client.get(single(w.ent_a.uscc)).json()
    # the key, the roles, the enterprise with its credit line, its ratings through its coverage, the audit row
    with django_assert_num_queries(5):
        again = client.get(single(w.ent_a.uscc)).json()
    assert again == first
    assert first["loan"]["quota"] == "5000000.00"
    assert first["insurance"] == client.get(single(w.ent_a.uscc)).json()["insurance"]
    selectors._POLICIES.clear()


def test_approvals_never_use_the_policy_copy(fworld):  # noqa: F811
    """A copy kept for the API must not decide an approval: the service reads the table at once."""
    from finance import selectors

    selectors._POLICIES.clear()
    stale = selectors.eligibility(fworld.ent_a, policies_max_age=30)
    selectors._POLICIES[("quota", stale.on)] = (float("inf"), (stale.quota_table, {5: 1}))
    try:
        assert selectors.eligibility(fworld.ent_a, policies_max_age=30).quota == 1
        assert selectors.eligibility(fworld.ent_a).quota == stale.quota  # the approval's path
    finally:
        selectors._POLICIES.clear()


# --- the batch ----------------------------------------------------------------------------------------

@override_settings(PORTAL_DEFER_LOOKUP_AUDIT=True)
def test_the_batch_answers_as_the_single_lookup_does_in_the_order_given(kworld):
    w = kworld
    client = key_client(w.plain_a)
    singles = [client.get(single(e.uscc)).json() for e in (w.ent_b, w.ent_a)]
    EligibilityLookup.objects.all().delete()
    response = client.post(BATCH, {"uscc": [w.ent_b.uscc, "12345", w.ent_a.uscc.lower(), w.ent_a.uscc,
                                            "91110108551385082Q"]}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["results"] == singles
    assert data["not_found"] == ["91110108551385082Q"]
    assert [i["uscc"] for i in data["invalid"]] == ["12345"]
    assert "18" in data["invalid"][0]["message"]
    # and each enterprise found is audited once, by the key that asked
    assert sorted(EligibilityLookup.objects.values_list("enterprise_id", flat=True)) == sorted([w.ent_a.pk, w.ent_b.pk])
    assert eligibility_lookups_flush() == 2


def test_the_batch_takes_at_most_1000_codes_and_at_least_one(kworld):
    client = key_client(kworld.plain_a)
    assert client.post(BATCH, {"uscc": [kworld.ent_a.uscc] * 1001}, format="json").status_code == 400
    assert client.post(BATCH, {"uscc": []}, format="json").status_code == 400
    assert client.post(BATCH, {"uscc": "not a list"}, format="json").status_code == 400


def test_the_batch_needs_the_eligibility_scope_of_the_key(kworld):
    w = kworld
    _key, plain = make_key(w, w.bank, scopes=[LOAN_APPLICATIONS], name="只读申请")
    response = key_client(plain).post(BATCH, {"uscc": [w.ent_a.uscc]}, format="json")
    assert response.status_code == 403
    assert w.ent_a.name not in response.content.decode()
    assert key_client(w.plain_a).post(BATCH, {"uscc": [w.ent_a.uscc]}, format="json").status_code == 200


def test_the_batch_is_closed_to_a_call_without_credentials_and_to_a_wrong_key(kworld):
    assert APIClient().post(BATCH, {"uscc": [kworld.ent_a.uscc]}, format="json").status_code == 401
    assert key_client("AbCd1234.nothing").post(BATCH, {"uscc": [kworld.ent_a.uscc]},
                                               format="json").status_code == 401


@override_settings(PORTAL_DEFER_LOOKUP_AUDIT=True)
def test_the_batch_costs_the_same_queries_for_two_codes_as_for_all(kworld, django_assert_max_num_queries):
    w = kworld
    client = key_client(w.plain_a)
    client.post(BATCH, {"uscc": [w.ent_a.uscc]}, format="json")
    EnterpriseFactory.create_batch(40, region=w.ent_a.region)
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert len(codes) > 40
    with django_assert_max_num_queries(10):
        response = client.post(BATCH, {"uscc": codes}, format="json")
    assert len(response.json()["results"]) == len(codes)
