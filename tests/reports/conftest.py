"""Fixtures of the documents' tests: ent_a at five stars and ent_b at three (their organizations'
ratings published through the real workflow), the default quota and discount tables, an insurance
product — and files written to a temporary media folder."""

import pytest

from insurance import rules as insurance_rules
from insurance import services as insurance_services
from insurance.choices import ProductCategory
from tests.finance.conftest import quota_table, rated_a, rated_b  # noqa: F401  (fixtures)
from tests.insurance.conftest import TABLE_FROM
from tests.portal.test_outbox import broker  # noqa: F401  (fixture: a stand-in for Redis behind the outbox)
from tests.ratings.conftest import advance, cycle, org_a, org_b, rubric, sheet  # noqa: F401  (fixtures)


@pytest.fixture
def dworld(world, quota_table, rated_a, rated_b, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    w = world
    w.rated_a, w.rated_b = rated_a, rated_b
    insurance_services.discount_table_create(acting_user=w.org_staff, effective_from=TABLE_FROM,
                                             rates=insurance_rules.DEFAULT_DISCOUNTS, note="默认标准",
                                             today=TABLE_FROM)
    w.insurance_product = insurance_services.product_create(
        acting_user=w.org_staff, insurer=w.insurer, name="党建惠企安全生产责任险",
        category=ProductCategory.SAFETY_LIABILITY)
    return w
