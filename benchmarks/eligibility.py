"""The eligibility API against a one-row token-auth endpoint, under gunicorn with the production
settings, at 1, 8 and 32 concurrent clients; and the batch lookup (1,000 codes per call) against
1,000 single lookups.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h10 REDIS_URL=redis://127.0.0.1:6379/12 \
        .venv/bin/python benchmarks/eligibility.py

The database must hold `seed_demo` data (the demo users `bank` and `admin`). The script makes (once)
a DRF token for `bank` and an API key of bank's institution with the eligibility scope and a rate high
enough not to be throttled, then starts gunicorn (BENCH_WORKERS, 3 by default, sync workers, as in
production) on BENCH_PORT and puts load on it from this process's threads, each call with a random
enterprise of the database:

  - `institution`: GET /api/v1/institutions/<id>/ with the token (the baseline: one row);
  - `eligibility`: GET /api/v1/eligibility/<uscc>/ with the same token;
  - `eligibility (key)`: the same with the API key, as the banks' systems call it;
  - `batch`: POST /api/v1/eligibility/batch/ with 1,000 codes, per code against the single lookup.

For each it prints requests/s, p50 and p99 in ms, and the ratio of eligibility's req/s to the
baseline's in the same run. BENCH_SECONDS (default 8) bounds each measure. BENCH_ROOT runs another
checkout of the code (e.g. `git archive` of an earlier commit) to compare before and after;
DJANGO_CONN_MAX_AGE is passed through (0 measures a connection per request).

Pending lookups written during the run are flushed into the audit chain at the end, as the beat would.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)
PY = str(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python")
GUNICORN = str(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "gunicorn")
PORT = int(os.environ.get("BENCH_PORT", "8710"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
WORKERS = os.environ.get("BENCH_WORKERS", "3")
CLIENTS = [int(c) for c in os.environ.get("BENCH_CLIENTS", "1,8,32").split(",")]

SETUP = r"""
import datetime, json
from django.utils import timezone
from rest_framework.authtoken.models import Token
from django.contrib.auth import get_user_model
from apikeys import services
from apikeys.models import InstitutionAPIKey
from apikeys.scopes import ELIGIBILITY_READ
from portal.models import Enterprise, Institution
User = get_user_model()
bank = User.objects.get(username="bank")
token, _ = Token.objects.get_or_create(user=bank)
institution = Institution.objects.get(pk=bank.role_assignments.exclude(institution=None).first().institution_id)
key, plain = services.api_key_create(acting_user=User.objects.get(username="admin"), institution=institution,
    name="bench", scopes=[ELIGIBILITY_READ], expires_on=timezone.localdate() + datetime.timedelta(days=30),
    rate_limit=1000000)
codes = list(Enterprise.objects.values_list("uscc", flat=True))
print("BENCH" + json.dumps({"token": token.key, "key": plain, "institution": institution.pk, "codes": codes}))
"""


def env_for_server() -> dict:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or "bench-only-" + "x7Qp2Lm9Vb4Nc8Rt" * 4,
        "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
    })
    return env


def setup() -> dict:
    env = env_for_server()
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.local"
    out = subprocess.run([PY, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env,  # noqa: S603 - our own
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.split("BENCH", 1)[1])


def call(method, path, headers, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def load(clients: int, make_request, seconds: float = SECONDS):
    """Run `clients` threads calling make_request() for `seconds`; returns (req/s, p50 ms, p99 ms, errors)."""
    times, errors, lock = [], [0], threading.Lock()
    stop = time.perf_counter() + seconds

    def run():
        mine, bad = [], 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            status = make_request()
            mine.append(time.perf_counter() - started)
            bad += status != 200
        with lock:
            times.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return len(times) / elapsed, statistics.median(times) * 1000, p99 * 1000, errors[0]


def main():
    data = setup()
    token = {"Authorization": f"Token {data['token']}"}
    key = {"Authorization": f"Api-Key {data['key']}"}
    codes = data["codes"]
    server = subprocess.Popen(  # noqa: S603 - our own commands
        [GUNICORN, "portal.wsgi", "--chdir", str(ROOT), "-w", WORKERS, "-b", f"127.0.0.1:{PORT}", "--log-level",
         "warning"], env=env_for_server(), cwd=ROOT)
    try:
        for _n in range(100):
            try:
                if call("GET", f"/api/v1/institutions/{data['institution']}/", token) == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        endpoints = {
            "institution": lambda: call("GET", f"/api/v1/institutions/{data['institution']}/", token),
            "eligibility": lambda: call("GET", f"/api/v1/eligibility/{random.choice(codes)}/", token),  # noqa: S311 - load, not secrets
            "eligibility (key)": lambda: call("GET", f"/api/v1/eligibility/{random.choice(codes)}/", key),  # noqa: S311
        }
        for fn in endpoints.values():  # warm every worker
            for _n in range(20):
                fn()
        print(f"code: {ROOT}  CONN_MAX_AGE={os.environ.get('DJANGO_CONN_MAX_AGE', 'default')}  "
              f"workers={WORKERS}  {SECONDS:.0f} s per measure  {len(codes)} enterprises")
        print(f"{'endpoint':<20}{'clients':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}")
        for clients in CLIENTS:
            base = None
            for name, fn in endpoints.items():
                rps, p50, p99, errors = load(clients, fn)
                base = base or rps
                print(f"{name:<20}{clients:>8}{rps:>10.1f}{p50:>9.1f}{p99:>9.1f}{errors:>8}{rps / base:>7.2f}×")
        batch_ok = call("POST", "/api/v1/eligibility/batch/", {**key, "Content-Type": "application/json"},
                        json.dumps({"uscc": codes[:1]})) == 200
        if batch_ok:
            def batch():
                body = json.dumps({"uscc": random.sample(codes, min(1000, len(codes)))})  # noqa: S311
                return call("POST", "/api/v1/eligibility/batch/", {**key, "Content-Type": "application/json"}, body)

            rps, p50, p99, errors = load(1, batch, max(SECONDS, 10))
            single, *_rest = load(1, endpoints["eligibility (key)"])
            per_code = rps * min(1000, len(codes))
            print(f"batch of 1,000 (key), 1 client: {rps:.2f} calls/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
                  f"errors {errors}: {per_code:.0f} codes/s vs {single:.1f} single lookups/s = "
                  f"{per_code / single:.1f}× per code")
        else:
            print("batch: no batch endpoint in this code")
    finally:
        server.terminate()
        server.wait(timeout=30)
    env = env_for_server()
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.local"
    subprocess.run([PY, "manage.py", "shell", "-c",  # noqa: S603 - our own commands
                    "from finance.services.lookups import eligibility_lookups_flush as f; print('flushed', f())"],
                   cwd=ROOT, env=env, check=False)


if __name__ == "__main__":
    sys.exit(main())
