# ruff: noqa: F811  (pytest fixtures imported from the finance and ratings tests)
"""限时办结 in the browser, as the bank sees it: an application left past its due date is flagged red in
the bank's list and on its page, and after the nightly run the page says to whom it was escalated."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from finance.models import LoanApplication
from portal.choices import Role
from tests.factories import TEST_PASSWORD, user_with_role
from tests.finance.conftest import product, quota_table, rated_a, submit  # noqa: F401  (fixtures)
from tests.ratings.conftest import cycle, org_a, rubric  # noqa: F401  (fixtures)
from workflow.calendar import WorkingCalendar
from workflow.escalation import escalate_overdue

from .conftest import login, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bank_officer_sees_an_overdue_application_flagged_and_escalated(world, quota_table, product,  # noqa: F811
                                                                          rated_a, live_server, page):
    user_with_role("t_bank_head", Role.BANK_OFFICER, institution=world.bank, is_head=True)
    application = submit(world, world.station, product)
    # due three working days ago (on the real holiday calendar), as if the bank had let it lie
    today, calendar = timezone.localdate(), WorkingCalendar()
    due = today
    for _ in range(3):
        due -= datetime.timedelta(days=1)
        while not calendar.is_working_day(due):
            due -= datetime.timedelta(days=1)
    LoanApplication.objects.filter(pk=application.pk).update(due_on=due)

    login(page, live_server, "t_bank", TEST_PASSWORD)
    nav(page, "贷款申请")
    flag = page.locator(f"tr:has-text('#{application.pk}') .due-left")
    expect(flag).to_have_text("已超期 3 个工作日")
    assert "text-bg-danger" in flag.get_attribute("class")

    assert escalate_overdue(today=today)["loan"] == 1  # the nightly run
    page.click(f"text=#{application.pk}")
    expect(page.locator("#due .due-left")).to_have_text("已超期 3 个工作日")
    escalated = page.locator(".case-escalations")
    expect(escalated).to_contain_text("已超期督办")
    expect(escalated).to_contain_text(f"应于 {due.isoformat()} 办结，超期 3 个工作日，已督办农商银行信贷负责人")
