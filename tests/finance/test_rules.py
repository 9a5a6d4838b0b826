"""The credit scheme's pure rules, as tables."""

from decimal import Decimal

import pytest

from finance import rules
from finance.choices import LoanAction as A
from finance.choices import LoanStatus as S
from finance.rules import RuleError
from portal.rules import effective_on

D = Decimal
TABLE = {1: D("1000000.00"), 2: D("2000000.00"), 3: D("3000000.00"), 4: D("4000000.00"), 5: D("5000000.00")}


@pytest.mark.parametrize(("raw", "expected"), [
    ("1000000", D("1000000.00")), ("1,000,000.50", D("1000000.50")), ("¥ 12.3", D("12.30")), (" 0.01 ", D("0.01")),
    (Decimal("5"), D("5.00")), (3000000, D("3000000.00")),
])
def test_parse_yuan_accepts(raw, expected):
    assert rules.parse_yuan(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("", "请填写金额。"), (None, "请填写金额。"), ("一百万", "金额“一百万”不是有效的数字。"), ("1e400x", "金额“1e400x”不是有效的数字。"),
    ("Infinity", "金额“Infinity”不是有效的数字。"), ("-5", "金额不能为负数。"), ("0", "金额须大于 0。"),
    ("12.345", "金额最多精确到分（两位小数）。"), ("10000000000000", "金额超出允许范围。"),
])
def test_parse_yuan_refuses(raw, message):
    with pytest.raises(RuleError) as caught:
        rules.parse_yuan(raw)
    assert caught.value.message == message


def test_parse_yuan_allows_zero_when_asked():
    assert rules.parse_yuan("0", allow_zero=True) == D("0.00")


@pytest.mark.parametrize(("stars", "quota"), [(1, D("1000000.00")), (3, D("3000000.00")), (5, D("5000000.00")),
                                              (None, None), (0, None)])
def test_loan_quota_by_star(stars, quota):
    assert rules.loan_quota(stars, TABLE) == quota


def test_loan_quota_without_a_table():
    assert rules.loan_quota(5, None) is None


@pytest.mark.parametrize(("quota", "used", "left"), [
    (D("5000000"), D("0"), D("5000000.00")), (D("5000000"), D("4999999.99"), D("0.01")),
    (D("3000000"), D("3000000"), D("0.00")), (D("3000000"), D("4000000"), D("0.00")), (None, D("0"), D("0.00")),
])
def test_available(quota, used, left):
    assert rules.available(quota, used) == left


@pytest.mark.parametrize(("amount", "quota", "used", "ok"), [
    (D("1000000"), D("5000000"), D("4000000"), True), (D("1000000.01"), D("5000000"), D("4000000"), False),
    (D("0.01"), D("1000000"), D("1000000"), False),
])
def test_check_within_quota(amount, quota, used, ok):
    if ok:
        rules.check_within_quota(amount, quota, used)
    else:
        with pytest.raises(RuleError, match="超过可用额度"):
            rules.check_within_quota(amount, quota, used)


def test_over_quota_message_names_every_figure():
    with pytest.raises(RuleError) as caught:
        rules.check_within_quota(D("2000000"), D("5000000"), D("4000000"))
    assert caught.value.message == ("金额 2,000,000.00 元超过可用额度 1,000,000.00 元"
                                    "（授信额度 5,000,000.00 元，已用 4,000,000.00 元）。")


@pytest.mark.parametrize(("amounts", "message"), [
    ({1: "1", 2: "2", 3: "3", 4: "4"}, "额度标准缺少 5 星的额度。"),
    ({1: "1", 2: "", 3: "3", 4: "4", 5: None}, "额度标准缺少 2、5 星的额度。"),
    ({1: "-1", 2: "2", 3: "3", 4: "4", 5: "5"}, "1 星额度不能为负数。"),
    ({1: "1", 2: "abc", 3: "3", 4: "4", 5: "5"}, "2 星额度“abc”不是有效的数字。"),
    ({1: "1", 2: "2", 3: "3", 4: "5", 5: "4"}, "5 星的额度不能低于 4 星。"),
])
def test_check_quota_table_refuses(amounts, message):
    with pytest.raises(RuleError) as caught:
        rules.check_quota_table(amounts)
    assert caught.value.message == message


def test_check_quota_table_accepts_the_default_and_zero_for_one_star():
    assert rules.check_quota_table({1: "1000000", 2: "2000000", 3: "3000000", 4: "4000000", 5: "5000000"}) == TABLE
    assert rules.check_quota_table({1: "0", 2: "0", 3: "1", 4: "1", 5: "2"})[1] == D("0.00")


@pytest.mark.parametrize(("status", "action", "expected"), [
    (S.SUBMITTED, A.ACCEPT, S.ACCEPTED), (S.SUBMITTED, A.REJECT, S.REJECTED), (S.SUBMITTED, A.WITHDRAW, S.WITHDRAWN),
    (S.ACCEPTED, A.APPROVE, S.APPROVED), (S.ACCEPTED, A.REJECT, S.REJECTED), (S.ACCEPTED, A.WITHDRAW, S.WITHDRAWN),
    (S.APPROVED, A.DISBURSE, S.DISBURSED), (S.DISBURSED, A.REPAY, S.REPAID),
])
def test_loan_steps_allowed(status, action, expected):
    assert rules.next_status(status, action) == expected


