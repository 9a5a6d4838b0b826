"""The talent programme's pure rules, as tables: no database."""

import datetime
from decimal import Decimal

import pytest

from talent import rules
from talent.choices import BenefitAction, BenefitStatus, ProjectStatus

S, A = BenefitStatus, BenefitAction


@pytest.mark.parametrize(("status", "action", "expected"), [
    (S.PENDING, A.APPROVE, S.APPROVED),
    (S.PENDING, A.REJECT, S.REJECTED),
    (S.PENDING, A.WITHDRAW, S.WITHDRAWN),
])
def test_the_allowed_steps(status, action, expected):
    assert rules.next_status(status, action) == expected


@pytest.mark.parametrize(("status", "action", "message"), [
    (S.APPROVED, A.APPROVE, "申请当前为“已批准”，不能“批准”。"),
    (S.APPROVED, A.REJECT, "申请当前为“已批准”，不能“不予批准”。"),
    (S.APPROVED, A.WITHDRAW, "申请当前为“已批准”，不能“撤回”。"),
    (S.REJECTED, A.APPROVE, "申请当前为“未批准”，不能“批准”。"),
    (S.REJECTED, A.WITHDRAW, "申请当前为“未批准”，不能“撤回”。"),
    (S.WITHDRAWN, A.APPROVE, "申请当前为“已撤回”，不能“批准”。"),
    (S.WITHDRAWN, A.REJECT, "申请当前为“已撤回”，不能“不予批准”。"),
    (S.WITHDRAWN, A.WITHDRAW, "申请当前为“已撤回”，不能“撤回”。"),
    (S.PENDING, A.SUBMIT, "申请当前为“待审核”，不能“提交申请”。"),
])
def test_a_step_not_allowed_is_refused_in_words(status, action, message):
    with pytest.raises(rules.RuleError) as refused:
        rules.next_status(status, action)
    assert refused.value.message == message


@pytest.mark.parametrize(("status", "actions"), [
    (S.PENDING, [A.APPROVE, A.REJECT, A.WITHDRAW]), (S.APPROVED, []), (S.REJECTED, []), (S.WITHDRAWN, []),
])
def test_allowed_actions_by_state(status, actions):
    assert rules.allowed_actions(status) == actions


@pytest.mark.parametrize(("role", "action", "allowed"), [
    ("org_staff", A.APPROVE, True), ("org_staff", A.REJECT, True), ("org_staff", A.WITHDRAW, False),
    ("org_staff", A.SUBMIT, False),
    ("enterprise_user", A.SUBMIT, True), ("enterprise_user", A.WITHDRAW, True), ("enterprise_user", A.APPROVE, False),
    ("station_operator", A.SUBMIT, True), ("station_operator", A.WITHDRAW, True), ("station_operator", A.REJECT, False),
    ("town_staff", A.APPROVE, False), ("leader", A.APPROVE, False), ("leader", A.WITHDRAW, False),
    ("bank_officer", A.SUBMIT, False), ("cadre", A.SUBMIT, False),
])
def test_who_takes_which_step(role, action, allowed):
    assert rules.may_act(role, action) is allowed


# --- amounts ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "item_amount", "expected"), [
    ("150000", Decimal("150000.00"), Decimal("150000.00")),
    ("149,999.99", Decimal("150000.00"), Decimal("149999.99")),
    ("¥ 1000", Decimal("150000.00"), Decimal("1000.00")),
    ("0.01", Decimal("3000.00"), Decimal("0.01")),
    ("", None, None),
    (None, None, None),
    ("   ", None, None),
])
def test_requested_amounts_accepted(raw, item_amount, expected):
    assert rules.check_requested_amount(raw, item_amount) == expected


