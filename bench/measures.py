"""The rows of `make bench` that run against the served portal (1–4) and the Celery worker (6)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

CLIENTS = (1, 8, 32)

# Row 3: the list pages, each filtered (q) and paginated (page 2). A page a role may not open (403,
# or a redirect) is not compared; org-department staff, whose scope is the widest, is the baseline.
LIST_PAGES = (
    ("/enterprises/", "公司"), ("/people/", "王"), ("/stations/", "星"), ("/ratings/all/", "公司"),
    ("/ratings/organizations/", "支部"), ("/finance/applications/", "公司"), ("/insurance/", "公司"),
    ("/insurance/policies/", "公司"), ("/talent/talents/", "王"), ("/talent/benefits/", "王"),
    ("/talent/projects/", "项目"), ("/liaison/cadres/", "王"), ("/liaison/visits/", "公司"),
    ("/liaison/appeals/", "公司"), ("/liaison/legal/consultations/", "公司"), ("/liaison/care/", "王"),
    ("/liaison/mentoring/", "王"), ("/liaison/notices/", "通知"), ("/imports/", "xlsx"),
)
ROLE_USERS = ("townstaff", "station", "bank", "insurer", "enterprise", "cadre", "leader")
WIDEST = "orgstaff"

# Row 4: the dashboards of each role and the coverage page.
DASHBOARDS = (
    ("leader", "/reports/dashboard/"), ("orgstaff", "/reports/dashboard/"), ("townstaff", "/reports/dashboard/"),
    ("station", "/reports/dashboard/station/"), ("bank", "/reports/dashboard/bank/"),
    ("orgstaff", "/ratings/coverage/"), ("leader", "/"), ("orgstaff", "/"), ("bank", "/"), ("station", "/"),
)


def _cookie(setup: dict, user: str) -> dict:
    return {"Cookie": f"sessionid={setup['sessions'][user]}", "Accept-Language": "zh-hans"}


def row1(setup: dict, port: int, seconds: float, load) -> dict:
    token = {"Authorization": f"Token {setup['token']}", "Accept": "application/json"}
    key = {"Authorization": f"Api-Key {setup['api_key']}", "Accept": "application/json"}
    eligibility = [f"/api/v1/eligibility/{code}/" for code in setup["usccs"]]
    one_row = [f"/api/v1/institutions/{setup['institution']}/"]
    out = {"auth": "legacy DRF token on both endpoints (the baseline endpoint declares no key scope: "
                   "closed to institution API keys)", "runs": []}
    for clients in CLIENTS:
        base = load({"port": port, "paths": one_row, "headers": token, "concurrency": clients, "duration": seconds})
        measured = load({"port": port, "paths": eligibility, "headers": token, "concurrency": clients,
                         "duration": seconds})
        out["runs"].append({"clients": clients, "eligibility": measured, "baseline": base})
    out["api_key_8"] = load({"port": port, "paths": eligibility, "headers": key, "concurrency": 8,
                             "duration": seconds})
    return out


def row2(setup: dict, port: int, load) -> dict:
    path = setup.get("batch_path")
    if not path:
        return {"exists": False}
    token = {"Authorization": f"Token {setup['token']}", "Accept": "application/json"}
    codes = setup["usccs"][:1000]
    for body in ({"uscc": codes}, {"usccs": codes}, {"codes": codes}, codes):
        batch = load({"port": port, "paths": [path], "headers": token, "concurrency": 1, "requests": 5,
                      "method": "POST", "body": body})
        if batch["statuses"].get("200"):
            break
    single = load({"port": port, "paths": [f"/api/v1/eligibility/{c}/" for c in codes], "headers": token,
                   "concurrency": 1, "requests": 1000, "warmup": 1})
    return {"exists": True, "path": path, "batch": batch, "single": single, "codes": len(codes)}


def _pages_of(paths_with_q) -> list[str]:
    pages = []
    for path, q in paths_with_q:
        pages += [f"{path}?q={quote(q)}", f"{path}?page=2"]
    return pages


def row3(setup: dict, port: int, load, *, quick: bool) -> dict:
    pages = _pages_of(LIST_PAGES)
    repeats = 3 if quick else 5
    by_user = {}
    for user in (WIDEST, *ROLE_USERS):
        result = load({"port": port, "paths": pages, "headers": _cookie(setup, user), "concurrency": 1,
                       "requests": repeats * len(pages), "per_path": True, "warmup": len(pages)})
        by_user[user] = result["paths"]
    rows = []
    for user in ROLE_USERS:
        for page in pages:
            mine, base = by_user[user].get(page), by_user[WIDEST].get(page)
            if not mine or not base:
                continue
            if mine["status"] != 200 or base["status"] != 200:
                continue
            rows.append({"user": user, "page": page, "ms": mine["ms"], "base_ms": base["ms"],
                         "ratio": mine["ms"] / base["ms"]})
    skipped = sorted({f"{u} {p} ({by_user[u][p]['status']})" for u in by_user for p in by_user[u]
                      if by_user[u][p]["status"] != 200})
    return {"rows": rows, "pages": len(pages), "not_open": skipped, "widest": by_user[WIDEST]}


def row4(setup: dict, base_setup: dict, port: int, base_port: int, load, *, quick: bool, counts, dbs) -> dict:
    repeats = 5 if quick else 9
    out = []

    def timed(s, p):
        timings = {}
        for user, path in DASHBOARDS:
            r = load({"port": p, "paths": [path], "headers": _cookie(s, user), "concurrency": 1,
                      "requests": repeats, "warmup": 2})
            timings[(user, path)] = r
        return timings

    main, base = timed(setup, port), timed(base_setup, base_port)
    spec = {"pages": [list(k) for k in DASHBOARDS]}
    main_q = counts(dbs[0], {**spec, "sessions": setup["sessions"]})
    base_q = counts(dbs[1], {**spec, "sessions": base_setup["sessions"]})
    for user, path in DASHBOARDS:
        m, b = main[(user, path)], base[(user, path)]
        out.append({"user": user, "page": path, "ms": m["p50"], "base_ms": b["p50"], "ratio": m["p50"] / b["p50"],
                    "status": next(iter(m["statuses"]), "?"), "kb": m["bytes"] / 1024,
                    "queries": main_q.get(f"{user} {path}"), "base_queries": base_q.get(f"{user} {path}")})
    return {"rows": out}


# --- row 6 -------------------------------------------------------------------------------------------

def _tree_rss_mb(pid: int) -> tuple[float, float]:
    """(sum, largest) RSS in MB of a process and its children (the Celery pool)."""
    pids = [pid]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout  # noqa: S603, S607
        pids += [int(x) for x in out.split()]
    except OSError:
        pass
    sizes = []
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return sum(sizes), max(sizes or [0])


def row6(db: str, env: dict, jobs, certs: int, var: Path) -> dict:
    import psycopg

    one = jobs(db, "cert_one", {"n": 3})
    if "error" in one:
        return {"error": one["error"]}
    concurrency = os.cpu_count() or 2
    celery = str(Path(sys.executable).parent / "celery")
    subprocess.run([celery, "-A", "portal", "purge", "-f"], env=env, capture_output=True)  # noqa: S603
    log = open(var / "celery.log", "w")  # noqa: SIM115
    worker = subprocess.Popen([celery, "-A", "portal", "worker", "-l", "warning", "--concurrency", str(concurrency),  # noqa: S603
                               "--without-heartbeat", "--without-gossip", "--without-mingle"],
                              env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        time.sleep(3)
        asked = jobs(db, "cert_batch", {"certs": certs})
        if "error" in asked:
            return {"error": asked["error"], "one": one}
        report, total = asked["report"], asked["count"]
        t0 = time.perf_counter()
        rss_100 = rss_last = peak = None
        state = "queued"
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            while time.perf_counter() - t0 < 3600:
                made = conn.execute("SELECT count(*) FROM reports_certificate WHERE report_id = %s",
                                    (report,)).fetchone()[0]
                state = conn.execute("SELECT state FROM reports_report WHERE id = %s", (report,)).fetchone()[0]
                total_rss, largest = _tree_rss_mb(worker.pid)
                peak = max(peak or 0, largest)
                if rss_100 is None and made >= min(100, total):
                    rss_100 = largest
                if made >= total:
                    rss_last = rss_last or largest
                if state in ("done", "failed"):
                    break
                time.sleep(0.2)
            elapsed = time.perf_counter() - t0
            size = conn.execute("SELECT error FROM reports_report WHERE id = %s", (report,)).fetchone()[0]
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        log.close()
    return {"one": one, "count": total, "region": asked["region"], "state": state, "seconds": elapsed,
            "workers": concurrency, "rss_100_mb": rss_100, "rss_last_mb": rss_last, "rss_peak_mb": peak,
            "error": size if state == "failed" else None, "expected_one_worker_s": one["seconds"] * total}


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)
