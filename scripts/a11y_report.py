"""Count the WCAG 2.1 AA violations that axe-core finds on each role's main pages of a running portal
with the demo data (`manage.py seed_demo`), as a table: page, role, critical, serious, moderate, minor
(counted by element). The pages are those of tests/browser/test_accessibility.py.

    .venv/bin/python scripts/a11y_report.py http://127.0.0.1:8000 [--details] [--password ...]

The demo accounts that must pass the second factor are given the code of the demo authenticator (the
published demo secret, as a phone would compute it) after the password.
"""

import argparse
import sys
import time
from base64 import b32decode
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from django_otp.oath import totp  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.a11y import (  # noqa: E402
    IMPACTS,
    PAGES,
    axe_violations,
    count_by_impact,
    describe,
    open_page,
    roles_in_order,
)

# The published authenticator secret of the demo accounts that must pass the second factor
# (portal.demo.accounts.DEMO_TOTP_SECRET).
TOTP_SECRET = "XINGHUPORTALDEMOTOTPSECRET234567"  # noqa: S105
CODE_PAGE = "/accounts/two-factor/verify/"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """The password, then, where the account asks for it, the demo authenticator's code. A code works
    once: if this one was just used (another run signed in as the account), wait for the next."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form:has(#id_password) button")
    page.wait_for_load_state()
    for _attempt in range(2):
        if CODE_PAGE not in page.url:
            break
        page.fill("#id_code", f"{totp(b32decode(TOTP_SECRET)):06d}")
        page.click("main form:has(#id_code) button")
        page.wait_for_load_state()
        if CODE_PAGE in page.url:
            page.wait_for_timeout((31 - int(time.time()) % 30) * 1000)
    page.wait_for_url(f"{base_url}/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--password", default="Demo-2026-portal")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--locale", default="zh-CN", help="the browser's language (en-US for the English pages)")
    parser.add_argument("--details", action="store_true", help="list each violation under the table")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    rows, details = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for role in roles_in_order():
            # axe-core goes into the page as an inline script, which the portal's content-security policy
            # refuses: this report measures the pages, not the policy (tests/browser/test_csp_walk.py does).
            context = browser.new_context(locale=args.locale, viewport={"width": args.width, "height": 900},
                                          bypass_csp=True)
            page = context.new_page()
            if role:
                sign_in(page, base, role, args.password)
            for entry in (e for e in PAGES if e.role == role):
                url = open_page(page, base, entry)
                violations = axe_violations(page)
                counts = count_by_impact(violations)
                rows.append((url.removeprefix(base), role or "(public)", *(counts[i] for i in IMPACTS)))
                if violations:
                    details.append(describe(url.removeprefix(base), violations))
            context.close()
        browser.close()
    header = ("page", "role", *IMPACTS)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))
    totals = [sum(r[i] for r in rows) for i in range(2, 2 + len(IMPACTS))]
    print(line((f"total ({len(rows)} pages)", "", *totals)))
    if args.details and details:
        print()
        print("\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
