"""The audit log is a hash chain: every row carries the hash of the one before it, and
`manage.py audit_verify` names the first row that was edited, removed or slipped in."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from portal.audit import GENESIS_HASH, audit_chain_break, audit_record
from portal.models import AuditLog
from tests.threads import race


def _write(n, actor=None, prefix="test.chain"):
    return [audit_record(actor=actor, action=f"{prefix}.{i}", object_type="test", object_id=str(i),
                         note=f"第 {i} 条", after={"n": i, "金额": "1000000.00"}) for i in range(n)]


def _as_owner(sql, params=()):
    """What the table's owner could do around the append-only trigger."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred check
        cursor.execute("ALTER TABLE portal_auditlog DISABLE TRIGGER portal_auditlog_append_only")
        cursor.execute(sql, params)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE portal_auditlog ENABLE TRIGGER portal_auditlog_append_only")


@pytest.mark.django_db
def test_each_row_carries_the_hash_of_the_one_before(world):
    rows = _write(4, actor=world.org_staff)
    stored = list(AuditLog.objects.order_by("pk"))
    assert stored[0].prev_hash == GENESIS_HASH
    for before, row in zip(stored, stored[1:], strict=False):
        assert row.prev_hash == before.row_hash
    assert [r.row_hash for r in rows] == [r.row_hash for r in stored]
    assert audit_chain_break() == (4, None, "")


