"""The premium discount's pure rules, table by table: exact values, every edge, every refusal."""

import datetime
from decimal import Decimal

import pytest

from insurance import rules
from insurance.rules import RuleError

D = Decimal


# --- the premium arithmetic --------------------------------------------------------------------

@pytest.mark.parametrize(("base", "rate", "discount", "net"), [
    ("12345.67", "25", "3086.42", "9259.25"),  # 3,086.4175 → 3,086.42
    ("10000.00", "10", "1000.00", "9000.00"),
    ("10000.00", "30", "3000.00", "7000.00"),
    ("0.01", "30", "0.00", "0.01"),  # 0.003 rounds down: the smallest premium keeps its fen
    ("0.01", "50", "0.01", "0.00"),  # 0.005: half a fen goes up
    ("0.01", "100", "0.01", "0.00"),
    ("1.05", "10", "0.11", "0.94"),  # 0.105: half up, where banker's rounding would give 0.10
    ("2.50", "15", "0.38", "2.12"),  # 0.375
    ("2.25", "10", "0.23", "2.02"),  # 0.225
    ("33.33", "33.33", "11.11", "22.22"),  # 11.108889
    ("100.00", "0", "0.00", "100.00"),  # 0 %: no discount
    ("100.00", "100", "100.00", "0.00"),  # 100 %: nothing to pay
    ("0.00", "25", "0.00", "0.00"),
    ("999999999999.99", "30", "300000000000.00", "699999999999.99"),  # the largest amount stored
    ("7777.77", "12.34", "959.78", "6817.99"),  # 959.776818
])
def test_net_premium(base, rate, discount, net):
    premium = rules.net_premium(D(base), D(rate))
    assert (premium.discount, premium.net) == (D(discount), D(net))
    assert premium.discount + premium.net == D(base)
    assert (premium.base, premium.rate_percent) == (D(base), D(rate).quantize(D("0.01")))
    assert premium.discount.as_tuple().exponent == -2
    assert premium.net.as_tuple().exponent == -2


@pytest.mark.parametrize("base", ["0.01", "0.99", "1.00", "3.33", "19.99", "12345.67", "50000.05"])
@pytest.mark.parametrize("rate", ["0", "10", "15", "20", "25", "30", "33.33", "99.99", "100"])
def test_discount_and_net_always_add_up_to_the_base(base, rate):
    premium = rules.net_premium(D(base), D(rate))
    assert premium.discount + premium.net == D(base)
    assert D("0") <= premium.discount <= D(base)


@pytest.mark.parametrize(("base", "rate", "message"), [
    ("100", "-0.01", "优惠比例须在 0% 至 100% 之间，当前为 -0.01%。"),
    ("100", "100.01", "优惠比例须在 0% 至 100% 之间，当前为 100.01%。"),
    ("100", "NaN", "优惠比例须在 0% 至 100% 之间，当前为 NaN%。"),
    ("-1", "10", "基础保费须为不小于 0 且最多两位小数的金额。"),
    ("1.005", "10", "基础保费须为不小于 0 且最多两位小数的金额。"),
    ("Infinity", "10", "基础保费须为不小于 0 且最多两位小数的金额。"),
])
def test_net_premium_refuses_what_is_not_money_or_a_rate(base, rate, message):
    with pytest.raises(RuleError) as caught:
        rules.net_premium(D(base), D(rate))
    assert caught.value.message == message


# --- amounts and rates as typed ----------------------------------------------------------------

@pytest.mark.parametrize(("raw", "value"), [
    ("12345.67", "12345.67"), ("12,345.67", "12345.67"), ("１２，３４５.６７", "12345.67"), ("¥1,000", "1000.00"),
    ("￥ 88", "88.00"), (" 0.01 ", "0.01"), ("5000.5", "5000.50"), (1000, "1000.00"), ("999999999999.99", "999999999999.99"),
])
def test_parse_yuan_accepts(raw, value):
    assert rules.parse_yuan(raw, label="基础保费") == D(value)


