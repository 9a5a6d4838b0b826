"""Recovery codes kept as salted hashes: the database holds no code in clear, a code works once (also
when two requests carry it at the same moment, with real threads on PostgreSQL), new codes end the old
ones, one check hashes the typed code against every code left whichever matches, and the codes django-otp
kept in clear before are hashed by the migration and keep working."""

import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.urls import reverse

from portal.models import AuditLog
from tests.threads import race
from twofactor import rules, services
from twofactor.models import RecoveryCode, RecoveryCodeDevice

from .conftest import code_for, codes_kept, enrol, recovery_codes, signed_in

HASHED = re.compile(r"^pbkdf2_sha256\$20000\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$")


def _dump_tables() -> str:
    """Every row of the second factor's tables, as text."""
    rows = []
    with connection.cursor() as cursor:
        for model in (RecoveryCodeDevice, RecoveryCode):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 - our own tables
            rows.extend(cursor.fetchall())
    return repr(rows)


# --- what is stored -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_holds_no_recovery_code_in_clear(world):
    # given a user who was just given ten recovery codes
    codes = recovery_codes(world.bank_officer)
    assert len(codes) == 10 == len(set(codes))
    assert all(re.fullmatch(r"[a-z2-7]{10}", c) for c in codes)
    # then no row of the second factor's tables holds any of them, whole or printed with its dash
    dump = _dump_tables()
    for code in codes:
        assert code not in dump
        assert rules.format_recovery_code(code) not in dump
    # and each is a PBKDF2 hash with a salt of its own
    hashes = list(RecoveryCode.objects.filter(device__user=world.bank_officer).values_list("hashed", flat=True))
    assert len(hashes) == 10
    assert all(HASHED.match(h) for h in hashes)
    assert len({h.split("$")[2] for h in hashes}) == 10
    # and the audit log does not hold them either
    assert not any(code in repr(list(AuditLog.objects.values_list("before", "after", "note"))) for code in codes)


def test_django_otps_clear_recovery_codes_are_not_installed_and_not_used():
    # django-otp's StaticDevice keeps its tokens in clear: the portal neither installs nor imports it
    assert "django_otp.plugins.otp_static" not in settings.INSTALLED_APPS
    assert not apps.is_installed("django_otp.plugins.otp_static")
    from pathlib import Path

    sources = [p for p in Path(settings.BASE_DIR, "twofactor").rglob("*.py") if "migrations" not in p.parts]
    assert sources
    assert [p.name for p in sources if "otp_static" in p.read_text(encoding="utf-8")] == []


# --- using a code -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_recovery_code_works_once(world):
    enrol(world.bank_officer)
    codes = recovery_codes(world.bank_officer)
    first = services.second_factor_check(user=world.bank_officer, code=codes[4])
    assert (first.ok, first.kind, first.recovery_left) == (True, "recovery", 9)
    assert isinstance(first.device, RecoveryCodeDevice)
    assert codes_kept(world.bank_officer, codes) == sorted(codes[:4] + codes[5:])
    # the same code again: refused, and counted towards the throttle
    again = services.second_factor_check(user=world.bank_officer, code=codes[4])
    assert not again.ok
    assert "已经用过" in again.message
    assert RecoveryCodeDevice.objects.get(user=world.bank_officer).throttling_failure_count == 1
    assert RecoveryCode.objects.filter(device__user=world.bank_officer).count() == 9


@pytest.mark.django_db
def test_new_recovery_codes_end_the_old_ones(world):
    # given a user with recovery codes
    enrol(world.bank_officer)
    old = recovery_codes(world.bank_officer)
    # when new ones are made (with the app's code)
    new = services.recovery_codes_regenerate(user=world.bank_officer, code=code_for())
    # then none of the old ones works, and the new ones do
    assert not set(old) & set(new)
    assert codes_kept(world.bank_officer, old + new) == sorted(new)
    refused = services.second_factor_check(user=world.bank_officer, code=old[0])
    assert not refused.ok
    RecoveryCodeDevice.objects.filter(user=world.bank_officer).update(throttling_failure_count=0)
    assert services.second_factor_check(user=world.bank_officer, code=new[0]).ok


