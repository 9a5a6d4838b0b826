"""Fixtures of the finance tests: the default quota table, a product at each of two banks, and
ent_a with a published five-star rating valid today (through the real rating workflow)."""

import datetime
from decimal import Decimal

import pytest

from finance import services
from finance.choices import ExchangeDirection
from finance.services import cobuilding as cobuilding_services
from portal.models import Branch
from ratings.choices import RatingStatus
from ratings.services import rating_start
from tests.finance.cobuilding_fixtures import D, days
from tests.ratings.conftest import advance, cycle, org_a, org_b, rubric, sheet  # noqa: F401  (fixtures)

DEFAULT_AMOUNTS = {1: "1000000", 2: "2000000", 3: "3000000", 4: "4000000", 5: "5000000"}


@pytest.fixture
def quota_table(world):
    return services.quota_table_create(acting_user=world.org_staff, effective_from=datetime.date(2019, 1, 1),
                                       amounts=DEFAULT_AMOUNTS, note="默认额度标准")


@pytest.fixture
def product(world):
    return services.product_create(acting_user=world.org_staff, bank=world.bank, name="党建惠企贷",
                                   annual_rate=Decimal("3.45"), term_months=12)


@pytest.fixture
def product2(world):
    return services.product_create(acting_user=world.org_staff, bank=world.bank2, name="红色信用贷",
                                   annual_rate=Decimal("3.60"), term_months=24)


@pytest.fixture
def rated_a(world, cycle, org_a):  # noqa: F811
    """ent_a's organization published at five stars (91 points), valid today."""
    rating = rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a)
    return advance(world, rating, RatingStatus.PUBLISHED)


@pytest.fixture
def rated_b(world, cycle, org_b):  # noqa: F811
    """ent_b's organization published at three stars (75 points), valid today."""
    rating = rating_start(acting_user=world.enterprise_b_user, cycle=cycle, organization=org_b)
    return advance(world, rating, RatingStatus.PUBLISHED, scores=sheet(a1="30", a2="27", b1="18"),
                   self_user=world.enterprise_b_user, town_user=world.town_staff_b)


def submit(world, user, product, amount="1000000", enterprise=None, purpose="购置生产设备"):
    return services.loan_application_submit(acting_user=user, enterprise=enterprise or world.ent_a,
                                            bank=product.bank, product=product, amount=amount, purpose=purpose)


@pytest.fixture
def fworld(world, quota_table, product, product2, rated_a, rated_b):
    """`world` with the policies, ent_a at five stars and ent_b at three, and applications:
    app_a (ent_a → bank, submitted by the station), app_b (ent_b → bank2, accepted)."""
    w = world
    w.quota_table, w.product, w.product2, w.rated_a = quota_table, product, product2, rated_a
    w.app_a = submit(w, w.station, product, amount="1200000")
    app_b = services.loan_application_submit(acting_user=w.enterprise_b_user, enterprise=w.ent_b, bank=w.bank2,
                                             product=product2, amount="500000", purpose="补充流动资金")
    w.app_b = services.loan_application_act(acting_user=w.bank2_officer, application=app_b, action="accept")
    return w


@pytest.fixture
def cb(world):  # the world of tests/finance/test_cobuilding_*.py
    """`world` with a branch of each bank, three pairings (one of them ended), an activity, and a current
    and a past cadre exchange."""
    w = world
    w.branch = Branch.objects.create(institution=w.bank, name="星湖农商银行东湖支行", region=w.town_a)
    w.branch2 = Branch.objects.create(institution=w.bank2, name="建设银行西山分理处", region=w.town_b)
    w.pair = cobuilding_services.pair_create(acting_user=w.org_staff, bank=w.bank, branch=w.branch, region=w.village_a,
                                  started_on=D(2021, 3, 1), note="支部联建、整村授信")
    w.activity = cobuilding_services.activity_add(acting_user=w.org_staff, pair=w.pair, held_on=D(2022, 6, 18),
                                       title="金融知识进村", participants=40)
    w.park_pair = cobuilding_services.pair_create(acting_user=w.org_staff, bank=w.bank2, park=w.park, started_on=D(2020, 5, 1))
    w.old_pair = cobuilding_services.pair_create(acting_user=w.org_staff, bank=w.bank2, region=w.village_b,
                                      started_on=D(2019, 4, 1))
    cobuilding_services.pair_end(acting_user=w.org_staff, pair=w.old_pair, ended_on=D(2020, 12, 31))
    w.old_pair.refresh_from_db()
    w.exchange = cobuilding_services.exchange_create(
        acting_user=w.org_staff, person_name="周明远", direction=ExchangeDirection.TO_BANK, organ="星湖市财政局",
        bank=w.bank, post="普惠金融部副经理", started_on=days(-100), ended_on=days(265))
    w.past_exchange = cobuilding_services.exchange_create(
        acting_user=w.org_staff, person_name="郑雅琴", direction=ExchangeDirection.TO_GOVERNMENT,
        organ="星湖市发展和改革局", bank=w.bank2, post="金融工作科副科长", started_on=D(2021, 1, 1),
        ended_on=D(2021, 12, 31))
    return w