@pytest.mark.parametrize(("raw", "message"), [
    ("", "请填写基础保费。"),
    (None, "请填写基础保费。"),
    ("abc", "基础保费“abc”不是有效的数字。"),
    ("12.3.4", "基础保费“12.3.4”不是有效的数字。"),
    ("1e", "基础保费“1e”不是有效的数字。"),
    ("NaN", "基础保费“NaN”不是有效的数字。"),
    ("Infinity", "基础保费“Infinity”不是有效的数字。"),
    ("-5", "基础保费不能为负数。"),
    ("0", "基础保费须大于 0。"),
    ("0.00", "基础保费须大于 0。"),
    ("12.345", "基础保费最多精确到分（两位小数）。"),
    ("1000000000000", "基础保费超出允许范围。"),
])
def test_parse_yuan_refuses(raw, message):
    with pytest.raises(RuleError) as caught:
        rules.parse_yuan(raw, label="基础保费")
    assert caught.value.message == message


@pytest.mark.parametrize(("raw", "value"), [
    ("25", "25.00"), ("25%", "25.00"), ("25 ％", "25.00"), ("0", "0.00"), ("100", "100.00"), ("12.5", "12.50"),
    ("33.33", "33.33"), (D("15"), "15.00"),
])
def test_parse_percent_accepts(raw, value):
    assert rules.parse_percent(raw) == D(value)


@pytest.mark.parametrize(("raw", "message"), [
    ("", "请填写优惠比例。"),
    ("abc", "优惠比例“abc”不是有效的数字。"),
    ("-1", "优惠比例须在 0% 至 100% 之间，当前为 -1%。"),
    ("-0.01", "优惠比例须在 0% 至 100% 之间，当前为 -0.01%。"),
    ("100.01", "优惠比例须在 0% 至 100% 之间，当前为 100.01%。"),
    ("150%", "优惠比例须在 0% 至 100% 之间，当前为 150%。"),
    ("12.345", "优惠比例最多保留两位小数。"),
])
def test_parse_percent_refuses(raw, message):
    with pytest.raises(RuleError) as caught:
        rules.parse_percent(raw)
    assert caught.value.message == message


# --- the discount table ------------------------------------------------------------------------

def test_the_default_table():
    assert rules.check_discount_table(rules.DEFAULT_DISCOUNTS) == {
        1: D("10.00"), 2: D("15.00"), 3: D("20.00"), 4: D("25.00"), 5: D("30.00")}


@pytest.mark.parametrize(("rates", "errors", "message"), [
    ({1: "10", 2: "15", 4: "25", 5: "30"}, {3: "缺少 3 星的优惠比例。"}, "优惠标准缺少 3 星的优惠比例。"),
    ({1: "10", 2: "15", 3: "", 4: "25", 5: " "}, {3: "缺少 3 星的优惠比例。", 5: "缺少 5 星的优惠比例。"},
     "优惠标准缺少 3、5 星的优惠比例。"),
    ({}, {s: f"缺少 {s} 星的优惠比例。" for s in range(1, 6)}, "优惠标准缺少 1、2、3、4、5 星的优惠比例。"),
    ({1: "-5", 2: "15", 3: "20", 4: "25", 5: "30"}, {1: "1 星优惠比例须在 0% 至 100% 之间，当前为 -5%。"},
     "优惠标准有 1 处错误，请更正。"),
    ({1: "10", 2: "15", 3: "20", 4: "25", 5: "120"}, {5: "5 星优惠比例须在 0% 至 100% 之间，当前为 120%。"},
     "优惠标准有 1 处错误，请更正。"),
    ({1: "10", 2: "十五", 3: "20", 4: "25.555", 5: "30"},
     {2: "2 星优惠比例“十五”不是有效的数字。", 4: "4 星优惠比例最多保留两位小数。"}, "优惠标准有 2 处错误，请更正。"),
    ({1: "10", 2: "15", 3: "20", 4: "18", 5: "30"}, {4: "4 星的优惠比例不能低于 3 星。"}, "优惠标准有 1 处错误，请更正。"),
])
def test_a_bad_table_is_refused_at_each_star(rates, errors, message):
    with pytest.raises(RuleError) as caught:
        rules.check_discount_table(rates)
    assert caught.value.errors == errors
    assert caught.value.message == message


