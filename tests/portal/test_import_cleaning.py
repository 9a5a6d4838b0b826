"""The pure part of the registry import: cells, regions, rows. No database."""

import datetime
from decimal import Decimal

import pytest

from portal.imports.cleaning import (
    cell_text,
    free_text,
    parse_bool,
    parse_capital,
    parse_date,
    parse_employees,
    parse_industry,
    parse_kind,
)

from .import_fixtures import (
    CODE_A,
    CODE_B,
    ID_A,
    ID_B,
    TODAY,
    cleaner,
    regions,
    row,
)

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
