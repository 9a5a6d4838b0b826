"""Time and memory of the registry import's refusals, and of reading a file far over the row limit.

    .venv/bin/python benchmarks/import_bad_files.py

Each case runs in a fresh process, so its peak resident memory (ru_maxrss) is its own; "baseline" is
Django set up and the modules imported, doing nothing. No database is needed: the refusals at upload
are `open_sheet` with the row limit (what `import_batch_create` calls before any batch exists), and
"read all" cleans every row of a 200,000-row workbook with the limit lifted (what the parse task does
before writing its preview rows), to show that memory stays flat however long the file.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

ROWS = 200_000
HEADER = ["统一社会信用代码", "企业名称", "所在区划", "注册资本（万元）", "成立日期", "住所"]
CASES = ("baseline", "xlsx_refused", "csv_refused", "bomb_refused", "xlsx_read_all")


def rows(n: int):
    yield HEADER
    for i in range(n):
        yield ["91510799MA6ABCDE14", f"星湖基准{i}有限公司", "东湖镇东湖村", str(100 + i % 900), "2019-03-01",
               f"星湖市基准路 {i} 号"]


def run_case(case: str) -> dict:
    import django

    django.setup()
    from portal.imports.cleaning import RowCleaner
    from portal.imports.parsing import ImportFileError, open_sheet
    from tests.documents import streamed_xlsx
    from tests.portal.import_fixtures import TODAY, csv_bytes, parks, regions

    made = {
        "baseline": lambda: b"",
        "xlsx_refused": lambda: streamed_xlsx(rows(ROWS)),
        "csv_refused": lambda: csv_bytes(list(rows(ROWS))[1:], header=HEADER),
        "bomb_refused": lambda: streamed_xlsx(rows(1), blank_bytes=1024 * 1024 * 1024),
        "xlsx_read_all": lambda: streamed_xlsx(rows(ROWS)),
    }[case]()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome, read = "", 0
    if case in ("xlsx_refused", "csv_refused", "bomb_refused"):
        name = "名录.csv" if case == "csv_refused" else "名录.xlsx"
        try:
            with open_sheet(io.BytesIO(made), name, max_rows=50_000) as sheet:
                outcome = f"counted {sheet.estimated_rows:,}+ rows: refused (limit 50,000)"
        except ImportFileError as error:
            outcome = error.message
    elif case == "xlsx_read_all":
        with open_sheet(io.BytesIO(made), "名录.xlsx") as sheet:
            cleaner = RowCleaner(sheet.header, regions(), parks(), TODAY)
            for _row in cleaner.rows(sheet.rows):
                read += 1
        outcome = f"{read:,} rows read and cleaned"
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"case": case, "file": len(made), "seconds": elapsed, "peak_mb": peak / 1024,
            "grew_mb": (peak - before) / 1024, "outcome": outcome}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        result = run_case(sys.argv[2])
        print(repr(result))
        return
    print(f"{'case':<15}{'file':>12}{'seconds':>10}{'peak MB':>10}{'+MB':>8}  outcome")
    for case in CASES:
        out = subprocess.run([sys.executable, __file__, "--case", case], capture_output=True, text=True,  # noqa: S603
                             check=True, cwd=ROOT)
        result = eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own child's repr of a dict
        print(f"{result['case']:<15}{result['file']:>12,}{result['seconds']:>10.2f}{result['peak_mb']:>10.0f}"
              f"{result['grew_mb']:>8.0f}  {result['outcome'][:90]}")


if __name__ == "__main__":
    main()
