"""The access matrix as the cases ran it: which of the nine roles each address was tried with, named by
its case (right, wrong, other scope) or by the helper's automatic pass, and how many requests it took.

    ACCESS_MATRIX_FILE=/tmp/matrix.jsonl pytest -k test_access …   (tests/access.py writes a line per case)
    python -m tests.access_matrix /tmp/matrix.jsonl

Not a test module: tests/test_access_matrix.py tests `summarize`."""

from __future__ import annotations

import json
import sys
from collections import defaultdict

from portal.choices import Role

ROLES = [role.value for role in Role]


def summarize(lines: list[dict]) -> dict:
    """Per address (name and method): the roles named by a case, the roles only the automatic pass tried,
    the roles nobody tried, and the requests; with the totals."""
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    auto: dict[tuple[str, str], set[str]] = defaultdict(set)
    requests: dict[tuple[str, str], int] = defaultdict(int)
    cases: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        key = (line["name"], line["method"])
        named[key] |= set(line["right"]) | set(line["wrong"]) | set(line["other_scope"]) | set(line.get("elsewhere", []))
        auto[key] |= set(line["auto"])
        requests[key] += line["requests"]
        cases[key] += 1
    rows = {}
    for key in sorted(named):
        rows[key] = {"named": sorted(named[key]), "auto_only": sorted(auto[key] - named[key]),
                     "untried": sorted(set(ROLES) - named[key] - auto[key]), "cases": cases[key],
                     "requests": requests[key]}
    return {
        "rows": rows,
        "names": len({name for name, _ in rows}),
        "addresses": len(rows),
        "cases": sum(cases.values()),
        "requests": sum(requests.values()),
        "auto_requests": sum(len(line["auto"]) for line in lines),
        "untried": {key: row["untried"] for key, row in rows.items() if row["untried"]},
    }


def report(summary: dict) -> str:
    out = [f"{summary['names']} URL names, {summary['addresses']} addresses (name and method), "
           f"{summary['cases']} cases, {summary['requests']} requests "
           f"({summary['auto_requests']} by the automatic pass)"]
    for (name, method), row in summary["rows"].items():
        auto = f"  auto: {', '.join(row['auto_only'])}" if row["auto_only"] else ""
        untried = f"  UNTRIED: {', '.join(row['untried'])}" if row["untried"] else ""
        out.append(f"{method.upper():6} {name:45} named {len(row['named'])}/9{auto}{untried}")
    return "\n".join(out)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        print(report(summarize([json.loads(line) for line in source if line.strip()])))
