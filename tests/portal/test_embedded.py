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
pages = {
    "orgstaff": ["/", "/ratings/", "/ratings/all/", "/ratings/coverage/", "/finance/applications/",
                 "/finance/policies/", "/insurance/", "/cobuilding/", "/api/v1/ratings/"],
    "station": ["/finance/desk/"], "bank": ["/finance/applications/"], "enterprise": ["/ratings/mine/"],
    "insurer": ["/insurance/"], "townstaff": ["/ratings/queue/town/"],
}
failed = []
for username, urls in pages.items():
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
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
