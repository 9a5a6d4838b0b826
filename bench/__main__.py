"""`make bench` / `python -m bench`: seed (once), serve under gunicorn with the production settings, load
from a second process, and print the table of issue 17's targets with each ratio to its baseline.

Environment:
  BENCH_QUICK=1        city scale (3,000 enterprises) against a 300-enterprise seed for row 4: minutes
  BENCH_PG             the PostgreSQL server (default postgres://postgres@127.0.0.1:5432)
  BENCH_DB_PREFIX      database names (default bench): <prefix>_province, _city, _small, _scratch
  BENCH_REDIS_URL      the broker and cache (default redis://127.0.0.1:6379/11)
  BENCH_PORT           first port of the servers (default 8811; the baseline server takes the next)
  BENCH_SECONDS        seconds of load per API measurement (default 10, quick 4)
  BENCH_ROWS           rows 1–7 to run (default all), e.g. BENCH_ROWS=1,3
  BENCH_MAIN_ENTERPRISES / BENCH_BASE_ENTERPRISES  seed sizes (the smoke test's tiny run)
  BENCH_IMPORT_ROWS / BENCH_CERTS / BENCH_LOAN_ROUNDS  sizes of rows 5, 6, 7
Databases are reused when seeded (the enterprise count is the marker); the scratch database is a
copy of the main one made for rows 5–7 (they write) and dropped at the end.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from . import report

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
PORT = int(os.environ.get("BENCH_PORT", "8811"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "4" if QUICK else "10"))
ROWS = {int(r) for r in os.environ.get("BENCH_ROWS", "1,2,3,4,5,6,7").split(",") if r.strip()}
VAR = ROOT / "var" / "bench"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# The databases: main (measured), base (row 4's smaller twin), scratch (a copy of main for the writes).
if QUICK:
    MAIN = {"name": f"{PREFIX}_city", "scale": "city", "enterprises": None, "label": "city"}
    BASE = {"name": f"{PREFIX}_small", "scale": "city", "enterprises": 300, "label": "300 enterprises"}
else:
    MAIN = {"name": f"{PREFIX}_province", "scale": "province", "enterprises": None, "label": "province"}
    BASE = {"name": f"{PREFIX}_city", "scale": "city", "enterprises": None, "label": "city"}
if os.environ.get("BENCH_MAIN_ENTERPRISES"):
    MAIN["enterprises"] = int(os.environ["BENCH_MAIN_ENTERPRISES"])
    MAIN["label"] = f"{MAIN['enterprises']} enterprises"
if os.environ.get("BENCH_BASE_ENTERPRISES"):
    BASE["enterprises"] = int(os.environ["BENCH_BASE_ENTERPRISES"])
    BASE["label"] = f"{BASE['enterprises']} enterprises"
SCRATCH = f"{PREFIX}_scratch"
EXPECTED = {"province": 100_000, "city": 3_000}


def url(db: str) -> str:
    return f"{PG}/{db}"


def sql(db: str, statement: str, *, autocommit: bool = True):
    import psycopg

    with psycopg.connect(url(db), autocommit=autocommit) as conn:
        cur = conn.execute(statement)
        return cur.fetchall() if cur.description else None


def analyze(db: str) -> None:
    """Planner statistics of the portal's tables (a database-wide ANALYZE would also take the shared
    catalogs, and wait for every other database's open transactions)."""
    tables = [row[0] for row in sql(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    for table in tables:
        sql(db, f'ANALYZE "{table}"')


def enterprise_count(db: str) -> int | None:
    if not sql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'"):  # noqa: S608
        return None
    try:
        return sql(db, "SELECT count(*) FROM portal_enterprise")[0][0]
    except Exception:  # noqa: BLE001 - not migrated yet
        return 0


def base_env(db: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url(db), "REDIS_URL": REDIS, "PORTAL_VAR_DIR": str(VAR),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production", "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false", "DJANGO_CSRF_COOKIE_SECURE": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0", "PYTHONPATH": str(ROOT),
    })
    return env


SECRET = secrets.token_urlsafe(64)  # a throwaway key for this run: sessions made here die with it


def manage(db: str, *args: str, settings: str = "portal.settings.local", redis: bool = False) -> None:
    env = base_env(db)
    env["DJANGO_SETTINGS_MODULE"] = settings
    if not redis:
        env["REDIS_URL"] = ""  # seeding: tasks in-process, no broker needed
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def ensure_seeded(spec: dict) -> None:
    db = spec["name"]
    count = enterprise_count(db)
    expected = spec["enterprises"] or EXPECTED[spec["scale"]]
    if count is None:
        log(f"creating database {db}")
        sql("postgres", f'CREATE DATABASE "{db}"')
    manage(db, "migrate", "--noinput", "-v0")
    if count and count >= expected * 0.9:
        log(f"{db}: {count} enterprises, reused")
        return
    if count:
        sys.exit(f"{db} has {count} enterprises, fewer than the {expected} expected: drop it and run again")
    log(f"seeding {db} ({spec['label']}); province scale takes minutes")
    args = ["seed_demo", "--scale", spec["scale"]]
    if spec["enterprises"]:
        args += ["--enterprises", str(spec["enterprises"])]
    started = time.monotonic()
    manage(db, *args)
    log(f"seeded {db} in {time.monotonic() - started:.0f} s")


def _static_stale() -> bool:
    """collectstatic again only when a file of static/ is newer than the collected manifest."""
    manifest = VAR / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    return any(p.stat().st_mtime > built for p in (ROOT / "static").rglob("*") if p.is_file())


def prepare(db: str, command: str = "setup", stdin: dict | None = None) -> dict:
    out = subprocess.run([PY, "-m", "bench.prepare", command], cwd=ROOT, env=base_env(db), check=True,  # noqa: S603
                         input=json.dumps(stdin or {}), capture_output=True, text=True)
    return json.loads(out.stdout)


class Server:
    """gunicorn with the production settings, 3 workers, on one database."""

    def __init__(self, db: str, port: int, extra_env: dict | None = None):
        self.db, self.port = db, port
        env = base_env(db)
        env.update(extra_env or {})
        self.log = open(VAR / f"gunicorn-{port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [str(Path(PY).parent / "gunicorn"), "portal.wsgi", "-w", "3", "-b", f"127.0.0.1:{port}",
             "--timeout", "120", "--access-logfile", "/dev/null"],
            cwd=ROOT, env=env, stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        self.stop()
        sys.exit(f"gunicorn on {db} did not answer /healthz; see {self.log.name}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def load(spec: dict) -> dict:
    """One load run in a second process (bench.client)."""
    out = subprocess.run([PY, "-m", "bench.client"], cwd=ROOT, input=json.dumps(spec), capture_output=True,  # noqa: S603
                         text=True, check=True)
    return json.loads(out.stdout)


def jobs(db: str, command: str, spec: dict, *, extra_env: dict | None = None) -> dict:
    env = base_env(db)
    env.update(extra_env or {})
    out = subprocess.run([PY, "-m", "bench.jobs", command], cwd=ROOT, env=env, input=json.dumps(spec),  # noqa: S603
                         capture_output=True, text=True)
    if out.returncode != 0:
        log(f"jobs {command} failed:\n{out.stderr[-3000:]}")
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout)


def scratch_copy() -> str:
    """The scratch database for the writing rows: a copy of the main one, or — when others hold
    connections to it (a template must have none) — of the smaller one. Returns the source's name."""
    import psycopg

    sql("postgres", f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
    for source in (MAIN["name"], MAIN["name"], MAIN["name"], BASE["name"]):
        try:
            log(f"scratch copy of {source} for the writing rows")
            sql("postgres", f'CREATE DATABASE "{SCRATCH}" TEMPLATE "{source}"')
            return source
        except psycopg.errors.ObjectInUse:
            time.sleep(3)
    sys.exit("no scratch copy: both databases are in use by other sessions")


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    ensure_seeded(MAIN)
    if 4 in ROWS:
        ensure_seeded(BASE)
    if _static_stale():
        log("collectstatic (compressed: a few minutes the first time)")
        manage(MAIN["name"], "collectstatic", "--noinput", "-v0", settings="portal.settings.production")
    for db in (MAIN["name"], BASE["name"]):
        if 4 in ROWS or db == MAIN["name"]:
            analyze(db)
    results: dict = {"main": MAIN, "base": BASE, "quick": QUICK, "seconds": SECONDS}
    log("credentials and sessions")
    setup = prepare(MAIN["name"])
    servers = [Server(MAIN["name"], PORT)]
    try:
        from . import measures

        if 1 in ROWS:
            log("row 1: eligibility API vs one-row endpoint")
            results["row1"] = measures.row1(setup, PORT, SECONDS, load)
        if 2 in ROWS:
            results["row2"] = measures.row2(setup, PORT, load)
        if 3 in ROWS:
            log("row 3: list pages by role")
            results["row3"] = measures.row3(setup, PORT, load, quick=QUICK)
        if 4 in ROWS:
            log("row 4: dashboards at two scales")
            base_setup = prepare(BASE["name"])
            servers.append(Server(BASE["name"], PORT + 1))
            results["row4"] = measures.row4(setup, base_setup, PORT, PORT + 1, load, quick=QUICK,
                                            counts=lambda db, s: prepare(db, "queries", s),
                                            dbs=(MAIN["name"], BASE["name"]))
    finally:
        for server in servers:
            server.stop()
    if ROWS & {5, 6, 7}:
        from . import measures

        results["scratch_from"] = scratch_copy()
        try:
            if 5 in ROWS:
                log("row 5: import commit vs COPY")
                results["row5"] = jobs(SCRATCH, "import", {"rows": int(os.environ.get(
                    "BENCH_IMPORT_ROWS", "2000" if QUICK else "10000"))})
            if 7 in ROWS:
                log("row 7: loan approvals under contention")
                results["row7"] = jobs(SCRATCH, "loans", {"approvers": 50, "rounds": int(os.environ.get(
                    "BENCH_LOAN_ROUNDS", "20" if QUICK else "100"))})
            if 6 in ROWS:
                log("row 6: certificate batch on a Celery worker")
                results["row6"] = measures.row6(SCRATCH, base_env(SCRATCH), jobs, int(os.environ.get(
                    "BENCH_CERTS", "150" if QUICK else "1000")), VAR)
        finally:
            sql("postgres", f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
    results["elapsed"] = time.monotonic() - started
    (VAR / "last.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    print(report.table(results))
    shutil.rmtree(VAR / "media", ignore_errors=True)


if __name__ == "__main__":
    main()
