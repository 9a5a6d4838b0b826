"""The bell in the browser: an enterprise sees its unread count rise when the bank decides its loan
application, opens the list, and marks the notification read."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from finance import services as loans
from tests.factories import TEST_PASSWORD
from tests.finance.conftest import product, quota_table, rated_a, submit  # noqa: F401  (fixtures)
from tests.ratings.conftest import cycle, org_a, rubric  # noqa: F401  (fixtures)

from .a11y import BLOCKING, axe_violations, describe
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bell_counts_a_decision_and_the_list_marks_it_read(world, quota_table, product, rated_a,  # noqa: F811
                                                               live_server, page):
    # given ent_a's application at the bank, submitted by its station and accepted (the enterprise heard of
    # that, and of its rating's steps before)
    with transaction.atomic():
        app = submit(world, world.station, product, amount="1200000")
    with transaction.atomic():
        app = loans.loan_application_act(acting_user=world.bank_officer, application=app, action="accept")
    login(page, live_server, "t_enterprise", TEST_PASSWORD)
    bell = page.locator("#notification-bell")
    before = int(bell.get_attribute("data-unread"))
    assert before >= 1
    assert bell.get_attribute("aria-label") == f"通知：{before} 条未读"

    # when the bank's officer approves it (through the service, committed)
    with transaction.atomic():
        loans.loan_application_act(acting_user=world.bank_officer, application=app, action="approve",
                                   amount="1000000")
    # then the open page's bell catches up when the window is back in focus (bell.js asks the API), without a reload
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(bell).not_to_have_attribute("data-unread", str(before))
    live = int(bell.get_attribute("data-unread"))
    assert live > before
    assert bell.get_attribute("aria-label") == f"通知：{live} 条未读"
    assert bell.inner_text().strip() == str(live)
    page.reload()

    # and after a reload the bell counts more unread (the approval, and the satisfaction survey a decision opens), and says so
    after = int(bell.get_attribute("data-unread"))
    assert after > before
    assert bell.get_attribute("aria-label") == f"通知：{after} 条未读"
    assert bell.inner_text().strip() == str(after)

    # and the list shows the approval among the newest, unread, with a link to the application
    bell.click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    first = page.locator("#notifications li", has_text="贷款申请已获批准").first
    assert "贷款申请已获批准" in first.inner_text()
    assert "批准金额 1,000,000.00 元" in first.inner_text()
    assert first.get_attribute("data-read") == "0"
    assert first.locator("a", has_text="查看").get_attribute("href") == f"/finance/applications/{app.pk}/"

    # when it is marked read
    first.locator("button", has_text="标为已读").click()
    page.wait_for_url(f"{live_server.url}/notifications/")

    # then it is read, the others are not, and the bell counts one less
    first = page.locator("#notifications li", has_text="贷款申请已获批准").first
    assert first.get_attribute("data-read") == "1"
    assert first.locator("button", has_text="标为已读").count() == 0
    assert page.locator("#notification-bell").get_attribute("data-unread") == str(after - 1)
    assert page.inner_text("#unread-count") == f"未读 {after - 1} 条"

    # and "mark all read" leaves none
    page.click("#read-all")
    page.wait_for_url(f"{live_server.url}/notifications/")
    assert page.locator("#notification-bell").get_attribute("data-unread") == "0"
    assert page.locator("#notification-bell").get_attribute("aria-label") == "通知：没有未读"


def test_the_pages_pass_axe_with_unread_ones_on_a_phone(world, quota_table, product, rated_a,  # noqa: F811
                                                        live_server, browser):
    with transaction.atomic():
        app = submit(world, world.station, product, amount="1200000")
    with transaction.atomic():
        loans.loan_application_act(acting_user=world.bank_officer, application=app, action="accept")
    # axe is put into the page as a script of its own, which the content-security policy would refuse
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    login(page, live_server, "t_enterprise", TEST_PASSWORD)
    for path in ("/notifications/", "/notifications/preferences/"):
        page.goto(f"{live_server.url}{path}")
        blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
        assert not blocking, describe(path, blocking)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
