import pytest

from portal.rules import (
    check_id_number,
    check_mobile,
    check_region_code,
    check_uscc,
    clean_text,
    mask_id_number,
    mask_mobile,
    region_prefix,
)


@pytest.mark.parametrize(
    ("raw", "value", "error"),
    [
        ("91110108551385082Q", "91110108551385082Q", ""),
        ("91110108551385082q", "91110108551385082Q", ""),
        (" 9111 0108 5513 8508 2Q ", "91110108551385082Q", ""),
        ("９１１１０１０８５５１３８５０８２Ｑ", "91110108551385082Q", ""),
        ("91110108551385082X", "91110108551385082X", "统一社会信用代码校验位错误：第 18 位应为“Q”，实为“X”。"),
        ("91110108551385082", "91110108551385082", "统一社会信用代码应为 18 位，当前为 17 位。"),
        ("", "", "统一社会信用代码不能为空。"),
        (None, "", "统一社会信用代码不能为空。"),
        ("9111010855138508OQ", "9111010855138508OQ", "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。"),
        ("A1110108551385082Q", "A1110108551385082Q",
         "统一社会信用代码前 8 位（登记管理部门、机构类别、行政区划）应为数字。"),
    ],
)
def test_check_uscc(raw, value, error):
    result = check_uscc(raw)
    assert (result.value, result.error) == (value, error)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("11010519491231002X", ""),
        ("11010519491231002x", ""),
        ("110105194912310021", "身份证号校验码错误：第 18 位应为“X”。"),
        ("1101051949123100", "身份证号应为 18 位，当前为 16 位。"),
        ("11010519491231A02X", "身份证号前 17 位应为数字。"),
        ("110105194913310021", "身份证号中的出生日期（第 7–14 位）无效。"),
        ("", "身份证号不能为空。"),
    ],
)
def test_check_id_number(raw, error):
    assert check_id_number(raw).error == error


@pytest.mark.parametrize(
    ("raw", "value", "error"),
    [
        ("13812345678", "13812345678", ""),
        ("138-1234-5678", "13812345678", ""),
        ("+8613812345678", "13812345678", ""),
        ("12812345678", "12812345678", "手机号应为以 1 开头的 11 位数字。"),
        ("1381234567", "1381234567", "手机号应为以 1 开头的 11 位数字。"),
        ("", "", "手机号不能为空。"),
    ],
)
def test_check_mobile(raw, value, error):
    result = check_mobile(raw)
    assert (result.value, result.error) == (value, error)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("110105194912310021", "110***********0021"),
        ("11010519491231002X", "110***********002X"),
        ("", ""),
        ("1234567", "*******"),
    ],
)
def test_mask_id_number(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [("13812345678", "138****5678"), ("", ""), ("123", "***")],
)
def test_mask_mobile(number, masked):
    assert mask_mobile(number) == masked


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("  东湖　镇 ", "东湖 镇"), ("ＡＢＣ１２３", "ABC123"), (None, ""), (12, "12"), ("a\n\tb", "a b")],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [("510799000000", "city", "510799"), ("510799101000", "town", "510799101"),
     ("510799101203", "village", "510799101203")],
)
def test_region_prefix(code, level, prefix):
    assert region_prefix(code, level) == prefix


@pytest.mark.parametrize(
    ("code", "level", "parent", "parent_level", "error"),
    [
        ("510799101000", "town", "510799000000", "city", ""),
        ("510799101201", "village", "510799101000", "town", ""),
        ("51079910100", "town", None, None, "行政区划代码应为 12 位数字。"),
        ("510799101001", "town", None, None, "该级行政区划代码第 9 位之后应全为 0。"),
        ("510798101000", "town", "510799000000", "city", "行政区划代码应以上级区划代码 510799 开头。"),
        ("510799000000", "town", "510799000000", "city", "行政区划代码不能与上级相同。"),
    ],
)
def test_check_region_code(code, level, parent, parent_level, error):
    assert check_region_code(code, level, parent, parent_level) == error
