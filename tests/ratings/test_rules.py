"""The pure rules of the rating, as tables: no database."""

import datetime
from decimal import Decimal

import pytest

from ratings import rules
from ratings.choices import RatingAction as A
from ratings.choices import RatingStatus as S
from ratings.choices import Standing
from ratings.rules import ItemSpec, RatingFact, RuleError

D = Decimal


@pytest.mark.parametrize(("score", "stars"), [
    (D("100"), 5), (D("90"), 5), (D("89.9"), 4), (D("80"), 4), (D("79.9"), 3), (D("70"), 3),
    (D("69.9"), 2), (D("60"), 2), (D("59.9"), 1), (D("0"), 1),
])
def test_stars_for_score_default_thresholds(score, stars):
    assert rules.stars_for_score(score) == stars


def test_stars_for_score_custom_thresholds():
    thresholds = ((5, D("95")), (4, D("85")), (3, D("75")), (2, D("65")))
    assert [rules.stars_for_score(D(s), thresholds) for s in ("95", "94.9", "85", "75", "65", "64.9")] == [5, 4, 4, 3, 2, 1]


@pytest.mark.parametrize(("raw", "maximum", "expected"), [
    ("10", D("10"), D("10.0")), ("0", D("5"), D("0.0")), (" 7.5 ", D("10"), D("7.5")), (8, D("10"), D("8.0")),
    ("4.0", D("4"), D("4.0")),
])
def test_parse_points_accepts(raw, maximum, expected):
    assert rules.parse_points(raw, maximum) == expected


@pytest.mark.parametrize(("raw", "maximum", "message"), [
    ("", D("10"), "请填写得分。"),
    (None, D("10"), "请填写得分。"),
    ("十", D("10"), "得分“十”不是数字。"),
    ("NaN", D("10"), "得分“NaN”不是数字。"),
    ("-1", D("10"), "得分不能为负数。"),
    ("10.5", D("10"), "得分 10.5 超过该项满分 10 分。"),
    ("7.25", D("10"), "得分最多保留一位小数。"),
])
def test_parse_points_refuses_with_a_message(raw, maximum, message):
    with pytest.raises(RuleError) as caught:
        rules.parse_points(raw, maximum)
    assert caught.value.message == message


@pytest.mark.parametrize(("raw", "expected"), [(1, 1), ("5", 5), (" 3 ", 3)])
def test_check_stars_accepts_one_to_five(raw, expected):
    assert rules.check_stars(raw) == expected


@pytest.mark.parametrize("raw", [0, 6, "-1", "4.5", "五", "", None, "3星"])
def test_check_stars_refuses_outside_one_to_five(raw):
    with pytest.raises(RuleError, match="星级须为 1 至 5 的整数。"):
        rules.check_stars(raw)


@pytest.mark.parametrize(("stars", "caps", "expected"), [
    (5, [], 5), (5, [2], 2), (1, [2], 1), (4, [3, 2], 2), (5, [0], None), (3, [2, 0], None),
])
def test_apply_vetoes(stars, caps, expected):
    assert rules.apply_vetoes(stars, caps) == expected


ITEMS = [ItemSpec("A.1", D("50")), ItemSpec("A.2", D("30")), ItemSpec("B.1", D("20")),
         ItemSpec("V1", D("0"), is_veto=True, veto_cap=0), ItemSpec("V2", D("0"), is_veto=True, veto_cap=2)]


@pytest.mark.parametrize(("points", "vetoes", "total", "stars"), [
    ({"A.1": "45", "A.2": "28", "B.1": "18"}, [], D("91.0"), 5),
    ({"A.1": "40", "A.2": "25", "B.1": "15"}, [], D("80.0"), 4),
    ({"A.1": "40", "A.2": "25", "B.1": "14.9"}, [], D("79.9"), 3),
    ({"A.1": "45", "A.2": "28", "B.1": "18"}, ["V2"], D("91.0"), 2),
    ({"A.1": "45", "A.2": "28", "B.1": "18"}, ["V1"], D("91.0"), None),
    ({"A.1": "0", "A.2": "0", "B.1": "0"}, [], D("0.0"), 1),
])
def test_score_sheet_totals_and_stars(points, vetoes, total, stars):
    outcome, errors = rules.score_sheet(ITEMS, points, vetoes)
    assert errors == {}
    assert (outcome.total, outcome.stars, outcome.vetoes) == (total, stars, tuple(sorted(vetoes)))


def test_score_sheet_names_every_wrong_item_and_gives_no_outcome():
    outcome, errors = rules.score_sheet(ITEMS, {"A.1": "51", "A.2": "x", "B.1": "20"}, ["V9"])
    assert outcome is None
    assert errors == {
        "A.1": "得分 51 超过该项满分 50 分。",
        "A.2": "得分“x”不是数字。",
        "V9": "“V9”不是本评分标准的否决项。",
    }


