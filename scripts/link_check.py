"""Walk the links each demo account is offered, from its home page, and list every one that answers
403 or 500: a page should never offer a link its reader cannot open. Runs in-process on the database
of DATABASE_URL (a seeded demo); one page per URL pattern and variant is enough, three at most. An account
that must pass the second factor gives the demo authenticator's code first.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python scripts/link_check.py [USERNAME ...]
"""

import collections
import logging
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

USERS = ["orgstaff", "townstaff", "station", "bank", "bank2", "insurer", "enterprise", "cadre", "leader", "admin"]
SKIP = ("/accounts/logout", "/i18n/", "export=", "/download", "/admin/", "/static/", "/media/", "/api/")
PER_ROUTE, MAX_PAGES = 3, 400


# Each refusal is listed below once; the request log's warning and traceback for it would only repeat it.
logging.getLogger("django.request").setLevel(logging.ERROR)


def pass_second_factor(client: Client, user) -> None:
    """An account that must pass the second factor types the demo authenticator's code on the code
    page, as its user would. A code works once: if this one was just used, wait for the next."""
    from base64 import b32decode

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.demo import DEMO_TOTP_SECRET

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return
    for _attempt in range(2):
        response = client.post("/accounts/two-factor/verify/", {"code": f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}"})
        if response.status_code == 302:
            return
        time.sleep(31 - int(time.time()) % 30)
    raise RuntimeError(f"{user}: the demo authenticator's code was refused twice")


def walk(username: str) -> tuple[int, list[tuple[int, str, str]]]:
    client = Client()
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    pass_second_factor(client, user)
    seen, refused, came_from = set(), [], {"/": "-"}
    routes = collections.Counter()
    queue = collections.deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (403, 500):
            refused.append((response.status_code, url, came_from[url]))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
            href = href.replace("&amp;", "&")
            if any(part in href for part in SKIP):
                continue
            try:
                match = resolve(href.split("?")[0])
            except Resolver404:
                continue
            # a tab, a queue or an action is a page of its own; a record's number is not
            words = tuple(sorted((k, v) for k, v in match.kwargs.items() if not str(v).isdigit()))
            route = (match.view_name, words, "?" in href)
            routes[route] += 1
            if routes[route] <= PER_ROUTE and href not in seen:
                came_from.setdefault(href, url)
                queue.append(href)
    return len(seen), refused


def main() -> int:
    failed = False
    for username in sys.argv[1:] or USERS:
        pages, refused = walk(username)
        print(f"{username:12} {pages:4} pages, {len(refused)} links refused")
        for status, url, origin in refused:
            failed = True
            print(f"    {status} {url}  (linked from {origin})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
