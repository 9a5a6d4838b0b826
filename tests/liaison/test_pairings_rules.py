"""The pairing range (1–3 of each kind for a county-level leader), as pure rules: no database."""

import datetime

import pytest

from liaison.rules import pairings as rules
from liaison.rules.pairings import ENTERPRISE, ENTREPRENEUR, OK, OVER, UNDER

COUNTS = [(0, False, UNDER), (1, True, OK), (2, True, OK), (3, True, OK), (4, False, OVER), (5, False, OVER)]


@pytest.mark.parametrize(("count", "within", "state"), COUNTS)
def test_range_of_a_count(count, within, state):
    assert rules.pairing_within_range(count) is within
    assert rules.range_state(count) == state


@pytest.mark.parametrize(("current", "refusal"), [
    (0, None), (1, None), (2, None),
    (3, "每名县级领导干部联系重点民企不超过3家（现已联系3家）。"),
    (4, "每名县级领导干部联系重点民企不超过3家（现已联系4家）。"),
    (5, "每名县级领导干部联系重点民企不超过3家（现已联系5家）。"),
])
def test_adding_an_enterprise(current, refusal):
    if refusal is None:
        assert rules.check_can_add(current, ENTERPRISE) is None
    else:
        with pytest.raises(rules.RuleError) as raised:
            rules.check_can_add(current, ENTERPRISE)
        assert raised.value.message == refusal


@pytest.mark.parametrize(("current", "refusal"), [
    (0, None), (1, None), (2, None),
    (3, "每名县级领导干部联系企业家不超过3名（现已联系3名）。"),
    (4, "每名县级领导干部联系企业家不超过3名（现已联系4名）。"),
    (5, "每名县级领导干部联系企业家不超过3名（现已联系5名）。"),
])
def test_adding_an_entrepreneur(current, refusal):
    if refusal is None:
        assert rules.check_can_add(current, ENTREPRENEUR) is None
    else:
        with pytest.raises(rules.RuleError) as raised:
            rules.check_can_add(current, ENTREPRENEUR)
        assert raised.value.message == refusal


def test_the_default_kind_is_the_enterprise():
    with pytest.raises(rules.RuleError, match="重点民企"):
        rules.check_can_add(3)


@pytest.mark.parametrize(("enterprises", "entrepreneurs", "state"), [
    (0, 0, UNDER), (0, 2, UNDER), (2, 0, UNDER), (0, 4, UNDER), (4, 0, UNDER),
    (1, 1, OK), (3, 3, OK), (2, 1, OK),
    (4, 1, OVER), (1, 4, OVER), (5, 5, OVER),
])
def test_one_state_for_a_cadre(enterprises, entrepreneurs, state):
    assert rules.cadre_range_state(enterprises, entrepreneurs) == state


@pytest.mark.parametrize(("day", "refused"), [
    (datetime.date(2026, 3, 9), False), (datetime.date(2026, 3, 10), False), (datetime.date(2026, 3, 11), True),
])
def test_no_day_to_come(day, refused):
    today = datetime.date(2026, 3, 10)
    if refused:
        with pytest.raises(rules.RuleError) as raised:
            rules.check_not_future(day, today, label="走访日期")
        assert raised.value.message == "走访日期不能晚于今天（2026-03-10）。"
    else:
        assert rules.check_not_future(day, today, label="走访日期") is None


@pytest.mark.parametrize(("day", "paired_since", "message"), [
    (datetime.date(2026, 3, 10), datetime.date(2026, 1, 5), None),
    (datetime.date(2026, 1, 5), datetime.date(2026, 1, 5), None),
    (datetime.date(2026, 1, 4), datetime.date(2026, 1, 5), "走访日期早于该领导与企业的结对开始日期（2026-01-05），请核对。"),
    (datetime.date(1990, 3, 10), datetime.date(2026, 1, 5), "走访日期早于该领导与企业的结对开始日期（2026-01-05），请核对。"),
    (datetime.date(2026, 3, 11), datetime.date(2026, 1, 5), "走访日期不能晚于今天（2026-03-10）。"),
    (datetime.date(2099, 1, 1), None, "走访日期不能晚于今天（2026-03-10）。"),
    (datetime.date(2025, 3, 9), None, None),
    (datetime.date(2025, 3, 8), None, "走访日期不能早于 2025-03-09：走访记录应在一年内补录，请核对年份。"),
    (datetime.date(1990, 3, 10), None, "走访日期不能早于 2025-03-09：走访记录应在一年内补录，请核对年份。"),
])
def test_a_visit_day_that_makes_sense(day, paired_since, message):
    today = datetime.date(2026, 3, 10)
    if message is None:
        assert rules.check_visit_day(day, today, paired_since=paired_since) is None
    else:
        with pytest.raises(rules.RuleError) as raised:
            rules.check_visit_day(day, today, paired_since=paired_since)
        assert raised.value.message == message
