"""Every write of the documents: asking for one, and the worker's claim, progress, finish and failure.

A report is asked for once (the same user, kind and parameters give back the same row) and made by
whichever worker run holds it last: each run claims it with a fresh token, and only the holder of the
current token may write progress or the result. The report and the message that asks a worker for it
are committed together (the outbox, portal.outbox): a report asked for while Redis is down is not lost.

The holding run writes a heartbeat every `PORTAL_TASK_HEARTBEAT_SECONDS`. A worker killed mid-run
(SIGKILL, the machine lost) leaves its message unacknowledged in Redis until the broker's visibility
timeout, far too long to wait; instead `report_requeue_stale` (beat, and each worker as it starts)
sends a new message for a running report whose heartbeat is older than `PORTAL_TASK_STALE_SECONDS`,
and the run it starts takes the report over. A message for a report whose run is alive finds nothing to do, and a run that lost the
report can no longer overwrite it."""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import threading
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.choices import OutboxState
from portal.errors import DomainError
from portal.models import OutboxMessage
from portal.outbox import outbox_put

from . import rules
from .choices import ReportState
from .kinds import kind_of
from .models import Certificate, Report

logger = logging.getLogger(__name__)

GENERATE_TASK = "reports.generate"
# A queued report whose message was sent this long ago and that no worker took is sent again: the
# message was lost (a Redis restarted without its data). A duplicate does no harm (the claim).
RESEND_AFTER = datetime.timedelta(minutes=10)


def heartbeat_seconds() -> int:
    return int(getattr(settings, "PORTAL_TASK_HEARTBEAT_SECONDS", 10))


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "PORTAL_TASK_STALE_SECONDS", 60)))


def message_key(report_id: int) -> str:
    return f"report:{report_id}"


def _enqueue(report_id: int) -> None:
    """The worker's message for the report, committed with the current transaction (the outbox)."""
    outbox_put(task=GENERATE_TASK, args=[report_id], key=message_key(report_id))


def _stalled(report: Report, now: datetime.datetime) -> bool:
    """Queued, or running without a heartbeat for longer than the stale limit (its worker died)."""
    if report.state == ReportState.QUEUED:
        return True
    if report.state == ReportState.RUNNING:
        return report.heartbeat_at is None or report.heartbeat_at < now - stale_after()
    return False


def _needs_message(report: Report, now: datetime.datetime) -> bool:
    """Whether a stalled report should get a (new) message: one is waiting in the outbox (it is tried
    again), none was ever sent, or the last one went out before its run went silent (a running report)
    or long ago with no worker taking it (a queued one)."""
    if not _stalled(report, now):
        return False
    last = OutboxMessage.objects.filter(key=message_key(report.pk)).order_by("-created_at", "-pk").first()
    if last is None or last.state == OutboxState.PENDING:
        return True
    if report.state == ReportState.RUNNING and last.created_at < (report.heartbeat_at or report.started_at or now):
        return True
    return last.created_at < now - RESEND_AFTER


def report_request(*, kind: str, params: dict, acting_user) -> Report:
    """The report for this document, asked for by `acting_user`: the one already asked for (queued,
    running or done), or a new one queued after the transaction commits."""
    spec = kind_of(kind)
    if spec is None:
        raise DomainError(_("未知的文件类型。"), field="kind")
    prepared = spec.prepare(user=acting_user, params=params)
    key = rules.request_key(kind, prepared.params)
    with transaction.atomic():
        existing = Report.objects.filter(requested_by=acting_user, key=key).exclude(state=ReportState.FAILED).first()
        if existing is not None:
            # Asked again: never the same stuck row for good — a report whose message waits in the outbox
            # is tried again now, one whose message was lost (or whose worker died) gets a new one.
            if _needs_message(existing, timezone.now()):
                _enqueue(existing.pk)
            return existing
        try:
            with transaction.atomic():
                report = Report.objects.create(kind=kind, params=prepared.params, key=key, title=prepared.title,
                                               requested_by=acting_user)
        except IntegrityError:
            # The same request, a moment earlier, from another tab or a double click.
            return Report.objects.get(requested_by=acting_user, key=key, state__in=[
                ReportState.QUEUED, ReportState.RUNNING, ReportState.DONE])
        if prepared.certificate_facts is not None:
            Certificate.objects.create(code=rules.new_verification_code(), kind=kind, report=report,
                                       as_of=prepared.as_of, facts=prepared.certificate_facts,
                                       **{k: v for k, v in prepared.subject.items() if v is not None})
        audit_record(actor=acting_user, action="report.request", obj=report,
                     after={"kind": kind, "params": prepared.params})
        _enqueue(report.pk)
    return report


def report_claim(*, report_id: int) -> str | None:
    """Take the report for this run; a fresh token, or None when there is nothing to do: done, gone, or
    running in a run whose heartbeat is fresh (a duplicate or redelivered message). A running report
    whose heartbeat stopped is taken over. A failed report is not retried: the user asks anew."""
    token = uuid.uuid4().hex
    now = timezone.now()
    takeable = Q(state=ReportState.QUEUED) | Q(state=ReportState.RUNNING) & (
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - stale_after()))
    taken = Report.objects.filter(takeable, pk=report_id).update(
        state=ReportState.RUNNING, claim_token=token, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now,
        progress=0, step=_("开始生成"), error="")
    return token if taken else None


def report_heartbeat(*, report_id: int, token: str) -> bool:
    """The holding run is alive; False once it lost the report."""
    return bool(Report.objects.filter(pk=report_id, claim_token=token, state=ReportState.RUNNING)
                .update(heartbeat_at=timezone.now()))


