"""From the station's desk to the bank's decision, in the browser: the station applies for an
enterprise of its area, the bank accepts and approves within the quota, the enterprise sees it."""

import pytest

from finance.models import LoanApplication
from tests.factories import TEST_PASSWORD
from tests.finance.conftest import product, quota_table, rated_a  # noqa: F401  (fixtures)
from tests.ratings.conftest import cycle, org_a, rubric  # noqa: F401  (fixtures)

from .conftest import login, nav, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_station_applies_and_bank_approves(world, quota_table, product, rated_a, live_server, page):  # noqa: F811
    login(page, live_server, "t_station", TEST_PASSWORD)
    nav(page, "服务台")
    row = page.locator(f"#desk tr[data-uscc='{world.ent_a.uscc}']")
    assert "5,000,000.00" in row.inner_text()
    row.locator("text=申请贷款").click()
    page.select_option("#id_bank", str(world.bank.pk))
    page.select_option("#id_product", str(product.pk))
    page.fill("#id_amount", "6,000,000")
    page.fill("#id_purpose", "购置数控机床")
    page.click("button:has-text('提交申请')")
    assert "超过可用额度 5,000,000.00 元" in page.inner_text("[data-field='amount']")
    page.fill("#id_amount", "2,000,000")
    page.click("button:has-text('提交申请')")
    assert page.inner_text("#status") == "已提交"
    sign_out(page)

    login(page, live_server, "t_bank", TEST_PASSWORD)
    nav(page, "贷款申请")
    page.click(f"text=#{LoanApplication.objects.get().pk}")
    page.click("button[data-step='accept']")
    page.fill("#approve-form input[name=amount]", "1,500,000")
    page.click("#approve-form button:has-text('审批通过')")
    assert page.inner_text("#status") == "已审批"
    assert page.inner_text("#approved").startswith("1,500,000.00")
    sign_out(page)

    login(page, live_server, "t_enterprise", TEST_PASSWORD)
    page.goto(f"{live_server.url}/enterprises/{world.ent_a.pk}/credit/")
    assert "3,500,000.00" in page.inner_text("[data-available]")
