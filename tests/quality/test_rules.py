import pytest

from portal.rules import RuleError
from quality import rules


@pytest.mark.parametrize(("score", "comment", "expected"), [
    ("5", "", (5, "")),
    ("3", "  一般 ", (3, "一般")),
    (1, "审批拖了一个月", (1, "审批拖了一个月")),
    ("2", "五个字原因", (2, "五个字原因")),
])
def test_a_valid_answer(score, comment, expected):
    assert rules.check_answer(score, comment) == expected


@pytest.mark.parametrize(("score", "comment", "field"), [
    ("", "", "score"),
    ("0", "", "score"),
    ("6", "", "score"),
    ("4.5", "", "score"),
    ("x", "", "score"),
    (None, "", "score"),
    ("2", "太慢了", "comment"),
    ("1", "    ", "comment"),
    ("5", "好" * 501, "comment"),
])
def test_an_answer_refused_at_its_field(score, comment, field):
    with pytest.raises(RuleError) as refused:
        rules.check_answer(score, comment)
    assert refused.value.field == field


def test_a_low_score_asks_for_a_reason_in_words():
    with pytest.raises(RuleError) as refused:
        rules.check_answer("2", "慢")
    assert refused.value.message == "评分为 2 分及以下时，请写明不满意的原因（不少于 5 个字）。"


@pytest.mark.parametrize(("workflow", "from_status", "to_status", "ends"), [
    ("loan", "accepted", "approved", True),
    ("loan", "accepted", "rejected", True),
    ("loan", "approved", "disbursed", True),
    ("loan", "submitted", "accepted", False),
    ("loan", "submitted", "withdrawn", False),
    ("loan", "disbursed", "repaid", False),
    ("benefit", "pending", "approved", True),
    ("benefit", "pending", "rejected", True),
    ("benefit", "pending", "withdrawn", False),
    ("appeal", "resolved", "closed", True),
    ("appeal", "in_progress", "resolved", False),
    ("appeal", "closed", "closed", False),
    ("rating", "notice", "published", False),
    ("followup", "in_progress", "closed", False),
])
def test_which_steps_end_a_case(workflow, from_status, to_status, ends):
    assert rules.ends_case(workflow, from_status, to_status) is ends


@pytest.mark.parametrize(("score", "low"), [(None, False), (1, True), (2, True), (3, False), (5, False)])
def test_a_low_score(score, low):
    assert rules.is_low(score) is low


@pytest.mark.parametrize(("outcome", "ok"), [("已约谈银行并重新受理，企业已获贷。", True), ("已处理", False), ("", False)])
def test_a_follow_up_closes_with_a_written_outcome(outcome, ok):
    if ok:
        assert rules.check_outcome(outcome) == outcome
    else:
        with pytest.raises(RuleError):
            rules.check_outcome(outcome)


@pytest.mark.parametrize(("total", "count", "expected"), [(None, 0, None), (0, 0, None), (9, 2, 4.5), (10, 3, 3.3)])
def test_average(total, count, expected):
    assert rules.average(total, count) == expected


def test_the_follow_up_graph_runs_open_in_progress_closed_and_only_staff_act():
    assert rules.GRAPH.next_status("open", "start") == "in_progress"
    assert rules.GRAPH.next_status("in_progress", "close") == "closed"
    with pytest.raises(RuleError) as refused:
        rules.GRAPH.next_status("open", "close")
    assert refused.value.message == "回访整改当前为“待整改”，不能“办结”。"
    assert rules.GRAPH.may_act("org_staff", "close")
    assert not rules.GRAPH.may_act("station_operator", "close")
