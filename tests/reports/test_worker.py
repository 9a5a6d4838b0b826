"""A real Celery worker, started for this test against the machine's Redis and the test database,
makes a certificate end to end: the request commits, the task goes through the broker, the worker
renders the PDF with WeasyPrint and records it; the same task sent again changes nothing."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from portal.celery import app
from reports import services
from reports.choices import ReportKind, ReportState
from reports.models import Report
from reports.tasks import report_generate_task

from .helpers import compact, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(settings, tmp_path):
    """A worker on a queue of its own (so no other worker on this Redis takes its messages), with
    this test's database and media folder; the test process sends through the broker, not eagerly."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = str(tmp_path)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": _database_url(),
           "MEDIA_ROOT": str(tmp_path), "REDIS_URL": settings.CELERY_BROKER_URL}
    log = tmp_path / "worker.log"
    process = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "-Q", queue,
         "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "info"],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=settings.BASE_DIR)
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
        assert "ready." in log.read_text(), log.read_text()
        yield log
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for(report_id, state, log, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report = Report.objects.get(pk=report_id)
        if report.state == state:
            return report
        time.sleep(0.3)
    raise AssertionError(f"report {report_id} is {report.state}, not {state}:\n{log.read_text()[-3000:]}")


def _generated(log) -> int:
    """How many report tasks the worker finished (the relay it runs at start-up is not one of them)."""
    return sum(1 for line in log.read_text().splitlines() if "reports.generate[" in line and "succeeded in" in line)


def test_a_real_worker_makes_the_certificate_once(dworld, worker):
    # when the enterprise asks for its credit certificate (the task is sent when the request commits)
    report = services.report_request(kind=ReportKind.CREDIT_CERTIFICATE, params={"enterprise": dworld.ent_a.pk},
                                     acting_user=dworld.enterprise_user)
    # then the worker makes it
    done = _wait_for(report.pk, ReportState.DONE, worker)
    assert (done.progress, done.attempts) == (100, 1)
    content = default_storage.open(done.file.name).read()
    text = compact(pdf_text(content))
    assert "党建增信证明" in text
    assert "东湖精密机械有限公司" in text
    # when the same task is sent again (a duplicate message), it changes nothing
    report_generate_task.delay(report.pk)
    report_generate_task.delay(report.pk)
    deadline = time.monotonic() + 30
    while _generated(worker) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _generated(worker) == 3, worker.read_text()[-3000:]
    again = Report.objects.get(pk=report.pk)
    assert (again.state, again.attempts, again.checksum, again.file.name) == (
        ReportState.DONE, 1, done.checksum, done.file.name)
    assert Report.objects.count() == 1
