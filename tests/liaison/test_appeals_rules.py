"""The appeals part's pure rules: every (status, action) pair of the state machine, who may act,
deadlines, overdue, escalation levels and satisfaction. No database."""

import datetime

import pytest

from liaison.choices_appeals import AppealAction, AppealStatus
from liaison.rules import appeals as rules
from portal.choices import Role

D = datetime.date
S, A = AppealStatus, AppealAction

# Every status against every step: the status it leads to, or None when refused.
EXPECTED = {
    S.RECEIVED: {A.ASSIGN: S.ASSIGNED, A.WITHDRAW: S.WITHDRAWN, A.DISMISS: S.DISMISSED},
    S.ASSIGNED: {A.REASSIGN: S.ASSIGNED, A.START: S.IN_PROGRESS},
    S.IN_PROGRESS: {A.REASSIGN: S.ASSIGNED, A.RESOLVE: S.RESOLVED},
    S.RESOLVED: {A.CLOSE: S.CLOSED, A.REOPEN: S.IN_PROGRESS},
    S.CLOSED: {},
    S.WITHDRAWN: {},
    S.DISMISSED: {},
}
PAIRS = [(status, action, EXPECTED[status].get(action)) for status in S for action in rules.TRANSITION_ACTIONS]


@pytest.mark.parametrize(("status", "action", "expected"), PAIRS, ids=[f"{s}-{a}" for s, a, _e in PAIRS])
def test_every_status_and_step(status, action, expected):
    if expected is None:
        with pytest.raises(rules.RuleError) as refused:
            rules.next_status(status, action)
        assert refused.value.message.startswith(f"诉求当前为「{S(status).label}」，不能")
        assert refused.value.field is None
    else:
        assert rules.next_status(status, action) == expected


@pytest.mark.parametrize(("status", "action", "message"), [
    (S.RECEIVED, A.RESOLVE, "诉求当前为「已受理」，不能办结。"),
    (S.CLOSED, A.REOPEN, "诉求当前为「已销号」，不能重新办理。"),
    (S.ASSIGNED, A.DISMISS, "诉求当前为「已交办」，不能作不予受理处理。"),
    (S.IN_PROGRESS, A.WITHDRAW, "诉求当前为「办理中」，不能撤回。"),
])
def test_a_refusal_names_the_current_status(status, action, message):
    with pytest.raises(rules.RuleError) as refused:
        rules.next_status(status, action)
    assert refused.value.message == message


@pytest.mark.parametrize(("status", "actions"), [
    (S.RECEIVED, [A.ASSIGN, A.WITHDRAW, A.DISMISS]), (S.ASSIGNED, [A.REASSIGN, A.START]),
    (S.IN_PROGRESS, [A.REASSIGN, A.RESOLVE]), (S.RESOLVED, [A.CLOSE, A.REOPEN]), (S.CLOSED, []),
    (S.WITHDRAWN, []), (S.DISMISSED, []),
])
def test_allowed_actions_by_status(status, actions):
    assert sorted(rules.allowed_actions(status)) == sorted(actions)


STAFF = {Role.ORG_STAFF, Role.TOWN_STAFF}


@pytest.mark.parametrize(("action", "roles"), [
    (A.ASSIGN, STAFF), (A.REASSIGN, STAFF), (A.START, STAFF), (A.RESOLVE, STAFF), (A.CLOSE, STAFF),
    (A.REOPEN, STAFF), (A.DISMISS, STAFF),
    (A.WITHDRAW, STAFF | {Role.ENTERPRISE_USER, Role.STATION_OPERATOR, Role.CADRE}),
    (A.RATE, {Role.ENTERPRISE_USER, Role.STATION_OPERATOR}),
])
def test_who_acts(action, roles):
    assert set(rules.ACTORS[action]) == roles
    assert Role.LEADER not in rules.ACTORS[action]
    assert Role.BANK_OFFICER not in rules.ACTORS[action]


def test_the_assignee_may_start_and_resolve_only():
    assert rules.ASSIGNEE_ACTIONS == {A.START, A.RESOLVE}
    assert rules.ASSIGNEE_ROLES == {Role.ORG_STAFF, Role.TOWN_STAFF, Role.CADRE}


