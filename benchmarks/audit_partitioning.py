"""The audit log partitioned by month, tried on a copy: the same rows in a plain table shaped like
`portal_auditlog` and in one partitioned by RANGE (at), one partition a month, compared on what the
portal does with the log.

    .venv/bin/python benchmarks/audit_partitioning.py

It creates a scratch database of its own (BENCH_SCRATCH_DB, default `scratch_audit_partitioning`, on
the server of BENCH_PG, default postgres://postgres@127.0.0.1:5432) and drops it at the end, whatever
happened. The rows are made here, BENCH_MONTHS months (default 12) of BENCH_ROWS_PER_MONTH rows each
(default 50,000; a province's banks calling the eligibility API make about a million a month), ending
last month: lookups and service writes on BENCH_OBJECTS objects (default 20,000), each row chained to the
one before with the portal's own hash (portal.models.audit.audit_row_hash), copied into both tables with
COPY. The seeded databases hold only a few dozen audit rows (seeding writes around the services), so
there is nothing larger to copy from them.

The plain table has the real table's columns and indexes (primary key id; (object_type, object_id);
action; actor_id; at). The partitioned one has the same columns, the primary key (id, at) — a partitioned
table's unique keys must hold the partition key — and the same indexes on every partition.

It prints, with the load average (`uptime`) at each figure and the ratio partitioned / plain:
  - append: what portal.audit.audit_append does per row — in one transaction, the chain's advisory lock,
    the last row's hash (`ORDER BY id DESC LIMIT 1`), one INSERT (BENCH_APPENDS each, default 300,
    alternated in runs of 50);
  - one object's history: the audit page filtered by object, newest first, 50 rows (the model's ordering
    -at, -id) — for BENCH_LOOKUPS objects (default 200);
  - the chain's verification (`manage.py audit_verify`): every row in id order through a server-side cursor
    5,000 at a time, as `audit_chain_break` reads them; the scan alone (3 runs), then the scan with every
    hash recomputed (1 run each);
  - the last row's hash query alone (BENCH_APPENDS times each);
  - the archive of the oldest month, twice (the two oldest months): today's way — the month's rows copied
    out in id order and DELETEd in one transaction, then the VACUUM that the deleted rows need — against
    DETACH PARTITION, COPY of the detached table and DROP TABLE; the copy and the removal apart;
  - the sizes of both tables, and the plans of the last-row query and of the verification's scan.
"""

# The SQL names only this script's own tables and dates, never outside input:
# ruff: noqa: S608

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
SCRATCH = os.environ.get("BENCH_SCRATCH_DB", "scratch_audit_partitioning")
MONTHS = int(os.environ.get("BENCH_MONTHS", "12"))
ROWS_PER_MONTH = int(os.environ.get("BENCH_ROWS_PER_MONTH", "50000"))
OBJECTS = int(os.environ.get("BENCH_OBJECTS", "20000"))
APPENDS = int(os.environ.get("BENCH_APPENDS", "300"))
LOOKUPS = int(os.environ.get("BENCH_LOOKUPS", "200"))
CHAIN_LOCK = 7_411_001  # portal.audit.AUDIT_CHAIN_LOCK
COLUMNS = ("id", "at", "actor_name", "action", "object_type", "object_id", "object_repr", "before", "after", "ip",
           "note", "actor_id", "prev_hash", "row_hash")
TABLE_COLUMNS = """
    id bigint NOT NULL DEFAULT nextval('audit_id_seq'),
    at timestamptz NOT NULL,
    actor_name varchar(150) NOT NULL,
    action varchar(64) NOT NULL,
    object_type varchar(64) NOT NULL,
    object_id varchar(64) NOT NULL,
    object_repr varchar(200) NOT NULL,
    before jsonb,
    after jsonb,
    ip inet,
    note varchar(500) NOT NULL,
    actor_id integer,
    prev_hash varchar(64) NOT NULL,
    row_hash varchar(64) NOT NULL
"""
ACTIONS = [("finance.eligibility_lookup", "portal.enterprise", 0.7), ("ratings.score", "ratings.rating", 0.1),
           ("finance.application_update", "finance.loanapplication", 0.1), ("portal.enterprise_update",
                                                                           "portal.enterprise", 0.1)]


def uptime() -> str:
    return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def connect(db: str, **kwargs):
    import psycopg

    return psycopg.connect(f"{SERVER}/{db}", connect_timeout=10, **kwargs)


