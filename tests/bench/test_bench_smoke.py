"""The pieces of `make bench`, in seconds: the load client against a local server, the signed-in session
the harness makes (past the second factor, as a role that must pass it), and the table — every row of
the issue's Targets with its numbers. Timings are never asserted: only that the figures are there."""

import http.server
import re
import threading

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import client, prepare, report
from bench.measures import DASHBOARDS, LIST_PAGES

pytestmark = pytest.mark.django_db


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - the standard library's name
        body = b"ok" if self.path.startswith("/ok") else b"no"
        self.send_response(200 if self.path.startswith("/ok") else 403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


def test_client_counts_requests_and_statuses(server):
    result = client.run({"port": server, "paths": ["/ok/1", "/ok/2", "/no"], "concurrency": 4,
                         "requests": 6, "per_path": True})
    assert result["requests"] == 24
    assert result["rps"] > 0
    assert result["p50"] > 0
    assert result["p99"] >= result["p50"]
    assert result["statuses"]["200"] + result["statuses"]["403"] == 24
    assert result["paths"]["/ok/1"]["status"] == 200
    assert result["paths"]["/no"]["status"] == 403
    timed = client.run({"port": server, "paths": ["/ok"], "concurrency": 2, "duration": 0.3})
    assert timed["requests"] > 0
    assert 0.25 < timed["seconds"] < 5


def test_harness_session_passes_the_second_factor(world):
    """The session the harness makes opens a page as a role that must pass the second factor; the same
    session without the device mark is sent to the second factor (the mark is what lets it in)."""
    TOTPDevice.objects.create(user=world.org_staff, name="app", confirmed=True)
    key = prepare.session_for(world.org_staff)
    signed_in = Client()
    signed_in.cookies[settings.SESSION_COOKIE_NAME] = key
    assert signed_in.get("/enterprises/").status_code == 200

    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    unverified = SessionStore(session_key=key)
    del unverified[DEVICE_ID_SESSION_KEY]
    unverified.save()
    assert signed_in.get("/enterprises/").status_code in (302, 403)


def test_no_batch_endpoint_is_reported_as_none_or_a_path():
    path = prepare.batch_eligibility_path()
    assert path is None or ("eligibility" in path and path.startswith("/"))


def _results():
    api = {"rps": 100.0, "p50": 5.0, "p90": 8.0, "p99": 20.0, "statuses": {"200": 500}, "bytes": 300}
    return {
        "main": {"label": "city"}, "base": {"label": "300 enterprises"}, "elapsed": 60,
        "row1": {"runs": [{"clients": c, "eligibility": api, "baseline": {**api, "rps": 150.0}} for c in (1, 8, 32)],
                 "api_key_8": api},
        "row2": {"exists": False},
        "row3": {"rows": [{"user": "townstaff", "page": "/people/?page=2", "ms": 30.0, "base_ms": 20.0, "ratio": 1.5}]},
        "row4": {"rows": [{"user": u, "page": p, "ms": 50.0, "base_ms": 40.0, "ratio": 1.25, "status": "200",
                           "kb": 50, "queries": 25, "base_queries": 25} for u, p in DASHBOARDS]},
        "row5": {"rows": 2000, "commit_rps": 1500.0, "commit_s": 1.3, "parse_s": 2.0, "peak_rss_mb": 300,
                 "copy_rps": 40000.0},
        "row6": {"one": {"seconds": 0.2}, "count": 150, "region": "东湖镇", "workers": 2, "seconds": 20.0,
                 "state": "done", "rss_100_mb": 200.0, "rss_last_mb": 210.0, "expected_one_worker_s": 30.0},
        "row7": {"approvers": 50, "rounds": 20, "over_allocations": 0, "approved": 60, "refused": 940,
                 "approvals_per_s": 12.0, "attempts_per_s": 200.0, "other_errors": []},
    }


def test_table_has_every_row_with_numbers():
    text = report.table(_results())
    rows = [line.split("|") for line in text.splitlines() if line.startswith("| ") and not line.startswith("| #")]
    ids = {cells[1].strip() for cells in rows}
    assert ids == set(report.ROW_IDS)
    for cells in rows:
        row_id, figures, ratio = cells[1].strip(), cells[3], cells[5].strip()
        if row_id == "2":
            assert "n/a (no batch endpoint)" in figures
            continue
        assert re.search(r"\d", figures), cells
        if row_id in ("1", "3", "4", "5", "6") and cells[7].strip() != "info":
            assert re.fullmatch(r"\d+\.\d+×", ratio), cells
    assert "| 7 " in text
    assert "0 over-allocations" in text
    assert len([r for r in rows if r[1].strip() == "4"]) == len(DASHBOARDS)


def test_every_list_page_and_dashboard_exists():
    from django.urls import Resolver404, resolve

    for path, _q in LIST_PAGES:
        try:
            resolve(path)
        except Resolver404:  # pragma: no cover - the message names the page
            pytest.fail(f"{path} is not a page of the portal")
    for _user, path in DASHBOARDS:
        resolve(path)
