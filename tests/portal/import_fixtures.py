"""Files and steps shared by the import tests (not a test module itself)."""

import csv
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.imports import services
from portal.imports.cleaning import ParkEntry, ParkIndex, RegionEntry, RegionIndex, RowCleaner
from portal.imports.files import workbook_bytes
from portal.imports.parsing import find_header
from portal.models import ImportBatch

CODE_A = "91510799MA6ABCDE14"
CODE_B = "91510799MA6XYW0Q2F"
CODE_C = "93510799MA6C000110"
BAD_CODE = "91510799MA6ABCDE10"
ID_A = "510623199001011237"
ID_B = "510623198506150027"

HEADER = ["统一社会信用代码", "企业名称", "所在区划", "重点民企", "注册资本（万元）", "成立日期", "法定代表人",
          "法定代表人身份证号", "联系人", "联系电话"]


def xlsx(rows, header=HEADER) -> bytes:
    return workbook_bytes([header, *rows])


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig", delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def upload(user, content: bytes, capture, name="星湖名录.xlsx") -> ImportBatch:
    with capture(execute=True):
        batch = services.import_batch_create(acting_user=user, uploaded_file=SimpleUploadedFile(name, content))
    batch.refresh_from_db()
    return batch


def commit(user, batch, capture) -> ImportBatch:
    with capture(execute=True):
        services.import_batch_commit_request(acting_user=user, batch=batch)
    batch.refresh_from_db()
    return batch


def rows_of(batch):
    return {r.row_number: (r.fate, r.errors, r.changes) for r in batch.rows.all()}


def mixed_file(world) -> bytes:
    """Row 2 updates ent_a, row 3 creates an enterprise, row 4 leaves ent_b as it is."""
    return xlsx([
        [world.ent_a.uscc, "东湖精密机械股份有限公司", "东湖镇东湖村", "是", 200, None, None, None, None, None],
        [CODE_A, "星湖精工有限公司", "510799102201", "否", 50.5, datetime.datetime(2019, 3, 1), "张三", ID_A, "李四",
         "13800000000"],
        [world.ent_b.uscc, "西山食品有限公司", "西山街道西山社区", None, None, None, None, None, None, None],
    ])


# --- the pure part: an in-memory region and park index, and a row cleaner over it ---

TODAY = datetime.date(2026, 5, 1)

HEADERS = ["统一社会信用代码", "企业名称", "所在区划", "注册资本（万元）", "成立日期", "法定代表人", "法定代表人身份证号",
           "联系人", "联系电话"]


def regions():
    return RegionIndex([
        RegionEntry(1, "510799000000", "星湖市", "city", None),
        RegionEntry(2, "510799101000", "东湖镇", "town", 1),
        RegionEntry(3, "510799102000", "西山街道", "town", 1),
        RegionEntry(4, "510799101201", "东湖村", "village", 2),
        RegionEntry(5, "510799102201", "西山社区", "village", 3),
        RegionEntry(6, "510799102202", "东湖村", "village", 3),  # a second 东湖村, in another town
        RegionEntry(7, "510799101202", "桂花村", "village", 2),
    ])


def parks():
    return ParkIndex([ParkEntry(1, "P001", "星湖高新技术产业园区", "510799101000", "town")])


def cleaner(headers=HEADERS):
    header = find_header([(1, headers)])
    return RowCleaner(header, regions(), parks(), TODAY)


def row(**values):
    """A row of HEADERS, valid unless a value is overridden."""
    base = {"统一社会信用代码": CODE_A, "企业名称": "星湖精工有限公司", "所在区划": "东湖镇东湖村", "注册资本（万元）": "500",
            "成立日期": "2019-03-01", "法定代表人": "张三", "法定代表人身份证号": ID_A, "联系人": "李四",
            "联系电话": "13800000000"}
    base.update(values)
    return [base[h] for h in HEADERS]
