"""A certificate batch handed out in chunks (reports.batches): each chunk a task of its own, each
certificate issued and stored once however the chunks overlap, and the ZIP written from the stored
files one stream at a time, never from PDFs kept in memory."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from portal.models import OutboxMessage
from ratings.choices import OrgKind, RatingStatus
from ratings.models import PartyOrganization
from reports import batches, services
from reports.choices import ReportKind, ReportState
from reports.models import Certificate, Report
from tests.ratings.api_helpers import _rating

pytestmark = pytest.mark.django_db
MORE = 3  # with the world's two published ratings: five certificates


@pytest.fixture
def batch(dworld):
    cycle = dworld.rated_a.cycle
    for index in range(1, MORE + 1):
        organization = PartyOrganization.objects.create(name=f"星湖第{index}联合党支部", kind=OrgKind.JOINT_BRANCH,
                                                        region=dworld.village_a)
        _rating(cycle, organization, RatingStatus.PUBLISHED, 4, "85.0")
    return services.report_request(kind=ReportKind.CERTIFICATE_BATCH, params={"cycle": cycle.pk},
                                   acting_user=dworld.org_staff)


def _zip(report) -> zipfile.ZipFile:
    with default_storage.open(report.file.name, "rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def test_a_batch_is_split_into_chunk_tasks_and_zips_each_certificate_once(batch, settings):
    # given chunks of two ratings
    settings.PORTAL_CERTIFICATE_CHUNK = 2
    # when the batch is made
    assert services.report_generate(report_id=batch.pk) == ReportState.DONE
    # then three chunk messages went out, together covering each of the five ratings once
    chunks = list(OutboxMessage.objects.filter(task=batches.CHUNK_TASK).order_by("pk"))
    assert [len(message.args[2]) for message in chunks] == [2, 2, 1]
    covered = [rating for message in chunks for rating in message.args[2]]
    assert len(covered) == len(set(covered)) == 5
    assert all(message.args[3] == 5 for message in chunks)
    # and each rating has one certificate, each with its own stored PDF
    batch.refresh_from_db()
    certificates = list(batch.certificates.all())
    assert sorted(c.rating_id for c in certificates) == sorted(covered)
    assert len({c.code for c in certificates}) == 5
    assert all(default_storage.exists(c.file.name) for c in certificates)
    # and the ZIP holds exactly those PDFs, each code once, as stored
    archive = _zip(batch)
    names = archive.namelist()
    assert len(names) == 5
    for certificate in certificates:
        (name,) = [n for n in names if certificate.code in n]
        with default_storage.open(certificate.file.name, "rb") as stored:
            assert archive.read(name) == stored.read()
        assert archive.read(name).startswith(b"%PDF-")
    assert (batch.state, batch.progress, batch.content_type) == (ReportState.DONE, 100, "application/zip")


def test_overlapping_chunks_store_each_pdf_once_and_a_stale_token_does_nothing(batch, settings):
    # given a run that holds the batch and has not handed it out yet
    token = services.report_claim(report_id=batch.pk)
    rating_ids = batches.batch_rating_ids(batch)
    first, rest = rating_ids[:2], rating_ids[2:]
    # when two deliveries of the same chunk run one after the other
    assert batches.certificate_chunk_make(report_id=batch.pk, token=token, rating_ids=first, total=5) == 2
    assert batches.certificate_chunk_make(report_id=batch.pk, token=token, rating_ids=first, total=5) == 0
    # then the second found the PDFs stored and made none: one certificate and one file each
    assert Certificate.objects.filter(report=batch).count() == 2
    stored = sorted(default_storage.listdir(f"reports/{batch.pk}/certificates")[1])
    assert len(stored) == 2
    # and a chunk of a run that lost the batch does nothing at all
    assert batches.certificate_chunk_make(report_id=batch.pk, token="0" * 32, rating_ids=rest, total=5) == 0
    assert Certificate.objects.filter(report=batch).count() == 2
    # and the rest, by the holder, finishes the batch with every certificate in it
    assert batches.certificate_chunk_make(report_id=batch.pk, token=token, rating_ids=rest, total=5) == 3
    batch.refresh_from_db()
    assert batch.state == ReportState.DONE
    assert len(_zip(batch).namelist()) == 5


class _RecordingStorage:
    """The default storage, noting every file opened for reading."""

    def __init__(self):
        self.opened = []

    def open(self, name, mode="rb"):
        self.opened.append(name)
        return default_storage.open(name, mode)

    def __getattr__(self, name):
        return getattr(default_storage, name)


def test_the_zip_is_written_from_storage_streams_not_from_bytes_in_memory(batch, settings, monkeypatch):
    settings.PORTAL_CERTIFICATE_CHUNK = 2
    storage = _RecordingStorage()
    monkeypatch.setattr(batches, "default_storage", storage)

    # no member is written from bytes held in memory
    def refused(*args, **kwargs):
        raise AssertionError("a PDF written into the ZIP from memory")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", refused)
    finished = []
    original_finish = services.report_finish

    def finish(**kwargs):
        finished.append(kwargs)
        return original_finish(**kwargs)

    monkeypatch.setattr(services, "report_finish", finish)
    # when the batch is made
    assert services.report_generate(report_id=batch.pk) == ReportState.DONE
    # then every certificate's stored PDF was opened from storage, once, to be copied into the ZIP
    files = sorted(Certificate.objects.filter(report=batch).values_list("file", flat=True))
    assert sorted(storage.opened) == files
    # and the ZIP went to storage as an open file, not as bytes
    (kwargs,) = finished
    assert kwargs.get("content") is None
    assert hasattr(kwargs["fileobj"], "read")
    assert len(_zip(Report.objects.get(pk=batch.pk)).namelist()) == 5
