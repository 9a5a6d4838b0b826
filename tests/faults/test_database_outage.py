"""PostgreSQL stopped under a real web node (kept connections, as production may run) and a real worker:
pages answer a clean 503 in Chinese, the API a 503 JSON, /healthz a 503 JSON naming the database; a
certificate asked for meanwhile is refused and leaves nothing behind. Once PostgreSQL is back, the same
browser gets 200 from the same web node, and the same request makes one report — no restart of anything."""

import pytest

from portal.models import AuditLog, OutboxMessage
from reports.choices import ReportKind, ReportState
from reports.models import Certificate, Report

from .conftest import Browser, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_while_postgresql_is_down_the_portal_answers_503_and_recovers_by_itself(stack, dworld, summary):
    web = stack.web(DJANGO_CONN_MAX_AGE="60")
    stack.worker("w1")
    enterprise = Browser(web, dworld.enterprise_user)
    assert enterprise.get("/reports/").status_code == 200
    assert enterprise.get("/api/v1/enterprises/").status_code == 200
    written = (Report.objects.count(), Certificate.objects.count(), OutboxMessage.objects.count(),
               AuditLog.objects.filter(action="report.request").count())
    assert written == (0, 0, 0, 0)
    ask = {"kind": ReportKind.CREDIT_CERTIFICATE, "enterprise": dworld.ent_a.pk}

    # when PostgreSQL stops
    from django.db import connection

    connection.close()
    stack.db.server.stop()
    page = enterprise.get("/reports/")
    api = enterprise.get("/api/v1/enterprises/")
    health = enterprise.get("/healthz")
    refused = enterprise.post("/reports/request/", ask, allow_redirects=False)
    # then pages answer 503 in Chinese, the API and /healthz 503 JSON naming the database
    assert page.status_code == 503
    assert page.headers["Content-Type"].startswith("text/html")
    assert "数据库暂时无法访问" in page.text
    assert page.headers["Retry-After"] == "30"
    assert api.status_code == 503
    assert api.json()["code"] == "database_unavailable"
    assert "数据库暂时无法访问" in api.json()["detail"]
    assert health.status_code == 503
    assert health.json()["down"] == ["database"]
    assert refused.status_code == 503

    # when PostgreSQL is back
    stack.db.server.start()
    pid = web.process.pid
    # then the same browser gets 200 from the same web node, which was not restarted
    back = enterprise.get("/reports/")
    assert back.status_code == 200
    assert enterprise.get("/api/v1/enterprises/").status_code == 200
    assert enterprise.get("/healthz").json() == {"status": "ok", "down": [], "checks": {"database": "ok",
                                                                                        "redis": "ok"}}
    assert web.alive()
    assert web.process.pid == pid
    # and the refused request left nothing half-written
    assert (Report.objects.count(), Certificate.objects.count(), OutboxMessage.objects.count(),
            AuditLog.objects.filter(action="report.request").count()) == written
    # and asked again, it is made by the worker that lived through the outage
    made = enterprise.post("/reports/request/", ask)
    assert made.status_code == 200
    report = Report.objects.get()
    took = wait_until(lambda: Report.objects.get(pk=report.pk).state == ReportState.DONE, timeout=60,
                      interval=0.2, what=f"the certificate made after the outage:\n{stack.logs()}")
    assert (Certificate.objects.count(), AuditLog.objects.filter(action="report.request").count()) == (1, 1)

    line = summary(
        f"faults/postgresql: stopped PostgreSQL → page {page.status_code} text/html 「数据库暂时无法访问」, "
        f"API {api.status_code} code={api.json()['code']}, /healthz {health.status_code} down={health.json()['down']}, "
        f"a certificate asked → {refused.status_code} and nothing written; started it → the same browser got "
        f"{back.status_code} from the same web node (pid unchanged, kept connections), the certificate asked again "
        f"was made in {took:.0f} s by the same worker")
    assert "nothing written" in line