def test_score_sheet_requires_every_scored_item():
    outcome, errors = rules.score_sheet(ITEMS, {"A.1": "40"}, [])
    assert outcome is None
    assert set(errors) == {"A.2", "B.1"}


@pytest.mark.parametrize(("thresholds", "total", "message"), [
    (((5, D("90")), (4, D("80")), (3, D("70")), (2, D("60"))), D("100"), None),
    (((5, D("90")), (4, D("90")), (3, D("70")), (2, D("60"))), D("100"), "分数线须从五星到二星依次降低。"),
    (((5, D("110")), (4, D("80")), (3, D("70")), (2, D("60"))), D("100"), "分数线须大于 0 且不超过总分 100 分。"),
    (((5, D("90")), (4, D("80")), (3, D("70"))), D("100"), "须依次给出五星、四星、三星、二星的分数线。"),
    (((5, D("90")), (4, D("80")), (3, D("70")), (2, D("0"))), D("100"), "分数线须大于 0 且不超过总分 100 分。"),
])
def test_check_thresholds(thresholds, total, message):
    if message is None:
        rules.check_thresholds(thresholds, total)
    else:
        with pytest.raises(RuleError, match=message):
            rules.check_thresholds(thresholds, total)


@pytest.mark.parametrize(("status", "action", "expected"), [
    (S.SELF, A.SAVE, S.SELF), (S.SELF, A.SUBMIT, S.TOWN),
    (S.TOWN, A.APPROVE, S.DEPT), (S.TOWN, A.RETURN, S.SELF), (S.TOWN, A.REJECT, S.REJECTED),
    (S.DEPT, A.APPROVE, S.NOTICE), (S.DEPT, A.RETURN, S.TOWN), (S.DEPT, A.REJECT, S.REJECTED),
    (S.NOTICE, A.OBJECTION_UPHELD, S.DEPT), (S.NOTICE, A.OBJECTION_DISMISSED, S.NOTICE),
    (S.NOTICE, A.PUBLISH, S.PUBLISHED), (S.PUBLISHED, A.DOWNGRADE, S.PUBLISHED), (S.PUBLISHED, A.REVOKE, S.REVOKED),
])
def test_next_status_allowed(status, action, expected):
    assert rules.next_status(status, action) == expected


@pytest.mark.parametrize(("status", "action"), [
    (S.SELF, A.APPROVE), (S.SELF, A.REJECT), (S.SELF, A.RETURN), (S.TOWN, A.SUBMIT), (S.DEPT, A.PUBLISH),
    (S.NOTICE, A.APPROVE), (S.PUBLISHED, A.APPROVE), (S.REJECTED, A.SUBMIT), (S.REVOKED, A.REVOKE),
    (S.REVOKED, A.PUBLISH), (S.REJECTED, A.RETURN),
])
def test_next_status_refused_with_both_names(status, action):
    with pytest.raises(RuleError) as caught:
        rules.next_status(status, action)
    assert caught.value.message == f"当前状态“{S(status).label}”下不能执行“{A(action).label}”。"


@pytest.mark.parametrize(("action", "reason", "ok"), [
    (A.RETURN, "", False), (A.RETURN, "  太短  ", False), (A.RETURN, "佐证材料不全", True),
    (A.REJECT, "", False), (A.REVOKE, "发生重大事故", True), (A.APPROVE, "", True), (A.SUBMIT, "", True),
])
def test_reason_is_mandatory_for_return_reject_revoke(action, reason, ok):
    if ok:
        assert rules.check_reason(action, reason) == reason.strip()
    else:
        with pytest.raises(RuleError, match="请填写理由"):
            rules.check_reason(action, reason)


@pytest.mark.parametrize(("current", "new", "expected"), [(5, 4, 4), (5, "1", 1), (2, 1, 1)])
def test_downgrade_lowers(current, new, expected):
    assert rules.check_downgrade(current, new) == expected


@pytest.mark.parametrize(("current", "new", "message"), [
    (4, 4, "降级后的星级须低于当前的 4 星。"), (3, 5, "降级后的星级须低于当前的 3 星。"), (3, 0, "星级须为 1 至 5 的整数。"),
])
def test_downgrade_refuses(current, new, message):
    with pytest.raises(RuleError, match=message):
        rules.check_downgrade(current, new)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (datetime.date(2025, 1, 10), 12, datetime.date(2026, 1, 9)),
    (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 27)),
    (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 27)),
    (datetime.date(2025, 12, 1), 1, datetime.date(2025, 12, 31)),
])
def test_validity_period(day, months, expected):
    assert rules.validity_period(day, months) == (day, expected)


