"""Time every list page of every role against the same page for the widest-scope role, on a seeded database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_city .venv/bin/python benchmarks/scope_lists.py

"Scope never costs more than the data shown": a list page (filtered and paginated) as a scoped role
(town staff, station operator, cadre, bank, insurer, enterprise) should cost at most 1.5× the same
page as the organization department's staff, who see everything (the leader where the organization
department has no such list). Every list of the portal is found from the URL configuration (each
FilteredListView); for each page and user it calls three variants — the first page, the third page
(`?page=3`) and a text search (`?q=王`, where the list has one) — each once to warm up and then
BENCH_REPEAT times (default 5), and prints the median time in ms, the query count, "rep" (how often
the most repeated statement ran in one request, literals aside: more than 2 or 3 is a query per row)
and the ratio to the baseline user's time for the same variant. A page the user may not open (403)
is left out; a ratio over 1.5 is marked with "!".

Each call reads the user's role assignments again, as a real request does. As benchmarks/dashboards.py: the connection is read-only (nothing is written), each page is called
through RequestFactory with the user set on the request, DEBUG off, the cache in-process.
Optional: BENCH_USERS=townstaff,cadre limits the users; BENCH_PAGES=person_list,… the pages.
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
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ["REDIS_URL"] = ""
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/bench_city")
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
from django.http import Http404  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse  # noqa: E402

from portal.access import forget_assignments  # noqa: E402
from portal.views.base import FilteredListView  # noqa: E402

BASELINES = ("orgstaff", "leader")
SCOPED = ("townstaff", "station", "cadre", "bank", "bank2", "insurer", "enterprise")
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
LIMIT = 1.5
LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def list_pages() -> list[tuple[str, type]]:
    """(URL name, view class) of every list page without URL arguments."""
    found = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class and issubclass(view_class, FilteredListView) and not pattern.pattern.regex.groups:
                    found.append((namespace + pattern.name, view_class))

    walk(get_resolver().url_patterns)
    return sorted(set(found), key=lambda item: item[0])


def repeats(queries) -> int:
    shapes = Counter(LITERALS.sub("?", q["sql"]) for q in queries.captured_queries)
    return max(shapes.values(), default=0)


def call(user, url: str) -> int:
    forget_assignments(user)  # as in a real request: the user's role assignments are read again
    request = RequestFactory().get(url, SERVER_NAME="localhost")
    request.user = user
    match = resolve(request.path_info)
    request.resolver_match = match
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except (PermissionDenied, Http404):
        return 403
    if hasattr(response, "render"):
        response.render()
    _body = response.content
    return response.status_code


def measure(user, url: str) -> dict | None:
    if call(user, url) != 200:
        return None
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call(user, url)
            times.append(time.perf_counter() - started)
    return {"ms": statistics.median(times) * 1000, "queries": len(queries), "repeats": repeats(queries)}


def variants(view_class) -> list[tuple[str, str]]:
    out = [("page 1", ""), ("page 3", "?page=3")]
    if "q" in view_class.filterset_class.base_filters:
        out.append(("q=王", "?" + urlencode({"q": "王"})))
    return out


def main() -> None:
    wanted_users = os.environ.get("BENCH_USERS")
    wanted_pages = os.environ.get("BENCH_PAGES")
    names = [n for n in (*BASELINES, *SCOPED) if not wanted_users or n in wanted_users.split(",") or n in BASELINES]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_setting('default_transaction_read_only')")
        database, read_only = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM portal_enterprise")
        enterprises = cursor.fetchone()[0]
    print(f"database {database} (read only: {read_only}), {enterprises:,} enterprises, {REPEAT} timed requests each")
    print(f"{'page':<34}{'variant':<8}{'user':<11}{'ms':>9}{'queries':>8}{'rep':>5}{'× widest':>10}")
    worst = []
    for page, view_class in list_pages():
        if wanted_pages and page not in wanted_pages.split(","):
            continue
        path = reverse(page)
        for label, query in variants(view_class):
            url = path + query
            base = base_name = None
            for name in BASELINES:
                if name in users:
                    base = measure(users[name], url)
                    if base is not None:
                        base_name = name
                        break
            if base is None:
                continue
            print(f"{page:<34}{label:<8}{base_name:<11}{base['ms']:>9.1f}{base['queries']:>8}{base['repeats']:>5}"
                  f"{1:>10.2f}")
            for name in SCOPED:
                if name not in users or name == base_name:
                    continue
                found = measure(users[name], url)
                if found is None:
                    continue
                ratio = found["ms"] / base["ms"]
                mark = " !" if ratio > LIMIT else ""
                worst.append((ratio, page, label, name))
                print(f"{'':<34}{'':<8}{name:<11}{found['ms']:>9.1f}{found['queries']:>8}{found['repeats']:>5}"
                      f"{ratio:>10.2f}{mark}")
    over = sorted((w for w in worst if w[0] > LIMIT), reverse=True)
    print(f"{len(worst)} scoped pages measured, {len(over)} over {LIMIT}×"
          + (": " + ", ".join(f"{p} {v} {u} {r:.2f}×" for r, p, v, u in over) if over else ""))


if __name__ == "__main__":
    main()
