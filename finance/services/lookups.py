"""Auditing the banks' and insurers' eligibility lookups without a chained write per call (see
finance.models.lookups): record now, move into the audit chain in bulk."""

from __future__ import annotations

from contextlib import nullcontext

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from portal.audit import audit_append
from portal.middleware import current_client_ip
from portal.models import AuditLog

from ..models import EligibilityLookup

LOOKUP_ACTION = "eligibility.lookup"
FLUSH_BATCH = 5000


def eligibility_lookups_record(*, acting_user, enterprises, note: str = "api", deferred: bool = True) -> int:
    """One audit row per enterprise looked up. Deferred: pending rows in one INSERT (no lock, nothing
    read), committed before the answer is sent, moved into the chain by the flush. Otherwise (no beat
    to flush, the embedded mode) straight into the chain, all in one append."""
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    actor_name = actor.get_username() if actor else "system"
    ip = current_client_ip()
    if not deferred:
        audit_append([_audit_row(at=timezone.now(), actor_id=actor.pk if actor else None, actor_name=actor_name,
                                 enterprise_id=e.pk, enterprise_name=str(e)[:200], ip=ip, note=note)
                      for e in enterprises])
        return len(enterprises)
    now = timezone.now()
    rows = [(now, actor.pk if actor else None, actor_name, e.pk, str(e)[:200], ip, note) for e in enterprises]
    chunks = [rows[start:start + INSERT_CHUNK] for start in range(0, len(rows), INSERT_CHUNK)]
    with transaction.atomic() if len(chunks) > 1 else nullcontext(), connection.cursor() as cursor:
        asynchronous = _commit_without_waiting_for_disk()
        for chunk in chunks:
            cursor.execute(_insert_sql(len(chunk), asynchronous), [value for row in chunk for value in row])
    return len(rows)


INSERT_CHUNK = 5000  # rows per INSERT: 7 parameters each, under PostgreSQL's 65,535


def _insert_sql(count: int, asynchronous: bool) -> str:
    """One INSERT of `count` pending rows, a single statement: its own transaction when the caller has
    none, so no BEGIN and COMMIT of ours. Asynchronous: the statement also sets `synchronous_commit` off
    for that transaction alone (`set_config(…, true)` is local to it and read at its commit)."""
    table = EligibilityLookup._meta.db_table
    row = "(%s::timestamptz, %s::bigint, %s::varchar, %s::bigint, %s::varchar, %s::inet, %s::varchar)"
    insert = (f'INSERT INTO "{table}" ("at", "actor_id", "actor_name", "enterprise_id", "enterprise_name", "ip", '  # noqa: S608 - our own names
              f'"note") SELECT v.* FROM (VALUES {", ".join([row] * count)}) AS v')
    if asynchronous:
        insert += ", (SELECT set_config('synchronous_commit', 'off', true)) AS s"
    return insert


def _commit_without_waiting_for_disk() -> bool:
    """Whether the pending rows' transaction may commit asynchronously: the answer does not wait for the
    write-ahead log to reach the disk, which was the largest part of a lookup's time. What it risks: if
    the PostgreSQL server itself crashes, the lookups of its last few hundred milliseconds (at most three
    times `wal_writer_delay`, 600 ms by default) are lost from the log; the database stays consistent, and
    a crash of the portal loses nothing. PORTAL_LOOKUP_AUDIT_SYNCHRONOUS gives every lookup a synchronous
    commit again. Inside a transaction of a caller the caller's commit decides, and nothing is changed."""
    return (connection.vendor == "postgresql" and not settings.PORTAL_LOOKUP_AUDIT_SYNCHRONOUS
            and not connection.in_atomic_block)


def _audit_row(*, at, actor_id, actor_name, enterprise_id, enterprise_name, ip, note) -> AuditLog:
    return AuditLog(at=at, actor_id=actor_id, actor_name=actor_name, action=LOOKUP_ACTION,
                    object_type="portal.enterprise", object_id=str(enterprise_id), object_repr=enterprise_name,
                    ip=ip, note=note)


@transaction.atomic
def _flush_batch(batch: int) -> int:
    # SKIP LOCKED: two flushes running at once take different rows instead of waiting for each other;
    # the rows go into the chain and leave this table in the same transaction, so a crash at any
    # point leaves each lookup in exactly one of the two.
    pending = list(EligibilityLookup.objects.select_for_update(skip_locked=True).order_by("pk")[:batch])
    if not pending:
        return 0
    audit_append([_audit_row(at=p.at, actor_id=p.actor_id, actor_name=p.actor_name, enterprise_id=p.enterprise_id,
                             enterprise_name=p.enterprise_name, ip=p.ip, note=p.note) for p in pending])
    EligibilityLookup.objects.filter(pk__in=[p.pk for p in pending]).delete()
    return len(pending)


def eligibility_lookups_flush(*, batch: int = FLUSH_BATCH) -> int:
    """Move every pending lookup into the audit chain, oldest first, `batch` rows per transaction.
    Idempotent: a second run finds nothing. Returns how many rows were moved."""
    moved = 0
    while True:
        done = _flush_batch(batch)
        moved += done
        if done < batch:
            return moved
