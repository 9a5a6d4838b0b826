"""党建+科创 in the browser: the employer applies for a benefit for its talent, the organization department
approves it with an amount, and the talent follows it on the public progress page without logging in."""

import pytest
from playwright.sync_api import expect

from talent.models import BenefitApplication
from tests.factories import TEST_PASSWORD
from tests.talent.conftest import ID_A, ID_B, MOBILE_A, items, make_talent  # noqa: F401  (fixture)

from .conftest import login, nav
from .user_steps import logout, message, nav_exact, relogin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_benefit_from_the_employer_to_the_public_progress_page(world, items, live_server, page):  # noqa: F811
    make_talent(world, name="周星湖", id_number=ID_A, mobile=MOBILE_A, level="C", employer=world.ent_a)

    # the employer finds its talent and applies; more than the item's amount is refused at the amount
    login(page, live_server, "t_enterprise", TEST_PASSWORD)
    nav_exact(page, "人才")
    page.click("#talents a:has-text('周星湖')")
    assert page.inner_text("#id-number") == "510***********4047"  # masked
    page.click("a:has-text('申请人才待遇')")
    page.select_option("#id_item", str(items.housing.pk))
    page.fill("#id_amount_requested", "200,000")
    page.fill("#id_reason", "已在本市首次购买自住商品房，并签订五年服务协议")
    page.click("#benefit-form button:has-text('提交申请')")
    assert page.inner_text("[data-field='amount_requested']") == "申请金额不能超过该政策项目的标准 150,000.00 元。"
    assert BenefitApplication.objects.count() == 0
    page.fill("#id_amount_requested", "150000")
    page.click("#benefit-form button:has-text('提交申请')")
    reference = page.inner_text("#reference")
    application = BenefitApplication.objects.get()
    assert reference == application.reference
    message(page, f"已提交待遇申请，申请编号 {reference}。")
    assert page.inner_text("#status") == "待审核"

    # the department approves it, at most the amount asked
    relogin(page, live_server, "t_orgstaff")
    nav(page, "待遇申请")
    page.click(f"#applications a:has-text('{reference}')")
    page.fill("#approve-form input[name=amount]", "160000")
    page.click("#approve-form button:has-text('批准')")
    assert page.inner_text("[data-field='amount']") == "批准金额不能超过申请金额 150,000.00 元。"
    page.fill("#approve-form input[name=amount]", "120000")
    page.fill("#approve-form input[name=note]", "按购房合同金额核定")
    page.click("#approve-form button:has-text('批准')")
    expect(page.locator("#status")).to_have_text("已批准")
    assert page.inner_text("#approved") == "120,000.00 元"
    logout(page)

    # the talent, not logged in, follows it with the reference and the last six characters of its ID
    page.goto(f"{live_server.url}/talent/progress/")
    page.fill("#id_reference", reference.lower())
    page.fill("#id_id_tail", ID_A[-6:])
    page.click("#progress-form button:has-text('查询')")
    assert page.inner_text("#progress-status") == "已批准"
    result = page.inner_text("#progress-result")
    assert reference in result
    assert "C、D类人才购房补贴" in result
    # nothing that names the talent or tells the amount
    assert "周星湖" not in result
    assert "120,000" not in result
    # a wrong combination: one neutral message, nothing of the application
    page.fill("#id_reference", reference)
    page.fill("#id_id_tail", ID_B[-6:])
    page.click("#progress-form button:has-text('查询')")
    assert page.inner_text("#progress-not-found") == "未查到与所填申请编号和身份证号后六位相符的申请，请核对后重试。"
    expect(page.locator("#progress-result")).to_have_count(0)
    application.refresh_from_db()
    assert (application.status, str(application.amount_approved)) == ("approved", "120000.00")