@pytest.mark.django_db
def test_a_check_hashes_the_typed_code_against_every_code_left_whichever_matches(world, monkeypatch):
    # The work of a check does not tell whether (or which) code matched: every code left is hashed and
    # compared in constant time, the matching one as the others.
    enrol(world.bank_officer)
    codes = recovery_codes(world.bank_officer)
    calls = {"hash": 0, "compare": 0}
    real_hash, real_compare = rules.hashlib.pbkdf2_hmac, rules.hmac.compare_digest

    def counting_hash(*args, **kwargs):
        calls["hash"] += 1
        return real_hash(*args, **kwargs)

    def counting_compare(a, b):
        calls["compare"] += 1
        return real_compare(a, b)

    monkeypatch.setattr(rules.hashlib, "pbkdf2_hmac", counting_hash)
    monkeypatch.setattr(rules.hmac, "compare_digest", counting_compare)
    device = RecoveryCodeDevice.objects.get(user=world.bank_officer)
    # a code that matches the first row, one that matches none
    assert device.verify_token(codes[0])
    assert calls == {"hash": 10, "compare": 10}
    calls.update(hash=0, compare=0)
    assert not device.verify_token("zzzzzzzzzz")
    assert calls == {"hash": 9, "compare": 9}


@pytest.mark.django_db
def test_a_code_typed_wrong_is_throttled_as_django_otp_does(world):
    enrol(world.bank_officer)
    codes = recovery_codes(world.bank_officer)
    assert not services.second_factor_check(user=world.bank_officer, code="zzzzz-zzzzz").ok
    # straight after, even a right code waits out the throttle (and is not used up)
    waiting = services.second_factor_check(user=world.bank_officer, code=codes[0])
    assert not waiting.ok
    assert waiting.throttled_until is not None
    assert codes_kept(world.bank_officer, codes) == sorted(codes)


@pytest.mark.django_db
def test_a_row_in_another_form_never_matches(world):
    device = RecoveryCodeDevice.objects.create(user=world.bank_officer, name="recovery")
    RecoveryCode.objects.create(device=device, hashed="abcdefghij")  # a code in clear, as otp_static kept it
    RecoveryCode.objects.create(device=device, hashed="md5$1$c2FsdA$aGFzaA")
    assert not device.verify_token("abcdefghij")
    assert RecoveryCode.objects.filter(device=device).count() == 2


# --- at the same moment -------------------------------------------------------------------------------

needs_row_locks = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@pytest.mark.django_db(transaction=True)
@needs_row_locks
@pytest.mark.parametrize("callers", [2, 4])
def test_callers_using_one_code_at_the_same_moment_let_exactly_one_through(world, callers):
    # given a bank officer's recovery codes, and the same code typed in several sessions at once
    enrol(world.bank_officer)
    codes = recovery_codes(world.bank_officer)
    results = race([lambda: services.second_factor_check(user=world.bank_officer, code=codes[0])
                    for _ in range(callers)])
    # then exactly one check passed and the code is gone; the next was told it was used, and any after
    # that waited out the throttle the failure started
    assert [r[0] for r in results] == ["ok"] * callers, results
    assert sorted(r[1].ok for r in results) == [False] * (callers - 1) + [True]
    assert codes_kept(world.bank_officer, codes) == sorted(codes[1:])
    assert AuditLog.objects.filter(action="twofactor.recovery_use").count() == 1
    assert AuditLog.objects.filter(action="twofactor.fail").count() == 1
    assert AuditLog.objects.filter(action="twofactor.throttled").count() == callers - 2


@pytest.mark.django_db(transaction=True)
@needs_row_locks
def test_the_device_alone_lets_one_of_two_simultaneous_uses_through(world):
    # The same without the service's lock around it: each thread has its own copy of the device, loaded
    # before the other used the code; the device's own lock and guarded delete decide.
    codes = recovery_codes(world.bank_officer)
    copies = [RecoveryCodeDevice.objects.get(user=world.bank_officer) for _ in range(2)]
    results = race([lambda d=d: d.verify_token(codes[0]) for d in copies])
    assert sorted(r[1] for r in results) == [False, True], results
    assert RecoveryCode.objects.filter(device__user=world.bank_officer).count() == 9


