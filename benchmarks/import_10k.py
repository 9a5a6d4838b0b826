"""Time the registry import: a 10,000-row workbook against a 1,000-row baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python benchmarks/import_10k.py

For each size it generates an .xlsx of new enterprises (valid credit codes and ID numbers, regions
that exist in the database), then times
  1. upload → parse → preview (every row validated and planned),
  2. commit (every row written in one transaction, with its audit rows),
  3. the same file re-uploaded with every capital changed: preview and commit of 100 % updates,
and prints rows per second, and the ratio of the 10k rates to the 1k rates (1.0 = linear scaling).

The database is migrated if needed, and a minimal region tree is created when it has no villages.
Tasks run in-process (REDIS_URL is cleared): this measures the work, not a broker. Uploaded files
go to a scratch directory (PORTAL_VAR_DIR) removed at the end.
"""

from __future__ import annotations

import datetime
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ["REDIS_URL"] = ""
# Uploaded files go to a scratch directory that is removed at the end, not into the project's var/.
SCRATCH = tempfile.mkdtemp(prefix="portal-import-bench-")
os.environ["PORTAL_VAR_DIR"] = SCRATCH
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/portal_bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# In this process's own thread, as the tests do: the timings read the batch right after each step.
settings.PORTAL_TASKS_IN_THREAD = False

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from portal.choices import ImportState, RegionKind, RegionLevel, Role  # noqa: E402
from portal.identifiers import make_id_number, make_mobile, make_uscc  # noqa: E402
from portal.imports import services  # noqa: E402
from portal.imports.files import workbook_bytes  # noqa: E402
from portal.models import Enterprise, ImportBatch, Person, Region, RoleAssignment  # noqa: E402

HEADER = ["统一社会信用代码", "企业名称", "主体类型", "行业门类", "所在区划", "重点民企", "从业人数", "注册资本（万元）", "成立日期",
          "住所", "法定代表人", "法定代表人身份证号", "联系人", "联系电话"]


def ensure_regions() -> list[Region]:
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent"))
    if villages:
        return villages
    city, _created = Region.objects.get_or_create(
        code="510799000000", defaults={"name": "星湖市", "level": RegionLevel.CITY, "kind": RegionKind.CITY})
    for t in range(1, 6):
        town, _created = Region.objects.get_or_create(
            code=f"510799{100 + t:03d}000",
            defaults={"name": f"第{t}镇", "level": RegionLevel.TOWN, "kind": RegionKind.TOWN, "parent": city})
        for v in range(1, 11):
            Region.objects.get_or_create(
                code=f"{town.code[:9]}{200 + v:03d}",
                defaults={"name": f"第{t}镇{v}村", "level": RegionLevel.VILLAGE, "kind": RegionKind.VILLAGE,
                          "parent": town})
    return list(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent"))


def staff_user():
    user, _created = get_user_model().objects.get_or_create(username="bench_orgstaff")
    RoleAssignment.objects.get_or_create(user=user, role=Role.ORG_STAFF)
    return user


def workbook(rows: list[list]) -> bytes:
    return workbook_bytes([HEADER, *rows])


def unique_id_number(rng: random.Random, taken: set[str]) -> str:
    """One person per ID number, or the file is (rightly) refused."""
    while True:
        number = make_id_number(rng)
        if number not in taken:
            taken.add(number)
            return number


def make_rows(n: int, rng: random.Random, villages: list[Region], taken: set[str], ids: set[str]) -> list[list]:
    rows = []
    for i in range(n):
        code = make_uscc(rng)
        while code in taken:
            code = make_uscc(rng)
        taken.add(code)
        village = rng.choice(villages)
        # Half by code, half by "town + village" name: both resolution paths are exercised.
        region = village.code if i % 2 else f"{village.parent.name}{village.name}"
        id_number = unique_id_number(rng, ids)
        founded = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(0, 8000))
        rows.append([
            code, f"星湖基准{n}-{i}有限公司", "民营企业", "C", region, rng.choice(["是", "否"]), rng.randrange(1, 500),
            rng.randrange(10, 5000), founded, f"星湖市基准路 {i} 号", f"法人{n}-{i}", id_number, f"联系人{n}-{i}",
            make_mobile(rng),
        ])
    return rows


