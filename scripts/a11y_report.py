"""Count the WCAG 2.1 AA violations that axe-core finds on each role's main pages of a running portal
with the demo data (`manage.py seed_demo`), as a table: page, role, critical, serious, moderate, minor
(counted by element). The pages are those of tests/browser/test_accessibility.py.

    .venv/bin/python scripts/a11y_report.py http://127.0.0.1:8000 [--details] [--password ...]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.a11y import (  # noqa: E402
    IMPACTS,
    PAGES,
    axe_violations,
    count_by_impact,
    describe,
    open_page,
    roles_in_order,
    sign_in,
)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
            context = browser.new_context(locale=args.locale, viewport={"width": args.width, "height": 900})
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
