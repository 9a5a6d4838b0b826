"""Registry files as they really go wrong: formulas, merged cells, GBK, files that only claim to be
.xlsx, a real xlsx zip bomb, 200,000 rows. Each gets a clear message (at the row and column when it
is about rows), is refused before it costs much, and writes nothing to the registry.

Figures for the big cases (time, memory) come from benchmarks/import_bad_files.py: no timed asserts."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from portal.choices import ImportRowFate, ImportState
from portal.errors import DomainError
from portal.imports import services
from portal.imports.parsing import FormulaCell, MergedCell, open_sheet, scan_sheet_xml
from portal.models import Enterprise, ImportBatch, ImportRow
from tests.documents import docx_bytes, ole_bytes, pdf_bytes, streamed_xlsx

from .import_fixtures import CODE_A, CODE_B, CODE_C, csv_bytes, rows_of, upload

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "所在区划", "注册资本（万元）"]
FORMULA = "该单元格是公式（%s）。请将整列复制后“选择性粘贴”为数值，再重新上传。"
MERGED = "该单元格属于合并单元格 %s，只有合并区域的第一格有值。请取消合并，在每一行填写后重新上传。"
TOO_MANY = "文件的数据超过 50,000 行，超出单次导入的上限。请按镇街或主体类型分成几个文件，每个不超过 50,000 行，分别上传。"


def workbook(rows, *, merge=()) -> bytes:
    book = Workbook()
    sheet = book.active
    for cells in rows:
        sheet.append(cells)
    for ref in merge:
        sheet.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refused_at_upload(user, content: bytes, name: str) -> str:
    before = (ImportBatch.objects.count(), Enterprise.objects.count())
    with pytest.raises(DomainError) as caught:
        services.import_batch_create(acting_user=user, uploaded_file=SimpleUploadedFile(name, content))
    assert (ImportBatch.objects.count(), Enterprise.objects.count()) == before
    assert list(caught.value.errors) == ["file"]
    return caught.value.errors["file"][0]


# --- formulas ---------------------------------------------------------------------------------------

def test_formula_cells_are_refused_at_their_row_and_column(world, django_capture_on_commit_callbacks):
    content = workbook([
        HEADER + ["备注"],
        [CODE_A, "星湖精工有限公司", "东湖镇东湖村", "=100*5", "=1+1"],  # a formula in a column not imported
        [CODE_B, '=B2&"分公司"', "东湖镇东湖村", 300, None],
        [CODE_C, "星湖蔬菜专业合作社", "西山街道西山社区", 20, None],
    ])
    batch = upload(world.org_staff, content, django_capture_on_commit_callbacks)
    assert batch.state == ImportState.PREVIEW
    assert {n: (fate, errors) for n, (fate, errors, _changes) in rows_of(batch).items()} == {
        2: (ImportRowFate.ERROR, {"注册资本": FORMULA % "=100*5"}),
        3: (ImportRowFate.ERROR, {"企业名称": FORMULA % '=B2&"分公司"'}),
        4: (ImportRowFate.CREATE, {}),
    }
    with pytest.raises(DomainError, match="文件中有 2 行错误，不能导入"):
        services.import_batch_commit_request(acting_user=world.org_staff, batch=batch)
    assert not Enterprise.objects.filter(uscc__in=[CODE_A, CODE_B, CODE_C]).exists()


def test_a_formula_is_read_as_a_formula_never_as_its_cached_value():
    sheet_xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                 b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
                 b'<row r="2"><c r="A2"><f>SUM(B1:B9)</f><v>45</v></c></row><row r="3"/></sheetData></worksheet>')
    scan = scan_sheet_xml(io.BytesIO(sheet_xml))
    assert (scan.value_rows, scan.formulas, scan.merged) == (2, True, [])
    assert str(FormulaCell("=SUM(B1:B9)")) == ""  # never read as a value or a header
    assert FormulaCell("=" + "A" * 60).message == FORMULA % ("=" + "A" * 38 + "…")


# --- merged cells -----------------------------------------------------------------------------------

def test_merged_cells_are_refused_on_every_row_they_leave_empty(world, django_capture_on_commit_callbacks):
    # the region written once and merged down three rows, as people lay out a list by village
    content = workbook([
        HEADER,
        [CODE_A, "星湖精工有限公司", "东湖镇东湖村", 500],
        [CODE_B, "星湖机械有限公司", None, 300],
        [CODE_C, "星湖蔬菜专业合作社", None, 20],
    ], merge=["C2:C4"])
    batch = upload(world.org_staff, content, django_capture_on_commit_callbacks)
    assert {n: (fate, errors) for n, (fate, errors, _changes) in rows_of(batch).items()} == {
        2: (ImportRowFate.CREATE, {}),
        3: (ImportRowFate.ERROR, {"所在区划": MERGED % "C2:C4"}),
        4: (ImportRowFate.ERROR, {"所在区划": MERGED % "C2:C4"}),
    }
    assert batch.error_count == 2
    assert not Enterprise.objects.filter(uscc__in=[CODE_A, CODE_B, CODE_C]).exists()


def test_a_merged_title_above_the_header_is_no_problem():
    content = workbook([["星湖市市场主体名录"], HEADER, [CODE_A, "星湖精工有限公司", "东湖镇东湖村", 500]],
                       merge=["A1:D1"])
    with open_sheet(io.BytesIO(content), "名录.xlsx") as sheet:
        assert (sheet.header.row_number, sheet.merged, sheet.estimated_rows) == (2, 0, 1)
        assert list(sheet.rows) == [(3, [CODE_A, "星湖精工有限公司", "东湖镇东湖村", 500])]


def test_blank_rows_inside_a_merged_range_stay_blank():
    content = workbook([HEADER, [CODE_A, "星湖精工有限公司", "东湖镇东湖村", 500], [], []], merge=["C2:C4"])
    with open_sheet(io.BytesIO(content), "名录.xlsx") as sheet:
        rows = list(sheet.rows)
    assert isinstance(rows[1][1][2], MergedCell)
    from portal.imports.parsing import is_blank

    assert [is_blank(cells) for _n, cells in rows] == [False, True, True]


# --- encodings --------------------------------------------------------------------------------------

def test_a_gbk_csv_is_read_and_its_bad_row_named_in_chinese(world, django_capture_on_commit_callbacks):
    content = csv_bytes([[CODE_A, "星湖精工有限公司", "东湖镇东湖村", "500"],
                         ["91510799MA6ABCDE10", "西山竹编合作社", "西山街道西山社区", "12"]],
                        header=HEADER, encoding="gbk")
    batch = upload(world.org_staff, content, django_capture_on_commit_callbacks, name="名录.csv")
    assert {n: errors for n, (_fate, errors, _changes) in rows_of(batch).items()} == {
        2: {}, 3: {"统一社会信用代码": "统一社会信用代码校验位错误：第 18 位应为“4”，实为“0”。"}}
    assert ImportRow.objects.get(batch=batch, row_number=3).name == "西山竹编合作社"


def test_a_csv_in_neither_utf8_nor_gbk_is_refused(world):
    # bytes that are valid in no Chinese encoding (a binary file renamed .csv)
    message = refused_at_upload(world.org_staff, b"\x80\xff\xfe\x81" * 100, "名录.csv")
    assert message == "无法识别 CSV 文件的编码。请另存为“CSV UTF-8”或 GBK 编码的 CSV 后上传。"


# --- files that only claim to be .xlsx ----------------------------------------------------------------

@pytest.mark.parametrize(("content", "message"), [
    (csv_bytes([[CODE_A, "星湖精工有限公司", "东湖镇东湖村", "500"]], header=HEADER),
     "文件扩展名是 .xlsx，但内容不是有效的 Excel 工作簿。请在 Excel 或 WPS 中重新另存为 .xlsx。"),
    (ole_bytes("Workbook"), "文件内容是 Excel 97-2003 工作簿（.xls），只是扩展名写成了 .xlsx。"
                            "请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后上传。"),
    (b"<html><body><table><tr><td>\xe4\xbc\x81\xe4\xb8\x9a</td></tr></table></body></html>",
     "文件内容是网页（HTML），只是扩展名写成了 .xlsx（有些系统导出的“Excel”其实是网页）。"
     "请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再上传。"),
    (pdf_bytes(), "文件内容是 PDF 文档，只是扩展名写成了 .xlsx。请上传 Excel 工作簿（.xlsx）或 CSV 文件。"),
    (docx_bytes(), "文件内容是 Word 文档（.docx），与扩展名 .xlsx 不符。"),
    (b"PK\x03\x04" + b"\0" * 200, "文件扩展名是 .xlsx，但内容不是有效的 zip 结构，可能已损坏或只是改了扩展名。"),
])
def test_a_file_that_only_claims_to_be_xlsx_is_refused_at_upload(world, content, message):
    assert refused_at_upload(world.org_staff, content, "名录.xlsx") == message


# --- a real xlsx decompression bomb ---------------------------------------------------------------------

def test_a_real_xlsx_bomb_is_refused_before_it_is_read(world):
    # a valid workbook whose sheet inflates to 200 MB of blanks from a few hundred kilobytes
    content = streamed_xlsx([HEADER, [CODE_A, "星湖精工有限公司", "东湖镇东湖村", "500"]], blank_bytes=200 * 1024 * 1024)
    assert len(content) < 1024 * 1024
    sizes = {i.filename: i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist()}
    assert sizes["xl/worksheets/sheet1.xml"] > 200 * 1024 * 1024
    message = refused_at_upload(world.org_staff, content, "名录.xlsx").replace("\xa0", " ")
    assert message.startswith("文件中的“xl/worksheets/sheet1.xml”解压后达 200.0 MB（压缩比 ")
    assert message.endswith("倍），远超正常文件，可能是“压缩炸弹”，已拒绝。")


# --- 200,000 rows ----------------------------------------------------------------------------------------

def _rows(n):
    yield HEADER
    for i in range(n):
        yield [CODE_A, f"星湖精工{i}有限公司", "东湖镇东湖村", "500"]


def test_200000_rows_in_a_workbook_are_refused_at_upload(world):
    content = streamed_xlsx(_rows(200_000))
    assert refused_at_upload(world.org_staff, content, "名录.xlsx") == TOO_MANY


def test_200000_rows_in_a_csv_are_refused_at_upload(world):
    content = csv_bytes(list(_rows(200_000))[1:], header=HEADER)
    assert refused_at_upload(world.org_staff, content, "名录.csv") == TOO_MANY


def test_a_file_found_too_long_while_parsing_leaves_no_rows(world, settings, django_capture_on_commit_callbacks):
    # Given a CSV with old Mac line ends: its lines are not counted at upload, the parse finds 30 rows
    settings.PORTAL_IMPORT_MAX_ROWS = 10
    lines = [",".join(HEADER)] + [f"{CODE_A},星湖精工{i}有限公司,东湖镇东湖村,500" for i in range(30)]
    content = "\r".join(lines).encode()
    batch = upload(world.org_staff, content, django_capture_on_commit_callbacks, name="名录.csv")
    assert batch.state == ImportState.FAILED
    assert batch.error == ("文件的数据超过 10 行，超出单次导入的上限。请按镇街或主体类型分成几个文件，每个不超过 10 行，"
                           "分别上传。")
    assert not ImportRow.objects.filter(batch=batch).exists()
    assert not Enterprise.objects.filter(uscc=CODE_A).exists()


def test_a_workbook_without_a_dimension_is_counted_by_its_rows():
    # openpyxl's write-only files carry no <dimension>: the count comes from the rows themselves
    content = streamed_xlsx(_rows(1234))
    with open_sheet(io.BytesIO(content), "名录.xlsx", max_rows=50_000) as sheet:
        assert sheet.estimated_rows == 1234
        assert sum(1 for _row in sheet.rows) == 1234
