"""A quota or discount table decided for 2099 is a typing slip: refused at its date, nothing written."""

import datetime

import pytest

from finance import services
from finance.models import QuotaTable
from portal.errors import DomainError
from portal.rules import check_table_effective_from

D = datetime.date
AMOUNTS = {1: "1000000", 2: "2000000", 3: "3000000", 4: "4000000", 5: "5000000"}


@pytest.mark.parametrize(("day", "today", "problem"), [
    (D(2026, 5, 10), D(2026, 5, 10), ""),
    (D(2031, 5, 10), D(2026, 5, 10), ""),
    (D(2019, 1, 1), D(2026, 5, 10), ""),  # reaching back is each table's own rule
    (D(2031, 5, 11), D(2026, 5, 10), "生效日期 2031-05-11 过远：新标准最多提前 5 年确定（至 2031-05-10）。"),
    (D(2099, 1, 1), D(2026, 5, 10), "生效日期 2099-01-01 过远：新标准最多提前 5 年确定（至 2031-05-10）。"),
    (D(2029, 3, 1), D(2024, 2, 29), "生效日期 2029-03-01 过远：新标准最多提前 5 年确定（至 2029-02-28）。"),
])
def test_a_table_is_decided_at_most_five_years_ahead(day, today, problem):
    assert check_table_effective_from(day, today) == problem


@pytest.mark.django_db
def test_a_quota_table_for_2099_is_refused_at_its_date(world):
    with pytest.raises(DomainError) as caught:
        services.quota_table_create(acting_user=world.org_staff, effective_from=D(2099, 1, 1), amounts=AMOUNTS)
    assert list(caught.value.errors) == ["effective_from"]
    assert caught.value.errors["effective_from"][0].startswith("生效日期 2099-01-01 过远：新标准最多提前 5 年确定")
    assert not QuotaTable.objects.exists()
