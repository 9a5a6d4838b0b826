"""Every write of the registry import: upload, parse into a preview, commit, cancel.

The parse writes only ImportRows and may run a while, so it commits chunk by chunk (the progress
bar reads `processed_rows`) and is made exclusive by a PostgreSQL advisory lock: a task redelivered
after a worker died starts over, a duplicate delivery while the first still runs does nothing.
The commit is one transaction holding the batch row: all rows or none, and a second run finds the
batch no longer in `committing` and does nothing.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections import Counter
from contextlib import contextmanager
from itertools import islice
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models.functions import Greatest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import CHANGE, IMPORT, can
from ..audit import AuditEntry, audit_append_entries, audit_record, json_ready, snapshot, snapshot_values
from ..bulk_copy import copy_insert, copy_update
from ..choices import ImportRowFate, ImportState
from ..errors import AccessDenied, DomainError
from ..models import Enterprise, ImportBatch, ImportRow, Person
from ..outbox import outbox_put
from ..rules import mask_id_number, mask_mobile
from ..uploads import safe_filename
from .cleaning import RowCleaner
from .parsing import ImportFileError, open_sheet
from .planning import FIELDS, PERSON_FIELDS, NewPerson, Planner, park_index, region_index

log = logging.getLogger(__name__)

CHUNK = 500
# The commit re-plans under lock in bigger chunks: three queries a chunk, and nothing is shown meanwhile.
COMMIT_CHUNK = 2000
_LOCK_BASE = 0x1A7B << 40  # advisory lock keys of import batches: this base plus the batch id
ACTIVE_STATES = (ImportState.UPLOADED, ImportState.PARSING, ImportState.COMMITTING)


_ATTNAME = {name: Enterprise._meta.get_field(name).attname for name in FIELDS}


def _batched(iterable, size: int):
    """itertools.batched, which Python 3.11 lacks."""
    iterator = iter(iterable)
    while chunk := tuple(islice(iterator, size)):
        yield chunk


def commit_progress_key(batch_id: int) -> str:
    return f"portal:import:{batch_id}:commit-progress"


def _check_right(user) -> None:
    if not can(user, ImportBatch, IMPORT) or not can(user, Enterprise, CHANGE):
        raise AccessDenied()


# --- upload ---------------------------------------------------------------------------------------------

@transaction.atomic
def import_batch_create(*, acting_user, uploaded_file) -> ImportBatch:
    """Store an uploaded registry file as a new batch and schedule its parse. A file that cannot be
    imported at all (format, size, no header) is refused here, before any batch exists."""
    _check_right(acting_user)
    name = safe_filename(uploaded_file.name or "")
    limit = settings.PORTAL_IMPORT_MAX_BYTES
    if uploaded_file.size > limit:
        raise DomainError(_("文件大小 %(size)s，超过了 %(limit)s 的上限。请分成几个文件上传。")
                          % {"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(limit)}, field="file")
    if not uploaded_file.size:
        raise DomainError(_("文件是空的。"), field="file")
    max_rows = max_import_rows()
    try:
        with open_sheet(uploaded_file, name, max_rows=max_rows) as sheet:
            estimated = sheet.estimated_rows
    except ImportFileError as error:
        raise DomainError(error.message, field="file") from None
    if estimated > max_rows:
        raise DomainError(_too_many_rows(max_rows), field="file")
    uploaded_file.seek(0)
    batch = ImportBatch(created_by=acting_user, original_name=name, total_rows=estimated)
    batch.file.save(f"{uuid.uuid4().hex}{os.path.splitext(name)[1].lower()}", uploaded_file, save=False)
    batch.save()
    audit_record(actor=acting_user, action="import.upload", obj=batch, after=snapshot(batch))
    # Asked for in this transaction (portal.outbox): an upload made while Redis is down is parsed once it is back.
    outbox_put(task="portal.imports.parse", args=[batch.pk], key=f"import:{batch.pk}:parse")
    return batch


def max_import_rows() -> int:
    """Data rows one import may hold (PORTAL_IMPORT_MAX_ROWS): the city's whole registry fits."""
    return int(getattr(settings, "PORTAL_IMPORT_MAX_ROWS", 50_000))