@pytest.mark.parametrize(("rates", "table"), [
    ({1: "0", 2: "0", 3: "0", 4: "0", 5: "0"}, dict.fromkeys(range(1, 6), D("0.00"))),
    ({1: "100", 2: "100", 3: "100", 4: "100", 5: "100"}, dict.fromkeys(range(1, 6), D("100.00"))),
    ({1: "5%", 2: "7.5", 3: "10", 4: "12.25", 5: "15"},
     {1: D("5.00"), 2: D("7.50"), 3: D("10.00"), 4: D("12.25"), 5: D("15.00")}),
])
def test_edge_tables_are_accepted(rates, table):
    assert rules.check_discount_table(rates) == table


@pytest.mark.parametrize(("stars", "rate"), [(1, "10.00"), (2, "15.00"), (3, "20.00"), (4, "25.00"), (5, "30.00"),
                                             (None, None), (0, None)])
def test_premium_discount_by_stars(stars, rate):
    assert rules.premium_discount(stars, rules.DEFAULT_DISCOUNTS) == (D(rate) if rate else None)


def test_no_table_no_discount():
    assert rules.premium_discount(5, None) is None


# --- quotes and policies -----------------------------------------------------------------------

@pytest.mark.parametrize(("day", "until"), [
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 30)),
    (datetime.date(2026, 12, 15), datetime.date(2027, 1, 13)),
    (datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)),
])
def test_a_quote_holds_thirty_days(day, until):
    assert rules.quote_valid_until(day) == until


@pytest.mark.parametrize(("starts", "ends"), [
    (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    (datetime.date(2026, 3, 15), datetime.date(2027, 3, 14)),
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 27)),  # no 29 February in 2025
])
def test_a_policy_runs_a_year(starts, ends):
    assert rules.policy_ends_on(starts) == ends


TODAY = datetime.date(2026, 5, 10)


@pytest.mark.parametrize(("starts", "ends", "errors"), [
    (TODAY, datetime.date(2027, 5, 9), {}),
    (datetime.date(2026, 6, 1), datetime.date(2026, 6, 1), {}),
    (datetime.date(2026, 5, 9), datetime.date(2027, 5, 8), {"starts_on": "保险起期不能早于今天（2026-05-10）。"}),
    (TODAY, datetime.date(2026, 5, 9), {"ends_on": "保险止期不能早于起期。"}),
    (TODAY, datetime.date(2029, 5, 10), {"ends_on": "保险期间最长三年。"}),
])
def test_check_policy_period(starts, ends, errors):
    assert rules.check_policy_period(starts, ends, TODAY) == errors


QUOTE_UNTIL, RATING_TO = datetime.date(2026, 6, 8), datetime.date(2026, 5, 31)