@pytest.mark.parametrize(("status", "action"), [
    (S.SUBMITTED, A.APPROVE), (S.SUBMITTED, A.DISBURSE), (S.APPROVED, A.WITHDRAW), (S.APPROVED, A.REJECT),
    (S.APPROVED, A.APPROVE), (S.DISBURSED, A.WITHDRAW), (S.REPAID, A.REPAY), (S.REJECTED, A.ACCEPT),
    (S.WITHDRAWN, A.ACCEPT), (S.ACCEPTED, A.ACCEPT), (S.ACCEPTED, A.REPAY),
])
def test_loan_steps_refused_with_both_names(status, action):
    with pytest.raises(RuleError) as caught:
        rules.next_status(status, action)
    assert caught.value.message == f"申请当前为“{S(status).label}”，不能“{A(action).label}”。"


@pytest.mark.parametrize(("action", "roles"), [
    (A.ACCEPT, {"bank_officer"}), (A.APPROVE, {"bank_officer"}), (A.REJECT, {"bank_officer"}),
    (A.DISBURSE, {"bank_officer"}), (A.REPAY, {"bank_officer"}), (A.WITHDRAW, {"enterprise_user", "station_operator"}),
])
def test_maker_checker(action, roles):
    assert set(rules.ACTORS[action]) == roles


@pytest.mark.parametrize(("day", "expected"), [
    ("2018-12-31", None), ("2019-01-01", "a"), ("2024-06-30", "a"), ("2024-07-01", "b"), ("2030-01-01", "b"),
])
def test_effective_on(day, expected):
    import datetime

    dated = [(datetime.date(2024, 7, 1), "b"), (datetime.date(2019, 1, 1), "a")]
    assert effective_on(dated, datetime.date.fromisoformat(day)) == expected


def test_yuan_formats_money():
    assert (rules.yuan(D("1234567.8")), rules.yuan(None)) == ("1,234,567.80", "—")


@pytest.mark.parametrize(("asked", "available", "expected"), [
    (D("1200000.00"), D("5000000.00"), D("1200000.00")),  # enough left: the amount asked
    (D("1200000.00"), D("1000000.00"), D("1000000.00")),  # less left: what is left
    (D("1000000.00"), D("1000000.00"), D("1000000.00")),
    (D("1200000.00"), D("0.00"), D("1200000.00")),  # nothing left: the asked amount, the approval says why not
    (D("1200000.00"), None, D("1200000.00")),  # no quota known (no valid rating)
])
def test_the_approve_form_offers_the_lesser_of_asked_and_left(asked, available, expected):
    assert rules.approval_suggestion(asked, available) == expected


TODAY = __import__("datetime").date(2026, 5, 10)
DAY = __import__("datetime").date


@pytest.mark.parametrize(("day", "ahead", "problem"), [
    (DAY(2021, 3, 1), False, ""),
    (TODAY, False, ""),
    (DAY(2000, 1, 1), True, ""),
    (DAY(2027, 5, 11), True, ""),  # a year and a day ahead, agreed in advance
    (DAY(1990, 6, 1), False, "结对日期 1990-06-01 过早，请核对年份：不早于 2000-01-01。"),
    (DAY(1999, 12, 31), True, "结对日期 1999-12-31 过早，请核对年份：不早于 2000-01-01。"),
    (DAY(2026, 5, 11), False, "结对日期 2026-05-11 晚于今天：请在举行之后登记。"),
    (DAY(2027, 5, 12), True, "结对日期 2027-05-12 过远：最多提前一年登记（至 2027-05-11）。"),
    (DAY(2099, 1, 1), True, "结对日期 2099-01-01 过远：最多提前一年登记（至 2027-05-11）。"),
])
def test_a_co_building_date_makes_sense(day, ahead, problem):
    assert rules.check_record_date(day, TODAY, label="结对日期", ahead=ahead) == problem


@pytest.mark.parametrize(("started", "ended", "problem"), [
    (DAY(2025, 6, 1), DAY(2026, 5, 31), ""),
    (DAY(2025, 6, 1), DAY(2025, 6, 1), ""),
    (DAY(2025, 6, 1), DAY(2030, 5, 31), ""),
    (DAY(2025, 6, 1), DAY(2030, 6, 1), "挂职期限最长 5 年：结束日期不能晚于 2030-05-31。"),
    (DAY(2024, 2, 29), DAY(2029, 2, 28), "挂职期限最长 5 年：结束日期不能晚于 2029-02-27。"),
    (DAY(2025, 6, 1), DAY(2025, 5, 31), "结束日期不能早于开始日期 2025-06-01。"),
])
def test_an_exchange_lasts_at_most_five_years(started, ended, problem):
    assert rules.check_exchange_end(started, ended) == problem
