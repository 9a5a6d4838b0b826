"""The dashboards' pages: who reaches each one and sees which figures, the charts' data embedded in the
page, the filters' errors at their fields, the menu entries, the work report form, and a number of
queries that does not grow with the data."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import OutboxMessage
from reports.choices import ReportKind
from reports.models import Report
from tests.access import AccessCase, case_id, run_access_case, url_of, users
from tests.finance.conftest import product, product2, quota_table  # noqa: F401  (fixtures)
from tests.ratings.conftest import rubric  # noqa: F401  (fixture)

from . import figures_world
from .figures_world import DAY, grow

hist = figures_world.hist  # the fixture

pytestmark = pytest.mark.django_db
OUTSIDERS = ("insurer_officer", "enterprise_user", "cadre", "admin")


def _period(name):
    """The dashboard's URL for the period of the figures world (the day and 120 days before it)."""
    return lambda w: f"{reverse(name)}?date_from={w.since.isoformat()}&date_to={w.day.isoformat()}"


ACCESS_CASES = [
    AccessCase("reports:dashboard", _period("reports:dashboard"), right=users("org_staff", "leader", "town_staff"),
               wrong=users("station", "bank_officer", *OUTSIDERS), other_scope=users("town_staff_b"),
               other_status=(200,), marker=lambda w: "东湖镇"),
    AccessCase("reports:station_dashboard", _period("reports:station_dashboard"), right=users("station"),
               wrong=users("org_staff", "leader", "town_staff", "bank_officer", *OUTSIDERS),
               other_scope=users("station_b_user"), other_status=(200,), marker=lambda w: "2,000,000.00"),
    AccessCase("reports:bank_dashboard", _period("reports:bank_dashboard"), right=users("bank_officer"),
               wrong=users("org_staff", "leader", "town_staff", "station", *OUTSIDERS),
               other_scope=users("bank2_officer"), other_status=(200,), marker=lambda w: "800,000.00"),
    AccessCase("reports:work_report", url_of("reports:work_report"), right=users("org_staff", "leader"),
               wrong=users("town_staff", "station", "bank_officer", *OUTSIDERS)),
    AccessCase("reports:work_report", url_of("reports:work_report"), method="post", ok=(302,),
               data=lambda w: {"as_of": w.day.isoformat(), "region": ""}, right=users("org_staff", "leader"),
               wrong=users("town_staff", "station", "bank_officer", *OUTSIDERS), label="POST reports:work_report"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, hist):
    run_access_case(case, hist)


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def _data(page: str) -> dict:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the page embeds no chart data"
    return json.loads(found.group(1))


def test_the_leader_dashboard_embeds_its_charts_data_and_shows_the_tables(client, hist):
    page = _page(client, hist.leader, _period("reports:dashboard")(hist))
    data = _data(page)
    day = hist.day.isoformat()
    assert data["stars"] == {"type": "bar", "labels": ["五星", "四星", "三星", "二星", "一星"],
                             "series": [{"name": "党组织", "data": [1, 2, 1, 0, 1]}],
                             "links": [f"/ratings/all/?valid_on={day}&stars={s}" for s in (5, 4, 3, 2, 1)]}
    assert data["trend"]["labels"][-1] == f"{hist.day.year}（截至{hist.day.month}月{hist.day.day}日）"
    assert data["loan_amounts"]["series"][2] == {"name": "占用额度", "data": [80.0, 0.0]}
    assert data["pairing"]["series"][0]["data"] == [1, 1]
    assert data["areas"]["labels"] == ["东湖镇", "西山街道", "星湖市本级"]
    assert re.search(r'id="kpi-rated">5<', page)
    assert re.search(r'id="kpi-quota-used">80.00<', page)
    assert re.search(r'id="kpi-coverage">50.0%<', page)
    # every chart of the page has its data in the page, drawn by the portal's own ECharts copy
    keys = set(re.findall(r'data-chart="([a-z_]+)"', page))
    assert keys == set(data)
    assert '<script src="/static/vendor/echarts/echarts.min.js"></script>' in page
    assert '<script src="/static/reports/dashboard.js"></script>' in page
    assert "cdn" not in page.lower()


def test_town_staff_see_their_town_by_village_and_may_not_choose_another(client, hist):
    page = _page(client, hist.town_staff, _period("reports:dashboard")(hist))
    assert _data(page)["areas"]["labels"] == ["东湖村", "东湖镇本级"]
    assert re.findall(r'<option value="(\d+)"', page) == [str(hist.town_a.pk)]
    refused = _page(client, hist.town_staff, f"{reverse('reports:dashboard')}?region={hist.town_b.pk}")
    assert re.search(r'data-field="region">请选择列表中的镇（街道）。<', refused)
    assert 'id="dashboard-data"' not in refused


def test_a_region_chosen_by_a_leader_narrows_the_figures(client, hist):
    url = _period("reports:dashboard")(hist) + f"&region={hist.town_b.pk}"
    page = _page(client, hist.leader, url)
    assert _data(page)["areas"]["labels"] == ["西山社区"]
    assert re.search(r'id="kpi-rated">2<', page)
    assert "西山街道 · " in page


@pytest.mark.parametrize(("query", "field", "message"), [
    ("date_to=2999-01-01", "date_to", "截止日期不能晚于今天"),
    ("date_to=2018-12-31", "date_to", "截止日期不能早于 2019-01-01"),
    ("date_to=2026-13-40", "date_to", "日期格式应为 YYYY-MM-DD。"),
    ("date_from=2025-06-02&date_to=2025-06-01", "date_from", "开始日期不能晚于截止日期。"),
])
def test_a_bad_period_is_refused_at_its_field(client, hist, query, field, message):
    for user, name in ((hist.leader, "reports:dashboard"), (hist.station, "reports:station_dashboard"),
                       (hist.bank_officer, "reports:bank_dashboard")):
        page = _page(client, user, f"{reverse(name)}?{query}")
        assert re.search(rf'data-field="{field}">{message}', page), (name, query)
        assert 'id="dashboard-data"' not in page


def test_the_period_defaults_to_this_year_so_far(client, hist):
    page = _page(client, hist.leader, reverse("reports:dashboard"))
    today = timezone.localdate()
    assert f'value="{today.replace(month=1, day=1).isoformat()}"' in page
    assert f'value="{today.isoformat()}"' in page
    assert _data(page)["stars"]["series"][0]["data"] == [1, 2, 1, 0, 1]  # nothing has changed since the day


def test_a_station_and_a_bank_see_their_own_figures_only(client, hist):
    mine = _page(client, hist.station, _period("reports:station_dashboard")(hist))
    assert re.search(r'id="kpi-loans">2<', mine)
    assert re.search(r'<tr data-state="rejected"><td>未获批准</td><td class="text-end">1</td>'
                     r'<td class="text-end">2,000,000.00</td>', mine)
    other = _page(client, hist.station_b_user, _period("reports:station_dashboard")(hist))
    assert re.search(r'id="kpi-loans">0<', other)
    assert _data(other)["loans"]["series"][0]["data"] == [0] * 7
    bank = _page(client, hist.bank_officer, _period("reports:bank_dashboard")(hist))
    assert re.search(r'id="kpi-quota-used">800,000.00<', bank)
    assert re.search(r'id="kpi-average-days">7.5<', bank)
    bank2 = _page(client, hist.bank2_officer, _period("reports:bank_dashboard")(hist))
    assert re.search(r'id="kpi-quota-used">0.00<', bank2)
    assert _data(bank2)["states"]["series"][0]["data"] == [0, 1, 0, 0, 0, 1, 0]


def test_each_dashboard_is_in_the_menu_of_those_who_may_open_it(client, hist):
    entries = {"reports:dashboard": "数据看板", "reports:station_dashboard": "本站看板",
               "reports:bank_dashboard": "本行看板"}
    expected = {"leader": {"reports:dashboard"}, "org_staff": {"reports:dashboard"}, "town_staff": {"reports:dashboard"},
                "station": {"reports:station_dashboard"}, "bank_officer": {"reports:bank_dashboard"},
                "enterprise_user": set(), "cadre": set(), "insurer_officer": set()}
    for name, visible in expected.items():
        page = _page(client, getattr(hist, name), reverse("home"))
        shown = {url for url, label in entries.items() if f'href="{reverse(url)}"' in page}
        assert shown == visible, name


def test_the_work_report_form_is_offered_to_leaders_and_the_department_only(client, hist):
    for user, offered in ((hist.leader, True), (hist.org_staff, True), (hist.town_staff, False)):
        dashboard = _page(client, user, reverse("reports:dashboard"))
        files = _page(client, user, reverse("reports:list"))
        assert ('id="work-report-form"' in dashboard, 'id="work-report-form"' in files) == (offered, offered)
    assert 'id="work-report-form"' not in _page(client, hist.enterprise_user, reverse("reports:list"))


@pytest.mark.parametrize(("as_of", "field", "message"), [
    ("", "as_of", "请填写报告截止日期。"),
    ("2026-02-30", "as_of", "日期格式应为 YYYY-MM-DD。"),
    ("2999-01-01", "as_of", "报告截止日期不能晚于今天"),
    ("2018-06-30", "as_of", "报告截止日期不能早于 2019 年"),
])
def test_a_bad_work_report_request_is_refused_at_its_field(client, hist, as_of, field, message):
    client.force_login(hist.leader)
    response = client.post(reverse("reports:work_report"), {"as_of": as_of, "region": ""})
    assert response.status_code == 400
    assert re.search(rf'data-field="{field}">{message}', response.content.decode())
    assert Report.objects.count() == 0


def test_asking_for_the_work_report_queues_it_once(client, hist, django_capture_on_commit_callbacks):
    client.force_login(hist.org_staff)
    data = {"as_of": hist.day.isoformat(), "region": hist.town_a.pk}
    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(reverse("reports:work_report"), data)
        again = client.post(reverse("reports:work_report"), data)
    report = Report.objects.get()
    assert (report.kind, report.params) == (ReportKind.WORK_REPORT, {"as_of": hist.day.isoformat(),
                                                                     "region": hist.town_a.pk, "lang": "zh-hans"})
    assert report.title == f"工作报告 · 东湖镇 · 截至 {hist.day.isoformat()}"
    assert first["Location"] == again["Location"] == reverse("reports:detail", args=[report.pk])
    # one message for the worker, waiting in the outbox until the commit sends it (asked again before
    # that, the same message is tried again, not a second one written)
    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.state) == ("reports.generate", [report.pk], "pending")
    assert {callback.keywords["ids"][0] for callback in callbacks} == {message.pk}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboards_queries_do_not_grow_with_the_data(hist):
    pages = []
    for user, name in ((hist.leader, "reports:dashboard"), (hist.town_staff, "reports:dashboard"),
                       (hist.station, "reports:station_dashboard"), (hist.bank_officer, "reports:bank_dashboard")):
        client = Client()
        client.force_login(user)
        client.get(_period(name)(hist))  # warm: the session, the templates
        pages.append((client, _period(name)(hist)))
    small = [_queries(client, url) for client, url in pages]
    # when every kind of row is added many times over, with history before and after the day
    grow(hist, 25)
    assert [_queries(client, url) for client, url in pages] == small
    # the leaders' dashboard: 44, of which 12 for 限时办结与服务质效 (reports.figures.timeliness)
    assert max(small) < 52


__all__ = ["DAY"]