def _too_many_rows(max_rows: int) -> str:
    return _("文件的数据超过 %(max)s 行，超出单次导入的上限。请按镇街或主体类型分成几个文件，每个不超过 %(max)s 行，"
             "分别上传。") % {"max": f"{max_rows:,}"}


# --- parse into a preview ---------------------------------------------------------------------------------

@contextmanager
def _exclusive(batch_id: int):
    """Whether this process holds the batch's parse. Outside PostgreSQL (the embedded SQLite mode runs
    tasks in-process, one at a time) there is nobody to exclude."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_BASE + batch_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_BASE + batch_id])


def _row_object(batch, number: int, data: dict, fate: str, errors: dict, changes: dict) -> ImportRow:
    return ImportRow(batch=batch, row_number=number, fate=fate, uscc=(data.get("uscc") or "")[:32],
                     name=(data.get("name") or "")[:200], data=data, errors=errors, changes=changes)


PERSONAL_KEYS = {"legal_id": mask_id_number, "contact_mobile": mask_mobile}


def import_rows_scrub(*, batch_id: int) -> int:
    """Mask the personal data a batch's rows still hold once the batch is over (done, cancelled or
    failed): the registry keeps it, the import's working copy need not. Returns the values masked."""
    if connection.vendor == "postgresql":
        # One statement instead of reading and rewriting every row: the same mask as portal.rules
        # (first three and last four kept), done where the rows are, every key in one pass.
        keys = list(PERSONAL_KEYS)
        whole = [f"(length(data->>'{key}') > 7 AND strpos(data->>'{key}', '*') = 0)" for key in keys]
        masks = ", ".join(f"'{key}', CASE WHEN w.k{n} THEN to_jsonb(left(r.data->>'{key}', 3) || "
                          f"repeat('*', length(r.data->>'{key}') - 7) || right(r.data->>'{key}', 4)) END"
                          for n, key in enumerate(keys))
        flags = ", ".join(f"{test} AS k{n}" for n, test in enumerate(whole))
        counted = " + ".join(f"w.k{n}::int" for n in range(len(keys)))
        sql = f"""
            WITH whole AS (SELECT id, {flags} FROM portal_importrow WHERE batch_id = %s AND ({" OR ".join(whole)})),
                 masked AS (UPDATE portal_importrow AS r SET data = r.data || jsonb_strip_nulls(jsonb_build_object({masks}))
                              FROM whole AS w WHERE r.id = w.id RETURNING {counted} AS n)
            SELECT coalesce(sum(n), 0) FROM masked"""  # noqa: S608 - the keys are this module's constants
        with connection.cursor() as cursor:
            cursor.execute(sql, [batch_id])
            return int(cursor.fetchone()[0])
    changed, masked = [], 0
    rows = ImportRow.objects.filter(batch_id=batch_id).only("pk", "data").order_by("pk")
    for row in rows.iterator(chunk_size=1000):
        data = dict(row.data)
        for key, mask in PERSONAL_KEYS.items():
            if data.get(key) and "*" not in data[key]:
                data[key] = mask(data[key])
                masked += 1
        if data != row.data:
            row.data = data
            changed.append(row)
    for batch in _batched(changed, 1000):
        ImportRow.objects.bulk_update(batch, ["data"])
    return masked


def _fail(batch_id: int, reason: str, *, states) -> ImportBatch:
    ImportBatch.objects.filter(pk=batch_id, state__in=states).update(
        state=ImportState.FAILED, error=reason, finished_at=timezone.now()
    )
    import_rows_scrub(batch_id=batch_id)
    return ImportBatch.objects.get(pk=batch_id)