@pytest.mark.parametrize(("category", "received", "deadline"), [
    ("financing", D(2026, 3, 1), D(2026, 3, 16)), ("talent", D(2026, 3, 1), D(2026, 3, 21)),
    ("land", D(2026, 3, 1), D(2026, 3, 31)), ("permits", D(2026, 3, 1), D(2026, 3, 11)),
    ("legal", D(2026, 12, 25), D(2027, 1, 4)), ("policy", D(2026, 2, 25), D(2026, 3, 4)),
    ("other", D(2026, 3, 1), D(2026, 3, 16)),
])
def test_default_deadline_by_category(category, received, deadline):
    assert rules.default_deadline(category, received) == deadline


@pytest.mark.parametrize(("deadline", "message"), [
    (None, "请填写办理期限。"),
    (D(2026, 5, 9), "办理期限不能早于今天（2026-05-10）。"),
    (D(2027, 5, 11), "办理期限最长为一年。"),
])
def test_a_bad_deadline_is_refused_at_its_field(deadline, message):
    with pytest.raises(rules.RuleError) as refused:
        rules.check_deadline(deadline, D(2026, 5, 10))
    assert (refused.value.field, refused.value.message) == ("deadline", message)


@pytest.mark.parametrize("deadline", [D(2026, 5, 10), D(2027, 5, 10)])
def test_today_and_a_year_ahead_are_good_deadlines(deadline):
    assert rules.check_deadline(deadline, D(2026, 5, 10)) == deadline


@pytest.mark.parametrize(("status", "deadline", "overdue"), [
    (S.RECEIVED, D(2026, 5, 9), True), (S.ASSIGNED, D(2026, 5, 9), True), (S.IN_PROGRESS, D(2026, 5, 9), True),
    (S.IN_PROGRESS, D(2026, 5, 10), False), (S.RESOLVED, D(2026, 1, 1), False), (S.CLOSED, D(2026, 1, 1), False),
    (S.WITHDRAWN, D(2026, 1, 1), False), (S.DISMISSED, D(2026, 1, 1), False), (S.ASSIGNED, None, False),
])
def test_is_overdue(status, deadline, overdue):
    assert rules.is_overdue(status, deadline, D(2026, 5, 10)) is overdue


TODAY = D(2026, 5, 20)


@pytest.mark.parametrize(("status", "deadline", "received", "expected"), [
    (S.IN_PROGRESS, D(2026, 5, 20), D(2026, 5, 1), None),  # due today: in time
    (S.IN_PROGRESS, D(2026, 5, 19), D(2026, 5, 1), ("overdue", 1, 1)),
    (S.ASSIGNED, D(2026, 5, 13), D(2026, 5, 1), ("overdue", 7, 1)),
    (S.ASSIGNED, D(2026, 5, 12), D(2026, 5, 1), ("overdue", 8, 2)),  # seven days after level 1
    (S.RECEIVED, D(2026, 6, 1), D(2026, 5, 17), None),  # three days to be assigned
    (S.RECEIVED, D(2026, 6, 1), D(2026, 5, 16), ("unassigned", 1, 1)),
    (S.RECEIVED, D(2026, 6, 1), D(2026, 5, 8), ("unassigned", 9, 2)),
    (S.RECEIVED, D(2026, 5, 18), D(2026, 5, 1), ("unassigned", 16, 2)),  # the later of the two counts
    (S.RESOLVED, D(2026, 5, 1), D(2026, 4, 1), None),
    (S.CLOSED, D(2026, 5, 1), D(2026, 4, 1), None),
    (S.WITHDRAWN, D(2026, 5, 1), D(2026, 4, 1), None),
])
def test_lateness(status, deadline, received, expected):
    late = rules.lateness(status, deadline, received, TODAY)
    assert (None if late is None else (late.reason, late.days, late.level)) == expected


@pytest.mark.parametrize(("deadline", "reached", "due"), [
    (D(2026, 5, 19), 0, 1), (D(2026, 5, 19), 1, None), (D(2026, 5, 12), 1, 2), (D(2026, 5, 12), 0, 2),
    (D(2026, 5, 12), 2, None), (D(2026, 5, 20), 0, None),
])
def test_escalation_due_only_above_the_level_reached(deadline, reached, due):
    late = rules.escalation_due(S.IN_PROGRESS, deadline, D(2026, 5, 1), TODAY, reached)
    assert (None if late is None else late.level) == due


