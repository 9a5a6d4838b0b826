"""The pure rules of outreach, as tables: no database."""

import datetime
import random
from decimal import Decimal

import pytest

from liaison.rules.outreach import (
    care_in_season,
    mentoring_period_problem,
    month_series,
    notice_is_editable,
    notice_reaches,
    on_duty,
    parse_codes,
    read_rate,
    region_lineage_codes,
    residency_problem,
    season_text,
)
from portal.identifiers import make_uscc

D = datetime.date
VILLAGE = "510799101201"  # a village of town 510799101 of the city 510799
ENTERPRISE = {"kind": "private", "is_key": True, "industry": "C", "region_code": VILLAGE}


@pytest.mark.parametrize(("audience", "value", "attrs", "reaches"), [
    ("all", "", {}, True),
    ("all", "", {"kind": "farm", "is_key": False, "industry": "", "region_code": "510799102000"}, True),
    ("kind", "private", {}, True),
    ("kind", "coop", {}, False),
    ("kind", "", {}, False),  # a kind notice without its kind reaches nobody
    ("kind", "farm", {"kind": "farm"}, True),
    ("key", "", {}, True),
    ("key", "", {"is_key": False}, False),
    ("industry", "C", {}, True),
    ("industry", "A", {}, False),
    ("industry", "", {"industry": ""}, False),  # an enterprise without an industry is in none
    ("region", "510799", {}, True),  # the whole city
    ("region", "510799101", {}, True),  # its town
    ("region", VILLAGE, {}, True),  # its village
    ("region", "510799102", {}, False),  # another town
    ("region", "510799101202", {}, False),  # another village of the same town
    ("region", "510799101", {"region_code": "510799101000"}, True),  # registered at the town itself
    ("region", "510799101", {"region_code": "510799000000"}, False),  # registered at the city: not in the town
    ("region", "", {}, False),
    ("nonsense", "", {}, False),
])
def test_notice_reaches(audience, value, attrs, reaches):
    assert notice_reaches(audience, value, **{**ENTERPRISE, **attrs}) is reaches


@pytest.mark.parametrize(("read", "reached", "rate"), [
    (0, 0, None), (5, 0, None), (0, 5, Decimal("0.0")), (1, 1, Decimal("100.0")), (1, 3, Decimal("33.3")),
    (2, 3, Decimal("66.7")), (1, 6, Decimal("16.7")), (1, 16, Decimal("6.3")), (1, 400, Decimal("0.3")),
    (1, 2000, Decimal("0.1")), (1, 2001, Decimal("0.0")), (99_999, 100_000, Decimal("100.0")),
    (1939, 3000, Decimal("64.6")),
])
def test_read_rate_in_percent_half_up(read, reached, rate):
    assert read_rate(read, reached) == rate


@pytest.mark.parametrize(("status", "editable"), [("draft", True), ("published", False), ("withdrawn", False)])
def test_only_a_draft_is_editable(status, editable):
    assert notice_is_editable(status) is editable


@pytest.mark.parametrize(("since", "until", "active", "day", "serves", "problem"), [
    (D(2024, 1, 1), None, True, D(2024, 1, 1), True, ""),
    (D(2024, 1, 1), None, True, D(2023, 12, 31), False, "该律师自 2024-01-01 起才常驻法律服务中心。"),
    (D(2024, 1, 1), D(2024, 6, 30), True, D(2024, 6, 30), True, ""),
    (D(2024, 1, 1), D(2024, 6, 30), True, D(2024, 7, 1), False, "该律师的常驻期已于 2024-06-30 结束。"),
    (D(2024, 1, 1), None, False, D(2024, 3, 1), False, "该律师已不在法律服务中心值守。"),
])
def test_a_lawyer_serves_within_the_residency(since, until, active, day, serves, problem):
    assert on_duty(since, until, active, day) is serves
    assert residency_problem(since, until, active, day) == problem


@pytest.mark.parametrize(("kind", "day", "ok"), [
    ("summer", D(2025, 5, 31), False), ("summer", D(2025, 6, 1), True), ("summer", D(2025, 9, 30), True),
    ("summer", D(2025, 10, 1), False), ("winter", D(2025, 10, 31), False), ("winter", D(2025, 11, 1), True),
    ("winter", D(2026, 1, 15), True), ("winter", D(2026, 2, 28), True), ("winter", D(2026, 3, 1), False),
    ("training", D(2025, 3, 1), True), ("assistance", D(2025, 7, 1), True),
])
def test_care_seasons(kind, day, ok):
    assert care_in_season(kind, day) is ok


def test_the_season_messages():
    assert season_text("summer") == "夏送清凉活动应在 6 至 9 月举办。"
    assert season_text("winter") == "冬送温暖活动应在 11 月至次年 2 月举办。"
    assert season_text("training") == ""


def test_parse_codes_keeps_the_valid_ones_once_in_order_and_names_the_bad():
    rng = random.Random(7)
    a, b = make_uscc(rng), make_uscc(rng)
    codes, errors = parse_codes(f" {a.lower()}\n{b}，{a}；\n\n91110108551385082X 、123")
    assert codes == [a, b]
    assert errors == ["91110108551385082X：统一社会信用代码校验位错误：第 18 位应为“Q”，实为“X”。",
                      "123：统一社会信用代码应为 18 位，当前为 3 位。"]
    assert parse_codes("") == ([], [])


@pytest.mark.parametrize(("code", "lineage"), [
    ("510799101201", ["510799000000", "510799101000", "510799101201"]),
    ("510799101000", ["510799000000", "510799101000"]),
    ("510799000000", ["510799000000"]),
    ("", []),
    ("5107991", []),
])
def test_region_lineage_codes(code, lineage):
    assert region_lineage_codes(code) == lineage


def test_month_series_fills_the_missing_months():
    assert month_series({2: 5, 4: 1}, last_month=4) == [(1, 0), (2, 5), (3, 0), (4, 1)]
    assert month_series({}, last_month=1) == [(1, 0)]


@pytest.mark.parametrize(("started", "ended", "day", "problem"), [
    (D(2025, 3, 1), None, D(2025, 3, 1), ""),
    (D(2025, 3, 1), None, D(2025, 2, 28), "结对自 2025-03-01 开始，活动日期不能早于这一天。"),
    (D(2025, 3, 1), D(2025, 12, 31), D(2025, 12, 31), ""),
    (D(2025, 3, 1), D(2025, 12, 31), D(2026, 1, 1), "结对已于 2025-12-31 结束，活动日期不能晚于这一天。"),
])
def test_a_session_falls_within_its_pairing(started, ended, day, problem):
    assert mentoring_period_problem(started, ended, day) == problem