@contextmanager
def _heartbeat(report_id: int, token: str):
    """A heartbeat written from a thread of its own while the body runs, so that a long step (one large
    PDF, a workbook being saved) does not look like a dead worker. The thread has its own database
    connection, closed when it stops."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(heartbeat_seconds()):
                try:
                    if not report_heartbeat(report_id=report_id, token=token):
                        return
                except Exception:  # noqa: BLE001  (the database away for a moment: beat again next time)
                    logger.warning("report %s: heartbeat not written", report_id, exc_info=True)
                    connections["default"].close_if_unusable_or_obsolete()
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


def report_progress(*, report_id: int, token: str, progress: int, step: str = "") -> bool:
    progress = max(0, min(int(progress), 99))
    return bool(Report.objects.filter(pk=report_id, claim_token=token, state=ReportState.RUNNING)
                .update(progress=progress, step=step[:100], heartbeat_at=timezone.now()))


def report_requeue_stale(*, limit: int = 200) -> int:
    """Send a new message for every report stalled without one (`_needs_message`): running with a
    heartbeat older than the stale limit (its worker died), or queued with its message lost. The number
    re-queued; each is audited."""
    now = timezone.now()
    stalled = Report.objects.filter(
        Q(state=ReportState.RUNNING) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - stale_after()))
        | Q(state=ReportState.QUEUED, created_at__lt=now - RESEND_AFTER)).order_by("pk")[:limit]
    requeued = 0
    for report in stalled:
        with transaction.atomic():
            report = Report.objects.select_for_update(skip_locked=True).filter(pk=report.pk).first()
            if report is None or not _needs_message(report, now):
                continue
            _enqueue(report.pk)
            audit_record(actor=None, action="report.requeue", obj=report,
                         before={"state": report.state, "attempts": report.attempts,
                                 "heartbeat_at": report.heartbeat_at.isoformat() if report.heartbeat_at else None},
                         note=_("后台任务中断或消息丢失，已重新排队"))
        requeued += 1
    if requeued:
        logger.warning("reports: %d stalled report(s) re-queued", requeued)
    return requeued


def _checksum(fileobj) -> tuple[str, int]:
    """SHA-256 and size of an open file, read a megabyte at a time; the file is left at its start."""
    digest, size = hashlib.sha256(), 0
    fileobj.seek(0)
    while block := fileobj.read(1 << 20):
        digest.update(block)
        size += len(block)
    fileobj.seek(0)
    return digest.hexdigest(), size


def report_finish(*, report_id: int, token: str, filename: str, content: bytes | None = None, fileobj=None,
                  content_type: str) -> bool:
    """Store the file (`content`, or an open binary file `fileobj`, copied to storage a chunk at a time)
    and mark the report done, if this run still holds it; otherwise leave no trace."""
    if fileobj is None:
        fileobj = io.BytesIO(content)
    checksum, size = _checksum(fileobj)
    # The path carries the token, so a run that lost the report never overwrites the holder's file.
    path = default_storage.save(f"reports/{report_id}/{token}/{filename}", File(fileobj, name=filename))
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.claim_token != token or report.state != ReportState.RUNNING:
            default_storage.delete(path)
            return False
        report.file.name = path
        report.filename = filename
        report.content_type = content_type
        report.size = size
        report.checksum = checksum
        report.state = ReportState.DONE
        report.progress = 100
        report.step = _("已完成")
        report.finished_at = now
        report.duration_ms = int((now - report.started_at).total_seconds() * 1000) if report.started_at else None
        report.save()
        audit_record(actor=None, action="report.done", obj=report,
                     after={"checksum": checksum, "size": size, "attempts": report.attempts})
    return True


def report_fail(*, report_id: int, token: str, error: str) -> bool:
    now = timezone.now()
    return bool(Report.objects.filter(pk=report_id, claim_token=token, state=ReportState.RUNNING).update(
        state=ReportState.FAILED, error=error[:2000], finished_at=now, step=_("失败")))


def report_generate(*, report_id: int) -> str | None:
    """Make the report's file (the worker's whole job). Returns the state it ended in, or None when
    there was nothing to do."""
    token = report_claim(report_id=report_id)
    if token is None:
        return None
    report = Report.objects.select_related("requested_by").get(pk=report_id)
    spec = kind_of(report.kind)

    def progress(percent: int, step: str = "") -> None:
        report_progress(report_id=report_id, token=token, progress=percent, step=step)

    with _heartbeat(report_id, token):
        try:
            # In the language it was asked in (tasks have no request; an old report without one: Chinese).
            with translation.override(report.params.get("lang") or settings.LANGUAGE_CODE):
                if spec.fan_out is not None:
                    # Handed out to many tasks (reports.batches); the last of them finishes the report.
                    spec.fan_out(report, token)
                    state = Report.objects.filter(pk=report_id, claim_token=token).values_list("state", flat=True)
                    return ReportState.DONE if state.first() == ReportState.DONE else ReportState.RUNNING
                rendered = spec.render(report, progress)
        except Exception as exc:  # noqa: BLE001  (any failure, a time limit included, is told to the requester)
            logger.exception("report %s failed", report_id)
            report_fail(report_id=report_id, token=token, error=f"{type(exc).__name__}: {exc}")
            return ReportState.FAILED
        finished = report_finish(report_id=report_id, token=token, filename=rendered.filename,
                                 content=rendered.content, content_type=rendered.content_type)
    return ReportState.DONE if finished else None


def report_download_record(*, report: Report, acting_user) -> None:
    audit_record(actor=acting_user, action="report.download", obj=report, after={"checksum": report.checksum})

