"""A read replica on one machine: the leaders' dashboard read from the primary and from a streaming
replica, idle and while a write load runs on the primary, and how far the replica lags.

    .venv/bin/python benchmarks/read_replica.py

It starts two PostgreSQL clusters of its own (initdb in a temporary folder, on free ports; as the
`postgres` user when run as root): a primary, loaded with a copy of a seeded database (pg_dump of
BENCH_SOURCE, default `bench_city` on 127.0.0.1:5432, which is only read) and a small pgbench database;
and a replica made from it with `pg_basebackup -R` (streaming replication, hot standby). The portal is
set up in this process against them (`DATABASE_URL` the primary, `DATABASE_REPLICA_URL` the replica:
portal/replica.py routes the dashboard's reads) and the leaders' dashboard is called as the middleware
would hand it the request (RequestFactory, user `leader`). Both clusters and the folder are removed at
the end, whatever happened.

It prints, each with the load average (`uptime`) when it was measured:
  - the dashboard's median time over BENCH_REPEAT calls (default 9) read from the primary (router off) and
    from the replica (router on), alternated call by call, and the queries each connection answered;
  - the same while pgbench writes on the primary at BENCH_LOAD_TPS transactions/s (default 200, TPC-B-like,
    BENCH_LOAD_CLIENTS clients) — the write load's own rate and latency are printed too;
  - the writers' latency (pgbench's progress lines) while the dashboard is called back to back for 8 s
    on the primary, then on the replica, twice — does moving the reads off the primary help its writers;
  - the replication lag sampled every half second during the load (pg_stat_replication.replay_lag, and
    the bytes of WAL not yet replayed), and the time until a row committed on the primary is seen on the
    replica (median and worst of BENCH_PROBES probes, default 30);
  - the cost of the dashboard's own lag reading (`replica_lag_seconds()`), and what it reads once the
    primary has stopped (the replica cut off, still answering).
Both clusters share the machine's cores: the replica adds no CPU here, so the figures show what reading
a replica costs or saves on the same hardware and how stale it is, not the capacity a second machine adds.
Options: BENCH_SOURCE, BENCH_REPEAT, BENCH_LOAD_TPS, BENCH_LOAD_CLIENTS, BENCH_PROBES.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCE = os.environ.get("BENCH_SOURCE", "bench_city")
REPEAT = int(os.environ.get("BENCH_REPEAT", "9"))
LOAD_TPS = int(os.environ.get("BENCH_LOAD_TPS", "200"))
LOAD_CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "2"))
PROBES = int(os.environ.get("BENCH_PROBES", "30"))
DB = "portal"


def uptime() -> str:
    return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        sys.exit("initdb not found: install the PostgreSQL server (Debian: postgresql)")
    return Path(initdb).parent


BIN = postgres_bin()
AS_POSTGRES = os.geteuid() == 0  # PostgreSQL refuses to run as root


def run(tool: str, *args: str, as_postgres: bool = True, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    command = [str(BIN / tool), *args]
    if as_postgres and AS_POSTGRES:
        command = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


class Cluster:
    def __init__(self, root: Path, name: str):
        self.data = root / name
        self.log = root / f"{name}.log"
        self.socket_dir = root
        self.port = free_port()

    def configure(self, **settings) -> None:
        lines = [f"{key} = '{value}'" for key, value in settings.items()]
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            conf.write("\n".join(lines) + "\n")

    def start(self) -> None:
        run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "120", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "60", "stop", timeout=90)

    def url(self, db: str = DB) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def sql(self, statement: str, db: str = DB):
        import psycopg

        with psycopg.connect(self.url(db), autocommit=True, connect_timeout=10) as conn:
            cur = conn.execute(statement)
            return cur.fetchall() if cur.description else None


def make_clusters(root: Path) -> tuple[Cluster, Cluster]:
    primary, replica = Cluster(root, "primary"), Cluster(root, "replica")
    run("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
        "--no-sync")
    # Scratch clusters: fsync off (nothing here must survive a crash); the rest as a small server would run.
    common = {"listen_addresses": "127.0.0.1", "unix_socket_directories": str(root), "fsync": "off",
              "shared_buffers": "128MB", "jit": "off", "max_connections": "40"}
    primary.configure(port=primary.port, wal_level="replica", max_wal_senders=4, **common)
    primary.start()
    started = time.perf_counter()
    dump = root / "source.dump"
    run("pg_dump", "-Fc", "--no-owner", "--no-privileges", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres",
        "-f", str(dump), SOURCE)
    primary.sql(f"CREATE DATABASE {DB}", db="postgres")
    run("pg_restore", "--no-owner", "--no-privileges", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
        "-d", DB, str(dump))
    primary.sql("ANALYZE")
    primary.sql("CREATE DATABASE load", db="postgres")
    run("pgbench", "-i", "-q", "-s", "5", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "load")
    primary.sql("CREATE TABLE probe (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())", db="load")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D", str(replica.data),
        "-R", "-X", "stream", "-c", "fast")
    # The copy's settings are the primary's; the replica keeps its own port.
    replica.configure(port=replica.port, hot_standby="on")
    replica.start()
    copied = time.perf_counter() - started
    size = primary.sql(f"SELECT pg_size_pretty(pg_database_size('{DB}'))")[0][0]
    print(f"primary :{primary.port} ({SOURCE} restored, {size}, + pgbench scale 5) in {loaded:.1f} s; "
          f"replica :{replica.port} by pg_basebackup -R in {copied:.1f} s")
    state = primary.sql("SELECT state, sync_state FROM pg_stat_replication", db="postgres")
    print(f"replication: {state}")
    return primary, replica


# --- the portal against the two clusters ------------------------------------------------------------------

def set_up_django(primary: Cluster, replica: Cluster):
    os.environ.update(DJANGO_SETTINGS_MODULE="portal.settings.local", DJANGO_DEBUG="0", REDIS_URL="",
                      DATABASE_URL=primary.url(), DATABASE_REPLICA_URL=replica.url())
    import django

    django.setup()
    import logging
    import warnings

    logging.getLogger("django.request").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at")


def dashboard_call(user) -> int:
    from django.test import RequestFactory
    from django.urls import resolve, reverse

    request = RequestFactory().get(reverse("reports:dashboard"), SERVER_NAME="localhost")
    request.user = user
    match = resolve(request.path_info)
    response = match.func(request, *match.args, **match.kwargs)
    _body = response.content
    return response.status_code


def routing(on: bool):
    from django.test.utils import override_settings

    return override_settings(DATABASE_ROUTERS=["portal.replica.ReplicaRouter"] if on else [])


def queries_by_connection(user, on: bool) -> tuple[int, int]:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with routing(on), CaptureQueriesContext(connections["default"]) as p, \
            CaptureQueriesContext(connections["replica"]) as r:
        assert dashboard_call(user) == 200
    return len(p), len(r)


def time_dashboard(user, label: str) -> dict:
    times = {False: [], True: []}
    for on in (False, True):
        with routing(on):
            dashboard_call(user)  # warm-up of each connection
    for i in range(REPEAT):
        for on in ((False, True) if i % 2 == 0 else (True, False)):
            with routing(on):
                started = time.perf_counter()
                status = dashboard_call(user)
                times[on].append(time.perf_counter() - started)
            assert status == 200
    primary_ms = statistics.median(times[False]) * 1000
    replica_ms = statistics.median(times[True]) * 1000
    print(f"  {label:<28} primary {primary_ms:7.1f} ms   replica {replica_ms:7.1f} ms   "
          f"replica/primary {replica_ms / primary_ms:4.2f}   ({uptime()})")
    return {"primary": primary_ms, "replica": replica_ms}


class LagSampler(threading.Thread):
    def __init__(self, primary: Cluster):
        super().__init__(daemon=True)
        self.primary = primary
        self.stop_event = threading.Event()
        self.lags: list[float] = []
        self.bytes: list[int] = []

    def run(self):
        import psycopg

        with psycopg.connect(self.primary.url("postgres"), autocommit=True) as conn:
            while not self.stop_event.wait(0.5):
                row = conn.execute("SELECT EXTRACT(EPOCH FROM replay_lag), "
                                   "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication").fetchone()
                if row:
                    self.lags.append(float(row[0] or 0.0))
                    self.bytes.append(int(row[1] or 0))


def visibility_probes(primary: Cluster, replica: Cluster) -> list[float]:
    """Seconds from a row's commit on the primary to its being seen on the replica."""
    import psycopg

    delays = []
    with psycopg.connect(primary.url("load"), autocommit=True) as writer, \
            psycopg.connect(replica.url("load"), autocommit=True) as reader:
        for _ in range(PROBES):
            row_id = writer.execute("INSERT INTO probe DEFAULT VALUES RETURNING id").fetchone()[0]
            committed = time.perf_counter()
            while not reader.execute("SELECT 1 FROM probe WHERE id = %s", [row_id]).fetchone():
                if time.perf_counter() - committed > 30:
                    break
                time.sleep(0.0005)
            delays.append(time.perf_counter() - committed)
            time.sleep(0.2)
    return delays


