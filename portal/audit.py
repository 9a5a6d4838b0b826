"""Writing the audit log. Services call `audit_record` inside their own transaction, so the row
exists exactly when the change does.

Every row is chained to the one before it (portal.models.AuditLog.content_hash). The chain needs one
writer at a time: `audit_append` takes a transaction-scoped PostgreSQL advisory lock before it reads
the last row's hash, and holds it until the writer's transaction ends, so two services auditing at
the same moment queue for the few milliseconds of the insert instead of forking the chain. (SQLite,
the embedded mode, already runs one writer at a time.)"""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.db import connection, models, transaction

from .bulk_copy import copy_insert
from .middleware import current_client_ip
from .models import AuditLog


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or None
    return value


def snapshot(obj: models.Model | None, fields: list[str] | None = None) -> dict | None:
    """The object's concrete fields as JSON-ready values (foreign keys as their ids)."""
    if obj is None:
        return None
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if getattr(field, "auto_now", False):  # the audit row's own time says when
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    return data


def changed_fields(before: dict | None, after: dict | None) -> dict:
    before, after = before or {}, after or {}
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


# The advisory-lock key of the audit chain: any constant no other lock of the project uses.
AUDIT_CHAIN_LOCK = 7_411_001
GENESIS_HASH = "0" * 64


def audit_append(rows: list[AuditLog]) -> list[AuditLog]:
    """Insert `rows` at the end of the chain, in order, each with the hash of the one before."""
    if not rows:
        return rows
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])
        prev = AuditLog.objects.order_by("-pk").values_list("row_hash", flat=True).first() or GENESIS_HASH
        for row in rows:
            row.prev_hash = prev
            row.row_hash = prev = row.content_hash(prev)
        if len(rows) == 1:
            rows[0].save(force_insert=True)
        else:
            # COPY with ids taken in the chain's order (portal.bulk_copy): an import's tens of thousands
            # of rows in one stream instead of an INSERT per thousand.
            copy_insert(AuditLog, rows)
    return rows


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditLog:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    row = AuditLog(
        actor=actor_obj,
        actor_name=actor_obj.get_username() if actor_obj else "system",
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        object_repr=(object_repr or "")[:200],
        before=before,
        after=after,
        ip=current_client_ip(),
        note=note[:500],
    )
    return audit_append([row])[0]


def audit_chain_break(*, chunk_size: int = 5000) -> tuple[int, AuditLog | None, str]:
    """Walk the table's chain, oldest first, from where the archives end. Returns (rows checked, the first row that does not match or
    None, why). A row does not match when its own hash is not that of its content (it was edited) or
    when its `prev_hash` is not the hash of the row before it (a row was removed or slipped in)."""
    from .audit_archive import chain_start

    prev, _last_archived = chain_start()
    checked = 0
    for row in AuditLog.objects.order_by("pk").iterator(chunk_size=chunk_size):
        if row.prev_hash != prev:
            return checked, row, "prev"
        if row.row_hash != row.content_hash(prev):
            return checked, row, "content"
        prev = row.row_hash
        checked += 1
    return checked, None, ""