def import_batch_parse(*, batch_id: int) -> ImportBatch | None:
    """Parse and validate every row of the batch's file into ImportRows, then put it up for preview."""
    with _exclusive(batch_id) as acquired:
        if not acquired:
            return None
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
            if batch is None or batch.state not in (ImportState.UPLOADED, ImportState.PARSING):
                return batch
            batch.rows.all().delete()  # a rerun after a worker died starts over
            batch.state, batch.processed_rows, batch.error = ImportState.PARSING, 0, ""
            batch.save(update_fields=["state", "processed_rows", "error"])
        try:
            counts = _parse_rows(batch)
        except ImportFileError as error:
            ImportRow.objects.filter(batch_id=batch_id).delete()  # a file refused midway leaves no rows
            return _fail(batch_id, error.message, states=[ImportState.PARSING])
        except Exception:
            log.exception("import batch %s: parse failed", batch_id)
            return _fail(batch_id, _("读取文件时发生内部错误，请联系系统管理员。"), states=[ImportState.PARSING])
        if counts is None:  # cancelled meanwhile
            return ImportBatch.objects.get(pk=batch_id)
        total = sum(counts.values())
        if not total:
            return _fail(batch_id, _("文件中只有表头，没有数据行。"), states=[ImportState.PARSING])
        ImportBatch.objects.filter(pk=batch_id, state=ImportState.PARSING).update(
            state=ImportState.PREVIEW, total_rows=total, processed_rows=total,
            create_count=counts[ImportRowFate.CREATE], update_count=counts[ImportRowFate.UPDATE],
            unchanged_count=counts[ImportRowFate.UNCHANGED], error_count=counts[ImportRowFate.ERROR],
        )
        return ImportBatch.objects.get(pk=batch_id)


def _parse_rows(batch: ImportBatch) -> Counter | None:
    regions, parks = region_index(), park_index()
    planner = Planner(regions, parks)
    counts: Counter = Counter()
    processed = 0
    max_rows = max_import_rows()
    with batch.file.open("rb") as fileobj, open_sheet(fileobj, batch.original_name, max_rows=max_rows) as sheet:
        ImportBatch.objects.filter(pk=batch.pk).update(total_rows=sheet.estimated_rows)
        cleaner = RowCleaner(sheet.header, regions, parks, timezone.localdate())
        for chunk in _batched(cleaner.rows(sheet.rows), CHUNK):
            if ImportBatch.objects.filter(pk=batch.pk, state=ImportState.CANCELLED).exists():
                return None
            clean = [(row.row_number, row.data) for row in chunk if not row.errors]
            plans = {plan.row_number: plan for plan in planner.plan_chunk(clean)} if clean else {}
            objects = []
            for row in chunk:
                plan = plans.get(row.row_number)
                if row.errors or plan is None:
                    fate, errors, changes = ImportRowFate.ERROR, row.errors, {}
                else:
                    fate, errors, changes = plan.fate, plan.errors, plan.changes
                counts[fate] += 1
                objects.append(_row_object(batch, row.row_number, row.data, fate, errors, changes))
            processed += len(chunk)
            if processed > max_rows:  # the count at upload was short (a CSV's quoted line breaks)
                raise ImportFileError(_too_many_rows(max_rows))
            ImportRow.objects.bulk_create(objects)
            ImportBatch.objects.filter(pk=batch.pk).update(
                processed_rows=processed, total_rows=Greatest("total_rows", processed)
            )
    return counts


# --- commit ------------------------------------------------------------------------------------------------

class _Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def import_batch_commit_request(*, acting_user, batch: ImportBatch) -> ImportBatch:
    """Accept the preview: the batch goes to `committing` and the commit task is scheduled."""
    _check_right(acting_user)
    locked = ImportBatch.objects.restrict(acting_user, IMPORT).select_for_update().filter(pk=batch.pk).first()
    if locked is None:
        raise AccessDenied()
    if locked.state != ImportState.PREVIEW:
        raise DomainError(_("该批次当前状态为“%(state)s”，不能导入。") % {"state": locked.get_state_display()})
    if locked.error_count:
        raise DomainError(_("文件中有 %(n)d 行错误，不能导入。请按错误说明修改文件后重新上传。") % {"n": locked.error_count})
    if not locked.create_count and not locked.update_count:
        raise DomainError(_("文件内容与登记信息一致，没有需要新增或更新的数据。"))
    locked.state, locked.processed_rows = ImportState.COMMITTING, 0
    locked.save(update_fields=["state", "processed_rows"])
    user_id = acting_user.pk
    outbox_put(task="portal.imports.commit", args=[locked.pk, user_id], key=f"import:{locked.pk}:commit")
    return locked