def month_start(day: datetime.date, back: int = 0) -> datetime.datetime:
    """The first instant of the month `back` months before `day`'s (after it when negative)."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.datetime(index // 12, index % 12 + 1, 1, tzinfo=datetime.UTC)


# --- the two tables ---------------------------------------------------------------------------------------

def create_tables(conn, months: list[datetime.datetime]) -> None:
    conn.execute("CREATE SEQUENCE audit_id_seq")
    conn.execute(f"CREATE TABLE audit_plain ({TABLE_COLUMNS}, PRIMARY KEY (id))")
    conn.execute(f"CREATE TABLE audit_part ({TABLE_COLUMNS}, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)")
    for start in months:
        end = month_start(start.date(), -1)
        conn.execute(f"CREATE TABLE audit_part_{start:%Y_%m} PARTITION OF audit_part "
                     f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')")
    conn.execute("CREATE TABLE audit_part_default PARTITION OF audit_part DEFAULT")
    for table in ("audit_plain", "audit_part"):
        conn.execute(f"CREATE INDEX ON {table} (object_type, object_id)")
        conn.execute(f"CREATE INDEX ON {table} (action)")
        conn.execute(f"CREATE INDEX ON {table} (actor_id)")
        conn.execute(f"CREATE INDEX ON {table} (at)")


def make_rows(first: datetime.datetime, hash_row, out) -> int:
    """MONTHS × ROWS_PER_MONTH rows from `first`, chained, written to `out` (a binary file) as COPY text."""
    rng = random.Random(17)  # noqa: S311  (test data)
    weights = [w for *_x, w in ACTIONS]
    prev = "0" * 64
    row_id = 0
    for month in range(MONTHS):
        start = month_start(first.date(), -month)
        span = (month_start(start.date(), -1) - start).total_seconds()
        step = span / ROWS_PER_MONTH
        for n in range(ROWS_PER_MONTH):
            row_id += 1
            action, object_type, _w = rng.choices(ACTIONS, weights)[0]
            object_id = str(rng.randrange(1, OBJECTS + 1))
            lookup = action == "finance.eligibility_lookup"
            row = SimpleNamespace(
                at=start + datetime.timedelta(seconds=n * step), actor_id=None,
                actor_name=f"bank{rng.randrange(1, 9)}" if lookup else f"staff{rng.randrange(1, 60)}",
                action=action, object_type=object_type, object_id=object_id, object_repr=f"对象 {object_id}",
                before=None if lookup else {"status": "submitted", "amount": "500000.00"},
                after={"eligible": True, "quota": "1000000.00"} if lookup else {"status": "approved"},
                ip="10.1.2.3", note="")
            row.prev_hash = prev
            row.row_hash = prev = hash_row(row, prev)
            values = [str(row_id), row.at.isoformat(), row.actor_name, row.action, row.object_type, row.object_id,
                      row.object_repr, json.dumps(row.before, ensure_ascii=False) if row.before else "\\N",
                      json.dumps(row.after, ensure_ascii=False), row.ip, row.note, "\\N", row.prev_hash, row.row_hash]
            out.write(("\t".join(v.replace("\\", "\\\\") if v != "\\N" else v for v in values) + "\n").encode())
    return row_id


def load(conn, data, last_id: int) -> dict:
    figures = {}
    for table in ("audit_plain", "audit_part"):
        data.seek(0)
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            while chunk := data.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        figures[table] = time.perf_counter() - started
    conn.execute(f"SELECT setval('audit_id_seq', {last_id})")
    conn.commit()
    conn.autocommit = True
    for table in ("audit_plain", "audit_part"):
        conn.execute(f"VACUUM ANALYZE {table}")
    conn.autocommit = False
    return figures


# --- what the portal does with the log ---------------------------------------------------------------------

LAST_HASH = "SELECT row_hash FROM {t} ORDER BY id DESC LIMIT 1"
INSERT = ("INSERT INTO {t} (at, actor_name, action, object_type, object_id, object_repr, after, ip, note, prev_hash,"
          " row_hash) VALUES (now(), 'bank1', 'finance.eligibility_lookup', 'portal.enterprise', %s, %s, %s, "
          "'10.1.2.3', '', %s, %s)")


def append_once(conn, table: str, object_id: str) -> float:
    started = time.perf_counter()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        prev = conn.execute(LAST_HASH.format(t=table)).fetchone()[0]
        # The hash's cost is the same for both tables and not what is compared: a stand-in of its length.
        conn.execute(INSERT.format(t=table), [object_id, f"对象 {object_id}", '{"eligible": true}', prev, prev[::-1]])
    return time.perf_counter() - started


def appends(conn) -> dict:
    times = {"audit_plain": [], "audit_part": []}
    for run in range(max(1, APPENDS // 50)):
        order = ("audit_plain", "audit_part") if run % 2 == 0 else ("audit_part", "audit_plain")
        for table in order:
            for n in range(50):
                times[table].append(append_once(conn, table, str(n + 1)))
    return {t: statistics.median(v) for t, v in times.items()}


def last_rows(conn) -> dict:
    times = {"audit_plain": [], "audit_part": []}
    for i in range(APPENDS):
        for table in (("audit_plain", "audit_part") if i % 2 == 0 else ("audit_part", "audit_plain")):
            started = time.perf_counter()
            conn.execute(LAST_HASH.format(t=table)).fetchone()
            times[table].append(time.perf_counter() - started)
    conn.commit()
    return {t: statistics.median(v) for t, v in times.items()}


def histories(conn) -> dict:
    rng = random.Random(3)  # noqa: S311
    objects = [str(rng.randrange(1, OBJECTS + 1)) for _ in range(LOOKUPS)]
    times = {"audit_plain": [], "audit_part": []}
    query = ("SELECT * FROM {t} WHERE object_type = 'portal.enterprise' AND object_id = %s "
             "ORDER BY at DESC, id DESC LIMIT 50")
    for i, object_id in enumerate(objects):
        for table in (("audit_plain", "audit_part") if i % 2 == 0 else ("audit_part", "audit_plain")):
            started = time.perf_counter()
            conn.execute(query.format(t=table), [object_id]).fetchall()
            times[table].append(time.perf_counter() - started)
    conn.commit()
    return {t: statistics.median(v) for t, v in times.items()}


def verify(conn, table: str, hash_rows: bool, hash_row) -> tuple[float, int, bool]:
    """Every row in id order, 5,000 at a time from a server-side cursor; with `hash_rows`, the chain
    checked as audit_chain_break does. (seconds, rows, chain sound)"""
    started = time.perf_counter()
    prev, count, sound = None, 0, True
    with conn.transaction(), conn.cursor(name=f"walk_{table}") as cur:
        cur.itersize = 5000
        cur.execute(f"SELECT {', '.join(COLUMNS)} FROM {table} ORDER BY id")
        for values in cur:
            count += 1
            if hash_rows:
                row = SimpleNamespace(**dict(zip(COLUMNS, values, strict=True)))
                if prev is not None and row.prev_hash != prev:
                    sound = False
                if row.row_hash != hash_row(row, row.prev_hash):
                    sound = False
                prev = row.row_hash
    return time.perf_counter() - started, count, sound


def copy_out(conn, query: str) -> float:
    sink = io.BytesIO()
    started = time.perf_counter()
    with conn.cursor() as cur, cur.copy(f"COPY ({query}) TO STDOUT") as copy:
        for chunk in copy:
            sink.write(chunk)
    return time.perf_counter() - started


def archive_plain(conn, before: datetime.datetime) -> dict:
    """Today's way: in one transaction under the chain's lock, the rows copied out, then DELETEd; then the
    VACUUM that the deleted rows need (autovacuum's, later). Seconds of each step, and the rows."""
    started = time.perf_counter()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        copied = copy_out(conn, f"SELECT * FROM audit_plain WHERE at < '{before.isoformat()}' ORDER BY id")
        removing = time.perf_counter()
        rows = conn.execute("DELETE FROM audit_plain WHERE at < %s", [before]).rowcount
    removed = time.perf_counter() - removing
    total = time.perf_counter() - started
    conn.autocommit = True
    started = time.perf_counter()
    conn.execute("VACUUM audit_plain")
    vacuumed = time.perf_counter() - started
    conn.autocommit = False
    return {"total": total, "copy": copied, "remove": removed, "vacuum": vacuumed, "rows": rows}


def archive_part(conn, month: datetime.datetime) -> dict:
    """The partitioned way: the month's partition detached, copied out, dropped, in one transaction."""
    name = f"audit_part_{month:%Y_%m}"
    started = time.perf_counter()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        removing = time.perf_counter()
        conn.execute(f"ALTER TABLE audit_part DETACH PARTITION {name}")
        removed = time.perf_counter() - removing
        copied = copy_out(conn, f"SELECT * FROM {name} ORDER BY id")
        rows = conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        removing = time.perf_counter()
        conn.execute(f"DROP TABLE {name}")
        removed += time.perf_counter() - removing
    return {"total": time.perf_counter() - started, "copy": copied, "remove": removed, "vacuum": 0.0, "rows": rows}


def plan(conn, sql: str) -> str:
    lines = [r[0] for r in conn.execute("EXPLAIN (COSTS OFF) " + sql).fetchall()]
    conn.commit()
    nodes = [line.strip().lstrip("-> ").split(" on ")[0].split(" using ")[0] for line in lines]
    scans = sum(1 for line in lines if "Scan" in line)
    return f"{nodes[0]} … {scans} scans" if scans > 1 else " / ".join(n for n in nodes if n)


def ratio(a: float, b: float) -> str:
    return f"{a / b:5.2f}×" if b else "  —"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
    os.environ.setdefault("DATABASE_URL", f"{SERVER}/{SCRATCH}")
    import django

    django.setup()
    from portal.models.audit import audit_row_hash

    today = datetime.datetime.now(tz=datetime.UTC).date()
    first = month_start(today, MONTHS)
    months = [month_start(first.date(), -m) for m in range(MONTHS + 2)]  # + this month and the next
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} {uptime()}, {os.cpu_count()} cores; {MONTHS} months × "
          f"{ROWS_PER_MONTH:,} rows from {first:%Y-%m}, {OBJECTS:,} objects; scratch database {SCRATCH}")
    with connect("postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {SCRATCH}")
    try:
        with connect(SCRATCH) as conn:
            create_tables(conn, months)
            conn.commit()
            started = time.perf_counter()
            with tempfile.TemporaryFile() as data:
                last_id = make_rows(first, audit_row_hash, data)
                print(f"rows made and chained: {last_id:,} in {time.perf_counter() - started:.1f} s")
                loaded = load(conn, data, last_id)
            sizes = {t: conn.execute(f"SELECT pg_size_pretty(sum(pg_total_relation_size(relid))) FROM "
                                     f"pg_partition_tree('{t}')").fetchone()[0] for t in ("audit_part",)}
            sizes["audit_plain"] = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('audit_plain'))").fetchone()[0]
            conn.commit()
            print(f"COPY in: plain {loaded['audit_plain']:.1f} s, partitioned {loaded['audit_part']:.1f} s "
                  f"({ratio(loaded['audit_part'], loaded['audit_plain'])}); size with indexes: plain {sizes['audit_plain']}, "
                  f"partitioned {sizes['audit_part']} ({len(months) + 1} partitions)")
            print("plans: last row — plain: " + plan(conn, LAST_HASH.format(t="audit_plain"))
                  + "; partitioned: " + plan(conn, LAST_HASH.format(t="audit_part")))
            print("       verification scan — plain: " + plan(conn, "SELECT * FROM audit_plain ORDER BY id")
                  + "; partitioned: " + plan(conn, "SELECT * FROM audit_part ORDER BY id"))
            print(f"{'':<56}{'plain':>11}{'partitioned':>13}{'part/plain':>12}")

            def line(label: str, plain: float, part: float, unit: str = "ms", scale: float = 1000.0) -> None:
                print(f"{label:<56}{plain * scale:>9.2f} {unit}{part * scale:>10.2f} {unit}{ratio(part, plain):>11}"
                      f"   ({uptime()})")

            walks = {t: [verify(conn, t, False, audit_row_hash)[0] for _ in range(3)] for t in ("audit_plain", "audit_part")}
            line("verification: scan in id order (median of 3)", statistics.median(walks["audit_plain"]),
                 statistics.median(walks["audit_part"]), "s", 1.0)
            hashed = {t: verify(conn, t, True, audit_row_hash) for t in ("audit_plain", "audit_part")}
            line("verification: scan + every hash (1 run)", hashed["audit_plain"][0], hashed["audit_part"][0], "s", 1.0)
            print(f"  chain sound: plain {hashed['audit_plain'][2]}, partitioned {hashed['audit_part'][2]}, "
                  f"{hashed['audit_plain'][1]:,} rows each")
            found = last_rows(conn)
            line("the last row's hash alone (ORDER BY id DESC LIMIT 1)", found["audit_plain"], found["audit_part"])
            found = appends(conn)
            line(f"append one row: lock, last hash, insert ({APPENDS} each)", found["audit_plain"], found["audit_part"])
            found = histories(conn)
            line(f"one object's history, 50 newest ({LOOKUPS} objects)", found["audit_plain"], found["audit_part"])
            for month in months[:2]:
                before = month_start(month.date(), -1)
                plain, part = archive_plain(conn, before), archive_part(conn, month)
                line(f"archive {month:%Y-%m}: the whole transaction", plain["total"], part["total"], "s", 1.0)
                line("  of which the copy out", plain["copy"], part["copy"], "s", 1.0)
                line("  of which DELETE / DETACH + DROP", plain["remove"], part["remove"])
                print(f"  rows: deleted {plain['rows']:,}, detached {part['rows']:,}; then VACUUM after the DELETE: "
                      f"{plain['vacuum']:.2f} s (nothing to vacuum after DROP)")
    finally:
        with connect("postgres", autocommit=True) as admin, contextlib.suppress(Exception):
            admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        print(f"scratch database {SCRATCH} dropped")


if __name__ == "__main__":
    main()