@pytest.mark.parametrize(("starts", "quote_until", "rating_to", "error"), [
    (TODAY, QUOTE_UNTIL, RATING_TO, None),
    (RATING_TO, QUOTE_UNTIL, RATING_TO, None),  # the rating's last day still carries the discount
    (QUOTE_UNTIL, QUOTE_UNTIL, None, None),  # the quote's last day too
    (datetime.date(2099, 1, 1), QUOTE_UNTIL, RATING_TO,
     "保险起期 2099-01-01 晚于报价有效期（至 2026-06-08）：请在有效期内起保，或重新报价。"),
    (datetime.date(2026, 6, 9), QUOTE_UNTIL, None,
     "保险起期 2026-06-09 晚于报价有效期（至 2026-06-08）：请在有效期内起保，或重新报价。"),
    (datetime.date(2026, 6, 1), QUOTE_UNTIL, RATING_TO,
     "保险起期 2026-06-01 晚于企业星级的有效期（至 2026-05-31）：优惠须在星级有效时起保。"),
    (datetime.date(2026, 5, 9), QUOTE_UNTIL, RATING_TO, "保险起期不能早于今天（2026-05-10）。"),
])
def test_a_policy_starts_while_its_quote_and_rating_hold(starts, quote_until, rating_to, error):
    errors = rules.check_policy_period(starts, rules.policy_ends_on(starts), TODAY, quote_valid_until=quote_until,
                                       rating_valid_to=rating_to)
    assert errors == ({"starts_on": error} if error else {})


@pytest.mark.parametrize(("raw", "number"), [("i01-2026-00000182", "I01-2026-00000182"),
                                              (" I01-2027-12345678 ", "I01-2027-12345678")])
def test_policy_numbers_accepted(raw, number):
    assert rules.check_policy_number(raw, "I01", 2026) == number


@pytest.mark.parametrize("raw", ["", "I012026000003", "I01-2026-182", "I01-26-00000182", "PICC-2026-0001",
                                 "I01-2026-000001820", "保单-2026-00000182", "I01/2026/00000182"])
def test_policy_numbers_in_another_format_are_refused(raw):
    with pytest.raises(RuleError) as caught:
        rules.check_policy_number(raw, "I01", 2026)
    assert caught.value.message == "保单号应为“公司编号-年份-8 位序号”，如 I01-2026-00000182。"


def test_a_policy_number_of_another_insurer_is_refused():
    with pytest.raises(RuleError) as caught:
        rules.check_policy_number("I02-2026-00000182", "I01", 2026)
    assert caught.value.message == "保单号应以本公司编号 I01 开头。"


def test_made_and_typed_numbers_have_one_format():
    made = rules.default_policy_number("i01", 2026, 182)
    assert made == "I01-2026-00000182"
    assert rules.check_policy_number(made, "I01", 2026) == made


def test_the_default_policy_number():
    assert rules.default_policy_number("i01", 2026, 42) == "I01-2026-00000042"


GOOD = {"status": "quoted", "valid_until": TODAY, "today": TODAY, "quoted_stars": 4, "rating_valid": True,
        "current_stars": 4, "rating_message": "有效"}


@pytest.mark.parametrize(("changes", "code", "message"), [
    ({"status": "issued"}, "already_issued", "该报价已出具保单，不能重复出具。"),
    ({"status": "expired"}, "expired", "该报价已于 2026-05-10 过期，请重新报价。"),
    ({"valid_until": datetime.date(2026, 5, 9)}, "expired", "该报价已于 2026-05-09 过期，请重新报价。"),
    ({"rating_valid": False, "current_stars": None, "rating_message": "星级已被撤销"}, "not_eligible",
     "该企业当前不能享受党建保险优惠（星级已被撤销），报价不再适用，不能出具保单。"),
    ({"current_stars": 3}, "rating_changed", "该企业的星级已由 4 星变为 3 星，请重新报价。"),
])
def test_when_a_quote_can_no_longer_be_issued(changes, code, message):
    with pytest.raises(RuleError) as caught:
        rules.check_issuable(**{**GOOD, **changes})
    assert (caught.value.code, caught.value.message) == (code, message)


def test_a_good_quote_can_be_issued_on_its_last_day():
    assert rules.check_issuable(**GOOD) is None


@pytest.mark.parametrize(("value", "text"), [(D("1234567.8"), "1,234,567.80"), (D("0"), "0.00"), (None, "—")])
def test_yuan(value, text):
    assert rules.yuan(value) == text
