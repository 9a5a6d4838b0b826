"""The production settings as a deployment gets them with nothing but the required environment: kept
database connections checked before reuse, compiled templates kept in memory, the cache in Redis,
and the eligibility lookups audited through the bulk flush that the beat runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.template import engines
db = settings.DATABASES["default"]
loaders = [type(l).__module__ + "." + type(l).__name__ for l in engines["django"].engine.template_loaders]
print(json.dumps({"conn_max_age": db["CONN_MAX_AGE"], "health": db["CONN_HEALTH_CHECKS"],
                  "cache": settings.CACHES["default"]["BACKEND"], "loaders": loaders,
                  "defer": settings.PORTAL_DEFER_LOOKUP_AUDIT,
                  "flush": "finance-flush-eligibility-lookups" in settings.CELERY_BEAT_SCHEDULE}))
"""


def production(probe=PROBE, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.production",
                "DJANGO_SECRET_KEY": "k" + "Production-Defaults-Probe-0123456789-abcdefghij" * 2,
                "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused", "REDIS_URL": "redis://127.0.0.1:6379/12",
                **extra})
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,  # noqa: S603
                         check=True, cwd=Path(__file__).resolve().parents[2])
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_keeps_connections_caches_templates_and_uses_redis():
    got = production()
    assert (got["conn_max_age"], got["health"]) == (600, True)
    assert got["cache"] == "portal.cache.RedisCache"
    assert got["loaders"] == ["django.template.loaders.cached.Loader"]
    assert (got["defer"], got["flush"]) == (True, True)


def test_a_connection_per_request_is_still_one_setting_away():
    assert production(DJANGO_CONN_MAX_AGE="0")["conn_max_age"] == 0


def test_the_database_connection_runs_without_jit_and_prices_random_reads_as_on_an_ssd(db):
    """The real connection of the test run (the same base settings) asks PostgreSQL for both."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_jit_is_one_setting_away():
    probe = PROBE.replace('"conn_max_age"', '"options": db["OPTIONS"].get("options", ""), "conn_max_age"')
    assert "jit=off" in production(probe)["options"]
    assert "jit=off" not in production(probe, DJANGO_PG_JIT="on")["options"]


def test_random_page_cost_is_one_setting_away():
    probe = PROBE.replace('"conn_max_age"', '"options": db["OPTIONS"].get("options", ""), "conn_max_age"')
    assert "-c random_page_cost=1.1" in production(probe)["options"]
    assert "-c random_page_cost=2.0" in production(probe, DJANGO_PG_RANDOM_PAGE_COST="2")["options"]
    assert "random_page_cost" not in production(probe, DJANGO_PG_RANDOM_PAGE_COST="")["options"]