@pytest.mark.django_db(transaction=True)
@needs_row_locks
def test_two_different_codes_at_the_same_moment_both_pass(world):
    # the lock queues the second check, it does not refuse it
    enrol(world.bank_officer)
    codes = recovery_codes(world.bank_officer)
    results = race([lambda c=c: services.second_factor_check(user=world.bank_officer, code=c).ok for c in codes[:2]])
    assert results == [("ok", True), ("ok", True)]
    assert codes_kept(world.bank_officer, codes) == sorted(codes[2:])


# --- the codes of before ------------------------------------------------------------------------------

MIGRATION = importlib.import_module("twofactor.migrations.0002_hash_clear_recovery_codes")


def _old_tables(cursor):
    """django-otp's otp_static tables as its migrations 0001-0003 made them."""
    cursor.execute("""CREATE TABLE otp_static_staticdevice (
        id serial PRIMARY KEY, name varchar(64) NOT NULL, confirmed boolean NOT NULL,
        user_id integer NOT NULL, throttling_failure_timestamp timestamptz NULL,
        throttling_failure_count integer NOT NULL, created_at timestamptz NULL, last_used_at timestamptz NULL)""")
    cursor.execute("""CREATE TABLE otp_static_statictoken (
        id serial PRIMARY KEY, token varchar(16) NOT NULL,
        device_id integer NOT NULL REFERENCES otp_static_staticdevice (id))""")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the old tables are written in PostgreSQL's SQL")
def test_the_migration_hashes_the_clear_codes_of_before_and_deletes_them(world, required):
    # given the codes django-otp kept in clear for a bank officer (8 characters, as it made them), with a
    # wrong code counted, and an unconfirmed device of another user
    enrol(world.bank_officer)
    old_codes = ["abcd2345", "efgh6723", "mnop4567"]
    with connection.cursor() as cursor:
        _old_tables(cursor)
        cursor.execute("INSERT INTO otp_static_staticdevice (name, confirmed, user_id, throttling_failure_count, "
                       "created_at) VALUES ('recovery', true, %s, 1, '2026-01-05T08:00:00+08:00') RETURNING id",
                       [world.bank_officer.pk])
        device_id = cursor.fetchone()[0]
        cursor.executemany("INSERT INTO otp_static_statictoken (token, device_id) VALUES (%s, %s)",
                           [(c, device_id) for c in old_codes])
        cursor.execute("INSERT INTO otp_static_staticdevice (name, confirmed, user_id, throttling_failure_count) "
                       "VALUES ('recovery', false, %s, 0)", [world.cadre.pk])
    # when the migration runs
    with connection.schema_editor() as editor:
        MIGRATION.hash_clear_codes(apps, editor)
    # then the clear rows are gone
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM otp_static_statictoken")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM otp_static_staticdevice")
        assert cursor.fetchone()[0] == 0
    # and the officer's device holds the same codes, hashed, with its throttle count and creation kept
    device = RecoveryCodeDevice.objects.get(user=world.bank_officer)
    assert (device.confirmed, device.throttling_failure_count, device.created_at.isoformat()) == (
        True, 1, "2026-01-05T00:00:00+00:00")
    assert all(HASHED.match(h) for h in device.code_set.values_list("hashed", flat=True))
    assert codes_kept(world.bank_officer, old_codes) == sorted(old_codes)
    assert not any(c in _dump_tables() for c in old_codes)
    assert not RecoveryCodeDevice.objects.get(user=world.cadre).confirmed
    # and an old code signs in once, typed as it was printed
    RecoveryCodeDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    client = signed_in(world.bank_officer)
    response = client.post(reverse("twofactor:verify"), {"code": "abcd-2345"}, follow=True)
    assert "已使用一个恢复码，还剩 2 个。" in response.content.decode()
    assert codes_kept(world.bank_officer, old_codes) == ["efgh6723", "mnop4567"]


@pytest.mark.django_db
def test_the_migration_on_a_fresh_database_finds_nothing_to_do(world):
    assert "otp_static_statictoken" not in connection.introspection.table_names()
    with connection.schema_editor() as editor:
        MIGRATION.hash_clear_codes(apps, editor)
    assert not RecoveryCodeDevice.objects.exists()