@pytest.mark.django_db
def test_a_clean_chain_verifies(capsys):
    _write(3)
    call_command("audit_verify")
    assert "3 条记录的校验链一致" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_edited_row_is_named():
    rows = _write(5)
    _as_owner("UPDATE portal_auditlog SET note = %s WHERE id = %s", ["改过的说明", rows[2].pk])
    with pytest.raises(CommandError, match=rf"第 3 条（编号 {rows[2].pk}.*写入后被修改"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_an_edit_that_recomputes_its_own_hash_breaks_the_next_link():
    rows = _write(4)
    forged = AuditLog.objects.get(pk=rows[1].pk)
    forged.note = "伪造"
    new_hash = forged.content_hash(forged.prev_hash)
    _as_owner("UPDATE portal_auditlog SET note = %s, row_hash = %s WHERE id = %s", ["伪造", new_hash, rows[1].pk])
    checked, row, why = audit_chain_break()
    assert (checked, row.pk, why) == (2, rows[2].pk, "prev")


@pytest.mark.django_db
def test_a_removed_row_is_named():
    rows = _write(5)
    _as_owner("DELETE FROM portal_auditlog WHERE id = %s", [rows[1].pk])
    with pytest.raises(CommandError, match=rf"编号 {rows[2].pk}.*被删除或插入"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_the_application_still_refuses_to_edit_or_delete():
    row = _write(1)[0]
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        _write_raw_update(row.pk)


def _write_raw_update(pk):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portal_auditlog SET note = 'x' WHERE id = %s", [pk])


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_moment_do_not_fork_the_chain():
    """Eight services auditing at once, each in its own PostgreSQL connection and transaction: one
    chain, no two rows claiming the same predecessor."""

    def writer(k):
        def call():
            with transaction.atomic():
                _write(5, prefix=f"test.race.{k}")
            return k

        return call

    results = race([writer(k) for k in range(8)])
    assert [r[0] for r in results] == ["ok"] * 8
    rows = list(AuditLog.objects.order_by("pk"))
    assert len(rows) == 40
    assert len({r.prev_hash for r in rows}) == 40
    assert audit_chain_break() == (40, None, "")


@pytest.mark.django_db
def test_the_migration_chains_rows_written_before_the_chain():
    import importlib

    from django.db.migrations.executor import MigrationExecutor

    historical = MigrationExecutor(connection).loader.project_state(("portal", "0003_audit_log_hash_chain")).apps
    migration = importlib.import_module("portal.migrations.0003_audit_log_hash_chain")

    _write(3)
    _as_owner("UPDATE portal_auditlog SET prev_hash = '', row_hash = ''")
    assert audit_chain_break()[2] == "prev"
    with connection.schema_editor(atomic=False) as editor:
        migration.chain_existing_rows(historical, editor)
    assert audit_chain_break() == (3, None, "")


# Archiving ----------------------------------------------------------------------------------------------

def _old_and_new(old=3, new=2, days=400):
    """`old` rows written `days` ago and `new` rows written now, chained in that order."""
    import datetime

    from django.utils import timezone

    from portal.audit import audit_append

    then = timezone.now() - datetime.timedelta(days=days)
    old_rows = audit_append([AuditLog(action=f"test.old.{i}", object_type="test", at=then, actor_name="system")
                             for i in range(old)])
    return old_rows, _write(new, prefix="test.new")


@pytest.mark.django_db
def test_old_rows_move_to_an_archive_whose_hashes_continue_the_chain(capsys):
    import gzip
    import json

    from django.core.files.storage import default_storage

    from portal.models import AuditArchive

    old_rows, new_rows = _old_and_new()
    call_command("audit_archive")
    record = AuditArchive.objects.get()
    assert (record.rows, record.first_id, record.last_id) == (3, old_rows[0].pk, old_rows[-1].pk)
    assert not AuditLog.objects.filter(pk__in=[r.pk for r in old_rows]).exists()
    with default_storage.open(record.file.name, "rb") as handle:
        lines = [json.loads(line) for line in gzip.decompress(handle.read()).splitlines()]
    assert [line["row_hash"] for line in lines] == [r.row_hash for r in old_rows]
    # The first row left in the table names the last archived one; the archiving itself is audited.
    assert AuditLog.objects.order_by("pk").first().prev_hash == record.last_hash
    assert AuditLog.objects.filter(action="audit.archive").exists()
    call_command("audit_verify")
    assert "校验链一致" in capsys.readouterr().out


@pytest.mark.django_db
def test_rows_younger_than_six_months_are_not_archived():
    import datetime

    from django.utils import timezone

    _old_and_new(old=2, days=100)
    with pytest.raises(CommandError, match="至少保留 365 天"):
        call_command("audit_archive", before=(timezone.now() - datetime.timedelta(days=30)).date())
    call_command("audit_archive")  # nothing is old enough: nothing moves
    assert AuditLog.objects.count() == 4


@pytest.mark.django_db
def test_the_database_refuses_to_delete_a_young_row_even_on_the_archiving_path():
    row = _write(1)[0]
    with pytest.raises(Exception, match="append-only"):
        _delete_on_the_archiving_path(row.pk)


def _delete_on_the_archiving_path(pk):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL portal.audit_archive = 'on'")
        cursor.execute("DELETE FROM portal_auditlog WHERE id = %s", [pk])


@pytest.mark.django_db
def test_an_archive_file_changed_afterwards_fails_the_verification(settings):
    import gzip

    from django.core.files.storage import default_storage

    from portal.models import AuditArchive

    _old_and_new()
    call_command("audit_archive")
    record = AuditArchive.objects.get()
    with default_storage.open(record.file.name, "rb") as handle:
        text = gzip.decompress(handle.read()).replace(b"test.old.1", b"test.old.X")
    with open(default_storage.path(record.file.name), "wb") as handle:
        handle.write(gzip.compress(text))
    with pytest.raises(CommandError, match="文件校验值不符"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_a_broken_chain_is_not_archived():
    old_rows, _ = _old_and_new()
    _as_owner("UPDATE portal_auditlog SET note = 'x' WHERE id = %s", [old_rows[1].pk])
    with pytest.raises(CommandError, match=f"编号 {old_rows[1].pk} 处不一致"):
        call_command("audit_archive")
    assert AuditLog.objects.filter(pk=old_rows[0].pk).exists()
