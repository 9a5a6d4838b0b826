"""Archiving the audit log's oldest rows, and checking the archives.

Rows stay in the table for at least the retention period (`PORTAL_AUDIT_RETENTION_DAYS`, never less
than 183 days: six months). Older rows may be moved, oldest first, to a gzip file of JSON lines that
keeps every field and both hashes; the archive's row records the file's SHA-256 and the hashes at its
two ends, so `audit_verify` follows the chain from the first archive through the table. The rows are
deleted only in the transaction that wrote their archive, under the chain's lock, by the one path the
database trigger allows (migration 0004): nothing is dropped silently."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import AUDIT_CHAIN_LOCK, GENESIS_HASH, audit_record, chain_start  # noqa: F401  (chain_start: re-exported)
from .errors import DomainError
from .models import AuditArchive, AuditLog

RETENTION_FLOOR_DAYS = 183
FIELDS = ("id", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr", "before",
          "after", "ip", "note", "prev_hash", "row_hash")


def retention_days() -> int:
    return max(RETENTION_FLOOR_DAYS, int(getattr(settings, "PORTAL_AUDIT_RETENTION_DAYS", 365)))


def _line(row: AuditLog) -> bytes:
    data = {f: getattr(row, f) for f in FIELDS}
    data["at"] = row.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    data["ip"] = str(row.ip) if row.ip else None
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode() + b"\n"


@transaction.atomic
def audit_archive(*, before: datetime.datetime, actor=None) -> AuditArchive | None:
    """Move every row older than `before` (which must lie past the retention period) to an archive
    file. Returns the archive, or None when no row is old enough."""
    floor = timezone.now() - datetime.timedelta(days=retention_days())
    if before > floor:
        raise DomainError(
            _("审计日志至少保留 %(days)d 天：只能归档 %(date)s 之前的记录。")
            % {"days": retention_days(), "date": timezone.localtime(floor).date().isoformat()},
            field="before",
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])
    last_id = AuditLog.objects.filter(at__lt=before).order_by("-pk").values_list("pk", flat=True).first()
    if last_id is None:
        return None
    expected, _start = chain_start()
    buffer = io.BytesIO()
    count, first, last = 0, None, None
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as archive:
        for row in AuditLog.objects.filter(pk__lte=last_id).order_by("pk").iterator(chunk_size=5000):
            # Archive only a sound chain: a broken one is evidence and stays where audit_verify sees it.
            if row.prev_hash != expected or row.row_hash != row.content_hash(expected):
                raise DomainError(_("审计日志校验链在编号 %(id)d 处不一致，已停止归档。请先运行 audit_verify。")
                                  % {"id": row.pk})
            expected = row.row_hash
            archive.write(_line(row))
            first = first or row
            last = row
            count += 1
    content = buffer.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    name = f"audit-{first.pk:012d}-{last.pk:012d}.jsonl.gz"
    record = AuditArchive(
        created_by_name=actor.get_username() if actor else "system", sha256=digest, rows=count,
        first_id=first.pk, last_id=last.pk, first_at=first.at, last_at=last.at,
        first_prev_hash=first.prev_hash, last_hash=last.row_hash,
    )
    record.file.save(name, ContentFile(content), save=False)
    record.save()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL portal.audit_archive = 'on'")
        cursor.execute("DELETE FROM portal_auditlog WHERE id <= %s", [last.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL portal.audit_archive = 'off'")
    audit_record(actor=actor, action="audit.archive", obj=record,
                 note=f"{count} 条，编号 {first.pk}–{last.pk}，文件 SHA-256 {digest}")
    return record


def archive_problems() -> list[str]:
    """Every archive file read back: its SHA-256, its rows' own chain, and the seams between
    archives. Returns what is wrong, in words; empty when all is well."""
    problems = []
    expected = GENESIS_HASH
    for record in AuditArchive.objects.order_by("last_id"):
        label = f"归档 {record.file.name}"
        if record.first_prev_hash != expected:
            problems.append(f"{label}：与前一归档（或链首）不衔接")
        try:
            with default_storage.open(record.file.name, "rb") as handle:
                content = handle.read()
        except OSError:
            problems.append(f"{label}：文件缺失")
            expected = record.last_hash
            continue
        if hashlib.sha256(content).hexdigest() != record.sha256:
            problems.append(f"{label}：文件校验值不符（文件被改动）")
        prev = record.first_prev_hash
        rows = 0
        for line in gzip.decompress(content).splitlines():
            data = json.loads(line)
            row = AuditLog(**{k: v for k, v in data.items() if k not in ("at",)},
                           at=datetime.datetime.fromisoformat(data["at"]))
            if row.prev_hash != prev or row.row_hash != row.content_hash(prev):
                problems.append(f"{label}：编号 {row.id} 的记录与校验链不符")
                break
            prev = row.row_hash
            rows += 1
        else:
            if rows != record.rows or prev != record.last_hash:
                problems.append(f"{label}：条数或末条校验值与归档记录不符")
        expected = record.last_hash
    return problems
