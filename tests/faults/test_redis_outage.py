"""Redis stopped under a real web node and a real worker: pages and the API keep serving, /healthz names
Redis, a certificate and an export asked for meanwhile are accepted (the page says they are queued) and
kept in the outbox; asked again, the same report comes back and no second message is written; once
Redis is back the worker makes each of them once. A worker that starts after the outage (no beat
anywhere) sends what waits as it starts."""

import csv
import io
import time

import pytest
import requests

from portal.choices import OutboxState
from portal.models import AuditLog, OutboxMessage
from reports.choices import ReportKind, ReportState
from reports.models import Certificate, Report

from .conftest import Browser, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_what_is_asked_for_while_redis_is_down_is_kept_and_made_once_it_is_back(stack, dworld, summary):
    web = stack.web(PORTAL_EXPORT_SYNC_MAX_ROWS="1")
    worker = stack.worker("w1")
    enterprise = Browser(web, dworld.enterprise_user)
    staff = Browser(web, dworld.org_staff)
    assert enterprise.get("/reports/").status_code == 200  # signed in, the CSRF cookie set

    # when Redis (the broker and the cache) stops
    stack.redis.stop()
    health = requests.get(f"{web.url}/healthz", timeout=30)
    assert (health.status_code, health.json()["down"]) == (503, ["redis"])
    # then pages and the API keep serving
    assert enterprise.get("/reports/").status_code == 200
    api = staff.get("/api/v1/enterprises/")
    assert api.status_code == 200, api.text[:500]
    assert api.json()["count"] == 3
    # and a certificate asked for by the enterprise, and a people list exported by org staff (longer than
    # the one row answered at once here), are accepted: their pages say they are queued
    asked = enterprise.post("/reports/request/", {"kind": ReportKind.CREDIT_CERTIFICATE, "enterprise": dworld.ent_a.pk})
    exported = staff.get("/people/?export=csv")
    for page in (asked, exported):
        assert page.status_code == 200, page.text[:500]
        assert "/reports/" in page.url
        assert "排队中" in page.text
        assert 'id="report-waiting"' in page.text
    certificate = Report.objects.get(kind=ReportKind.CREDIT_CERTIFICATE)
    export = Report.objects.get(kind=ReportKind.EXPORT)
    assert OutboxMessage.objects.filter(state=OutboxState.PENDING).count() == 2
    # asked again while Redis is still down: the same report, no second message
    again = enterprise.post("/reports/request/", {"kind": ReportKind.CREDIT_CERTIFICATE,
                                                  "enterprise": dworld.ent_a.pk})
    assert again.url == asked.url
    assert (Report.objects.count(), OutboxMessage.objects.count()) == (2, 2)
    pending = OutboxMessage.objects.filter(state=OutboxState.PENDING).count()

    # when Redis is back (empty: it kept nothing)
    stack.redis.start()
    took = wait_until(lambda: set(Report.objects.values_list("state", flat=True)) == {ReportState.DONE},
                      timeout=90, interval=0.3, what=f"both reports made:\n{stack.logs()}")
    # then the worker made each once, from the messages the outbox kept (sent by its beat's relay)
    relayed = worker.relayed()
    assert relayed == 2
    certificate.refresh_from_db()
    export.refresh_from_db()
    assert (certificate.attempts, export.attempts) == (1, 1)
    assert Certificate.objects.filter(report=certificate).count() == 1
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}
    assert AuditLog.objects.filter(action="report.request").count() == 2
    rows = list(csv.reader(io.StringIO((stack.media / export.file.name).read_text(encoding="utf-8-sig"))))
    assert {"李东湖", "王西山"} <= {cell for row in rows[1:] for cell in row}
    assert enterprise.get(f"/reports/{certificate.pk}/download/").content.startswith(b"%PDF-")
    # and asked once more, it is the same report, made
    last = enterprise.post("/reports/request/", {"kind": ReportKind.CREDIT_CERTIFICATE, "enterprise": dworld.ent_a.pk})
    assert last.url == asked.url
    assert "已完成" in last.text
    assert (Report.objects.count(), OutboxMessage.objects.count()) == (2, 2)
    assert requests.get(f"{web.url}/healthz", timeout=30).status_code == 200

    line = summary(
        f"faults/redis: stopped Redis → /healthz 503 down={health.json()['down']}, pages 200, API 200; "
        f"a credit certificate and a people export asked → 排队中, {pending} messages pending in the outbox, "
        f"asked again → the same report; Redis started → the relay sent {relayed}, both done in {took:.0f} s, "
        f"{Report.objects.count()} reports, 1 certificate, attempts 1 each, every message sent once")
    assert "pending in the outbox" in line


def test_a_worker_starting_after_the_outage_sends_what_waits(stack, dworld, summary):
    # given the web node alone: no worker and no beat (they went down with Redis)
    web = stack.web()
    enterprise = Browser(web, dworld.enterprise_user)
    assert enterprise.get("/reports/").status_code == 200
    stack.redis.stop()
    # when the enterprise asks for its certificate, then Redis comes back
    asked = enterprise.post("/reports/request/", {"kind": ReportKind.CREDIT_CERTIFICATE, "enterprise": dworld.ent_a.pk})
    assert "排队中" in asked.text
    stack.redis.start()
    time.sleep(1)
    report = Report.objects.get()
    assert (report.state, OutboxMessage.objects.get().state) == (ReportState.QUEUED, OutboxState.PENDING)
    # and a worker starts, without beat
    worker = stack.worker("w1", beat=False)
    took = wait_until(lambda: Report.objects.get(pk=report.pk).state == ReportState.DONE, timeout=60,
                      interval=0.2, what=f"the certificate made:\n{stack.logs()}")
    # then its start-up relay sent the message, and the certificate was made once
    relayed = worker.relayed()
    assert relayed == 1
    assert (Report.objects.get().attempts, Certificate.objects.count()) == (1, 1)
    assert OutboxMessage.objects.get().state == OutboxState.SENT

    line = summary(
        f"faults/redis, worker start: stopped Redis with no worker or beat running → a credit certificate asked → "
        f"排队中, 1 message pending; Redis started → still pending; a worker started (no beat) → its start-up relay "
        f"sent {relayed}, the certificate done {took:.0f} s after it was ready, attempts 1")
    assert "start-up relay sent 1" in line