def import_batch_commit(*, batch_id: int, acting_user_id: int | None = None) -> ImportBatch | None:
    """Apply every row of a batch in `committing`, in one transaction, or none of them."""
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
            if batch is None or batch.state != ImportState.COMMITTING:
                return batch  # already applied, failed or cancelled: running twice applies once
            actor = get_user_model().objects.filter(pk=acting_user_id).first() if acting_user_id else None
            actor = actor or batch.created_by
            counts = _apply(batch, actor)
            batch.state = ImportState.DONE
            batch.create_count = counts[ImportRowFate.CREATE]
            batch.update_count = counts[ImportRowFate.UPDATE]
            batch.unchanged_count = counts[ImportRowFate.UNCHANGED]
            batch.processed_rows = batch.total_rows
            batch.finished_at = timezone.now()
            batch.save()
            import_rows_scrub(batch_id=batch.pk)
            audit_record(
                actor=actor, action="enterprise.import", obj=batch,
                after={"file": batch.original_name, "rows": batch.total_rows, "created": batch.create_count,
                       "updated": batch.update_count, "unchanged": batch.unchanged_count,
                       "people_created": counts["people"]},
                note=_("批量导入：新增 %(c)d，更新 %(u)d，无变化 %(n)d")
                % {"c": batch.create_count, "u": batch.update_count, "n": batch.unchanged_count},
            )
        return batch
    except _Refused as refusal:
        reason = refusal.reason
    except DatabaseError as error:
        log.warning("import batch %s: commit failed: %s", batch_id, error)
        reason = _("写入时与他人同时进行的修改发生冲突（%(e)s）。本批次未写入任何数据，请重新上传文件。") % {
            "e": str(error).splitlines()[0][:200]}
    except Exception:
        log.exception("import batch %s: commit failed", batch_id)
        reason = _("导入时发生内部错误，未写入任何数据。请联系系统管理员。")
    finally:
        cache.delete(commit_progress_key(batch_id))
    return _fail(batch_id, reason, states=[ImportState.COMMITTING])


def _progress(batch, fraction: float) -> None:
    cache.set(commit_progress_key(batch.pk), round(fraction, 3), timeout=3600)


class _Previewed(NamedTuple):
    """An ImportRow as the commit reads it: the values, without building a model instance per row."""

    row_number: int
    uscc: str
    fate: str
    data: dict
    changes: dict