@pytest.mark.parametrize(("status", "rated", "score", "result", "field"), [
    (S.RESOLVED, False, "5", 5, None), (S.CLOSED, False, 1, 1, None), (S.RESOLVED, False, " 3 ", 3, None),
    (S.RESOLVED, False, "0", "满意度须为 1 至 5 星。", "score"),
    (S.RESOLVED, False, "6", "满意度须为 1 至 5 星。", "score"),
    (S.RESOLVED, False, "4.5", "满意度须为 1 至 5 星。", "score"),
    (S.RESOLVED, False, "", "满意度须为 1 至 5 星。", "score"),
    (S.RESOLVED, False, None, "满意度须为 1 至 5 星。", "score"),
    (S.IN_PROGRESS, False, "5", "诉求办结后才能评价满意度（当前为「办理中」）。", None),
    (S.RECEIVED, False, "5", "诉求办结后才能评价满意度（当前为「已受理」）。", None),
    (S.WITHDRAWN, False, "5", "诉求办结后才能评价满意度（当前为「已撤回」）。", None),
    (S.RESOLVED, True, "5", "该诉求已评价过满意度，评价不能重复提交或修改。", None),
    (S.CLOSED, True, "4", "该诉求已评价过满意度，评价不能重复提交或修改。", None),
])
def test_check_rating(status, rated, score, result, field):
    if isinstance(result, int):
        assert rules.check_rating(status, rated, score) == result
    else:
        with pytest.raises(rules.RuleError) as refused:
            rules.check_rating(status, rated, score)
        assert (refused.value.message, refused.value.field) == (result, field)


@pytest.mark.parametrize(("title", "description", "errors"), [
    ("融资困难", "流动资金周转困难，申请贷款", {}),
    ("  融资  困难 ", "流动资金周转困难，申请贷款", {}),
    ("贷款", "流动资金周转困难，申请贷款", {"title": "请用一句话概括诉求（不少于 4 个字）。"}),
    ("融" * 101, "流动资金周转困难，申请贷款", {"title": "标题不能超过 100 字。"}),
    ("融资困难", "缺钱", {"description": "请具体描述遇到的问题和诉求（不少于 10 个字）。"}),
    ("融资困难", "缺" * 2001, {"description": "诉求内容不能超过 2000 字。"}),
])
def test_appeal_text(title, description, errors):
    assert rules.check_appeal_text(title, description)[2] == errors


def test_appeal_text_is_tidied():
    assert rules.check_appeal_text("  融资  困难 ", " 流动资金周转困难，申请贷款 \n")[:2] == ("融资 困难", "流动资金周转困难，申请贷款")


@pytest.mark.parametrize(("action", "note", "ok"), [
    (A.REOPEN, "企业反映问题未解决", True), (A.REOPEN, "未解决", False), (A.DISMISS, "  ", False),
    (A.DISMISS, "属于民事纠纷", True), (A.CLOSE, "", True), (A.WITHDRAW, "", True),
])
def test_reopen_and_dismiss_need_a_reason(action, note, ok):
    if ok:
        assert rules.check_reason(action, note) == note.strip()
    else:
        with pytest.raises(rules.RuleError) as refused:
            rules.check_reason(action, note)
        assert refused.value.field == "note"
        assert refused.value.message == f"请说明{A(action).label}的理由（不少于 5 个字）。"


@pytest.mark.parametrize(("text", "ok"), [("已协调银行发放贷款到位", True), ("已办理", False), ("", False)])
def test_resolution_text(text, ok):
    if ok:
        assert rules.check_resolution(text) == text
    else:
        with pytest.raises(rules.RuleError) as refused:
            rules.check_resolution(text)
        assert (refused.value.field, refused.value.message) == ("resolution", "请写明办理结果（不少于 10 个字）。")


@pytest.mark.parametrize(("resolved", "counted", "rate"), [(0, 0, None), (3, 4, 75.0), (2, 3, 66.7), (5, 5, 100.0)])
def test_resolution_rate(resolved, counted, rate):
    assert rules.resolution_rate(resolved, counted) == rate