def run(user, name: str, content: bytes) -> tuple[ImportBatch, float, float]:
    started = time.perf_counter()
    batch = services.import_batch_create(acting_user=user, uploaded_file=SimpleUploadedFile(name, content))
    batch.refresh_from_db()
    parsed = time.perf_counter() - started
    if batch.state != ImportState.PREVIEW or batch.error_count:
        sys.exit(f"{name}: preview failed: {batch.state} {batch.error} ({batch.error_count} rows in error)")
    started = time.perf_counter()
    services.import_batch_commit_request(acting_user=user, batch=batch)
    batch.refresh_from_db()
    committed = time.perf_counter() - started
    if batch.state != ImportState.DONE:
        sys.exit(f"{name}: commit failed: {batch.state} {batch.error}")
    return batch, parsed, committed


def measure(n: int, user, villages, taken, ids) -> dict:
    rng = random.Random(n)  # noqa: S311 - test data, not secrets
    rows = make_rows(n, rng, villages, taken, ids)
    content = workbook(rows)
    batch, parse_create, commit_create = run(user, f"bench_{n}_create.xlsx", content)
    if batch.create_count != n:
        sys.exit(f"expected {n} creations, got {batch.create_count}")
    copy_seconds = copy_baseline([row[0] for row in rows])
    for row in rows:
        row[7] += 1  # every capital changes: all rows become updates
    batch, parse_update, commit_update = run(user, f"bench_{n}_update.xlsx", workbook(rows))
    if batch.update_count != n:
        sys.exit(f"expected {n} updates, got {batch.update_count}")
    return {"rows": n, "bytes": len(content), "parse_create": parse_create, "commit_create": commit_create,
            "parse_update": parse_update, "commit_update": commit_update, "copy": copy_seconds}


def copy_baseline(codes: list[str]) -> float:
    """Seconds for PostgreSQL's COPY of the same enterprise rows, as committed, into a fresh table of the
    same shape (columns, defaults, constraints and indexes): the fastest the rows themselves can go in."""
    from django.db import connection, transaction

    columns = [f.column for f in Enterprise._meta.concrete_fields if not f.primary_key]
    rows = list(Enterprise.objects.filter(uscc__in=codes).values_list(
        *[f.attname for f in Enterprise._meta.concrete_fields if not f.primary_key]))
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_copy (LIKE portal_enterprise INCLUDING ALL) ON COMMIT DROP")
        started = time.perf_counter()
        with cursor.copy(f"COPY bench_copy ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        seconds = time.perf_counter() - started
    return seconds


def main():
    call_command("migrate", verbosity=0)
    villages, user = ensure_regions(), staff_user()
    taken = set(Enterprise.objects.values_list("uscc", flat=True))
    print(f"database: {os.environ['DATABASE_URL'].rsplit('@', 1)[-1]}; {len(villages)} villages; "
          f"{len(taken)} enterprises before")
    ids = set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))
    results = [measure(n, user, villages, taken, ids) for n in (1_000, 10_000)]
    phases = ("parse_create", "commit_create", "parse_update", "commit_update")
    print(f"{'rows':>7} {'xlsx':>9} " + " ".join(f"{p:>22}" for p in phases))
    for r in results:
        cells = " ".join(f"{r[p]:7.2f}s {r['rows'] / r[p]:8.0f} rows/s" for p in phases)
        print(f"{r['rows']:>7} {r['bytes'] / 1024:7.0f}kB {cells}")
    base, big = results
    ratios = " ".join(f"{(big['rows'] / big[p]) / (base['rows'] / base[p]):>22.2f}" for p in phases)
    print(f"{'10k/1k':>7} {'rate':>9} {ratios}")
    for r in results:
        copy_rate, commit_rate = r["rows"] / r["copy"], r["rows"] / r["commit_create"]
        print(f"{r['rows']:>7} rows: COPY {r['copy']:.2f}s {copy_rate:8.0f} rows/s; commit of new rows "
              f"{commit_rate:.0f} rows/s = {commit_rate / copy_rate:.2f}x COPY (target 0.25x); "
              f"commit of updates {r['rows'] / r['commit_update'] / copy_rate:.2f}x")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
