"""The fault tests' own services, which they stop and start at will: a throwaway PostgreSQL server
(initdb in a temporary folder, on a free port; run as the `postgres` user when the tests run as root,
since PostgreSQL refuses to run as root), a throwaway Redis, a gunicorn web node and Celery workers
(with beat) pointed at them with tests/faults/settings.py.

The PostgreSQL server is started once per session with a template database copied from the test
database (pg_dump, or `migrate` when the dump cannot be read); each test gets a fresh database made from
the template, and the test process's own connection is pointed at it, so the suite's fixtures (`world`,
`dworld`) write there and the web node and workers read what they wrote. Everything is stopped and
removed afterwards, whatever the test did.

Each test ends with one line saying what it stopped and what it saw (`summary`): the line is asserted,
printed, and listed again at the end of the run (tests/conftest.py)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from tests.finance.conftest import quota_table, rated_a, rated_b  # noqa: F401  (fixtures)
from tests.ratings.conftest import cycle, org_a, org_b, rubric  # noqa: F401  (fixtures)
from tests.reports.conftest import dworld  # noqa: F401  (fixture)

BASE_DIR = Path(django_settings.BASE_DIR)
PROCESS_SETTINGS = "tests.faults.settings"
# The intervals the fault tests run with (production: 30 s, 10 s and 60 s; see portal/settings/base.py),
# so that a takeover is seen in seconds rather than in a minute or two.
TIMINGS = {"PORTAL_OUTBOX_RELAY_SECONDS": "2", "PORTAL_TASK_HEARTBEAT_SECONDS": "1", "PORTAL_TASK_STALE_SECONDS": "5"}
INSTALL_HINT = "scripts/install-system-packages.sh installs it (Debian packages postgresql and redis-server)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "") -> float:
    """Seconds it took for `predicate()` to be true; fails after `timeout`."""
    start = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(interval)


# --- PostgreSQL ---------------------------------------------------------------------------------------


def postgres_bin() -> Path:
    """The newest PostgreSQL server's programs: Debian keeps them in /usr/lib/postgresql/<version>/bin."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        pytest.fail(f"the fault tests start their own PostgreSQL server: initdb not found; {INSTALL_HINT}")
    return Path(initdb).parent


class Postgres:
    """A PostgreSQL server of the tests' own: its own data folder, socket folder and port."""

    def __init__(self):
        self.bin = postgres_bin()
        # PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user (made by
        # Debian's package), in a folder of /tmp that user can reach (not one under root's own).
        self.as_postgres = os.geteuid() == 0
        self.runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        shared_tmp = "/tmp" if self.as_postgres else None  # noqa: S108  (mkdtemp: a new 0700 folder, then given to postgres)
        self.root = Path(tempfile.mkdtemp(prefix="portal-faults-pg-", dir=shared_tmp))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = free_port()
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, tool: str, *args: str, timeout: float = 120) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_postgres:
            command = [self.runuser, "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        if result.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise AssertionError(f"{tool} failed ({result.returncode}): {result.stderr[-2000:]}\n{log}")

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def destroy(self) -> None:
        if self.running():
            with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
                self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def execute(self, sql: str) -> None:
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True, connect_timeout=10) as db:
            db.execute(sql)


def _copy_schema(pg: Postgres, source: dict, target: str) -> str:
    """Fill `target` with the test database's tables (and the rows the migrations wrote): pg_dump and
    pg_restore, a second or two; `migrate` (slower) when the dump cannot be made or read. How it was done."""
    dump = pg.root / "schema.dump"
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    dumped = subprocess.run(  # noqa: S603
        [str(pg.bin / "pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-h", source.get("HOST") or "127.0.0.1",
         "-p", str(source.get("PORT") or 5432), "-U", source.get("USER") or "postgres", "-f", str(dump),
         source["NAME"]], env=env, capture_output=True, text=True, timeout=120, check=False)
    if dumped.returncode == 0:
        restored = subprocess.run(  # noqa: S603
            [str(pg.bin / "pg_restore"), "--no-owner", "--no-privileges", "-d", pg.url(target), str(dump)],
            capture_output=True, text=True, timeout=120, check=False)
        if restored.returncode == 0:
            return "pg_dump"
        pg.execute(f"DROP DATABASE {target}")
        pg.execute(f"CREATE DATABASE {target}")
    migrated = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks", "-v0"], cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": PROCESS_SETTINGS, "DATABASE_URL": pg.url(target)},
        capture_output=True, text=True, timeout=300, check=False)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    return "migrate"


@pytest.fixture(scope="session")
def fault_postgres(django_db_setup, django_db_blocker):
    """The session's throwaway PostgreSQL server, with the template every fault test's database is made from."""
    pg = Postgres()
    try:
        pg.init()
        pg.start()
        pg.execute("CREATE DATABASE faults_template")
        with django_db_blocker.unblock():
            source = dict(connection.settings_dict)
        pg.copied_by = _copy_schema(pg, source, "faults_template")
        yield pg
    finally:
        pg.destroy()


@pytest.fixture
def fault_db(fault_postgres):
    """A fresh database on the throwaway server, and this process's connection pointed at it."""
    pg = fault_postgres
    if not pg.running():  # a test that failed while PostgreSQL was stopped
        pg.start()
    name = f"faults_{uuid.uuid4().hex[:10]}"
    pg.execute(f"CREATE DATABASE {name} TEMPLATE faults_template")
    keys = ("NAME", "HOST", "PORT", "USER", "PASSWORD")
    saved = {key: connection.settings_dict.get(key) for key in keys}
    connection.close()
    connection.settings_dict.update(NAME=name, HOST="127.0.0.1", PORT=str(pg.port), USER="postgres", PASSWORD="")
    try:
        yield SimpleNamespace(server=pg, name=name, url=pg.url(name))
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        if not pg.running():
            pg.start()
        with contextlib.suppress(psycopg.Error):
            pg.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- Redis ----------------------------------------------------------------------------------------------


