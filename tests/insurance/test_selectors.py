"""The insurance reads: the table in force on a day, what a star level is worth (finance reads it),
and who sees which quotes and policies."""

import datetime
from decimal import Decimal

import pytest

from insurance import selectors, services
from insurance.selectors import ProductDiscount

from .conftest import TABLE_FROM, today

pytestmark = pytest.mark.django_db
D = Decimal
REVISED = {1: "12", 2: "18", 3: "24", 4: "30", 5: "35"}


@pytest.fixture
def two_tables(world, table):
    revised = services.discount_table_create(acting_user=world.org_staff, effective_from=datetime.date(2026, 7, 1),
                                             rates=REVISED, today=datetime.date(2026, 7, 1))
    return table, revised


@pytest.mark.parametrize(("day", "which"), [
    (datetime.date(2018, 12, 31), None),
    (TABLE_FROM, 0),
    (datetime.date(2026, 6, 30), 0),
    (datetime.date(2026, 7, 1), 1),
    (datetime.date(2030, 1, 1), 1),
])
def test_the_table_in_force_on_a_day(two_tables, day, which):
    found = selectors.discount_table_in_force(day)
    assert found == (two_tables[which] if which is not None else None)


@pytest.mark.parametrize(("stars", "day", "rate"), [
    (5, datetime.date(2026, 6, 30), "30.00"),
    (5, datetime.date(2026, 7, 1), "35.00"),
    (1, datetime.date(2020, 5, 1), "10.00"),
    (3, datetime.date(2027, 1, 1), "24.00"),
])
def test_discounts_for_lists_every_active_product_at_the_rate_in_force(two_tables, products, stars, day, rate):
    w = products
    result = selectors.discounts_for(stars, day)
    assert result == [ProductDiscount(w.insurer, w.p1, D(rate)), ProductDiscount(w.insurer2, w.p2, D(rate))]
    insurer, product, discount = result[0]  # a plain tuple to whoever unpacks it
    assert (insurer.code, product.name, discount) == ("I01", "党建惠企安全生产责任险", D(rate))


def test_discounts_for_nothing_without_stars_or_table(world, products):
    assert selectors.discounts_for(5, today()) == []  # no table yet
    services.discount_table_create(acting_user=world.org_staff, effective_from=today(), rates=REVISED)
    assert selectors.discounts_for(None, today()) == []
    assert selectors.discounts_for(5, today() - datetime.timedelta(days=1)) == []
    assert len(selectors.discounts_for(5, today())) == 2


def test_a_retired_insurer_offers_nothing(world, table, products):
    world.insurer2.is_active = False
    world.insurer2.save()
    assert [d.product for d in selectors.discounts_for(4, today())] == [world.p1]


# --- who sees what -----------------------------------------------------------------------------

SEES = {
    "insurer_officer": {"quote_a", "quote_a2"},
    "insurer2_officer": {"quote_s", "quote_b"},
    "enterprise_user": {"quote_a", "quote_a2", "quote_s"},
    "enterprise_b_user": {"quote_b"},
    "station": {"quote_a", "quote_a2", "quote_s"},
    "station_b_user": {"quote_b"},
    "park_station_user": set(),
    "town_staff": {"quote_a", "quote_a2", "quote_s"},
    "town_staff_b": {"quote_b"},
    "org_staff": {"quote_a", "quote_a2", "quote_s", "quote_b"},
    "leader": {"quote_a", "quote_a2", "quote_s", "quote_b"},
    "bank_officer": set(),
    "cadre": set(),
    "admin": set(),
}


@pytest.mark.parametrize(("who", "names"), SEES.items())
def test_each_role_sees_its_own_quotes_and_policies(iworld, who, names):
    user = getattr(iworld, who)
    expected = {getattr(iworld, n).pk for n in names}
    assert set(selectors.quote_list(user=user).values_list("pk", flat=True)) == expected
    policies = set(selectors.policy_list(user=user).values_list("pk", flat=True))
    assert policies == ({iworld.policy_a.pk} if "quote_a2" in names else set())


def test_an_insurer_officer_finds_any_enterprise_by_its_exact_code_a_station_only_its_own(iworld):
    w = iworld
    assert selectors.quotable_enterprise(user=w.insurer_officer, uscc=w.ent_b.uscc) == w.ent_b
    assert selectors.quotable_enterprise(user=w.station, uscc=w.ent_a.uscc) == w.ent_a
    assert selectors.quotable_enterprise(user=w.station, uscc=w.ent_b.uscc) is None
    assert selectors.quotable_enterprise(user=w.enterprise_user, uscc=w.ent_a.uscc) is None
    assert selectors.quotable_enterprise(user=w.bank_officer, uscc=w.ent_a.uscc) is None


def test_quotable_products(iworld):
    w = iworld
    assert list(selectors.quotable_products(user=w.insurer_officer)) == [w.p1]
    assert list(selectors.quotable_products(user=w.insurer2_officer)) == [w.p2]
    assert set(selectors.quotable_products(user=w.station)) == {w.p1, w.p2}


def test_the_discount_summary_counts_issued_policies_by_insurer(iworld):
    services.policy_issue(acting_user=iworld.insurer2_officer, quote=iworld.quote_b)
    rows = selectors.discount_summary(user=iworld.org_staff)
    assert [(r.insurer_name, r.quotes, r.policies, r.base, r.discount, r.net) for r in rows] == [
        ("人保财险", 2, 1, D("8000.00"), D("2400.00"), D("5600.00")),
        ("平安财险", 2, 1, D("5000.00"), D("1500.00"), D("3500.00")),
    ]
    assert [r.insurer_name for r in selectors.discount_summary(user=iworld.insurer_officer)] == ["人保财险"]
    assert selectors.discount_summary(user=iworld.bank_officer) == []


def test_the_enterprise_tab_reads_what_its_stars_are_worth(iworld):
    context = selectors.enterprise_insurance(iworld.ent_a, user=iworld.org_staff)
    assert context["insurance_rate"] == D("30.00")
    assert {q.pk for q in context["insurance_quotes"]} == {iworld.quote_a.pk, iworld.quote_a2.pk, iworld.quote_s.pk}
    assert [p.pk for p in context["insurance_policies"]] == [iworld.policy_a.pk]
    context = selectors.enterprise_insurance(iworld.ent_park, user=iworld.org_staff)
    assert (context["insurance_rate"], context["insurance_answer"].message) == (None, "未建立党组织")
