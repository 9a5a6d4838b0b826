"""A certificate batch made by many tasks at once: every worker takes a share, each PDF goes to storage
the moment it is made, and the ZIP is written from those files to a temporary file and copied to
storage a chunk at a time. No process ever holds more than one PDF, whatever the batch's size.

The run that holds the report (reports.services.report_generate: the claim token, the heartbeat) only
hands the work out: one `reports.certificate_chunk` message per `PORTAL_CERTIFICATE_CHUNK` ratings
still without a stored PDF, all sent through the outbox (the group). Each chunk works under the same
token and writes the report's heartbeat while it works, so a batch whose chunks stopped (their worker
was killed) goes stale and is taken over as before: the new run's token silences the old chunks, and
it hands out only the ratings still missing. The chunk that finds every PDF stored assembles the ZIP and
finishes the report (the chord's callback, decided under the report's row lock so that it runs once).

A certificate is issued once per batch and rating (`certificate_once_per_report_and_rating`), and its
PDF stored once: the file is set only where none is yet, a second copy made by an overlapping run is
deleted."""

from __future__ import annotations

import logging
import shutil
import tempfile
import zipfile
from itertools import islice

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portal.outbox import outbox_dispatch, outbox_put
from ratings.models import Rating

from .choices import ReportKind, ReportState
from .documents.certificates import (
    batch_certificate_pdf,
    batch_filename,
    batch_member_name,
    batch_rating_ids,
    prepare_certificate_batch,
)
from .kinds import register
from .models import Certificate, Report

logger = logging.getLogger(__name__)

CHUNK_TASK = "reports.certificate_chunk"
# Progress at which the ZIP is being assembled: the mark that lets one chunk only start it.
ASSEMBLING = 96
COPY_BLOCK = 1 << 20


def chunk_size() -> int:
    """Ratings per task: small enough that every worker gets a share of a town's batch, large enough
    that a province's batch is a few hundred messages."""
    return max(1, int(getattr(settings, "PORTAL_CERTIFICATE_CHUNK", 25)))


def _chunks(items: list, size: int):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _holds(report_id: int, token: str) -> bool:
    from .services import report_heartbeat

    return report_heartbeat(report_id=report_id, token=token)


def certificate_batch_fan_out(*, report: Report, token: str) -> int:
    """Hand the batch's missing certificates out to chunk tasks; assemble at once when none is missing
    (a run taking over a batch whose PDFs were all made). The number of chunks sent."""
    rating_ids = batch_rating_ids(report)
    stored = set(report.certificates.exclude(file="").values_list("rating_id", flat=True))
    missing = [pk for pk in rating_ids if pk not in stored]
    total = len(rating_ids)
    if not missing:
        certificate_batch_assemble(report_id=report.pk, token=token)
        return 0
    chunks = list(_chunks(missing, chunk_size()))
    with transaction.atomic():
        messages = [outbox_put(task=CHUNK_TASK, args=[report.pk, token, chunk, total],
                               key=f"report:{report.pk}:{token}:chunk:{number}")
                    for number, chunk in enumerate(chunks)]
    # Sent now as well as on commit: a caller inside a longer transaction (a test's) would otherwise wait
    # for its end; a message the commit already sent is not sent twice (outbox_dispatch takes pending ones).
    outbox_dispatch(ids=[message.pk for message in messages], limit=len(messages))
    return len(chunks)


def certificate_chunk_make(*, report_id: int, token: str, rating_ids: list[int], total: int) -> int:
    """Make and store the PDFs of these ratings for the batch, while the run holding `token` still holds
    it; then, if every PDF of the batch is stored, assemble the ZIP. The number of PDFs stored here."""
    from .services import _heartbeat, report_fail

    if not _holds(report_id, token):
        return 0  # taken over, finished or failed: the holder of the report does the work
    report = Report.objects.get(pk=report_id)
    ratings = Rating.objects.filter(pk__in=rating_ids).select_related("cycle", "organization__region")
    made = 0
    with _heartbeat(report_id, token):
        try:
            with translation.override(report.params.get("lang") or settings.LANGUAGE_CODE):
                for rating in ratings.order_by("organization__name", "pk"):
                    if not _holds(report_id, token):
                        return made
                    certificate, pdf = batch_certificate_pdf(report, rating)
                    if pdf is None:
                        continue
                    made += _store(certificate, pdf)
                    del pdf
        except Exception as exc:  # noqa: BLE001  (told to the requester, as a single report's failure is)
            logger.exception("report %s: certificate chunk failed", report_id)
            report_fail(report_id=report_id, token=token, error=f"{type(exc).__name__}: {exc}")
            return made
    if _ready_to_assemble(report_id, token, total):
        certificate_batch_assemble(report_id=report_id, token=token)
    return made


def _store(certificate: Certificate, pdf: bytes) -> int:
    """Store the PDF as the certificate's file unless another run stored one first (then ours goes)."""
    path = default_storage.save(f"reports/{certificate.report_id}/certificates/{certificate.code}.pdf",
                                ContentFile(pdf))
    if Certificate.objects.filter(pk=certificate.pk, file="").update(file=path):
        return 1
    default_storage.delete(path)
    return 0


def _ready_to_assemble(report_id: int, token: str, total: int) -> bool:
    """Whether this chunk is the one to assemble the ZIP: every PDF stored and no other chunk assembling.
    Otherwise the progress is brought up to date."""
    with transaction.atomic():
        report = (Report.objects.select_for_update()
                  .filter(pk=report_id, claim_token=token, state=ReportState.RUNNING).first())
        if report is None or report.progress >= ASSEMBLING:
            return False
        done = report.certificates.exclude(file="").count()
        if done < total:
            report.progress = min(ASSEMBLING - 1, done * (ASSEMBLING - 1) // max(total, 1))
            report.step = _("已生成 %(done)s / %(total)s 份") % {"done": done, "total": total}
        else:
            report.progress, report.step = ASSEMBLING, _("正在打包")
        report.save(update_fields=["progress", "step"])
        return done >= total


def certificate_batch_assemble(*, report_id: int, token: str) -> bool:
    """Write the batch's ZIP from the stored PDFs, one at a time through a temporary file, and finish the
    report with it (if `token` still holds it)."""
    from .services import _heartbeat, report_fail, report_finish

    report = Report.objects.get(pk=report_id)
    certificates = (report.certificates.exclude(file="").select_related("rating__cycle", "organization")
                    .order_by("organization__name", "pk"))
    with _heartbeat(report_id, token):
        try:
            with tempfile.TemporaryFile() as spool:
                # Stored, not deflated: a PDF's streams are compressed already, deflating them again saves
                # little and costs the CPU the next chunk needs.
                with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
                    for certificate in certificates.iterator(chunk_size=500):
                        with default_storage.open(certificate.file.name, "rb") as source, \
                                archive.open(batch_member_name(certificate), "w", force_zip64=True) as member:
                            shutil.copyfileobj(source, member, COPY_BLOCK)
                return report_finish(report_id=report_id, token=token, filename=batch_filename(report),
                                     fileobj=spool, content_type="application/zip")
        except Exception as exc:  # noqa: BLE001
            logger.exception("report %s: ZIP not assembled", report_id)
            report_fail(report_id=report_id, token=token, error=f"{type(exc).__name__}: {exc}")
            return False


def _fan_out(report, token) -> None:
    certificate_batch_fan_out(report=report, token=token)


# The batch is a kind of document like the others (reports.kinds), made by many tasks instead of one.
register(ReportKind.CERTIFICATE_BATCH, prepare=prepare_certificate_batch, fan_out=_fan_out)
