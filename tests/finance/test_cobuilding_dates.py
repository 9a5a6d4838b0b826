"""Co-building dates that make no sense are refused at their field with the reason, nothing written:
a pairing begun in 1990 or agreed for 2099, an activity not yet held, an exchange of twenty years."""

import pytest

from finance.choices import ExchangeDirection
from finance.models import CadreExchange, CoBuildingActivity, CoBuildingPair
from finance.services import cobuilding as services
from portal.errors import DomainError
from tests.finance.cobuilding_fixtures import D, days

pytestmark = pytest.mark.django_db


def refused(call) -> dict:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.errors or {caught.value.field: [caught.value.message]}


def test_a_pairing_begun_in_1990_or_agreed_for_2099_is_refused(cb):
    w = cb
    before = CoBuildingPair.objects.count()
    errors = refused(lambda: services.pair_create(acting_user=w.org_staff, bank=w.bank, region=w.village_b,
                                                  started_on=D(1990, 1, 1)))
    assert errors == {"started_on": ["结对日期 1990-01-01 过早，请核对年份：不早于 2000-01-01。"]}
    errors = refused(lambda: services.pair_create(acting_user=w.org_staff, bank=w.bank, region=w.village_b,
                                                  started_on=D(2099, 1, 1)))
    assert errors == {"started_on": [f"结对日期 2099-01-01 过远：最多提前一年登记（至 {days(366).isoformat()}）。"]}
    assert CoBuildingPair.objects.count() == before


def test_a_pairing_cannot_be_ended_in_2099(cb):
    errors = refused(lambda: services.pair_end(acting_user=cb.org_staff, pair=cb.pair, ended_on=D(2099, 12, 31)))
    assert errors == {"ended_on": [f"结束日期 2099-12-31 过远：最多提前一年登记（至 {days(366).isoformat()}）。"]}
    cb.pair.refresh_from_db()
    assert cb.pair.ended_on is None


def test_an_activity_not_yet_held_is_refused(cb):
    before = CoBuildingActivity.objects.count()
    errors = refused(lambda: services.activity_add(acting_user=cb.org_staff, pair=cb.pair, held_on=days(1),
                                                   title="金融知识进村", participants=10))
    assert errors == {"held_on": [f"活动日期 {days(1).isoformat()} 晚于今天：请在举行之后登记。"]}
    assert CoBuildingActivity.objects.count() == before


def test_an_exchange_of_twenty_years_or_from_1990_is_refused(cb):
    before = CadreExchange.objects.count()
    errors = refused(lambda: services.exchange_create(
        acting_user=cb.org_staff, person_name="周明远", direction=ExchangeDirection.TO_BANK, organ="星湖市财政局",
        bank=cb.bank, post="普惠金融部副经理", started_on=D(1990, 3, 1), ended_on=D(2010, 2, 28)))
    assert errors == {"started_on": ["开始日期 1990-03-01 过早，请核对年份：不早于 2000-01-01。"],
                      "ended_on": ["挂职期限最长 5 年：结束日期不能晚于 1995-02-28。"]}
    assert CadreExchange.objects.count() == before
