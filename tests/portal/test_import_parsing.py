"""The pure part of the registry import: files, headers, cells, rows. No database."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from portal.imports.cleaning import (
    RowCleaner,
)
from portal.imports.files import workbook_bytes
from portal.imports.parsing import (
    ImportFileError,
    capital_unit,
    column_letter,
    decode_text,
    detect_delimiter,
    detect_format,
    find_header,
    match_header,
    normalize_header,
    open_sheet,
)

from .import_fixtures import (
    CODE_A,
    CODE_B,
    CODE_C,
    ID_B,
    TODAY,
    parks,
    regions,
)

# --- headers ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "key"), [
    ("统一社会信用代码", "uscc"),
    ("社会信用代码", "uscc"),
    ("信用代码", "uscc"),
    (" 统一社会\n信用代码 ", "uscc"),
    ("统一社会信用代码\u3000", "uscc"),
    ("*统一社会信用代码", "uscc"),
    ("企业名称", "name"),
    ("名称", "name"),
    ("单位名称", "name"),
    ("主体类型", "kind"),
    ("类型", "kind"),
    ("行业", "industry"),
    ("行业门类", "industry"),
    ("所在区划", "region"),
    ("区划代码", "region"),
    ("所在镇街", "town"),
    ("村（社区）", "village"),
    ("村(社区)", "village"),
    ("园区", "park"),
    ("所在园区", "park"),
    ("重点民企", "is_key"),
    ("是否重点民企", "is_key"),
    ("从业人数", "employees"),
    ("员工人数", "employees"),
    ("从业人数（人）", "employees"),
    ("注册资本（万元）", "registered_capital"),
    ("注册资本（元）", "registered_capital"),
    ("注册资本", "registered_capital"),
    ("注册资本\n（万元）", "registered_capital"),
    ("成立日期", "founded_on"),
    ("住所", "address"),
    ("地址", "address"),
    ("法定代表人", "legal_name"),
    ("法定代表人身份证号", "legal_id"),
    ("联系人", "contact_name"),
    ("联系电话", "contact_mobile"),
    ("ＵＳＣＣ", "uscc"),
    ("备注", None),
    ("", None),
    (None, None),
])
def test_header_matching(header, key):
    assert match_header(header) == key


def test_normalize_header_folds_fullwidth_blanks_and_markers():
    assert normalize_header(" 注册资本\n（万元）：") == "注册资本(万元)"
    assert normalize_header("＊企业　名称") == "企业名称"


@pytest.mark.parametrize(("header", "unit"), [
    ("注册资本（万元）", Decimal(10000)),
    ("注册资本(万元)", Decimal(10000)),
    ("注册资本（万元人民币）", Decimal(10000)),
    ("注册资本（元）", Decimal(1)),
    ("注册资本", None),
    ("注册资金", None),
])
def test_capital_unit_from_header(header, unit):
    assert capital_unit(header) == unit


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")])
def test_column_letter(index, letter):
    assert column_letter(index) == letter


def test_header_found_below_a_title_row():
    header = find_header([(1, ["星湖市市场主体名录（2026年）", None, None]), (2, []),
                          (3, ["序号", "信用代码", "单位名称", "所在镇街", "村（社区）"])])
    assert header.row_number == 3
    assert header.columns == {"uscc": 1, "name": 2, "town": 3, "village": 4}
    assert header.ignored == ["序号"]


def test_header_missing_required_column_names_it():
    with pytest.raises(ImportFileError) as caught:
        find_header([(1, ["统一社会信用代码", "住所"])])
    assert caught.value.message == "未找到可识别的表头行：缺少必填列“企业名称”、“所在区划”。请对照导入模板检查表头。"


def test_header_with_no_known_column_names_all_required():
    with pytest.raises(ImportFileError) as caught:
        find_header([(1, ["a", "b"]), (2, ["1", "2"])])
    assert caught.value.message == (
        "未找到可识别的表头行：缺少必填列“统一社会信用代码”、“企业名称”、“所在区划”。请对照导入模板检查表头。"
    )


def test_header_with_a_column_twice_is_refused():
    with pytest.raises(ImportFileError) as caught:
        find_header([(1, ["统一社会信用代码", "企业名称", "所在区划", "信用代码"])])
    assert caught.value.message == "表头“统一社会信用代码”出现了两次（第 A 列和第 D 列），请删除其中一列。"


def test_header_describe_states_the_capital_unit():
    header = find_header([(1, ["信用代码", "名称", "区划代码", "注册资本（万元）"])])
    assert header.describe()[3] == {"letter": "D", "header": "注册资本（万元）", "label": "注册资本",
                                    "note": "单位：万元，乘以 10,000 折合为元"}


# --- files ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "head", "message"), [
    ("名录.xls", b"\xd0\xcf\x11\xe0", "不支持 .xls 格式。请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）或 CSV 后上传。"),
    ("名录.et", b"\xd0\xcf\x11\xe0", "不支持 .et 格式。请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）或 CSV 后上传。"),
    ("名录.pdf", b"%PDF-1.7", "只能导入 Excel 工作簿（.xlsx）或 CSV 文件，不支持“名录.pdf”。"),
    ("名录.xlsx", b"a,b,c\n", "文件扩展名是 .xlsx，但内容不是有效的 Excel 工作簿。请在 Excel 或 WPS 中重新另存为 .xlsx。"),
    ("名录.csv", b"PK\x03\x04", "文件扩展名是 .csv，但内容是 Excel 工作簿。请另存为 .xlsx 或 CSV 后上传。"),
])
def test_other_files_are_refused(name, head, message):
    with pytest.raises(ImportFileError) as caught:
        detect_format(name, head)
    assert caught.value.message == message


@pytest.mark.parametrize(("name", "head", "fmt"), [
    ("名录.xlsx", b"PK\x03\x04", "xlsx"), ("名录.XLSX", b"PK\x03\x04", "xlsx"), ("名录.csv", b"\xef\xbb\xbf", "csv"),
    ("名录.txt", b"a\tb", "csv"),
])
def test_accepted_formats(name, head, fmt):
    assert detect_format(name, head) == fmt


@pytest.mark.parametrize(("data", "encoding"), [
    ("\ufeff企业名称".encode(), "utf-8-sig"),
    ("企业名称".encode(), "utf-8"),
    ("企业名称".encode("gbk"), "gb18030"),
    ("企业名称𠀀".encode("gb18030"), "gb18030"),
    ("企业名称".encode("utf-16"), "utf-16"),
])
def test_csv_encoding_detected(data, encoding):
    text, found = decode_text(data)
    assert found == encoding
    assert text.startswith("企业名称")


@pytest.mark.parametrize(("text", "delimiter"), [
    ("信用代码,企业名称,所在区划\n1,2,3\n", ","),
    ("信用代码\t企业名称\t所在区划\n1\t2\t3\n", "\t"),
    ("信用代码\t企业名称\t住所\n1\t星湖,有限\t东湖镇,1号\n", "\t"),
])
def test_csv_delimiter_detected(text, delimiter):
    assert detect_delimiter(text) == delimiter


# --- whole files -------------------------------------------------------------------------------------------

def _xlsx(rows) -> io.BytesIO:
    return io.BytesIO(workbook_bytes(rows))


def test_xlsx_parsed_end_to_end():
    # Given a workbook as people make it: a title row, full-width and broken headers, a date cell,
    # numbers as numbers, and a blank row.
    data = _xlsx([
        ["星湖市市场主体名录"],
        ["信用代码", "单位名称", "所在镇街", "村（社区）", "重点民企", "员工人数", "注册资本\n（万元）", "成立日期", "类型"],
        [CODE_A, "星湖精工有限公司", "东湖镇", "东湖村", "√", 120, 100.5, datetime.datetime(2019, 3, 1), "民营企业"],
        [],
        [CODE_B, "西山合作社", "西山街道", "西山社区", "否", 8.0, 30, "2020年5月6日", "农业专合社"],
    ])
    # When it is opened and cleaned
    with open_sheet(data, "名录.xlsx") as sheet:
        rows = list(RowCleaner(sheet.header, regions(), parks(), TODAY).rows(sheet.rows))
    # Then each row carries exact values, under the spreadsheet's own row numbers
    assert [(r.row_number, r.errors) for r in rows] == [(3, {}), (5, {})]
    assert rows[0].data == {"uscc": CODE_A, "name": "星湖精工有限公司", "region_id": 4, "is_key": True,
                            "employees": 120, "registered_capital": "1005000.00", "founded_on": "2019-03-01",
                            "kind": "private"}
    assert rows[1].data == {"uscc": CODE_B, "name": "西山合作社", "region_id": 5, "is_key": False, "employees": 8,
                            "registered_capital": "300000.00", "founded_on": "2020-05-06", "kind": "coop"}


def test_gbk_tab_separated_csv_parsed_end_to_end():
    # Given a CSV as WPS saves it on Chinese Windows: GBK, tab-separated, a quoted header with a line break
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\r\n")
    writer.writerow(["统一社会信用代码", "企业名称", "区划代码", "注册资本\n（元）", "成立日期", "法定代表人", "身份证号"])
    writer.writerow([CODE_C, "星湖蔬菜专业合作社", "510799102201", "300000", "2019/3/1", "赵六", ID_B])
    writer.writerow([CODE_A, "星湖精工", "510799101201", "-1", "20190301", "", ""])
    data = io.BytesIO(out.getvalue().encode("gbk"))
    # When it is opened and cleaned
    with open_sheet(data, "名录.csv") as sheet:
        assert sheet.encoding == "gb18030"
        rows = list(RowCleaner(sheet.header, regions(), parks(), TODAY).rows(sheet.rows))
    # Then
    assert rows[0].row_number == 2
    assert rows[0].errors == {}
    assert rows[0].data == {"uscc": CODE_C, "name": "星湖蔬菜专业合作社", "region_id": 5,
                            "registered_capital": "300000.00", "founded_on": "2019-03-01", "legal_name": "赵六",
                            "legal_id": ID_B}
    assert (rows[1].row_number, rows[1].errors) == (3, {"注册资本": "注册资本不能为负数。"})


def test_utf8_bom_comma_csv_with_no_header_is_refused():
    data = io.BytesIO("\ufeff序号,备注\n1,无\n".encode())
    with pytest.raises(ImportFileError) as caught:
        open_sheet(data, "名录.csv")
    assert caught.value.message == (
        "未找到可识别的表头行：缺少必填列“统一社会信用代码”、“企业名称”、“所在区划”。请对照导入模板检查表头。"
    )


def test_utf8_bom_comma_csv_with_quoted_commas_parsed():
    data = io.BytesIO(
        "\ufeff统一社会信用代码,企业名称,所在区划,住所\r\n"
        f'{CODE_A},星湖机械（集团）有限公司,东湖镇东湖村,"东湖镇工业路 8 号,A 栋"\r\n'.encode()
    )
    with open_sheet(data, "名录.csv") as sheet:
        assert sheet.encoding == "utf-8-sig"
        rows = list(RowCleaner(sheet.header, regions(), parks(), TODAY).rows(sheet.rows))
    assert [(r.row_number, r.errors, r.data) for r in rows] == [(2, {}, {
        "uscc": CODE_A, "name": "星湖机械（集团）有限公司", "region_id": 4, "address": "东湖镇工业路 8 号,A 栋"})]
