"""The writing rows of `make bench` (5, 6, 7), run as a subprocess against the scratch copy of the database.

    python -m bench.jobs import|loans|cert_one|cert_batch < spec.json > result.json

import      row 5: an .xlsx of `rows` new enterprises through the registry import (upload → preview →
            commit, in this process), commit rows/s; then the same rows, read back from
            portal_enterprise, written with PostgreSQL COPY into a table of the same shape
            (CREATE TABLE … (LIKE portal_enterprise INCLUDING ALL): same columns, indexes and checks).
loans       row 7: `approvers` threads, each with its own database connection and its own bank, approve
            at the same moment an application of one enterprise, each for 30 % of its quota (so at most
            three fit); `rounds` times. Counted: approvals, refusals, over-allocations (the line's
            `used` above the quota, or the approved amounts not equal to `used`), approvals/s.
cert_one    row 6's baseline: single rating certificates made in this process (tasks in-process), the
            median seconds of one.
cert_batch  row 6: asks for the certificate batch of the region whose count is nearest `certs` (through
            reports.services.report_request, as the organization department's staff): the worker does it.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import threading
import time

import django


def _django(in_process_tasks: bool):
    if in_process_tasks:
        os.environ["REDIS_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    django.setup()
    if in_process_tasks:
        from django.conf import settings

        settings.PORTAL_TASKS_IN_THREAD = False  # in this thread: the caller times the whole work


def _wait(fetch, done, timeout: float = 3600) -> object:
    deadline = time.monotonic() + timeout
    while True:
        obj = fetch()
        if done(obj) or time.monotonic() > deadline:
            return obj
        time.sleep(0.05)


# --- row 5 -------------------------------------------------------------------------------------------

HEADER = ["统一社会信用代码", "企业名称", "主体类型", "行业门类", "所在区划", "重点民企", "从业人数", "注册资本（万元）", "成立日期",
          "住所", "法定代表人", "法定代表人身份证号", "联系人", "联系电话"]


def import_rows(spec: dict) -> dict:
    import datetime
    import resource

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from portal.choices import ImportState, RegionLevel
    from portal.identifiers import make_id_number, make_mobile, make_uscc
    from portal.imports import services
    from portal.imports.files import workbook_bytes
    from portal.models import Enterprise, ImportBatch, Person, Region

    n = int(spec["rows"])
    rng = random.Random(n)  # noqa: S311 - test data
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent")[:500])
    taken = set(Enterprise.objects.values_list("uscc", flat=True))
    ids = set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))
    rows, codes = [], []
    for i in range(n):
        code = make_uscc(rng)
        while code in taken:
            code = make_uscc(rng)
        taken.add(code)
        codes.append(code)
        number = make_id_number(rng)
        while number in ids:
            number = make_id_number(rng)
        ids.add(number)
        village = rng.choice(villages)
        founded = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(0, 8000))
        rows.append([code, f"星湖测评{i}有限公司", "民营企业", "C", village.code, rng.choice(["是", "否"]),
                     rng.randrange(1, 500), rng.randrange(10, 5000), founded, f"星湖市测评路 {i} 号", f"法人{i}",
                     number, f"联系人{i}", make_mobile(rng)])
    content = workbook_bytes([HEADER, *rows])
    user = get_user_model().objects.get(username="orgstaff")
    t0 = time.perf_counter()
    batch = services.import_batch_create(acting_user=user, uploaded_file=SimpleUploadedFile("bench.xlsx", content))
    batch = _wait(lambda: ImportBatch.objects.get(pk=batch.pk),
                  lambda b: b.state not in (ImportState.UPLOADED, ImportState.PARSING))
    parse_s = time.perf_counter() - t0
    if batch.state != ImportState.PREVIEW or batch.error_count:
        raise SystemExit(f"preview failed: {batch.state} {batch.error} ({batch.error_count} rows in error)")
    t0 = time.perf_counter()
    services.import_batch_commit_request(acting_user=user, batch=batch)
    batch = _wait(lambda: ImportBatch.objects.get(pk=batch.pk),
                  lambda b: b.state not in (ImportState.PREVIEW, ImportState.COMMITTING))
    commit_s = time.perf_counter() - t0
    if batch.state != ImportState.DONE:
        raise SystemExit(f"commit failed: {batch.state} {batch.error}")
    pks = list(Enterprise.objects.filter(uscc__in=codes).values_list("pk", flat=True))
    raw = connection.connection  # psycopg 3
    with raw.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_enterprise_copy")
        cur.execute("CREATE TABLE bench_enterprise_copy (LIKE portal_enterprise INCLUDING ALL)")
        data = bytearray()
        with cur.copy("COPY (SELECT * FROM portal_enterprise WHERE id = ANY(%s)) TO STDOUT", (pks,)) as copy:
            for chunk in copy:
                data += chunk
    raw.commit()
    with raw.cursor() as cur:
        t0 = time.perf_counter()
        with cur.copy("COPY bench_enterprise_copy FROM STDIN") as copy:
            copy.write(bytes(data))
        raw.commit()
        copy_s = time.perf_counter() - t0
        cur.execute("SELECT count(*) FROM bench_enterprise_copy")
        copied = cur.fetchone()[0]
        cur.execute("DROP TABLE bench_enterprise_copy")
    raw.commit()
    return {"rows": n, "created": batch.create_count, "parse_s": parse_s, "commit_s": commit_s,
            "commit_rps": n / commit_s, "copy_rows": copied, "copy_s": copy_s, "copy_rps": copied / copy_s,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# --- row 7 -------------------------------------------------------------------------------------------

def loans(spec: dict) -> dict:
    from decimal import ROUND_DOWN, Decimal

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from apikeys.services import service_account_ensure
    from finance import selectors
    from finance.choices import LoanStatus
    from finance.models import CreditLine, LoanApplication, LoanProduct
    from finance.services.loans import loan_application_act
    from portal.models import Enterprise, Institution
    approvers, rounds = int(spec["approvers"]), int(spec["rounds"])
    # An enterprise with a valid rating and a quota, and no loans of its own yet.
    enterprise = answer = None
    pool = list(Enterprise.objects.exclude(loan_applications__isnull=False).order_by("pk")[:3000])
    answers = selectors.eligibility_for(pool)
    for e in pool:
        a = answers[e.pk]
        if a.rating.is_valid and a.quota:
            enterprise, answer = e, a
            break
    if enterprise is None:
        raise SystemExit("no enterprise with a valid rating and a quota")
    quota = Decimal(answer.quota)
    amount = (quota * Decimal("0.3")).quantize(Decimal("1"), rounding=ROUND_DOWN)
    # One bank per approver (one open application per enterprise and bank): copies of a demo bank.
    model_bank = Institution.objects.filter(kind="bank", is_active=True).order_by("pk").first()
    model_product = LoanProduct.objects.filter(bank=model_bank, is_active=True).first()
    submitter = get_user_model().objects.get(username="station")
    banks, officers, products = [], [], []
    for i in range(approvers):
        bank, _created = Institution.objects.get_or_create(
            code=f"BENCH{i:03d}", defaults={"kind": "bank", "name": f"测评银行{i:03d}", "short_name": f"测评{i:03d}"})
        product, _created = LoanProduct.objects.get_or_create(
            bank=bank, name=model_product.name,
            defaults={"annual_rate": model_product.annual_rate, "term_months": model_product.term_months})
        with transaction.atomic():
            officers.append(service_account_ensure(institution=bank))
        banks.append(bank)
        products.append(product)

    over, approved_total, refused, errors, elapsed = 0, 0, 0, [], 0.0
    for _round in range(rounds):
        LoanApplication.objects.filter(enterprise=enterprise).update(status=LoanStatus.WITHDRAWN)
        CreditLine.objects.filter(enterprise=enterprise).update(used=0)
        apps = [LoanApplication.objects.create(
            enterprise=enterprise, bank=bank, product=product, amount=amount, purpose="测评：并发审批",
            channel="station", submitted_by=submitter, status=LoanStatus.ACCEPTED)
            for bank, product in zip(banks, products, strict=True)]
        gate = threading.Barrier(approvers)
        outcome: list[str] = [""] * approvers

        def approve(i, apps=apps, gate=gate, outcome=outcome):
            try:
                gate.wait()
                loan_application_act(acting_user=officers[i], application=apps[i], action="approve", amount=amount)
                outcome[i] = "ok"
            except Exception as exc:  # noqa: BLE001 - counted, the refusal is the expected answer
                outcome[i] = getattr(exc, "code", "") or type(exc).__name__
            finally:
                connection.close()

        threads = [threading.Thread(target=approve, args=(i,)) for i in range(approvers)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed += time.perf_counter() - t0
        ok = outcome.count("ok")
        approved_total += ok
        refused += approvers - ok
        errors += [o for o in outcome if o not in ("ok", "over_quota")]
        line = CreditLine.objects.filter(enterprise=enterprise).first()
        used = line.used if line else Decimal(0)
        approved_sum = sum(a.approved_amount or 0 for a in LoanApplication.objects.filter(
            pk__in=[a.pk for a in apps], status=LoanStatus.APPROVED))
        if used > quota or approved_sum != used or ok * amount > quota:
            over += 1
    return {"approvers": approvers, "rounds": rounds, "quota": str(quota), "amount": str(amount),
            "approved": approved_total, "refused": refused, "over_allocations": over,
            "approvals_per_s": approved_total / elapsed if elapsed else 0, "attempts_per_s":
            approvers * rounds / elapsed if elapsed else 0, "seconds": elapsed,
            "other_errors": sorted(set(errors))[:5]}


# --- row 6 -------------------------------------------------------------------------------------------

def _orgstaff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="orgstaff")


def cert_one(spec: dict) -> dict:
    from django.utils import timezone

    from ratings.models import Rating
    from reports import services
    from reports.choices import ReportState
    from reports.models import Report

    user = _orgstaff()
    today = timezone.localdate()
    ratings = list(Rating.objects.filter(status="published", revoked_on__isnull=True, valid_to__gte=today)
                   .order_by("pk")[: int(spec.get("n", 5))])
    times, sizes = [], []
    for rating in ratings:
        t0 = time.perf_counter()
        report = services.report_request(kind="rating_certificate", params={"rating": rating.pk}, acting_user=user)
        report = _wait(lambda report=report: Report.objects.get(pk=report.pk),
                       lambda r: r.state in (ReportState.DONE, ReportState.FAILED), timeout=120)
        times.append(time.perf_counter() - t0)
        if report.state == ReportState.DONE and report.file:
            sizes.append(report.file.size)
    return {"seconds": statistics.median(times), "n": len(times),
            "bytes": statistics.median(sizes) if sizes else None}


def cert_batch(spec: dict) -> dict:
    from django.db.models import Count
    from django.utils import timezone

    from portal.models import Region
    from ratings.models import Cycle, Rating
    from reports import services

    want = int(spec["certs"])
    today = timezone.localdate()
    valid = Rating.objects.filter(status="published", revoked_on__isnull=True).exclude(valid_to__lt=today)
    cycle_pk = (valid.values("cycle").annotate(n=Count("pk")).order_by("-n").first() or {}).get("cycle")
    if cycle_pk is None:
        raise SystemExit("no published rating to certify")
    cycle = Cycle.objects.get(pk=cycle_pk)
    valid = valid.filter(cycle=cycle)
    # The smallest area with at least `want` certificates (the whole area when none has as many).
    best, best_n = None, valid.count()
    for region in Region.objects.exclude(level="village"):
        n = valid.filter(organization__region__code__startswith=region.prefix).count()
        if want <= n < best_n:
            best, best_n = region, n
    params = {"cycle": cycle.pk, "region": best.pk if best else ""}
    report = services.report_request(kind="certificate_batch", params=params, acting_user=_orgstaff())
    return {"report": report.pk, "count": best_n, "region": best.name if best else "all"}


def main():
    command = sys.argv[1]
    _django(in_process_tasks=command in ("import", "cert_one", "loans"))
    spec = json.load(sys.stdin)
    result = {"import": import_rows, "loans": loans, "cert_one": cert_one, "cert_batch": cert_batch}[command](spec)
    json.dump(result, sys.stdout, default=str)


if __name__ == "__main__":
    main()
