"""Time a certificate batch made by a real Celery worker, and watch the worker's memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_cert REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python benchmarks/certificate_batch.py [--certificates 1000] [--workers 1,2]

On a seeded database (`seed_demo`; seeded here when empty), a cycle of its own (`--year`, 2099) is given
published, valid ratings of `--certificates` Party organizations (more organizations are added when the
city has too few). For each worker count a Celery worker (prefork, `--concurrency N`, the project's
settings otherwise) is started, org staff ask for the cycle's batch, and the script polls the database:
  - wall time from the request to the report done, and certificates per second;
  - the resident memory of the worker's pool processes (the largest, and all of them with the main
    process) when the 100th certificate exists and when the last does, and the growth between the two;
  - the ZIP's size, its member count, and that each certificate's code is in it once.
Then the ratio of the times (1 worker / N workers) and the growth against the 20 % bound.
Files go to a scratch folder (PORTAL_VAR_DIR) removed at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
SCRATCH = tempfile.mkdtemp(prefix="portal-cert-bench-")
os.environ["PORTAL_VAR_DIR"] = SCRATCH
if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
    sys.exit("Set DATABASE_URL and REDIS_URL, e.g. postgres://postgres@127.0.0.1:5432/portal_cert redis://127.0.0.1:6379/14")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from ratings.choices import OrgKind, RatingStatus  # noqa: E402
from ratings.models import Cycle, PartyOrganization, Rating  # noqa: E402
from reports import services  # noqa: E402
from reports.choices import ReportKind, ReportState  # noqa: E402
from reports.models import Certificate, Report  # noqa: E402


def bench_cycle(count: int, year: int) -> Cycle:
    """A cycle whose `count` ratings are published and valid today, one per organization."""
    if not PartyOrganization.objects.exists():
        call_command("seed_demo", verbosity=0)
    template = Cycle.objects.order_by("-year").first()
    today = timezone.localdate()
    cycle, _created = Cycle.objects.get_or_create(
        year=year, defaults={"name": f"{year}年度（基准）", "rubric": template.rubric, "opens_on": today,
                             "closes_on": today})
    have = Rating.objects.filter(cycle=cycle).count()
    if have >= count:
        return cycle
    organizations = list(PartyOrganization.objects.exclude(ratings__cycle=cycle).order_by("pk")[:count - have])
    region = PartyOrganization.objects.order_by("pk").first().region
    for index in range(len(organizations), count - have):
        organizations.append(PartyOrganization.objects.create(name=f"星湖基准第{index + 1}联合党支部",
                                                              kind=OrgKind.JOINT_BRANCH, region=region))
    Rating.objects.bulk_create([
        Rating(cycle=cycle, organization=organization, status=RatingStatus.PUBLISHED, stars=4, score="85.0",
               valid_from=today - datetime.timedelta(days=30), valid_to=today + datetime.timedelta(days=335))
        for organization in organizations])
    return cycle


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)],  # noqa: S603, S607 - our own fixed command
                         capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def memory(main_pid: int) -> tuple[int, int]:
    """(largest pool process, main + pool) resident memory in kB."""
    pool = [rss_kb(p) for p in children(main_pid)]
    return max(pool, default=0), rss_kb(main_pid) + sum(pool)


def start_worker(concurrency: int, log) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork", "--concurrency",
               str(concurrency), "-l", "info", "--without-gossip", "--without-mingle", "-n", f"bench{concurrency}@%h"]
    worker = subprocess.Popen(command, cwd=BASE,  # noqa: S603 - our own interpreter and arguments
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(children(worker.pid)) < concurrency:
        if time.monotonic() > deadline or worker.poll() is not None:
            sys.exit("the worker did not start")
        time.sleep(0.2)
    time.sleep(2)
    return worker


def measure(cycle: Cycle, staff, concurrency: int, total: int) -> dict:
    log = open(Path(SCRATCH) / f"worker-{concurrency}.log", "w")  # noqa: SIM115
    worker = start_worker(concurrency, log)
    try:
        started = time.monotonic()
        report = services.report_request(kind=ReportKind.CERTIFICATE_BATCH, params={"cycle": cycle.pk, "region": ""},
                                         acting_user=staff)
        at_100 = at_last = None
        peak = (0, 0)
        while True:
            state = Report.objects.filter(pk=report.pk).values_list("state", flat=True).first()
            made = Certificate.objects.filter(report=report).count()
            now = memory(worker.pid)
            peak = (max(peak[0], now[0]), max(peak[1], now[1]))
            if at_100 is None and made >= 100:
                at_100 = now
            if at_last is None and made >= total:
                at_last = now
            if state in (ReportState.DONE, ReportState.FAILED):
                break
            if time.monotonic() - started > 3600:
                sys.exit("the batch took more than an hour")
            time.sleep(0.25)
        seconds = time.monotonic() - started
        report.refresh_from_db()
        if report.state != ReportState.DONE:
            sys.exit(f"the batch failed: {report.error}")
        codes = list(Certificate.objects.filter(report=report).values_list("code", flat=True))
        with default_storage.open(report.file.name, "rb") as stored:
            names = zipfile.ZipFile(stored).namelist()
        once = all(sum(code in name for name in names) == 1 for code in codes)
        # Asked again by the next measurement: this one is set aside (a failed report may be asked anew).
        Report.objects.filter(pk=report.pk).update(state=ReportState.FAILED)
        log.flush()
        # Which pool process ran each chunk (the worker's log: "INFO/ForkPoolWorker-N] Task …certificate_chunk… succeeded").
        shares = Counter(re.findall(r"/(ForkPoolWorker-\d+)\] Task reports\.certificate_chunk\[[^]]+\] succeeded",
                                    (Path(SCRATCH) / f"worker-{concurrency}.log").read_text()))
        return {"workers": concurrency, "seconds": seconds, "shares": dict(sorted(shares.items())), "certificates": len(codes), "members": len(names),
                "once": once, "zip_mb": report.size / 1e6, "at_100": at_100, "at_last": at_last, "peak": peak}
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        log.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--year", type=int, default=2099, help="the benchmark's own cycle: one per batch size")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    cycle = bench_cycle(options.certificates, options.year)
    total = Rating.objects.filter(cycle=cycle).count()
    staff, _created = get_user_model().objects.get_or_create(username="orgstaff")
    print(f"database {os.environ['DATABASE_URL'].rsplit('@', 1)[-1]}; cycle {cycle.year}: {total} ratings")
    results = [measure(cycle, staff, int(n), total) for n in options.workers.split(",")]
    print(f"{'workers':>7} {'seconds':>8} {'cert/s':>7} {'certs':>6} {'in zip':>6} {'once':>5} {'zip MB':>7} "
          f"{'pool@100':>9} {'pool@last':>9} {'growth':>7} {'all@100':>8} {'all@last':>9} {'peak all':>9}")
    for r in results:
        (pool_100, all_100), (pool_last, all_last) = r["at_100"] or (0, 0), r["at_last"] or (0, 0)
        growth = (pool_last - pool_100) / pool_100 if pool_100 else float("nan")
        print(f"{r['workers']:>7} {r['seconds']:8.1f} {r['certificates'] / r['seconds']:7.2f} {r['certificates']:>6} "
              f"{r['members']:>6} {str(r['once']):>5} {r['zip_mb']:7.1f} {pool_100 / 1024:7.0f}MB {pool_last / 1024:7.0f}MB "
              f"{growth:7.1%} {all_100 / 1024:6.0f}MB {all_last / 1024:7.0f}MB {r['peak'][1] / 1024:7.0f}MB")
    for r in results:
        print(f"{r['workers']} worker process(es): chunks run by each pool process {r['shares'] or '(one task: no chunks)'}")
    if len(results) > 1:
        base = results[0]
        for r in results[1:]:
            print(f"speed-up {r['workers']} workers / {base['workers']}: {base['seconds'] / r['seconds']:.2f}x")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
