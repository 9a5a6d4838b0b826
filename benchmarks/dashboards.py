"""Time the dashboards (leaders', station's, bank's) and the coverage page against a baseline page, on a
seeded database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_perf5 .venv/bin/python benchmarks/dashboards.py

Run it on a database seeded with `manage.py seed_demo` (city) or `--scale province` (100,000
enterprises); the demo users leader, orgstaff, townstaff, station and bank must exist. The connection
is opened read-only (`default_transaction_read_only`): nothing is written, not even a session — each
page is called through Django's RequestFactory with the user set on the request, as the middleware
would. For each page and user it makes one warm-up request, then BENCH_REPEAT timed ones (default 5),
and prints:
  - the median time in ms and the number of SQL queries of one request ("rep": how often the most
    repeated statement ran in it, literals aside — more than 2 or 3 would be a query per row);
  - the ratio of that median to the baseline page measured for the same user in the same run (the
    enterprise list, the registry page most roles open; the home page for a role that may not);
Then the leaders' figures alone, section by section, as of today (this year so far) and as of the
last day of the previous year (the history path: every row changed since then is looked up in its
history). Figures are printed, never asserted: a machine shared with other work gives noisy absolutes,
the ratios less so.

Optional: BENCH_USERS=leader,bank limits the users. Settings are portal.settings.local with DEBUG
off (cached templates, no query log); REDIS_URL is cleared so the cache is in-process.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ["REDIS_URL"] = ""
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/portal_perf5")
# Read-only: the benchmark may run against a database others use (and must not change it).
_url = os.environ["DATABASE_URL"]
if "default_transaction_read_only" not in _url:
    os.environ["DATABASE_URL"] = _url + ("&" if "?" in _url else "?") + urlencode(
        {"options": "-c default_transaction_read_only=on"})

import django  # noqa: E402

django.setup()
logging.getLogger("django.request").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", message="No directory at")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import resolve, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from reports.figures import SECTIONS, build_scope  # noqa: E402

USERS = ("leader", "orgstaff", "townstaff", "station", "bank")
PAGES = ("reports:dashboard", "reports:station_dashboard", "reports:bank_dashboard", "ratings:coverage")
BASELINE, FALLBACK = "enterprise_list", "home"
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def repeats(queries: CaptureQueriesContext) -> int:
    shapes = Counter(LITERALS.sub("?", q["sql"]) for q in queries.captured_queries)
    return max(shapes.values(), default=0)


def call(user, url: str):
    """The view for `url`, called as the middleware would hand it the request (user set, no session)."""
    request = RequestFactory().get(url, SERVER_NAME="localhost")
    request.user = user
    match = resolve(request.path_info)
    request.resolver_match = match
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except PermissionDenied:
        return 403
    if hasattr(response, "render"):
        response.render()
    _body = response.content
    return response.status_code


def measure(user, url: str) -> dict:
    status = call(user, url)  # warm-up: templates, imports, the user's role assignments
    if status != 200:
        return {"status": status}
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call(user, url)
            times.append(time.perf_counter() - started)
    return {"status": 200, "ms": statistics.median(times) * 1000, "queries": len(queries), "repeats": repeats(queries)}


def sections(user, as_of: datetime.date, since: datetime.date) -> list[tuple[str, float, int]]:
    scope = build_scope(user=user, as_of=as_of, since=since)
    rows = []
    for name, compute in SECTIONS:
        compute(user, scope)
        times, count = [], 0
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                compute(user, scope)
                times.append(time.perf_counter() - started)
            count = len(queries)
        rows.append((name, statistics.median(times) * 1000, count))
    return rows


def main() -> None:
    wanted = os.environ.get("BENCH_USERS")
    names = [n for n in USERS if not wanted or n in wanted.split(",")]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_setting('default_transaction_read_only')")
        database, read_only = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM portal_enterprise")
        enterprises = cursor.fetchone()[0]
    print(f"database {database} (read only: {read_only}), {enterprises:,} enterprises, {REPEAT} timed requests each")
    print(f"{'page':<28}{'user':<11}{'status':>6}{'ms':>9}{'queries':>9}{'rep':>5}{'× baseline':>12}")
    for name in names:
        user = users.get(name)
        if user is None:
            print(f"  (no user {name})")
            continue
        base = measure(user, reverse(BASELINE))
        base_name = BASELINE
        if base["status"] != 200:
            base, base_name = measure(user, reverse(FALLBACK)), FALLBACK
        print(f"{'[' + base_name + ']':<28}{name:<11}{base['status']:>6}{base['ms']:>9.1f}{base['queries']:>9}"
              f"{base['repeats']:>5}{1:>12.2f}")
        for page in PAGES:
            found = measure(user, reverse(page))
            if found["status"] != 200:
                continue
            print(f"{page:<28}{name:<11}{found['status']:>6}{found['ms']:>9.1f}{found['queries']:>9}"
                  f"{found['repeats']:>5}{found['ms'] / base['ms']:>12.2f}")
    leader = users.get("leader")
    if leader is not None:
        today = timezone.localdate()
        last_year_end = today.replace(month=1, day=1) - datetime.timedelta(days=1)
        for label, as_of in (("today", today), ("previous year end", last_year_end)):
            rows = sections(leader, as_of, as_of.replace(month=1, day=1))
            total = sum(ms for _n, ms, _q in rows)
            print(f"leader figures as of {as_of} ({label}): {total:.1f} ms, {sum(q for *_x, q in rows)} queries — "
                  + ", ".join(f"{n} {ms:.1f} ms/{q}q" for n, ms, q in rows))


if __name__ == "__main__":
    main()