@pytest.mark.parametrize(("start", "days", "end"), [
    (datetime.date(2025, 12, 29), 5, datetime.date(2026, 1, 2)), (datetime.date(2025, 1, 1), 1, datetime.date(2025, 1, 1)),
])
def test_notice_period(start, days, end):
    assert rules.notice_period(start, days) == (start, end)


def test_notice_and_validity_refuse_empty_periods():
    with pytest.raises(RuleError):
        rules.notice_period(datetime.date(2025, 1, 1), 0)
    with pytest.raises(RuleError):
        rules.validity_period(datetime.date(2025, 1, 1), 0)


@pytest.mark.parametrize(("ends", "today", "objections", "due"), [
    (datetime.date(2026, 1, 5), datetime.date(2026, 1, 5), 0, False),
    (datetime.date(2026, 1, 5), datetime.date(2026, 1, 6), 0, True),
    (datetime.date(2026, 1, 5), datetime.date(2026, 1, 6), 1, False),
    (None, datetime.date(2026, 1, 6), 0, False),
])
def test_publication_due(ends, today, objections, due):
    assert rules.publication_due(ends, today, objections) is due


@pytest.mark.parametrize(("entered", "today", "days", "overdue"), [
    (datetime.date(2026, 1, 1), datetime.date(2026, 1, 16), 15, False),
    (datetime.date(2026, 1, 1), datetime.date(2026, 1, 17), 15, True),
    (None, datetime.date(2026, 1, 17), 15, False),
])
def test_review_overdue(entered, today, days, overdue):
    assert rules.review_overdue(entered, today, days) is overdue


def _fact(key, status, stars=4, start=None, end=None, revoked=None):
    return RatingFact(key=key, status=status, stars=stars, valid_from=start, valid_to=end, revoked_on=revoked)


JAN = datetime.date(2025, 1, 10)
DEC = datetime.date(2026, 1, 9)
R2024 = _fact("2024", S.PUBLISHED, 4, JAN, DEC)
R2024_REVOKED = _fact("2024r", S.REVOKED, 4, JAN, DEC, revoked=datetime.date(2025, 6, 1))


@pytest.mark.parametrize(("day", "has_org", "facts", "standing", "key"), [
    (datetime.date(2025, 5, 1), False, [R2024], Standing.NO_ORGANIZATION, None),
    (datetime.date(2025, 5, 1), True, [], Standing.NOT_RATED, None),
    (datetime.date(2025, 5, 1), True, [_fact("self", S.SELF, None)], Standing.NOT_RATED, "self"),
    (datetime.date(2025, 5, 1), True, [_fact("n", S.NOTICE, 5)], Standing.UNDER_NOTICE, "n"),
    (datetime.date(2025, 5, 1), True, [R2024], Standing.VALID, "2024"),
    (JAN, True, [R2024], Standing.VALID, "2024"),
    (DEC, True, [R2024], Standing.VALID, "2024"),
    (datetime.date(2025, 1, 9), True, [R2024], Standing.NOT_RATED, None),
    (datetime.date(2026, 1, 10), True, [R2024], Standing.EXPIRED, "2024"),
    (datetime.date(2026, 1, 10), True, [R2024, _fact("n", S.NOTICE, 5)], Standing.UNDER_NOTICE, "n"),
    (datetime.date(2025, 5, 31), True, [R2024_REVOKED], Standing.VALID, "2024r"),
    (datetime.date(2025, 6, 1), True, [R2024_REVOKED], Standing.REVOKED, "2024r"),
    (datetime.date(2025, 6, 1), True, [R2024_REVOKED, _fact("old", S.PUBLISHED, 5, datetime.date(2024, 1, 1),
                                                          datetime.date(2025, 1, 9))], Standing.REVOKED, "2024r"),
    (datetime.date(2025, 5, 1), True, [R2024, _fact("rej", S.REJECTED, None)], Standing.VALID, "2024"),
])
def test_standing_on(day, has_org, facts, standing, key):
    result, fact = rules.standing_on(day, has_organization=has_org, ratings=facts)
    assert result == standing
    assert (fact.key if fact else None) == key


@pytest.mark.parametrize(("status", "level", "role"), [
    (S.SELF, "village", "enterprise_user"), (S.TOWN, "village", "town_staff"), (S.TOWN, "town", "town_staff"),
    (S.TOWN, "city", "org_staff"), (S.DEPT, "city", "org_staff"), (S.DEPT, "village", "org_staff"),
    (S.NOTICE, "town", "org_staff"), (S.REJECTED, "town", None),
])
def test_reviewer_role(status, level, role):
    assert rules.reviewer_role(status, level) == role
