"""The pure part of the registry import: files, headers, cells, rows. No database."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from portal.imports.cleaning import (
    ParkEntry,
    ParkIndex,
    RegionEntry,
    RegionIndex,
    RowCleaner,
    cell_text,
    free_text,
    parse_bool,
    parse_capital,
    parse_date,
    parse_employees,
    parse_industry,
    parse_kind,
)
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

TODAY = datetime.date(2026, 5, 1)
CODE_A = "91510799MA6ABCDE14"
CODE_B = "91510799MA6XYW0Q2F"
CODE_C = "93510799MA6C000110"
ID_A = "510623199001011237"
ID_B = "510623198506150027"

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


# --- cells ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    (datetime.datetime(2019, 3, 1, 0, 0), datetime.date(2019, 3, 1)),
    (datetime.date(2019, 3, 1), datetime.date(2019, 3, 1)),
    ("2019-03-01", datetime.date(2019, 3, 1)),
    ("2019/3/1", datetime.date(2019, 3, 1)),
    ("2019.3.1", datetime.date(2019, 3, 1)),
    ("2019年3月1日", datetime.date(2019, 3, 1)),
    ("２０１９年３月１日", datetime.date(2019, 3, 1)),
    ("20190301", datetime.date(2019, 3, 1)),
    (20190301, datetime.date(2019, 3, 1)),
    (43525, datetime.date(2019, 3, 1)),  # an Excel serial number in a cell not formatted as a date
    (43525.0, datetime.date(2019, 3, 1)),
])
def test_parse_date_accepts(raw, expected):
    assert parse_date(raw, TODAY) == (expected, "")


@pytest.mark.parametrize(("raw", "message"), [
    ("2019-02-30", "成立日期“2019-02-30”无法识别，请填写如 2019-03-01 的日期。"),
    ("三月一日", "成立日期“三月一日”无法识别，请填写如 2019-03-01 的日期。"),
    ("2019-3", "成立日期“2019-3”无法识别，请填写如 2019-03-01 的日期。"),
    ("2027-01-01", "成立日期不能晚于今天。"),
])
def test_parse_date_refuses(raw, message):
    assert parse_date(raw, TODAY) == (None, message)


@pytest.mark.parametrize(("raw", "unit", "expected"), [
    ("500", Decimal(10000), Decimal("5000000.00")),
    (500, Decimal(10000), Decimal("5000000.00")),
    (100.1, Decimal(10000), Decimal("1001000.00")),
    ("0.0001", Decimal(10000), Decimal("1.00")),
    ("1,200.5", Decimal(1), Decimal("1200.50")),
    ("3000", None, Decimal("3000.00")),
    ("500万元", None, Decimal("5000000.00")),
    ("500万", Decimal(1), Decimal("5000000.00")),
    ("500万人民币", None, Decimal("5000000.00")),
    ("3000元", Decimal(10000), Decimal("3000.00")),
    ("０", Decimal(10000), Decimal("0.00")),
])
def test_parse_capital_in_yuan(raw, unit, expected):
    value, error = parse_capital(raw, unit)
    assert (value, error) == (expected, "")
    assert isinstance(value, Decimal)


@pytest.mark.parametrize(("raw", "unit", "message"), [
    ("-5", Decimal(10000), "注册资本不能为负数。"),
    ("-0.01", Decimal(1), "注册资本不能为负数。"),
    ("五百万", Decimal(10000), "注册资本“五百万”不是有效的数字。"),
    ("1.234", Decimal(1), "注册资本折合为元后最多保留两位小数。"),
    ("100000000000", Decimal(10000), "注册资本数额过大。"),
])
def test_parse_capital_refuses(raw, unit, message):
    assert parse_capital(raw, unit) == (None, message)


@pytest.mark.parametrize(("raw", "expected"), [
    ("是", True), ("否", False), ("Y", True), ("n", False), ("√", True), ("×", False), ("1", True), ("0", False),
    (True, True), ("ｙｅｓ", True),
])
def test_parse_bool(raw, expected):
    assert parse_bool(raw) == (expected, "")


def test_parse_bool_refuses():
    assert parse_bool("可能") == (None, "重点民企应填“是”或“否”，实为“可能”。")


@pytest.mark.parametrize(("raw", "expected"), [
    ("民营企业", "private"), ("农民专业合作社", "coop"), ("农业专合社", "coop"), ("家庭农场", "farm"), (" 家庭 农场 ", "farm"),
])
def test_parse_kind(raw, expected):
    assert parse_kind(raw) == (expected, "")


def test_parse_kind_refuses():
    assert parse_kind("国有企业") == (None, "主体类型“国有企业”无法识别，应为：民营企业、农民专业合作社、家庭农场。")


@pytest.mark.parametrize(("raw", "expected"), [
    ("C", "C"), ("c", "C"), ("制造业", "C"), ("C 制造业", "C"), ("C-制造业", "C"), ("信息传输、软件和信息技术服务业", "I"),
])
def test_parse_industry(raw, expected):
    assert parse_industry(raw) == (expected, "")


@pytest.mark.parametrize("raw", ["Z", "C 建筑业", "工业"])
def test_parse_industry_refuses(raw):
    assert parse_industry(raw) == (None, f"行业门类“{raw}”无法识别，应为门类字母（如 C）或名称（如 制造业）。")


@pytest.mark.parametrize(("raw", "expected"), [("120", 120), (120.0, 120), ("1,200", 1200), ("35人", 35), ("0", 0)])
def test_parse_employees(raw, expected):
    assert parse_employees(raw) == (expected, "")


@pytest.mark.parametrize("raw", ["-3", "12.5", "很多"])
def test_parse_employees_refuses(raw):
    assert parse_employees(raw) == (None, f"从业人数应为不小于 0 的整数，实为“{raw}”。")


@pytest.mark.parametrize(("raw", "text"), [
    (None, ""), (120.0, "120"), (13800000000, "13800000000"), ("  星湖\n精工 ", "星湖 精工"), ("ＡＢＣ１２３", "ABC123"),
])
def test_cell_text(raw, text):
    assert cell_text(raw) == text


@pytest.mark.parametrize(("raw", "text"), [
    ("星湖机械（集团）有限公司", "星湖机械（集团）有限公司"),  # registered names keep full-width brackets
    ("\u3000星湖 \n 精工\t", "星湖 精工"),
    (None, ""),
    (120.0, "120"),
])
def test_free_text_keeps_fullwidth_punctuation(raw, text):
    assert free_text(raw) == text


def test_row_keeps_the_registered_name_as_written():
    result = cleaner().clean(2, row(企业名称=" 星湖机械（集团）有限公司 "))
    assert result.data["name"] == "星湖机械（集团）有限公司"


# --- regions ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "region_id"), [
    ("510799101201", 4),
    ("510799101", 2),  # a 9-digit town code
    ("东湖镇东湖村", 4),
    ("东湖镇 东湖村", 4),
    ("东湖镇/东湖村", 4),
    ("星湖市东湖镇东湖村", 4),
    ("西山街道东湖村", 6),
    ("桂花村", 7),  # a unique village name
    ("西山社区", 5),
    ("东湖镇", 2),
    ("星湖市", 1),
])
def test_region_resolved(value, region_id):
    assert regions().resolve(value) == (region_id, "")


@pytest.mark.parametrize(("value", "message"), [
    ("东湖村", "区划名称“东湖村”不唯一，请写明所在镇街（如“东湖镇东湖村”）或填写 12 位区划代码。"),
    ("东湖镇南湖村", "未找到区划“东湖镇南湖村”，请填写 12 位区划代码或“镇街+村（社区）”名称。"),
    ("510799101999", "未找到区划代码“510799101999”。"),
    ("5107991012", "区划代码应为 12 位数字，实为 10 位。"),
    ("", "所在区划不能为空。"),
])
def test_region_refused(value, message):
    assert regions().resolve(value) == (None, message)


def test_region_from_town_and_village_columns():
    index = regions()
    assert index.resolve_parts("西山街道", "东湖村") == (6, "")
    assert index.resolve_parts("东湖镇", "") == (2, "")
    assert index.resolve_parts("", "桂花村") == (7, "")


# --- rows --------------------------------------------------------------------------------------------------

def test_valid_row_cleaned_to_plain_values():
    result = cleaner().clean(2, row(统一社会信用代码=" 91510799ma6abcde14 "))
    assert result.errors == {}
    assert result.data == {
        "uscc": CODE_A, "name": "星湖精工有限公司", "region_id": 4, "registered_capital": "5000000.00",
        "founded_on": "2019-03-01", "legal_name": "张三", "legal_id": ID_A, "contact_name": "李四",
        "contact_mobile": "13800000000",
    }


@pytest.mark.parametrize(("values", "column", "message"), [
    ({"统一社会信用代码": "91510799MA6ABCDE10"}, "统一社会信用代码",
     "统一社会信用代码校验位错误：第 18 位应为“4”，实为“0”。"),
    ({"统一社会信用代码": "91510799MA6ABCDE"}, "统一社会信用代码", "统一社会信用代码应为 18 位，当前为 16 位。"),
    ({"统一社会信用代码": ""}, "统一社会信用代码", "统一社会信用代码不能为空。"),
    ({"企业名称": ""}, "企业名称", "企业名称不能为空。"),
    ({"所在区划": "东湖镇南湖村"}, "所在区划", "未找到区划“东湖镇南湖村”，请填写 12 位区划代码或“镇街+村（社区）”名称。"),
    ({"所在区划": ""}, "所在区划", "所在区划不能为空。"),
    ({"成立日期": "2019-13-01"}, "成立日期", "成立日期“2019-13-01”无法识别，请填写如 2019-03-01 的日期。"),
    ({"注册资本（万元）": "-100"}, "注册资本", "注册资本不能为负数。"),
    ({"法定代表人身份证号": "510623199001011230"}, "法定代表人身份证号", "身份证号校验码错误：第 18 位应为“7”。"),
    ({"法定代表人身份证号": "5.10623E+17"}, "法定代表人身份证号",
     "身份证号被存成了数字，末几位已经丢失：请把该列设为“文本”格式后重新填写。"),
    ({"法定代表人": ""}, "法定代表人身份证号", "填写了法定代表人身份证号，请同时填写法定代表人姓名。"),
    ({"联系电话": "0816-2345678"}, "联系电话", "手机号应为以 1 开头的 11 位数字。"),
])
def test_bad_row_reason_at_its_column(values, column, message):
    result = cleaner().clean(2, row(**values))
    assert result.errors == {column: message}


def test_duplicate_credit_code_is_an_error_on_the_later_row():
    rows = cleaner()
    first = rows.clean(2, row())
    second = rows.clean(7, row(统一社会信用代码="91510799ma6abcde14", 法定代表人身份证号=ID_B))
    assert first.errors == {}
    assert second.errors == {"统一社会信用代码": "统一社会信用代码与第 2 行重复。"}


def test_same_id_number_with_two_names_is_an_error_on_the_later_row():
    rows = cleaner()
    rows.clean(2, row())
    later = rows.clean(3, row(统一社会信用代码=CODE_B, 法定代表人="王五"))
    assert later.errors == {"法定代表人身份证号": "身份证号与第 2 行相同，但姓名不同（“张三”）。"}


def test_park_outside_the_region_is_an_error():
    headers = ["信用代码", "名称", "所在区划", "园区"]
    result = cleaner(headers).clean(2, [CODE_A, "星湖精工", "西山街道西山社区", "星湖高新技术产业园区"])
    assert result.errors == {"所在园区": "园区“星湖高新技术产业园区”不在所填区划内。"}


def test_blank_rows_are_skipped():
    rows = list(cleaner().rows([(2, [None] * 9), (3, row()), (4, ["", " ", None])]))
    assert [r.row_number for r in rows] == [3]


# --- whole files -------------------------------------------------------------------------------------------

def _xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for cells in rows:
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


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
