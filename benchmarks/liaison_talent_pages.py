"""Time the talent (党建+科创) and liaison (政企联系) pages for each demo role, against the enterprise list.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_perf5 .venv/bin/python benchmarks/liaison_talent_pages.py

Run it on a database seeded with `manage.py seed_demo --scale province` (100,000 enterprises): the
demo users orgstaff, townstaff, station, enterprise, cadre and leader must exist. For each of them it
requests, through the Django test client (force_login, no network), every list, overview and home
page of the two apps and the home page `/` (the apps add cards to it): one warm-up request, then
BENCH_REPEAT timed ones (default 5). It prints, per page and user:
  - the HTTP status (pages a role may not open answer 403 or redirect: those are not timed),
  - the median time in ms and the number of SQL queries of one request; "rep" is how often the most
    repeated statement ran in it (literals aside): more than 2 or 3 means a query per row,
  - the ratio of that median to the baseline page measured for the same user in the same run
    (`/enterprises/`, the registry list, which every demo role opens; `/` for a role it refuses).
Then, for the home page, each home card alone (its context function plus its template), so a slow
home page shows which card costs it. The figures are printed, never asserted: a machine shared with
other work gives noisy absolutes, the ratios less so.

Plans depend on the planner's statistics: a database just seeded and never analyzed (autovacuum off,
or not yet run) plans very differently from one that has been. The script says when the big tables
have no statistics; `psql … -c ANALYZE` first measures what a running site sees.

Optional: BENCH_USERS=orgstaff,leader limits the users; BENCH_ONLY=notice,pairing limits the pages to
the url names containing one of the words. Settings are portal.settings.local with DEBUG off (as in
production: cached templates, no query log); REDIS_URL is cleared so the cache is in-process.
Nothing is written to the database but the session rows force_login makes.
"""

from __future__ import annotations

import logging
import os
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ["REDIS_URL"] = ""
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/portal_perf5")

import django  # noqa: E402

django.setup()
# A role's 403 on a page it may not open is expected here, not worth a traceback; nor is the missing
# collectstatic directory.
logging.getLogger("django.request").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", message="No directory at")

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from portal.views.registry import HOME_CARDS  # noqa: E402

USERS = ("orgstaff", "townstaff", "station", "enterprise", "cadre", "leader")
BASELINE = "enterprise_list"
# Every page of the two apps that lists, sums up or greets, by url name (no arguments).
PAGES = (
    "home",
    "talent:overview", "talent:policy_item_list", "talent:talent_list", "talent:benefit_list",
    "talent:base_list", "talent:project_list", "talent:ip_action_list", "talent:training_list",
    "talent:registration_list",
    "liaison:cadre_list", "liaison:pairing_coverage", "liaison:visit_list", "liaison:my_pairings",
    "liaison:appeal_list", "liaison:appeal_queue", "liaison:department_list",
    "liaison:legal_overview", "liaison:lawyer_list", "liaison:consultation_list",
    "liaison:notice_list", "liaison:care_list", "liaison:mentoring_list",
)
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
HOST = "localhost"  # in the default ALLOWED_HOSTS; the test client's "testserver" is not
LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def repeats(queries: CaptureQueriesContext) -> int:
    """How often the most repeated statement ran, literals aside: above 2 or 3 it is a query per row."""
    shapes = Counter(LITERALS.sub("?", q["sql"]) for q in queries.captured_queries)
    return max(shapes.values(), default=0)


def never_analyzed() -> list[str]:
    """The project's big tables that PostgreSQL has no statistics for (no ANALYZE, no autovacuum yet)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > 1000 AND last_analyze IS NULL "
                       "AND last_autoanalyze IS NULL ORDER BY n_live_tup DESC")
        return [row[0] for row in cursor.fetchall()]


def measure(client: Client, url: str) -> dict:
    """One warm-up request (fills caches, compiles templates), then REPEAT timed ones."""
    response = client.get(url)
    if response.status_code != 200:
        return {"status": response.status_code}
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            # A streaming or lazily rendered response is only paid for when its body is read.
            _body = response.content
            times.append(time.perf_counter() - started)
    return {"status": response.status_code, "ms": statistics.median(times) * 1000, "queries": len(queries),
            "repeats": repeats(queries)}


def measure_cards(user) -> list[tuple[str, dict]]:
    """Each home card alone: its context function and its template, as the home page renders them."""
    request = RequestFactory().get("/", SERVER_NAME=HOST)
    request.user = user
    rows = []
    for template, context_fn in HOME_CARDS:
        times, count, shown = [], 0, True
        for _ in range(REPEAT + 1):  # the first is the warm-up
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                extra = context_fn(request)
                if extra is not None:
                    render_to_string(template, {"card": {"template": template, **extra}}, request=request)
                times.append(time.perf_counter() - started)
            count, shown = len(queries), extra is not None
        rows.append((template, {"ms": statistics.median(times[1:]) * 1000, "queries": count, "shown": shown}))
    return rows


def cell(result: dict, base_ms: float) -> str:
    if "ms" not in result:
        return f"{result['status']:>6} {'—':>10} {'—':>5} {'—':>5} {'—':>7}"
    return (f"{result['status']:>6} {result['ms']:8.1f}ms {result['queries']:>5} {result['repeats']:>5} "
            f"{result['ms'] / base_ms:6.2f}×")


def main():
    wanted_users = [u for u in os.environ.get("BENCH_USERS", ",".join(USERS)).split(",") if u]
    only = [w for w in os.environ.get("BENCH_ONLY", "").split(",") if w]
    pages = [p for p in PAGES if not only or any(w in p for w in only)]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=wanted_users)}
    missing = [u for u in wanted_users if u not in users]
    if missing:
        sys.exit(f"demo users missing: {', '.join(missing)} (seed with manage.py seed_demo --scale province)")
    from portal.models import Enterprise

    print(f"database: {os.environ['DATABASE_URL'].rsplit('@', 1)[-1]}; {Enterprise.objects.count()} enterprises; "
          f"median of {REPEAT} warm requests")
    unanalyzed = never_analyzed()
    if unanalyzed:
        # Plans (and so these figures) differ widely between a freshly seeded database and one that
        # ANALYZE or autovacuum has seen: say which one this is.
        print(f"note: {len(unanalyzed)} tables have no planner statistics yet (never analyzed), e.g. "
              f"{', '.join(unanalyzed[:4])}")
    slow = []
    for username in wanted_users:
        user = users[username]
        client = Client(SERVER_NAME=HOST)
        client.force_login(user)
        base = measure(client, reverse(BASELINE))
        base_url = reverse(BASELINE)
        if "ms" not in base:
            base_url = reverse("home")
            base = measure(client, base_url)
        print(f"\n== {username}: baseline {base_url} {base['ms']:.1f} ms, {base['queries']} queries")
        print(f"{'page':<28} {'status':>6} {'median':>10} {'SQL':>5} {'rep':>5} {'ratio':>7}")
        for name in pages:
            result = measure(client, reverse(name))
            print(f"{name:<28} {cell(result, base['ms'])}")
            if result.get("ms", 0) > 300:
                slow.append((username, name, result["ms"]))
        if not only or any(w in "home" for w in only):
            print(f"  home cards of {username}:")
            for template, result in measure_cards(user):
                shown = "" if result["shown"] else " (not shown)"
                print(f"  {template:<38} {result['ms']:8.1f}ms {result['queries']:>4} SQL{shown}")
    print("\npages above 300 ms:", ", ".join(f"{u} {n} {ms:.0f} ms" for u, n, ms in slow) or "none")


if __name__ == "__main__":
    main()