@pytest.mark.parametrize(("raw", "item_amount", "message"), [
    ("150000.01", Decimal("150000.00"), "申请金额不能超过该政策项目的标准 150,000.00 元。"),
    ("500000", Decimal("150000.00"), "申请金额不能超过该政策项目的标准 150,000.00 元。"),
    ("", Decimal("150000.00"), "请填写申请金额。"),
    ("0", Decimal("150000.00"), "申请金额须大于 0。"),
    ("-5", Decimal("150000.00"), "申请金额不能为负数。"),
    ("12.345", Decimal("150000.00"), "申请金额最多精确到分（两位小数）。"),
    ("十万", Decimal("150000.00"), "申请金额“十万”不是有效的数字。"),
    ("NaN", Decimal("150000.00"), "申请金额“NaN”不是有效的数字。"),
    ("1000", None, "该政策项目为服务类，不涉及金额，申请金额请留空。"),
    ("0", None, "该政策项目为服务类，不涉及金额，申请金额请留空。"),
])
def test_requested_amounts_refused(raw, item_amount, message):
    with pytest.raises(rules.RuleError) as refused:
        rules.check_requested_amount(raw, item_amount)
    assert refused.value.message == message


@pytest.mark.parametrize(("raw", "requested", "expected"), [
    ("150000", Decimal("150000.00"), Decimal("150000.00")),
    ("120000.50", Decimal("150000.00"), Decimal("120000.50")),
    ("", None, None),
])
def test_approved_amounts_accepted(raw, requested, expected):
    assert rules.check_approved_amount(raw, requested) == expected


@pytest.mark.parametrize(("raw", "requested", "message"), [
    ("150000.01", Decimal("150000.00"), "批准金额不能超过申请金额 150,000.00 元。"),
    ("", Decimal("150000.00"), "请填写批准金额。"),
    ("0", Decimal("150000.00"), "批准金额须大于 0。"),
    ("100", None, "该申请不涉及金额，批准金额请留空。"),
])
def test_approved_amounts_refused(raw, requested, message):
    with pytest.raises(rules.RuleError) as refused:
        rules.check_approved_amount(raw, requested)
    assert refused.value.message == message


@pytest.mark.parametrize(("raw", "expected"), [
    ("500000", Decimal("500000.00")), ("", None), (None, None), ("3,000.5", Decimal("3000.50")),
])
def test_an_items_standard_amount(raw, expected):
    assert rules.check_item_amount(raw) == expected


# --- levels -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("level", "levels", "eligible"), [
    ("A", "A", True), ("A", "ABC", True), ("C", "ABC", True), ("D", "ABC", False), ("E", "ABCDE", True),
    ("E", "ABCD", False), ("B", "CD", False), ("", "ABCDE", False), ("A", "", False),
])
def test_level_eligibility(level, levels, eligible):
    assert rules.level_eligible(level, levels) is eligible


def test_an_ineligible_level_is_refused_naming_both():
    with pytest.raises(rules.RuleError) as refused:
        rules.check_level("D", "ABC")
    assert refused.value.message == "该政策项目仅适用于A类、B类、C类人才，该人才为D类，不符合申请条件。"


@pytest.mark.parametrize(("chosen", "expected"), [
    (["C", "A"], "AC"), (["e", "d"], "DE"), (["A", "A", "B"], "AB"), (["A", "B", "C", "D", "E"], "ABCDE"),
])
def test_levels_are_kept_in_order(chosen, expected):
    assert rules.normalize_levels(chosen) == expected


@pytest.mark.parametrize(("chosen", "message"), [
    ([], "请至少选择一个适用的人才类别。"), (["", " "], "请至少选择一个适用的人才类别。"),
    (["A", "F"], "人才类别“F”不存在。"),
])
def test_bad_level_choices(chosen, message):
    with pytest.raises(rules.RuleError) as refused:
        rules.normalize_levels(chosen)
    assert refused.value.message == message


# --- text ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "ok"), [
    ("材料不全", False), ("    材料不全   ", False), ("材料不全，", True), ("服务年限不足", True), ("", False), (None, False),
])
def test_a_rejection_needs_five_characters(raw, ok):
    if ok:
        assert rules.check_reject_note(raw) == raw.strip()
    else:
        with pytest.raises(rules.RuleError) as refused:
            rules.check_reject_note(raw)
        assert refused.value.message == "不予批准须写明理由（不少于 5 个字）。"