class Redis:
    """A Redis of the tests' own, without persistence: stopped, it forgets every queued message, as a
    Redis that crashed would."""

    def __init__(self, root: Path):
        self.server = shutil.which("redis-server")
        if self.server is None:
            pytest.fail(f"the fault tests start their own Redis: redis-server not found; {INSTALL_HINT}")
        self.root = root
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [self.server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root), "--logfile", str(self.root / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        def answers() -> bool:
            try:
                return redis.Redis(port=self.port, socket_connect_timeout=1).ping()
            except redis.ConnectionError:
                return False

        wait_until(answers, timeout=20, what="redis-server to answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


# --- the portal's processes ---------------------------------------------------------------------------


class Process:
    """A process of the portal (a web node or a worker) in a process group of its own, so that a kill
    takes it whole — the worker's pool processes and its beat with it — as a machine lost would."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, with no chance to acknowledge, release or write anything."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def terminate(self) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self, timeout: float = 15) -> None:
        self.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


class Web(Process):
    def __init__(self, env: dict, root: Path, name: str = "web"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        super().__init__([gunicorn, "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
                          "--timeout", "60", "--graceful-timeout", "5"], env, root / f"{name}.log")

    def wait_ready(self, timeout: float = 90) -> None:
        def answers() -> bool:
            assert self.alive(), self.tail()
            try:
                return requests.get(f"{self.url}/healthz", timeout=10).status_code in (200, 503)
            except (requests.ConnectionError, requests.Timeout):
                return False

        wait_until(answers, timeout=timeout, interval=0.3, what=f"the web node to answer:\n{self.tail()}")


class Worker(Process):
    """`celery -A portal worker`, with beat inside it unless told otherwise."""

    def __init__(self, env: dict, root: Path, name: str, beat: bool = True):
        self.name = name
        with_beat = ["--beat", "--schedule", str(root / f"{name}-beat-schedule")] if beat else []
        super().__init__([sys.executable, "-m", "celery", "-A", "portal", "worker", *with_beat, "--pool", "prefork",
                          "--concurrency", "2", "-n", f"{name}@%h", "--without-mingle", "--without-gossip",
                          "-l", "info"], env, root / f"{name}.log")

    def relayed(self) -> int:
        """How many outbox messages this worker's relay runs sent (read from its log)."""
        return sum(int(n) for n in re.findall(r"portal\.outbox_relay\[[^\]]+\] succeeded in [\d.]+s: \{'sent': (\d+)",
                                              self.log.read_text(errors="replace")))

    def wait_ready(self, timeout: float = 90) -> None:
        def ready() -> bool:
            assert self.alive(), self.tail()
            return " ready." in self.log.read_text(errors="replace")

        wait_until(ready, timeout=timeout, interval=0.2, what=f"worker {self.name} to be ready:\n{self.tail()}")


class Browser:
    """A signed-in user's browser against a web node: the session is made here (in the fault database,
    as the login would), then only HTTP goes to the node."""

    def __init__(self, web: Web, user):
        client = Client()
        client.force_login(user)
        self.web = web
        self.session = requests.Session()
        self.session.cookies.set("sessionid", client.cookies["sessionid"].value)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(f"{self.web.url}{path}", timeout=30, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        token = self.session.cookies.get("csrftoken")
        if token is None:
            page = self.get("/")
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            assert found, page.text[:2000]
            token = found.group(1)
        return self.session.post(f"{self.web.url}{path}", data={**data, "csrfmiddlewaretoken": token},
                                 headers={"X-CSRFToken": token}, timeout=30, **kwargs)


class Stack:
    """The throwaway services of one test and the portal's processes on them."""

    def __init__(self, db, root: Path):
        self.db = db
        self.root = root
        self.redis = Redis(root)
        self.redis.start()
        self.processes: list[Process] = []
        media = root / "media"
        media.mkdir(exist_ok=True)
        self.media = media
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_S3_", "AWS_"))}
        self.env = {**base, **TIMINGS, "DJANGO_SETTINGS_MODULE": PROCESS_SETTINGS, "DATABASE_URL": db.url,
                    "REDIS_URL": self.redis.url, "MEDIA_ROOT": str(media), "PYTHONUNBUFFERED": "1"}

    def web(self, **env) -> Web:
        node = Web({**self.env, **env}, self.root, name=f"web{len(self.processes)}")
        self.processes.append(node)
        node.wait_ready()
        return node

    def worker(self, name: str, beat: bool = True) -> Worker:
        worker = Worker(self.env, self.root, name, beat=beat)
        self.processes.append(worker)
        worker.wait_ready()
        return worker

    def close(self) -> None:
        for process in self.processes:  # all asked to stop at once, then waited for
            process.terminate()
        for process in self.processes:
            process.stop()
        self.redis.stop()

    def logs(self) -> str:
        return "\n".join(f"--- {p.log.name}\n{p.tail(3000)}" for p in self.processes)


@pytest.fixture
def stack(fault_db, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    services = Stack(fault_db, tmp_path)
    try:
        yield services
    finally:
        services.close()


@pytest.fixture
def summary(request, capsys):
    """Say what the test stopped and what it saw, in one line: printed now, and listed again at the end of
    the run (the reports carry it back from xdist's workers)."""

    def say(line: str) -> str:
        assert "\n" not in line
        request.node.user_properties.append(("fault-summary", line))
        with capsys.disabled():
            print(f"\n{line}")
        return line

    return say
