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


@pytest.mark.parametrize("width", [1366, 390])
def test_the_dashboard_fits_its_width_and_no_chart_label_is_cut(hist, live_server, browser, width):  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    login(page, live_server, "t_leader", TEST_PASSWORD)
    page.goto(f"{live_server.url}/reports/dashboard/")
    page.wait_for_function("() => [...document.querySelectorAll('.chart[data-chart]')]"
                           ".every(c => c.querySelector('svg text'))")
    # the page itself never scrolls sideways (wide tables scroll inside their own box)
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    # no label of any chart is shortened with an ellipsis, and every area's name is written out whole
    texts = page.eval_on_selector_all(".chart svg text", "els => els.map(e => e.textContent)")
    assert [t for t in texts if t.endswith(("...", "…"))] == []
    assert {"东湖镇", "西山街道"} <= set(texts)
    # and this year's point of the trend is labelled as the year so far
    assert any("（截至" in t for t in texts), texts
    context.close()


def test_a_click_on_a_chart_bar_opens_the_list_it_counts(hist, live_server, page):  # noqa: F811
    login(page, live_server, "t_leader", TEST_PASSWORD)
    page.goto(f"{live_server.url}/reports/dashboard/")
    page.wait_for_function("() => document.querySelector('[data-chart=stars] svg path')")
    # the tallest bar of "valid stars by level", clicked halfway up
    index, count, url, x, y = page.evaluate("""() => {
        const el = document.querySelector('[data-chart=stars]');
        el.scrollIntoView({block: "center", behavior: "instant"});  // below the fold at 900 px
        const spec = JSON.parse(document.getElementById('dashboard-data').textContent).stars;
        const data = spec.series[0].data, index = data.indexOf(Math.max(...data));
        const [px, py] = echarts.getInstanceByDom(el).convertToPixel({seriesIndex: 0}, [index, data[index] / 2]);
        const box = el.getBoundingClientRect();
        return [index, data[index], spec.links[index], box.left + px, box.top + py];
    }""")
    assert count > 0
    assert url.startswith("/ratings/all/?valid_on=")
    # the bars grow in an animation: click once the bar is drawn under the point
    page.wait_for_function("([x, y]) => document.elementFromPoint(x, y)?.tagName === 'path'", arg=[x, y])
    page.mouse.click(x, y)
    # then the browser opens that bar's list, which shows as many ratings as the bar counts
    page.wait_for_url(f"{live_server.url}{url}")
    assert url.endswith(f"stars={5 - index}")
    assert page.locator("main table tbody tr").count() == count
