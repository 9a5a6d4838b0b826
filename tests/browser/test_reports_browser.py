"""The leaders' dashboard draws its charts in the browser (ECharts served by the portal, no CDN), and
an enterprise asks for its credit-enhancement certificate, follows it to done, and anyone can verify
its code on the public page."""

import pytest

from reports.models import Report
from tests.factories import TEST_PASSWORD
from tests.finance.conftest import product, product2, quota_table, rated_a  # noqa: F401  (fixtures)
from tests.ratings.conftest import cycle, org_a, rubric  # noqa: F401  (fixtures)
from tests.reports.figures_world import hist  # noqa: F401  (fixture)

from .conftest import login, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leaders_dashboard_draws_every_chart(hist, live_server, page):  # noqa: F811
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    login(page, live_server, "t_leader", TEST_PASSWORD)
    nav(page, "数据看板")
    charts = page.locator(".chart[data-chart]")
    assert charts.count() >= 10
    # every chart container got its drawing (SVG) from ECharts
    page.wait_for_function("() => [...document.querySelectorAll('.chart[data-chart]')]"
                           ".every(c => c.querySelector('svg'))")
    assert errors == []
    # a filter reloads the page with the charts drawn again
    page.select_option("#dashboard-filter select[name=region]", str(hist.town_a.pk))
    page.click("#dashboard-filter button:has-text('统计')")
    page.wait_for_function("() => [...document.querySelectorAll('.chart[data-chart]')]"
                           ".every(c => c.querySelector('svg'))")
    assert errors == []


def test_an_enterprise_gets_its_certificate_and_the_public_verifies_it(world, quota_table, rated_a,  # noqa: F811
                                                                       live_server, page, browser):
    login(page, live_server, "t_enterprise", TEST_PASSWORD)
    page.goto(f"{live_server.url}/enterprises/{world.ent_a.pk}/certificates/")
    page.click("#credit-certificate-form button")
    # the test settings run the task at once: the report page shows it done with its download
    page.wait_for_selector("text=下载")
    code = page.inner_text("#verification-code").split()[0]
    report = Report.objects.get()
    assert report.state == "done"
    # a bank officer's colleague, or anyone, checks the code without logging in
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/verify/")
    public.fill("#id_code", code.lower())
    public.click("button:has-text('查验')")
    assert public.get_attribute("#verify-result", "data-result") == "valid"
    assert world.ent_a.name in public.inner_text("body")
    public.context.close()
