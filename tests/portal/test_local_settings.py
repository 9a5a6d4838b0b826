"""`make run` (the local settings) serves with DEBUG off unless asked (`DEBUG=1 make run`), so a
mistyped address shows the portal's own Chinese 404 page, never Django's technical page that lists
every URL pattern. Each case runs in a fresh interpreter: settings are read once per process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/no-such-page/", HTTP_HOST="127.0.0.1")
print(json.dumps({"debug": settings.DEBUG, "hosts": settings.ALLOWED_HOSTS, "status": response.status_code,
                  "page": response.content.decode()}))
"""


def probe(tmp_path, **env) -> dict:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("DEBUG", "DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS")}
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings.local", PORTAL_VAR_DIR=str(tmp_path), **env)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True,  # noqa: S603
                          timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_make_run_serves_without_debug_and_a_mistyped_address_gets_the_portals_own_404(tmp_path):
    answer = probe(tmp_path)
    assert answer["debug"] is False
    assert {"127.0.0.1", "localhost"} <= set(answer["hosts"])
    assert answer["status"] == 404
    assert 'data-status="404"' in answer["page"]
    assert "您要找的页面不存在，或不在您的查看范围内。" in answer["page"]
    # Django's technical 404 names the URLconf and lists its patterns
    assert "URLconf" not in answer["page"]
    assert "notice/" not in answer["page"]


@pytest.mark.parametrize(("name", "value", "debug"), [("DEBUG", "1", True), ("DJANGO_DEBUG", "1", True),
                                                       ("DEBUG", "0", False)])
def test_debug_is_on_only_when_asked(tmp_path, name, value, debug):
    assert probe(tmp_path, **{name: value})["debug"] is debug