def test_an_application_reason_is_tidied_and_needs_five_characters():
    assert rules.check_reason("  已购 首套\n住房  ") == "已购 首套 住房"
    with pytest.raises(rules.RuleError) as refused:
        rules.check_reason("购房")
    assert refused.value.message == "请写明申请理由（不少于 5 个字）。"


# --- references and the ID-number tail ----------------------------------------------------------------

@pytest.mark.parametrize(("year", "pk", "expected"), [
    (2026, 123, "RC2026-000123"), (2025, 1, "RC2025-000001"), (2026, 1234567, "RC2026-1234567"),
])
def test_references(year, pk, expected):
    assert rules.reference_for(year, pk) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("RC2026-000123", "RC2026-000123"), (" rc2026-000123 ", "RC2026-000123"), ("ＲＣ２０２６－０００１２３", "RC2026-000123"),
    ("RC2026000123", "RC2026-000123"), ("RC2026 - 000123", "RC2026-000123"), ("RC2026-123", None), ("2026-000123", None),
    ("", None), (None, None), ("RC2026-00012A", None),
])
def test_a_reference_as_typed(raw, expected):
    assert rules.normalize_reference(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("17096X", "17096X"), ("17096x", "17096X"), (" 170 96x", "17096X"), ("１７０９６Ｘ", "17096X"), ("17096", None),
    ("1709601", None), ("X17096", None), ("", None),
])
def test_an_id_tail_as_typed(raw, expected):
    assert rules.normalize_id_tail(raw) == expected


@pytest.mark.parametrize(("number", "tail", "matches"), [
    ("51072219950517096X", "17096X", True), ("51072219950517096X", "170961", False),
    ("510112198505174047", "174047", True), ("510112198505174047", "174046", False), ("", "174047", False),
    (None, "174047", False),
])
def test_the_id_tail_matches_only_the_last_six(number, tail, matches):
    assert rules.id_tail_matches(number, tail) is matches


@pytest.mark.parametrize(("made", "limit", "left"), [(0, 10, 10), (9, 10, 1), (10, 10, 0), (12, 10, 0)])
def test_lookups_left(made, limit, left):
    assert rules.lookups_left(made, limit) == left


# --- projects and counts ------------------------------------------------------------------------------

TODAY = datetime.date(2026, 6, 1)


@pytest.mark.parametrize(("status", "landed_on", "message"), [
    (ProjectStatus.LANDED, None, "已落地的项目须填写落地日期。"),
    (ProjectStatus.LANDED, datetime.date(2026, 6, 2), "已落地项目的落地日期不能晚于今天。"),
    (ProjectStatus.LANDED, datetime.date(2026, 6, 1), None),
    (ProjectStatus.BUILDING, datetime.date(2027, 1, 1), None),
    (ProjectStatus.NEGOTIATING, None, None),
])
def test_a_landed_project_has_its_day(status, landed_on, message):
    if message is None:
        rules.check_project_landing(status, landed_on, TODAY)
    else:
        with pytest.raises(rules.RuleError) as refused:
            rules.check_project_landing(status, landed_on, TODAY)
        assert refused.value.message == message


@pytest.mark.parametrize(("raw", "minimum", "result"), [
    ("12", 0, 12), (" 0 ", 0, 0), ("0", 1, "参训人数不能小于 1。"), ("-3", 0, "参训人数不能小于 0。"),
    ("3.5", 0, "参训人数须为整数。"), ("", 0, "参训人数须为整数。"), ("2000000", 0, "参训人数不能大于 1000000。"),
])
def test_counts(raw, minimum, result):
    if isinstance(result, int):
        assert rules.check_count(raw, label="参训人数", minimum=minimum) == result
    else:
        with pytest.raises(rules.RuleError) as refused:
            rules.check_count(raw, label="参训人数", minimum=minimum)
        assert refused.value.message == result
