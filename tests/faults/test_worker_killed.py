"""A worker killed with SIGKILL in the middle of a certificate batch (its whole process group: the pool,
and the beat inside it, as a machine lost would be): its message stays unacknowledged in Redis, but the
report's heartbeat stops, the sweep of the new worker's beat hands the batch to a new run, and the batch
completes well within the minute or two asked for — each certificate exactly once, the ones made before
the kill keeping their codes."""

import io
import time
import zipfile

import pytest
import redis

from portal.models import AuditLog
from ratings.choices import OrgKind, RatingStatus
from ratings.models import PartyOrganization
from reports.choices import ReportKind, ReportState
from reports.models import Certificate, Report
from tests.ratings.api_helpers import _rating

from .conftest import TIMINGS, Browser, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
MORE_RATINGS = 14
BOUND_SECONDS = 120  # "within a minute or two" (the visibility timeout alone: 30 minutes)


def test_a_batch_whose_worker_is_killed_is_taken_over_and_makes_each_certificate_once(stack, dworld, summary):
    # given the cycle's two published ratings and fourteen more
    cycle = dworld.rated_a.cycle
    for index in range(1, MORE_RATINGS + 1):
        organization = PartyOrganization.objects.create(name=f"星湖第{index}联合党支部", kind=OrgKind.JOINT_BRANCH,
                                                        region=dworld.village_a)
        _rating(cycle, organization, RatingStatus.PUBLISHED, 4, "85.0")
    total = MORE_RATINGS + 2
    web = stack.web()
    first = stack.worker("w1")
    staff = Browser(web, dworld.org_staff)
    assert staff.get("/reports/").status_code == 200
    # when org staff ask for the cycle's certificates as one batch
    asked = staff.post("/reports/request/", {"kind": ReportKind.CERTIFICATE_BATCH, "cycle": cycle.pk, "region": ""})
    assert asked.status_code == 200, asked.text[:500]
    report = Report.objects.get(kind=ReportKind.CERTIFICATE_BATCH)
    # and the worker is killed once it has made three of them
    wait_until(lambda: Certificate.objects.filter(report=report).count() >= 3, timeout=90, interval=0.05,
               what=f"three certificates made:\n{stack.logs()}")
    first.kill()
    killed_at = time.monotonic()
    # its message stays unacknowledged in Redis, for the visibility timeout (30 minutes)
    unacked = redis.Redis.from_url(stack.redis.url).hlen("unacked")
    assert unacked >= 1
    before = dict(Certificate.objects.filter(report=report).values_list("rating_id", "code"))
    report.refresh_from_db()
    assert report.state == ReportState.RUNNING
    assert len(before) < total
    # and a new worker starts
    stack.worker("w2")
    wait_until(lambda: Report.objects.get(pk=report.pk).state == ReportState.DONE, timeout=BOUND_SECONDS,
               interval=0.2, what=f"the batch done within {BOUND_SECONDS} s of the kill:\n{stack.logs()}")
    after_kill = time.monotonic() - killed_at

    # then the batch completed within the bound, taken over once
    report.refresh_from_db()
    assert after_kill < BOUND_SECONDS
    assert report.attempts == 2
    assert AuditLog.objects.filter(action="report.requeue", object_id=str(report.pk)).count() == 1
    # and each rating has exactly one certificate, those made before the kill unchanged
    certificates = list(Certificate.objects.filter(report=report).values_list("rating_id", "code"))
    assert len(certificates) == total
    assert len({rating for rating, _code in certificates}) == total
    assert len({code for _rating_id, code in certificates}) == total
    assert all(dict(certificates)[rating] == code for rating, code in before.items())
    # and the ZIP holds one PDF per certificate, each code once
    archive = zipfile.ZipFile(io.BytesIO((stack.media / report.file.name).read_bytes()))
    names = archive.namelist()
    assert len(names) == total
    assert all(sum(code in name for name in names) == 1 for _rating_id, code in certificates)
    assert all(archive.read(name).startswith(b"%PDF-") for name in names)

    line = summary(
        f"faults/worker: SIGKILLed the worker (pool and beat) after {len(before)} of {total} certificates of a "
        f"batch → the report stayed running, its message unacknowledged in Redis ({unacked}); a new worker started → the batch done {after_kill:.0f} s after the "
        f"kill (bound {BOUND_SECONDS} s; stale after {TIMINGS['PORTAL_TASK_STALE_SECONDS']} s here, 60 s in "
        f"production), attempts 2, {len(certificates)} certificates for {total} ratings, each code once in the "
        f"ZIP, the {len(before)} made before the kill unchanged")
    assert f"{len(certificates)} certificates for {total} ratings" in line
