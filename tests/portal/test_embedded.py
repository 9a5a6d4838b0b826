"""`make run` without DATABASE_URL runs embedded: SQLite under var/ and tasks in-process. The demo
must seed there and the main pages must answer, as they do on PostgreSQL: SQLite's arithmetic and
SQL differ (a decimal check constraint once failed only there)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SMOKE = """
import django
django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS = ["*"]
from django.contrib.auth import get_user_model
from django.test import Client
from tests.otp import pass_second_factor
pages = {
    "orgstaff": ["/", "/ratings/", "/ratings/all/", "/ratings/coverage/", "/finance/applications/",
                 "/finance/policies/", "/insurance/", "/cobuilding/", "/api/v1/ratings/"],
    "station": ["/finance/desk/"], "bank": ["/finance/applications/"], "enterprise": ["/ratings/mine/"],
    "insurer": ["/insurance/"], "townstaff": ["/ratings/queue/town/"],
}
failed = []
for username, urls in pages.items():
    client = Client()
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    pass_second_factor(client, user)  # the demo's org staff, bank and insurer have an authenticator
    failed += [f"{username} {url} {code}" for url in urls if (code := client.get(url).status_code) != 200]
failed += [f"anonymous /notice/ {code}" for code in [Client().get("/notice/").status_code] if code != 200]
print("FAILED:" + ";".join(failed) if failed else "ALL OK")
"""


def test_the_demo_seeds_and_the_pages_answer_on_the_embedded_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.local", PORTAL_VAR_DIR=str(tmp_path))

    def run(*args, stdin=None):
        return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                              timeout=300, input=stdin)

    migrate = run("manage.py", "migrate", "-v0")
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    seed = run("manage.py", "seed_demo", "--enterprises", "400")
    assert seed.returncode == 0, seed.stderr[-2000:]
    assert (tmp_path / "db.sqlite3").exists() or any(tmp_path.glob("*.sqlite3"))
    smoke = run("-", stdin=SMOKE)
    assert smoke.returncode == 0, smoke.stderr[-2000:]
    assert smoke.stdout.strip().endswith("ALL OK"), smoke.stdout[-2000:]


PROGRESS = """
import time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from portal import background
from reports import services
from reports.documents import Prepared, Rendered, register
from reports.models import Report

def prepare(*, user, params):
    return Prepared(params=params, title="slow")

def render(report, progress):
    for percent in range(10, 100, 10):
        progress(percent, f"step {percent}")
        time.sleep(0.3)
    return Rendered("slow.txt", b"done", "text/plain")

register("slow", prepare=prepare, render=render)
user = get_user_model().objects.create_user("asker", password="x-Embedded-2026")
started = time.monotonic()
with transaction.atomic():
    report = services.report_request(kind="slow", params={"n": 1}, acting_user=user)
at_answer = Report.objects.get(pk=report.pk)
seen = set()
while time.monotonic() - started < 30:
    row = Report.objects.get(pk=report.pk)
    seen.add(row.progress)
    if row.state in ("done", "failed"):
        break
    time.sleep(0.1)
print("AT_ANSWER", at_answer.state, at_answer.progress)
print("STATE", row.state, row.progress)
print("SEEN", sorted(seen))
"""


def test_a_long_job_runs_in_the_background_and_shows_its_progress_on_the_embedded_set_up(tmp_path):
    # given the embedded set-up: SQLite, no broker (tasks in this process)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.local", PORTAL_VAR_DIR=str(tmp_path))

    def run(*args, stdin=None):
        return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                              timeout=300, input=stdin)

    migrate = run("manage.py", "migrate", "-v0")
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    # when a three-second job is asked for
    result = run("-", stdin=PROGRESS)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines() if " " in line)
    # then the request answered before the job was done (no timing: the job's state when it answered)
    state_at_answer, progress_at_answer = lines["AT_ANSWER"].split()
    assert state_at_answer in ("queued", "running"), result.stdout
    assert int(progress_at_answer) < 100, result.stdout
    # and the job finished, and progress was seen between the start and the end
    assert lines["STATE"] == "done 100", result.stdout
    seen = [int(n) for n in lines["SEEN"].strip("[]").split(", ")]
    assert len([n for n in seen if 0 < n < 100]) >= 3, seen
