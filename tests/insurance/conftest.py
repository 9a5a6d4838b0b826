"""Fixtures of the insurance tests: the default discount table (in force since 2019), products of
the two insurers of `world`, published five-star ratings for ent_a (town A) and ent_b (town B), and
`iworld`, which adds quotes and a policy on both sides of every scope boundary."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from insurance import rules, services
from insurance.choices import ProductCategory
from ratings import services as rating_services
from ratings.choices import RatingStatus
from tests.ratings.conftest import advance, cycle, org_a, org_b, rubric  # noqa: F401  (fixtures)

TABLE_FROM = datetime.date(2019, 1, 1)


def today():
    return timezone.localdate()


@pytest.fixture
def table(world):
    return services.discount_table_create(acting_user=world.org_staff, effective_from=TABLE_FROM,
                                          rates=rules.DEFAULT_DISCOUNTS, note="默认标准", today=TABLE_FROM)


@pytest.fixture
def products(world):
    """p1 and p1_off (stopped) of the insurer, p2 of insurer2."""
    make = services.product_create
    world.p1 = make(acting_user=world.org_staff, insurer=world.insurer, name="党建惠企安全生产责任险",
                    category=ProductCategory.SAFETY_LIABILITY)
    world.p1_off = make(acting_user=world.org_staff, insurer=world.insurer, name="旧版财产险",
                        category=ProductCategory.PROPERTY, is_active=False)
    world.p2 = make(acting_user=world.org_staff, insurer=world.insurer2, name="团体意外伤害保险",
                    category=ProductCategory.GROUP_ACCIDENT)
    return world


@pytest.fixture
def rated(world, cycle, org_a, org_b, table, products):  # noqa: F811
    """ent_a and ent_b each with a published five-star rating, valid today."""
    start = rating_services.rating_start
    world.rating_a = advance(world, start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a),
                             RatingStatus.PUBLISHED)
    world.rating_b = advance(world, start(acting_user=world.enterprise_b_user, cycle=cycle, organization=org_b),
                             RatingStatus.PUBLISHED, self_user=world.enterprise_b_user, town_user=world.town_staff_b)
    world.org_a, world.org_b, world.table = org_a, org_b, table
    return world


def quote(world, user, enterprise, product, base="10000.00"):
    return services.quote_create(acting_user=user, enterprise=enterprise, product=product, base_premium=base)


@pytest.fixture
def iworld(rated):
    """quote_a: the insurer's, for ent_a (open) · quote_a2: the insurer's for ent_a, issued as policy_a ·
    quote_s: made by station A for ent_a with insurer2's product · quote_b: insurer2's, for ent_b."""
    w = rated
    w.quote_a = quote(w, w.insurer_officer, w.ent_a, w.p1, "12,345.67")
    w.quote_a2 = quote(w, w.insurer_officer, w.ent_a, w.p1, "8000")
    w.policy_a = services.policy_issue(acting_user=w.insurer_officer, quote=w.quote_a2, policy_number="I01-2026-90000001")
    w.quote_s = quote(w, w.station, w.ent_a, w.p2, "3000.00")
    w.quote_b = quote(w, w.insurer2_officer, w.ent_b, w.p2, "5000.00")
    return w


__all__ = ["Decimal", "advance", "quote", "today"]
