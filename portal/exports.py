"""Lists as spreadsheets: every list page writes the rows its filters show to .xlsx or .csv.

A list view names its columns (`export_columns = [(header, accessor), ...]`, see
`portal.views.base.ExportMixin`); this module turns the view's filtered queryset into the file. The
values are the page's: choice labels, names of related rows, masked personal data (a column reads
`person.id_number_masked`, never the number itself). Small lists are answered at once; a list longer
than `PORTAL_EXPORT_SYNC_MAX_ROWS` is handed to the background hook that the reports app registers
(`BACKGROUND_EXPORT`), which makes the same file in a worker with a progress bar.

This module knows nothing of reports: the dependency points from reports to portal."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partialmethod
from itertools import chain, islice

from django.conf import settings
from django.db import models, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .audit import audit_record
from .punctuation import clauses, mark, series

CSV, XLSX = "csv", "xlsx"
FORMATS = (XLSX, CSV)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT_LABELS = {XLSX: "Excel", CSV: "CSV"}
# Rows read from the database at a time, and how often a background export reports its progress.
CHUNK_ROWS = 1000
DEFAULT_SYNC_MAX_ROWS = 5000
# Query parameters that are not filters: the page number and the export request itself.
NOT_FILTERS = ("page", "export")

# Set by the reports app: (request, view, fmt) -> the URL of the page that follows the background
# export. Without it (reports not installed) every export is made at once.
BACKGROUND_EXPORT: Callable | None = None


def register_background_export(handler: Callable) -> None:
    global BACKGROUND_EXPORT  # noqa: PLW0603  (a plug-in point, set once at start-up)
    BACKGROUND_EXPORT = handler


def sync_max_rows() -> int:
    return int(getattr(settings, "PORTAL_EXPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS))


# --- values -----------------------------------------------------------------------------------------


def column_value(obj, accessor):
    """The value of one cell: `accessor` is a callable (row -> value) or a dotted attribute path whose
    last step may be a method without arguments ("get_status_display"); a missing link gives None."""
    if callable(accessor):
        return accessor(obj)
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value


DISPLAY_METHOD = re.compile(r"^get_(\w+)_display$")


def compile_accessor(accessor) -> Callable:
    """`column_value` for one column, as a function of the row. A choice label ("get_status_display")
    is looked up in the field's choices translated once per export: Django's own method translates
    every choice of the field on each call, which dominates the time of a long export."""
    if callable(accessor):
        return accessor
    *path, last = accessor.split(".")
    match = DISPLAY_METHOD.match(last)
    if match is None:
        return lambda obj: column_value(obj, accessor)
    labels: dict = {}

    def read(obj):
        owner = obj
        for part in path:
            if owner is None:
                return None
            owner = getattr(owner, part)
        if owner is None:
            return None
        model = type(owner)
        if model not in labels:
            # Only Django's generated method is replaced; a model's own get_…_display is called.
            generated = isinstance(model.__dict__.get(last) or getattr(model, last, None), partialmethod)
            field = owner._meta.get_field(match.group(1)) if generated else None
            labels[model] = (field.attname, {v: str(label) for v, label in field.flatchoices}) if field else None
        known = labels[model]
        if known is None:
            return getattr(owner, last)()
        attname, choices = known
        value = getattr(owner, attname)
        return choices.get(value, value)

    return read


def flag(accessor: str, yes, no) -> Callable:
    """A yes/no field shown as the page's words for it ("在售"/"停售")."""
    return lambda obj: yes if column_value(obj, accessor) else no


def as_json(value) -> str:
    """A JSON field (the audit log's before/after) as readable text."""
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def plain(value):
    """A cell as a spreadsheet holds it: text, a whole number, Decimal, a date or a local time."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, int | decimal.Decimal | datetime.date | str):
        return value
    if isinstance(value, float):
        return decimal.Decimal(str(value))
    if isinstance(value, list | tuple | set):
        return series(str(plain(v)) for v in value if v is not None)
    return str(value)


def _display_width(text: str) -> int:
    # A Chinese character takes two columns of a spreadsheet's width, a Latin one.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _as_text(value) -> str:
    """A cell as CSV writes it (and as the column width is estimated)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return f"{value:.2f}"
    return str(value)


