"""The read replica (portal/replica.py): with the router on, the dashboards' and the work report's figures
are read through the `replica` alias, every write and every read inside a transaction or after a write
through the primary; a replica that does not answer is read around; without `DATABASE_REPLICA_URL`
there is one database and no router.

In the test settings `replica` is a mirror of the test database (TEST MIRROR): the same rows through a
second connection, so each query's connection says where the router sent it. The rows are committed
(transaction=True) so that the second connection sees them."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import replica
from portal.models import Region
from portal.replica import replica_lag_seconds, replica_reads
from reports.choices import ReportKind, ReportState
from reports.models import Report
from tests.finance.conftest import product, product2, quota_table  # noqa: F401  (fixtures)
from tests.ratings.conftest import rubric  # noqa: F401  (fixture)
from tests.reports import figures_world

hist = figures_world.hist  # the fixture

ROOT = Path(__file__).resolve().parents[2]
ROUTER = ["portal.replica.ReplicaRouter"]
both_databases = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|COPY)\b", re.IGNORECASE)


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = ROUTER
    replica._down_until = 0.0
    yield
    replica._down_until = 0.0


class Queries:
    """The SQL each connection ran while the block was open."""

    def __enter__(self):
        self._primary = CaptureQueriesContext(connections["default"]).__enter__()
        self._replica = CaptureQueriesContext(connections["replica"]).__enter__()
        return self

    def __exit__(self, *exc):
        self._replica.__exit__(*exc)
        self._primary.__exit__(*exc)

    @property
    def primary(self) -> list[str]:
        return [q["sql"] for q in self._primary.captured_queries]

    @property
    def replica(self) -> list[str]:
        return [q["sql"] for q in self._replica.captured_queries]


def _dashboard(client, user, w, name="reports:dashboard"):
    client.force_login(user)
    url = f"{reverse(name)}?date_from={w.since.isoformat()}&date_to={w.day.isoformat()}"
    with Queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return _chart_data(response), queries


def _chart_data(response) -> dict:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    return json.loads(found.group(1))


# --- the settings ----------------------------------------------------------------------------------

PROBE = """
import json
from portal.settings import base
print(json.dumps({"aliases": sorted(base.DATABASES), "routers": base.DATABASE_ROUTERS,
                  "replica": base.DATABASES.get("replica")}, default=str))
