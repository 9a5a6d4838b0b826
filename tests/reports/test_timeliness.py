"""限时办结与服务质效 on the dashboards and in the work report: the on-time rate per town, bank and
department for the period as the data stood on its last day, the satisfaction per bank and station,
limited to the user and the region, a fixed number of queries, and the same figures through the real
services."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.models import Department
from quality.models import FollowUp, Survey
from reports.documents.narrative import timeliness_text
from reports.figures import figures
from reports.figures.own import bank_dashboard, station_dashboard
from tests.finance.conftest import product, product2, quota_table  # noqa: F401  (fixtures)
from tests.ratings.conftest import rubric  # noqa: F401  (fixture)
from workflow.models import StepRecord

from . import figures_world
from .figures_world import DAY, at
from .helpers import compact, pdf_text

hist = figures_world.hist  # the fixture
pytestmark = pytest.mark.django_db

D = Decimal


def stay(workflow, case_id, kind, holder_id, entered, due, left=None, state="submitted"):
    return StepRecord.objects.create(workflow=workflow, case_id=case_id, state=state, holder_kind=kind,
                                     holder_id=holder_id, entered_on=entered, due_on=due, left_on=left)


def survey(w, case, score=None, asked=None, answered=None, **handled):
    return Survey.objects.create(workflow="loan", case_pk=case.pk, case_label=f"#{case.pk}", enterprise=case.enterprise,
                                 asked_at=at(asked), score=score, answered_at=at(answered) if answered else None,
                                 **handled)


@pytest.fixture
def timed(hist):
    """The stays and surveys around D (hist.day), in the period D−120…D:
    - town A (东湖镇) reviews: one ended on time, one late, one open past due, one open not yet due, one
      left after D but past due on D (open past due on D), one ended before the period; town B: one
      ended on its due date (on time);
    - bank (农商银行): L1 one stay on time, one late; L4 open past due; bank2 (建设银行): L2 (西山) on time,
      L3 (东湖) late;
    - the 营商环境办 department: appeal A1 (东湖) ended on time, A2 (西山) open past due;
    - surveys: L1 asked D−35 scored 4 on D−30; L4 asked D−5, scored 2 after D (not answered on D), its
      follow-up opened D−3; L3 asked D−50 scored 1 on D−49, its follow-up opened D−48, closed D−40;
      one asked before the period."""
    w, d = hist, hist.day
    ta, tb = w.town_a.pk, w.town_b.pk
    stay("rating", 1, "town", ta, d - 20 * DAY, d - 10 * DAY, d - 12 * DAY)
    stay("rating", 2, "town", ta, d - 20 * DAY, d - 10 * DAY, d - 8 * DAY)
    stay("rating", 3, "town", ta, d - 15 * DAY, d - 5 * DAY)
    stay("rating", 4, "town", ta, d - 3 * DAY, d + 5 * DAY)
    stay("rating", 5, "town", ta, d - 6 * DAY, d - DAY, d + 2 * DAY)
    early = min(w.since, d.replace(month=1, day=1)) - 5 * DAY  # before the period and the report's year
    stay("rating", 6, "town", ta, early - 15 * DAY, early - 5 * DAY, early)
    stay("rating", 7, "town", tb, d - 10 * DAY, d - 2 * DAY, d - 2 * DAY)
    stay("loan", w.l1.pk, "bank", w.bank.pk, d - 50 * DAY, d - 43 * DAY, d - 45 * DAY)
    stay("loan", w.l1.pk, "bank", w.bank.pk, d - 45 * DAY, d - 38 * DAY, d - 35 * DAY, state="accepted")
    stay("loan", w.l4.pk, "bank", w.bank.pk, d - 28 * DAY, d - 21 * DAY)
    stay("loan", w.l2.pk, "bank", w.bank2.pk, d - 20 * DAY, d - 13 * DAY, d - 14 * DAY)
    stay("loan", w.l3.pk, "bank", w.bank2.pk, d - 60 * DAY, d - 57 * DAY, d - 55 * DAY)
    w.dept = Department.objects.create(name="市营商环境办", short_name="营商环境办")
    stay("appeal", w.a1.pk, "appeal_dept", w.dept.pk, d - 18 * DAY, d - 8 * DAY, d - 9 * DAY, state="assigned")
    stay("appeal", w.a2.pk, "appeal_dept", w.dept.pk, d - 14 * DAY, d - 4 * DAY, state="in_progress")
    survey(w, w.l1, 4, d - 35 * DAY, d - 30 * DAY, institution=w.bank, station=w.station_a)
    s4 = survey(w, w.l4, 2, d - 5 * DAY, d + DAY, institution=w.bank)
    FollowUp.objects.create(survey=s4, enterprise=w.l4.enterprise, opened_at=at(d - 3 * DAY))
    s3 = survey(w, w.l3, 1, d - 50 * DAY, d - 49 * DAY, institution=w.bank2, station=w.station_a)
    FollowUp.objects.create(survey=s3, enterprise=w.l3.enterprise, opened_at=at(d - 48 * DAY), status="closed",
                            outcome="已约谈银行，重新受理", closed_at=at(d - 40 * DAY))
    survey(w, w.l2, 5, early - DAY, early, institution=w.bank2)
    return w


def _rows(rows, *keys):
    return {r["name"]: tuple(r[k] for k in keys) for r in rows}


ON_TIME = ("done", "on_time", "rate", "late_open")
QUALITY = ("handled", "answered", "average", "opened", "closed")


def test_the_on_time_rates_per_town_bank_and_department_as_the_data_stood_on_the_day(timed):
    tm = figures(user=timed.leader, as_of=timed.day, since=timed.since).timeliness
    assert _rows(tm.towns, *ON_TIME) == {"东湖镇": (2, 1, D("50.0"), 2), "西山街道": (1, 1, D("100.0"), 0)}
    assert _rows(tm.banks, *ON_TIME) == {"农商银行": (2, 1, D("50.0"), 1), "建设银行": (2, 1, D("50.0"), 0)}
    assert _rows(tm.departments, *ON_TIME) == {"市营商环境办": (1, 1, D("100.0"), 1)}
    assert tm.programmes == []
    assert {k: tm.total[k] for k in ON_TIME} == {"done": 8, "on_time": 5, "rate": D("62.5"), "late_open": 4}


def test_the_satisfaction_per_bank_and_station_counts_the_answers_given_by_the_day(timed):
    tm = figures(user=timed.leader, as_of=timed.day, since=timed.since).timeliness
    assert _rows(tm.banks, *QUALITY) == {"农商银行": (2, 1, D("4.0"), 1, 0), "建设银行": (1, 1, D("1.0"), 1, 1)}
    assert _rows(tm.stations, *QUALITY) == {"东湖镇金融服务站": (2, 2, D("2.5"), 1, 1)}
    assert tm.insurers == []
    assert {k: tm.total[k] for k in QUALITY} == {"handled": 3, "answered": 2, "average": D("2.5"), "opened": 2,
                                                 "closed": 1}
    # a day later the score given after D counts
    later = figures(user=timed.leader, as_of=timed.day + DAY, since=timed.since).timeliness
    assert _rows(later.banks, *QUALITY)["农商银行"] == (2, 2, D("3.0"), 1, 0)


def test_a_town_sees_its_own_town_and_the_cases_of_its_enterprises(timed):
    for user, region in ((timed.town_staff, timed.town_a), (timed.leader, timed.town_a)):
        tm = figures(user=user, as_of=timed.day, since=timed.since, region=region).timeliness
        assert _rows(tm.towns, *ON_TIME) == {"东湖镇": (2, 1, D("50.0"), 2)}
        # L2 and A2 are 西山's
        assert _rows(tm.banks, *ON_TIME) == {"农商银行": (2, 1, D("50.0"), 1), "建设银行": (1, 0, D("0.0"), 0)}
        assert _rows(tm.departments, *ON_TIME) == {"市营商环境办": (1, 1, D("100.0"), 0)}
        assert _rows(tm.stations, *QUALITY) == {"东湖镇金融服务站": (2, 2, D("2.5"), 1, 1)}


def test_the_narrative_says_it_in_one_sentence(timed):
    result = figures(user=timed.leader, as_of=timed.day, since=timed.since)
    day = f"{timed.day.year}年{timed.day.month}月{timed.day.day}日"
    assert timeliness_text(result) == [
        f"期内评星审核、贷款办理、人才待遇审核和问题诉求承办共办结8个环节，其中按时办结5个，按时率62.5%，截至{day}"
        "超期在办4个；期内办结的3件业务已回访，企业评价2件，平均满意度2.5分（满分5分），回访整改发起2件、办结1件。"]
    empty = figures(user=timed.leader, as_of=datetime.date(2019, 1, 1))
    assert timeliness_text(empty) == ["期内暂无限时办结环节和满意度回访记录。"]


def test_the_bank_and_the_station_see_their_own(timed):
    bank = bank_dashboard(user=timed.bank_officer, as_of=timed.day, since=timed.since).quality
    assert bank.on_time == {"done": 2, "on_time": 1, "rate": D("50.0"), "late_open": 1}
    assert bank.satisfaction == {"handled": 2, "answered": 1, "average": D("4.0"), "opened": 1, "closed": 0}
    station = station_dashboard(user=timed.station, as_of=timed.day, since=timed.since).quality
    assert station.on_time is None
    assert station.satisfaction == {"handled": 2, "answered": 2, "average": D("2.5"), "opened": 1, "closed": 1}
    other = station_dashboard(user=timed.station_b_user, as_of=timed.day, since=timed.since).quality
    assert other.satisfaction == {"handled": 0, "answered": 0, "average": None, "opened": 0, "closed": 0}


def _page(user, name, w):
    client = Client()
    client.force_login(user)
    response = client.get(f"{reverse(name)}?date_from={w.since.isoformat()}&date_to={w.day.isoformat()}")
    assert response.status_code == 200
    return compact(response.content.decode())


def test_the_dashboards_show_the_section(timed):
    page = _page(timed.leader, "reports:dashboard", timed)
    assert "限时办结与服务质效" in page
    assert 'id="timeliness-banks"' in page
    assert 'id="timeliness-towns"' in page
    assert "期内办结8个环节，按时办结5个，按时率62.5%；截止日超期在办4个。" in page
    assert "保险报价尚未纳入限时办结和满意度回访" in page
    # the open past due lead to today's overdue cases of the list
    loans, appeals = reverse("finance:application_list"), reverse("liaison:appeal_list")
    assert f'href="{loans}?due=overdue&amp;bank={timed.bank.pk}">1</a>' in page
    assert f'href="{appeals}?due=overdue&amp;department={timed.dept.pk}">1</a>' in page
    bank = _page(timed.bank_officer, "reports:bank_dashboard", timed)
    assert 'id="kpi-on-time-rate">50.0%<' in bank
    assert 'id="kpi-satisfaction">4.0<' in bank
    station = _page(timed.station, "reports:station_dashboard", timed)
    assert 'id="kpi-satisfaction">2.5<' in station
    assert "kpi-on-time-rate" not in station


def _printed(row, *keys) -> str:
    """A row of the report's tables as the PDF's text gives it."""
    shown = {"rate": lambda v: "—" if v is None else f"{v}%", "average": lambda v: "—" if v is None else str(v)}
    return row["name"] + "".join(shown.get(k, str)(row[k]) for k in keys)


def test_the_work_report_prints_the_section(timed):
    from reports.documents.work_report import prepare_work_report, render_work_report
    from reports.figures.period import year_start

    prepared = prepare_work_report(user=timed.leader, params={"as_of": timed.day.isoformat()})
    report = type("R", (), {"params": prepared.params, "requested_by": timed.leader})()
    text = compact(pdf_text(render_work_report(report, lambda *a: None).content))
    # the report's period is the year up to its day
    tm = figures(user=timed.leader, as_of=timed.day, since=year_start(timed.day)).timeliness
    assert tm.total["done"] >= 8
    lines = ["六、限时办结与服务质效", "七、下一步工作", "（六）限时办结与服务质效",
             f'共办结{tm.total["done"]}个环节，其中按时办结{tm.total["on_time"]}个',
             "督促有关镇（街道）、合作银行和承办部门办结超过办理期限的4个环节。"]
    lines += [_printed(r, *ON_TIME) for r in tm.towns]
    lines += [_printed(r, *ON_TIME, *QUALITY) for r in [*tm.banks, *tm.departments]]
    lines += [_printed(r, *QUALITY) for r in tm.stations]
    assert "农商银行2150.0%1214.010" in lines
    for line in lines:
        assert compact(line) in text, line


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_queries_do_not_grow_with_the_stays_and_surveys(timed):
    from reports.figures.period import build_scope
    from reports.figures.timeliness import timeliness_figures

    w, d = timed, timed.day
    scope = build_scope(user=w.leader, as_of=d, since=w.since)
    town_scope = build_scope(user=w.town_staff, as_of=d, since=w.since, region=w.town_a)
    calls = (lambda: timeliness_figures(w.leader, scope), lambda: timeliness_figures(w.town_staff, town_scope),
             lambda: bank_dashboard(user=w.bank_officer, as_of=d, since=w.since).quality,
             lambda: station_dashboard(user=w.station, as_of=d, since=w.since).quality)
    for call in calls:
        call()
    small = [_queries(call) for call in calls]
    assert small[0] == 12
    departments = [Department.objects.create(name=f"部门{i}", short_name=f"部门{i}") for i in range(5)]
    for i in range(30):
        stay("rating", 100 + i, "town", (w.town_a if i % 2 else w.town_b).pk, d - (i + 5) * DAY, d - i * DAY,
             d - (i % 3) * DAY if i % 4 else None)
        stay("loan", (w.l1 if i % 2 else w.l3).pk, "bank", (w.bank if i % 2 else w.bank2).pk, d - 9 * DAY,
             d - (i % 9) * DAY, d - (i % 5) * DAY)
        stay("appeal", (w.a1 if i % 2 else w.a2).pk, "appeal_dept", departments[i % 5].pk, d - 9 * DAY, d - i * DAY)
        asked = Survey.objects.create(
            workflow="appeal", case_pk=1000 + i, case_label=f"#{i}", enterprise=w.ent_a if i % 2 else w.ent_b,
            department=departments[i % 5], station=w.station_a if i % 3 else w.station_b, asked_at=at(d - i * DAY),
            score=1 + i % 5, answered_at=at(d - i * DAY))
        if i % 2:
            FollowUp.objects.create(survey=asked, enterprise=asked.enterprise, opened_at=at(d - i * DAY))
    assert [_queries(call) for call in calls] == small
    assert len(timeliness_figures(w.leader, scope).departments) == 6  # the grown rows are counted


def test_through_the_real_services(hist, django_capture_on_commit_callbacks):
    """A loan submitted, accepted and rejected today through the services: two stays of the bank ended
    on time, and the rejection (the case's end) asks the enterprise for its satisfaction."""
    from finance import services as finance_services

    w, today = hist, timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        loan = finance_services.loan_application_submit(acting_user=w.enterprise_user, enterprise=w.ent_a,
                                                        bank=w.bank, product=w.product, amount="300000",
                                                        purpose="购置生产设备")
    with django_capture_on_commit_callbacks(execute=True):
        loan = finance_services.loan_application_act(acting_user=w.bank_officer, application=loan, action="accept")
    with django_capture_on_commit_callbacks(execute=True):
        finance_services.loan_application_act(acting_user=w.bank_officer, application=loan, action="reject",
                                              reason="cash_flow")
    tm = figures(user=w.leader, as_of=today, since=today).timeliness
    assert _rows(tm.banks, *ON_TIME, *QUALITY)["农商银行"] == (2, 2, D("100.0"), 0, 1, 0, None, 0, 0)
    assert _rows(tm.banks, *ON_TIME)["建设银行"] == (0, 0, None, 0)
    own = bank_dashboard(user=w.bank_officer, as_of=today, since=today).quality
    assert (own.on_time["rate"], own.satisfaction["handled"]) == (D("100.0"), 1)