# Spreadsheet programs run a cell that starts with one of these as a formula: text typed by users
# (an enterprise's name, an appeal's title) must never do that.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# --- rows ---------------------------------------------------------------------------------------------


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def iter_rows(queryset, columns, *, prepare: Callable | None = None,
              progress: Callable[[int], None] | None = None) -> Iterator[list]:
    """The cells of every row of `queryset`, in its order, read in chunks. `prepare(chunk)` may add
    what the page computes per page (figures read in one query for the chunk); `progress(done)` is
    told after each chunk."""
    readers = [compile_accessor(accessor) for _header, accessor in columns]
    rows = queryset.iterator(chunk_size=CHUNK_ROWS) if hasattr(queryset, "iterator") else iter(queryset)
    done = 0
    for chunk in _chunks(rows, CHUNK_ROWS):
        if prepare is not None:
            chunk = prepare(chunk)
        for obj in chunk:
            yield [plain(read(obj)) for read in readers]
        done += len(chunk)
        if progress is not None:
            progress(done)


# --- files --------------------------------------------------------------------------------------------


def write_csv(headers: list[str], rows: Iterable[list]) -> tuple[bytes, int]:
    """UTF-8 with a byte-order mark, so that Excel reads the Chinese right when the file is opened."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow([_safe_text(v) if isinstance(v, str) else _as_text(v) for v in row])
        count += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


NUMBER_FORMATS = {datetime.datetime: "yyyy-mm-dd hh:mm:ss", datetime.date: "yyyy-mm-dd",
                  decimal.Decimal: "#,##0.00"}
MIN_WIDTH, MAX_WIDTH = 8, 60


def _sheet_title(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet1"


def write_xlsx(headers: list[str], rows: Iterable[list], *, title: str) -> tuple[bytes, int]:
    """A write-only workbook (rows are not held in memory): a bold, frozen header, columns as wide
    as the first thousand rows need, dates as dates and amounts as numbers with two decimals."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    rows = iter(rows)
    # Column widths must be set before the first row is written: estimate them from the first chunk.
    first = list(islice(rows, CHUNK_ROWS))
    for index, header in enumerate(headers, start=1):
        widest = max([_display_width(header)] + [_display_width(_as_text(r[index - 1])) for r in first])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    def cell_of(value):
        if isinstance(value, str):
            if not value.startswith("="):
                return value
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text typed as "=…" stays text, never a formula
            return cell
        number_format = NUMBER_FORMATS.get(type(value))
        if number_format is None:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell

    count = 0
    for row in chain(first, rows):
        sheet.append([cell_of(v) for v in row])
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    content_type: str
    rows: int


def export_filename(name: str, fmt: str, now: datetime.datetime | None = None) -> str:
    now = timezone.localtime(now or timezone.now())
    return f"{name}-{now:%Y%m%d-%H%M}.{fmt}"


def build_export(*, queryset, columns, name: str, fmt: str, prepare: Callable | None = None,
                 progress: Callable[[int], None] | None = None) -> ExportFile:
    """The file of every row of `queryset` with these columns."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    headers = [str(header) for header, _accessor in columns]
    rows = iter_rows(queryset, columns, prepare=prepare, progress=progress)
    if fmt == CSV:
        content, count = write_csv(headers, rows)
    else:
        content, count = write_xlsx(headers, rows, title=name)
    return ExportFile(export_filename(name, fmt), content, CONTENT_TYPES[fmt], count)


# --- the filters, and the record ------------------------------------------------------------------


def filter_query(query: QueryDict) -> str:
    """The list's filters as a canonical query string: without the page and the export request, without
    empty fields, sorted — the same filters always give the same string (it keys a background export)."""
    pairs = sorted((key, value) for key in query for value in query.getlist(key)
                   if key not in NOT_FILTERS and value.strip() != "")
    canonical = QueryDict(mutable=True)
    for key, value in pairs:
        canonical.appendlist(key, value)
    return canonical.urlencode()


def describe_filters(filterset) -> str:
    """The filters as people read them ("主体类型：个体工商户；区划（含下级）：东湖镇"), for a title."""
    if filterset is None or not filterset.is_bound or not filterset.is_valid():
        return ""
    form, parts = filterset.form, []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, models.Model):
            shown = str(value)
        elif isinstance(value, bool):
            shown = _("是") if value else _("否")
        elif getattr(field, "choices", None) is not None and not isinstance(value, list | tuple):
            shown = str(dict((str(k), v) for k, v in field.choices).get(str(value), value))
        else:
            shown = str(plain(value) if not isinstance(value, list | tuple) else series(value))
        parts.append(f"{field.label}{mark('：')}{shown}")
    return clauses(parts)


@transaction.atomic
def export_record(*, acting_user, list_name: str, export_name: str, filters: str, fmt: str, rows: int,
                  obj: models.Model | None = None, note: str = "") -> None:
    """Who took which list with which filters out of the portal, and how many rows."""
    audit_record(actor=acting_user, action="export", obj=obj,
                 object_type=None if obj is not None else "export",
                 object_id=None if obj is not None else list_name,
                 object_repr=None if obj is not None else str(export_name),
                 after={"list": list_name, "filters": filters, "format": fmt, "rows": rows}, note=note)