LOOP_SECONDS = 8.0


def dashboards_in_a_loop(user, since: float) -> list[tuple[bool, float, float, int]]:
    """The dashboard called back to back for LOOP_SECONDS, read from the primary, then the replica, twice:
    the windows (replica?, start, end in seconds since the write load started, calls made)."""
    windows = []
    for on in (False, True, False, True):
        start = time.monotonic()
        calls = 0
        with routing(on):
            while time.monotonic() - start < LOOP_SECONDS:
                dashboard_call(user)
                calls += 1
        windows.append((on, start - since, time.monotonic() - since, calls))
    return windows


def psycopg_connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10)


def start_write_load(primary: Cluster, seconds: int) -> subprocess.Popen:
    command = [str(BIN / "pgbench"), "-n", "-c", str(LOAD_CLIENTS), "-j", "1", "-R", str(LOAD_TPS), "-T", str(seconds),
               "-P", "2",
               "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "load"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603


def describe(values: list[float], unit: str, scale: float = 1.0) -> str:
    if not values:
        return "no samples"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return (f"median {statistics.median(values) * scale:.1f} {unit}, p90 {p90 * scale:.1f}, "
            f"max {max(values) * scale:.1f} ({len(values)} samples)")


def measure(primary: Cluster, replica: Cluster) -> None:
    set_up_django(primary, replica)
    from django.contrib.auth import get_user_model
    from django.db import connections

    from portal.replica import replica_lag_seconds

    leader = get_user_model().objects.get(username="leader")
    for on in (False, True):
        p, r = queries_by_connection(leader, on)
        print(f"  router {'on ' if on else 'off'}: the leader dashboard's queries — primary {p}, replica {r}")
    print(f"the leaders' dashboard, {REPEAT} calls each, medians:")
    time_dashboard(leader, "idle")
    idle_probes = visibility_probes(primary, replica)
    print(f"  row committed on the primary → seen on the replica, idle: {describe(idle_probes, 'ms', 1000)}")

    load = start_write_load(primary, seconds=600)
    load_started = time.monotonic()
    sampler = LagSampler(primary)
    try:
        time.sleep(3)
        sampler.start()
        quiet = (None, time.monotonic() - load_started, time.monotonic() - load_started + LOOP_SECONDS, 0)
        time.sleep(LOOP_SECONDS)  # the writers alone
        time_dashboard(leader, f"pgbench {LOAD_TPS} tps on primary")
        probes = visibility_probes(primary, replica)
        time_dashboard(leader, f"pgbench {LOAD_TPS} tps (again)")
        windows = [quiet, *dashboards_in_a_loop(leader, load_started)]
    finally:
        sampler.stop_event.set()
        load.send_signal(signal.SIGINT)
        try:
            out, err = load.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            load.kill()
            out, err = load.communicate()
    # pgbench prints no summary when interrupted: its progress lines (-P 2) give the rate and latency.
    progress = [(float(at), float(rate), float(lat)) for at, rate, lat in
                re.findall(r"progress: ([\d.]+) s, ([\d.]+) tps, lat ([\d.]+) ms", err)]
    if progress:
        print(f"  write load: median {statistics.median(r for _a, r, _l in progress):.0f} tps, latency "
              f"{statistics.median(lat for *_x, lat in progress):.1f} ms ({len(progress)} × 2 s)")
        for on in (None, False, True):
            # A progress line at t covers (t − 2 s, t]: those wholly inside a window of dashboards.
            inside = [lat for at, _r, lat in progress
                      if any(start <= at - 2 and at <= end for mode, start, end, _n in windows if mode == on)]
            calls = sum(n for mode, _s, _e, n in windows if mode == on)
            where = {None: "no dashboards", False: "dashboards in a loop on the primary",
                     True: "dashboards in a loop on the replica"}[on]
            print(f"  the writers' latency, {where}: {describe([x / 1000 for x in inside], 'ms', 1000)}; "
                  f"{calls} dashboards")
    else:
        print(f"  write load: no progress lines ({err[-300:]!r})")
    print(f"  row committed on the primary → seen on the replica, under load: {describe(probes, 'ms', 1000)}")
    print(f"  replay_lag (pg_stat_replication) under load: {describe(sampler.lags, 'ms', 1000)}")
    print(f"  WAL not yet replayed under load: {describe([float(b) for b in sampler.bytes], 'kB', 1 / 1024)}")

    from django.test.utils import override_settings

    with override_settings(DATABASE_ROUTERS=["portal.replica.ReplicaRouter"]):
        replica_lag_seconds()
        times = []
        for _ in range(20):
            started = time.perf_counter()
            lag = replica_lag_seconds()
            times.append(time.perf_counter() - started)
    print(f"  the dashboard's lag reading (replica_lag_seconds, {lag:.3f} s now): "
          f"{statistics.median(times) * 1000:.2f} ms median")
    # Cut off: the primary stops; the replica keeps answering, with data as old as its last replayed change.
    with psycopg_connect(primary.url("load")) as writer:
        writer.execute("INSERT INTO probe DEFAULT VALUES")
    primary.stop()
    time.sleep(3)
    with override_settings(DATABASE_ROUTERS=["portal.replica.ReplicaRouter"]):
        connections["replica"].close()
        print(f"  primary stopped 3 s after its last commit: the replica answers, and reports "
              f"{replica_lag_seconds():.1f} s behind")
    connections.close_all()


def main() -> None:
    shared_tmp = "/tmp" if AS_POSTGRES else None  # noqa: S108  (a new 0700 folder, then given to postgres)
    root = Path(tempfile.mkdtemp(prefix="portal-replica-bench-", dir=shared_tmp))
    if AS_POSTGRES:
        shutil.chown(root, "postgres", "postgres")
    clusters: list[Cluster] = []

    def interrupted(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} {uptime()}, {os.cpu_count()} cores")
    try:
        primary, replica = make_clusters(root)
        clusters += [primary, replica]
        measure(primary, replica)
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        for cluster in reversed(clusters or [Cluster(root, "replica"), Cluster(root, "primary")]):
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
        print(f"clusters stopped, {root} removed")


if __name__ == "__main__":
    main()
