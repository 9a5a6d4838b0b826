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
import functools
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from .bulk_copy import copy_insert, reserve_ids
from .middleware import current_client_ip
from .models import AuditArchive, AuditLog


def json_ready(value):
    """A value as an audit snapshot holds it (Decimal, dates and ids as JSON can carry them)."""
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


# Values a snapshot holds as they are (json_ready would return them unchanged after its checks).
_AS_THEY_ARE = frozenset({str, int, bool, float, type(None)})


def snapshot(obj: models.Model | None, fields: list[str] | None = None) -> dict | None:
    """The object's concrete fields as JSON-ready values (foreign keys as their ids)."""
    if obj is None:
        return None
    data = {}
    if fields is None:  # the common case, on the fields listed once per model (an import snapshots thousands)
        for attname in _snapshot_fields(obj._meta.model):
            value = getattr(obj, attname)
            data[attname] = value if type(value) in _AS_THEY_ARE else json_ready(value)
        return data
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if getattr(field, "auto_now", False):  # the audit row's own time says when
            continue
        data[field.attname] = json_ready(getattr(obj, field.attname))
    return data


@functools.cache
def _snapshot_fields(model) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if not getattr(f, "auto_now", False))


def snapshot_values(model, values: dict) -> dict:
    """`snapshot` of a row held as a dict of attribute names to values (as portal.bulk_copy writes
    them) instead of an instance: the same keys and the same JSON-ready values."""
    data = {}
    for attname in _snapshot_fields(model):
        value = values.get(attname)
        data[attname] = value if type(value) in _AS_THEY_ARE else json_ready(value)
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


@dataclass(slots=True)
class AuditEntry:
    """An audit row to append in bulk (`audit_append_entries`): the content of an AuditLog row without
    the model instance, which costs more to build than the row does to write when an import writes
    tens of thousands of them."""

    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None = None
    after: dict | None = None
    note: str = ""
    ip: str | None = None


# json.dumps with these arguments, as audit_row_hash calls it, without building an encoder per call.
_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode
_string = json.encoder.encode_basestring  # a str as that encoder writes it (ensure_ascii=False)
_COPY_COLUMNS = ("id", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr", "before",
                 "after", "ip", "note", "prev_hash", "row_hash")


class _EntryHasher:
    """Row hashes exactly as AuditLog.content_hash computes them (portal.models.audit), for many rows
    written at one moment. The canonical JSON of a row's content list is its items' canonical JSON
    joined by commas, so what the rows of a batch share (time, actor, action, address, note) is
    serialized once per kind of row, each row's before and after once, for its hash and for its
    column alike, and the rest (strings) by json's own string encoder."""

    def __init__(self, at_text: str):
        self.at_text = at_text
        self.heads: dict[tuple, str] = {}
        self.tails: dict[tuple, str] = {}

    def __call__(self, entry: AuditEntry, prev: str) -> tuple[str, str, str]:
        key = (entry.actor_id, entry.actor_name, entry.action, entry.object_type)
        head = self.heads.get(key)
        if head is None:
            head = self.heads[key] = _dumps([self.at_text, *key])[:-1]
        ip = str(entry.ip) if entry.ip else None
        tail = self.tails.get((ip, entry.note))
        if tail is None:
            tail = self.tails[(ip, entry.note)] = _dumps([ip, entry.note])[1:-1]
        before, after = _dumps(entry.before), _dumps(entry.after)
        data = (f"{head},{_string(entry.object_id)},{_string(entry.object_repr)},{before},{after},{tail},"
                f"{_string(prev)}]")
        return hashlib.sha256(data.encode()).hexdigest(), before, after


def audit_append_entries(entries: list[AuditEntry]) -> list[int]:
    """Insert `entries` at the end of the chain, in order, as `audit_append` does with AuditLog rows,
    all at one moment (they are one transaction's). Returns their ids. Object ids, names and notes
    are cut to their columns' lengths, as `audit_record` cuts them."""
    if not entries:
        return []
    if connection.vendor != "postgresql":
        now = timezone.now()
        rows = audit_append([AuditLog(at=now, actor_id=e.actor_id, actor_name=e.actor_name, action=e.action,
                                      object_type=e.object_type, object_id=e.object_id[:64],
                                      object_repr=e.object_repr[:200], before=e.before, after=e.after, ip=e.ip,
                                      note=e.note[:500]) for e in entries])
        return [row.pk for row in rows]
    for entry in entries:
        entry.object_id, entry.object_repr, entry.note = entry.object_id[:64], entry.object_repr[:200], entry.note[:500]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])
        prev = AuditLog.objects.order_by("-pk").values_list("row_hash", flat=True).first() or GENESIS_HASH
        at = timezone.now()
        hasher = _EntryHasher(at.astimezone(datetime.UTC).isoformat(timespec="microseconds"))
        ids = reserve_ids(AuditLog, len(entries))
        with connection.cursor() as cursor, cursor.copy(
                f"COPY {AuditLog._meta.db_table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN") as copy:
            for pk, entry in zip(ids, entries, strict=True):
                row_hash, before, after = hasher(entry, prev)
                copy.write_row((pk, at, entry.actor_id, entry.actor_name, entry.action, entry.object_type,
                                entry.object_id, entry.object_repr, None if entry.before is None else before,
                                None if entry.after is None else after, entry.ip, entry.note, prev, row_hash))
                prev = row_hash
    return ids


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


def chain_start() -> tuple[str, int]:
    """Where the table's part of the chain starts: the last archive's final hash and row id."""
    last = AuditArchive.objects.order_by("-last_id").first()
    return (last.last_hash, last.last_id) if last else (GENESIS_HASH, 0)


def audit_chain_break(*, chunk_size: int = 5000) -> tuple[int, AuditLog | None, str]:
    """Walk the table's chain, oldest first, from where the archives end. Returns (rows checked, the first row that does not match or
    None, why). A row does not match when its own hash is not that of its content (it was edited) or
    when its `prev_hash` is not the hash of the row before it (a row was removed or slipped in)."""
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
