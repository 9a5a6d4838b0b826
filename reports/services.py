"""Every write of the documents: asking for one, and the worker's claim, progress, finish and failure.

A report is asked for once (the same user, kind and parameters give back the same row) and made by
whichever worker run holds it last: each run claims it with a fresh token, and only the holder of the
current token may write progress or the result. A message redelivered after a worker died therefore
takes the report over, while a run that lost it can no longer overwrite it."""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.errors import DomainError

from . import rules
from .choices import ReportState
from .documents import kind_of
from .models import Certificate, Report

logger = logging.getLogger(__name__)


def _enqueue(report_id: int) -> None:
    from .tasks import report_generate_task

    report_generate_task.delay(report_id)


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
        transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def report_claim(*, report_id: int) -> str | None:
    """Take the report for this run; a fresh token, or None when there is nothing to do (done, or
    gone). A failed report is not retried by a redelivered message: the user asks anew."""
    token = uuid.uuid4().hex
    now = timezone.now()
    taken = Report.objects.filter(pk=report_id, state__in=[ReportState.QUEUED, ReportState.RUNNING]).update(
        state=ReportState.RUNNING, claim_token=token, attempts=F("attempts") + 1, started_at=now, progress=0,
        step=_("开始生成"), error="")
    return token if taken else None


def report_progress(*, report_id: int, token: str, progress: int, step: str = "") -> bool:
    progress = max(0, min(int(progress), 99))
    return bool(Report.objects.filter(pk=report_id, claim_token=token, state=ReportState.RUNNING)
                .update(progress=progress, step=step[:100]))


def report_finish(*, report_id: int, token: str, filename: str, content: bytes, content_type: str) -> bool:
    """Store the file and mark the report done, if this run still holds it; otherwise leave no trace."""
    # The path carries the token, so a run that lost the report never overwrites the holder's file.
    path = default_storage.save(f"reports/{report_id}/{token}/{filename}", ContentFile(content))
    checksum = hashlib.sha256(content).hexdigest()
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.claim_token != token or report.state != ReportState.RUNNING:
            default_storage.delete(path)
            return False
        report.file.name = path
        report.filename = filename
        report.content_type = content_type
        report.size = len(content)
        report.checksum = checksum
        report.state = ReportState.DONE
        report.progress = 100
        report.step = _("已完成")
        report.finished_at = now
        report.duration_ms = int((now - report.started_at).total_seconds() * 1000) if report.started_at else None
        report.save()
        audit_record(actor=None, action="report.done", obj=report,
                     after={"checksum": checksum, "size": len(content), "attempts": report.attempts})
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

    try:
        # In the language it was asked in (tasks have no request; an old report without one: Chinese).
        with translation.override(report.params.get("lang") or settings.LANGUAGE_CODE):
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