"""


def _settings_with(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URL",)}
    environment.update(DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal", **env)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True,  # noqa: S603
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_the_setting_there_is_one_database_and_no_router():
    found = _settings_with()
    assert found["aliases"] == ["default"]
    assert found["routers"] == []


def test_the_setting_adds_the_replica_alias_and_its_router():
    found = _settings_with(DATABASE_REPLICA_URL="postgres://reader@10.0.0.2:5433/portal")
    assert found["aliases"] == ["default", "replica"]
    assert found["routers"] == ROUTER
    assert (found["replica"]["HOST"], found["replica"]["PORT"], found["replica"]["USER"]) == ("10.0.0.2", 5433, "reader")
    assert found["replica"]["OPTIONS"] == {"connect_timeout": 2, "options": "-c jit=off -c random_page_cost=1.1"}
    assert found["replica"]["CONN_HEALTH_CHECKS"] is True


# --- the dashboards --------------------------------------------------------------------------------

@both_databases
def test_the_leader_dashboard_reads_its_figures_from_the_replica_and_shows_the_same(client, hist, settings):
    unrouted, before = _dashboard(client, hist.leader, hist)
    assert before.replica == []  # no router: one database, as before

    settings.DATABASE_ROUTERS = ROUTER
    routed_data, queries = _dashboard(client, hist.leader, hist)

    assert routed_data == unrouted
    assert len(queries.replica) >= 20
    assert not [sql for sql in queries.replica if WRITES.match(sql)]
    # The primary answers only what the request does before the view: the session, the user, the roles.
    assert not [sql for sql in queries.primary if "ratings_" in sql or "finance_" in sql or "liaison_" in sql]
    assert len(queries.primary) < len(queries.replica)


@both_databases
@pytest.mark.parametrize(("user", "name"), [("station", "reports:station_dashboard"),
                                            ("bank_officer", "reports:bank_dashboard")])
def test_the_station_and_bank_dashboards_read_the_replica(client, hist, routed, user, name):
    _, queries = _dashboard(client, getattr(hist, user), hist, name)
    assert any("finance_loanapplication" in sql for sql in queries.replica)
    assert not [sql for sql in queries.primary if "finance_loanapplication" in sql]


@both_databases
def test_a_replica_that_does_not_answer_leaves_the_dashboard_on_the_primary(client, hist, routed):
    expected, _ = _dashboard(client, hist.leader, hist)
    mirror = connections["replica"]
    with socket.socket() as sock:  # a port nobody listens on: the connection is refused
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    down = type(mirror)({**mirror.settings_dict, "HOST": "127.0.0.1", "PORT": closed_port}, "replica")
    connections["replica"] = down
    try:
        client.force_login(hist.leader)
        url = f"{reverse('reports:dashboard')}?date_from={hist.since.isoformat()}&date_to={hist.day.isoformat()}"
        with CaptureQueriesContext(connections["default"]) as primary:
            first = client.get(url)
        assert first.status_code == 200
        assert _chart_data(first) == expected
        assert down.connection is None
        assert any("ratings_" in q["sql"] for q in primary.captured_queries)
        # The next pages do not try the replica again for a while (no connection attempt per page).
        assert replica._down_until > time.monotonic() + replica.REPLICA_RETRY_SECONDS - 5
        down.ensure_connection = lambda: pytest.fail("the replica was asked again")
        assert client.get(url).status_code == 200
    finally:
        connections["replica"] = mirror


# --- what stays on the primary ---------------------------------------------------------------------

@both_databases
def test_writes_go_to_the_primary_and_the_block_reads_the_primary_after_writing(routed):
    with Queries() as queries, replica_reads():
        assert Region.objects.filter(code="9999").count() == 0
        Region.objects.create(code="9999", name="新区", level="town")
        assert Region.objects.filter(code="9999").count() == 1
    assert len(queries.replica) == 1
    assert "COUNT" in queries.replica[0].upper()
    assert [sql.split()[0] for sql in queries.primary] == ["INSERT", "SELECT"]


@both_databases
def test_reads_inside_a_transaction_stay_on_the_primary(routed):
    with Queries() as queries, replica_reads(), transaction.atomic():
        Region.objects.count()
        list(Region.objects.select_for_update().filter(code="0"))
    assert queries.replica == []
    assert len([sql for sql in queries.primary if "portal_region" in sql]) == 2


@both_databases
def test_outside_a_block_everything_reads_the_primary(routed):
    with Queries() as queries:
        Region.objects.count()
    assert queries.replica == []
    assert len(queries.primary) == 1


@both_databases
def test_the_work_report_reads_its_figures_from_the_replica_and_its_own_row_from_the_primary(client, hist, routed):
    client.force_login(hist.leader)
    with Queries() as queries:
        response = client.post(reverse("reports:work_report"), {"as_of": hist.day.isoformat(), "region": ""})
    assert response.status_code == 302
    report = Report.objects.get(kind=ReportKind.WORK_REPORT)
    assert report.state == ReportState.DONE
    assert any("ratings_" in sql for sql in queries.replica)
    assert not [sql for sql in queries.replica if WRITES.match(sql) or "reports_report" in sql]
    # Its progress is written as it goes, and the figures after it still come from the replica.
    assert [sql for sql in queries.primary if sql.startswith("UPDATE") and "reports_report" in sql]
    assert not [sql for sql in queries.primary if "ratings_itemscore" in sql or "liaison_appeal" in sql]


@both_databases
def test_the_lag_of_a_database_that_is_not_a_replica_is_zero():
    assert replica_lag_seconds() == 0.0


@both_databases
@pytest.mark.parametrize(("lag", "note"), [(12.4, "比实时数据约晚 12 秒"), (0.3, None), (None, None)])
def test_the_dashboard_says_how_far_behind_the_replica_is(client, hist, routed, monkeypatch, lag, note):
    monkeypatch.setattr("portal.templatetags.replica_tags.replica_lag_seconds", lambda: lag)
    client.force_login(hist.leader)
    page = client.get(reverse("reports:dashboard")).content.decode()
    found = re.search(r'<p [^>]*id="replica-lag">.*?</p>', page, re.S)
    assert (found and re.sub(r"<[^>]+>", "", found.group(0)).strip()) == (
        None if note is None else f"统计数据读自只读副本，{note}。")


@both_databases
def test_a_dashboard_read_from_the_primary_says_nothing_of_a_replica(client, hist, monkeypatch):
    monkeypatch.setattr("portal.templatetags.replica_tags.replica_lag_seconds", lambda: 99.0)
    client.force_login(hist.leader)
    assert 'id="replica-lag"' not in client.get(reverse("reports:dashboard")).content.decode()