def _apply(batch: ImportBatch, actor) -> Counter:
    regions, parks = region_index(), park_index()
    planner = Planner(regions, parks, lock=True)
    rows = [_Previewed(*values) for values in batch.rows.exclude(fate=ImportRowFate.ERROR).order_by("row_number")
            .values_list("row_number", "uscc", "fate", "data", "changes")]
    if len(rows) != batch.total_rows:
        raise _Refused(_("批次中有错误行，不能导入。"))
    # 1. Re-plan every row against the registry as it is now, under lock: anything that differs from
    #    the preview refuses the whole batch before a single write.
    plans = []
    for done, chunk in enumerate(_batched(rows, COMMIT_CHUNK), start=1):
        for row, plan in zip(chunk, planner.plan_chunk([(r.row_number, r.data) for r in chunk]), strict=True):
            _same_as_preview(row, plan, regions, parks)
            plans.append(plan)
        _progress(batch, min(0.5, 0.5 * done * COMMIT_CHUNK / max(len(rows), 1)))
    counts = Counter(plan.fate for plan in plans)
    note = _("批量导入 #%(id)d：%(file)s") % {"id": batch.pk, "file": batch.original_name}
    author = (actor.pk, actor.get_username()) if actor else (None, "system")
    audit: list[AuditEntry] = []
    # Rows go in as dicts of values and their audit rows as AuditEntry: tens of thousands of model
    # instances cost more than the writes themselves (portal.bulk_copy).

    # 2. People first: enterprises point at them.
    people = {}
    for plan in plans:
        for name in PERSON_FIELDS:
            value = plan.values.get(name)
            if isinstance(value, NewPerson) and (plan.fate == ImportRowFate.CREATE or name in plan.changes):
                people.setdefault(value.key, value)
    created_people = copy_insert(Person, [{"name": p.name, "id_number": p.id_number, "mobile": p.mobile}
                                          for p in people.values()])
    person_pk = {key: person["id"] for key, person in zip(people, created_people, strict=True)}
    counts["people"] = len(created_people)
    for person in created_people:
        after = snapshot_values(Person, person)
        after.update(id_number=mask_id_number(person["id_number"] or ""), mobile=mask_mobile(person["mobile"]))
        audit.append(AuditEntry(*author, "person.create", Person._meta.label_lower, str(person["id"]),
                                person["name"], None, after, note))

    def resolved(value):
        return person_pk[value.key] if isinstance(value, NewPerson) else value

    # 3. Enterprises.
    new = [{"uscc": plan.uscc, **{_ATTNAME[k]: resolved(v) for k, v in plan.values.items()}}
           for plan in plans if plan.fate == ImportRowFate.CREATE]
    for enterprise in copy_insert(Enterprise, new):
        audit.append(AuditEntry(*author, "enterprise.create", Enterprise._meta.label_lower, str(enterprise["id"]),
                                enterprise["name"], None, snapshot_values(Enterprise, enterprise), note))
    _progress(batch, 0.75)
    changed = [plan for plan in plans if plan.fate == ImportRowFate.UPDATE]
    if changed:
        now = timezone.now()
        for plan in changed:
            enterprise = plan.enterprise
            before = snapshot(enterprise)
            after = dict(before)
            for name in plan.changes:
                attname = _ATTNAME[name]
                setattr(enterprise, attname, resolved(plan.values[name]))
                after[attname] = json_ready(getattr(enterprise, attname))
            enterprise.updated_at = now
            audit.append(AuditEntry(*author, "enterprise.update", Enterprise._meta.label_lower, str(enterprise.pk),
                                    str(enterprise), before, after, note))
        fields = sorted({name for plan in plans for name in plan.changes})
        copy_update(Enterprise, [plan.enterprise for plan in changed], [*fields, "updated_at"])
    # AuditLog refuses updates and deletes; inserts, one by one or in bulk, are what it is for (chained).
    audit_append_entries(audit)
    _progress(batch, 1.0)
    return counts


def _same_as_preview(row: _Previewed, plan, regions, parks) -> None:
    data = row.data
    if data.get("region_id") not in regions.by_id or ("park_id" in data and data["park_id"] not in parks.by_id):
        raise _Refused(_("第 %(row)d 行所填的区划或园区在预览后已被删除。本批次未写入任何数据，请重新上传文件。")
                       % {"row": row.row_number})
    if row.fate == ImportRowFate.CREATE and plan.fate != ImportRowFate.CREATE:
        raise _Refused(_("第 %(row)d 行的统一社会信用代码 %(code)s 在预览后已被登记。本批次未写入任何数据，"
                         "请重新上传文件以生成新的预览。") % {"row": row.row_number, "code": row.uscc})
    if plan.fate != row.fate or plan.changes != row.changes:
        raise _Refused(_("第 %(row)d 行（%(code)s）的登记信息在预览后已被修改。本批次未写入任何数据，"
                         "请重新上传文件以生成新的预览。") % {"row": row.row_number, "code": row.uscc})


# --- cancel ------------------------------------------------------------------------------------------------

@transaction.atomic
def import_batch_cancel(*, acting_user, batch: ImportBatch) -> ImportBatch:
    locked = ImportBatch.objects.restrict(acting_user, IMPORT).select_for_update().filter(pk=batch.pk).first()
    if locked is None:
        raise AccessDenied()
    if locked.state not in (ImportState.UPLOADED, ImportState.PARSING, ImportState.PREVIEW):
        raise DomainError(_("该批次当前状态为“%(state)s”，不能取消。") % {"state": locked.get_state_display()})
    locked.state, locked.finished_at = ImportState.CANCELLED, timezone.now()
    locked.save(update_fields=["state", "finished_at"])
    import_rows_scrub(batch_id=locked.pk)
    audit_record(actor=acting_user, action="import.cancel", obj=locked)
    return locked

