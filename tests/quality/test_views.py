"""Service-quality pages: who reaches each, answering on the enterprise's 待评价 list (and a station
for it), the department's follow-up, and the figures page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quality import services
from quality.models import FollowUp, Survey
from tests.access import AccessCase, case_id, run_access_case, url_of, users
from tests.homecards import counter_links

pytestmark = pytest.mark.django_db

OUTSIDERS = ("bank_officer", "insurer_officer", "cadre", "admin")
READERS = ("org_staff", "leader", "town_staff", "station", "enterprise_user")
OTHER_AREA = ("town_staff_b", "station_b_user", "enterprise_b_user", "park_station_user")
NOT_STAFF = ("town_staff", "station", "enterprise_user", *OUTSIDERS)
CITY_WIDE = "the organization department's own pages: the whole city, no scoped role may open them"
PENDING_LABEL = "东湖贷款 #A-7001"
LOW_LABEL = "东湖贷款 #A-7002"


@pytest.fixture
def qw(world):
    """ent_a with a loan survey waiting for its answer (bank, station of 东湖镇) and one answered at one
    star, whose follow-up is open."""
    w = world
    w.pending = Survey.objects.create(workflow="loan", case_pk=7001, case_label=PENDING_LABEL, enterprise=w.ent_a,
                                      institution=w.bank, station=w.station_a)
    w.low = Survey.objects.create(workflow="loan", case_pk=7002, case_label=LOW_LABEL, enterprise=w.ent_a,
                                  institution=w.bank, station=w.station_a)
    services.survey_answer(survey=w.low, score="1", comment="放款比承诺晚了两周", acting_user=w.enterprise_user)
    w.followup = FollowUp.objects.get(survey=w.low)
    return w


ACCESS_CASES = [
    AccessCase("quality:figures", url_of("quality:figures"), right=users("org_staff", "leader"),
               wrong=users(*NOT_STAFF), why_no_other_scope=CITY_WIDE),
    AccessCase("quality:survey_list", url_of("quality:survey_list"), right=users(*READERS), wrong=users(*OUTSIDERS),
               other_scope=users(*OTHER_AREA), other_status=(200,), marker=lambda w: PENDING_LABEL),
    AccessCase("quality:survey_detail", url_of("quality:survey_detail", "pending.pk"), right=users(*READERS),
               wrong=users(*OUTSIDERS), other_scope=users(*OTHER_AREA), marker=lambda w: PENDING_LABEL),
    AccessCase("quality:survey_answer", url_of("quality:survey_answer", "pending.pk"), method="post",
               data=lambda w: {"score": "5", "comment": ""}, ok=(302,),
               right=users("enterprise_user", "station"), wrong=users("org_staff", "leader", "town_staff", *OUTSIDERS),
               other_scope=users("enterprise_b_user", "station_b_user", "park_station_user")),
    AccessCase("quality:followup_list", url_of("quality:followup_list"), right=users("org_staff", "leader"),
               wrong=users(*NOT_STAFF), why_no_other_scope=CITY_WIDE),
    AccessCase("quality:followup_detail", url_of("quality:followup_detail", "followup.pk"),
               right=users("org_staff", "leader"), wrong=users(*NOT_STAFF), why_no_other_scope=CITY_WIDE),
    AccessCase("quality:followup_act", url_of("quality:followup_act", "followup.pk", action="start"), method="post",
               data=lambda w: {"version": "1"}, ok=(302,), right=users("org_staff"),
               wrong=users("leader", *NOT_STAFF), why_no_other_scope=CITY_WIDE),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, qw):
    run_access_case(case, qw)


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_enterprise_home_page_counts_its_surveys_to_answer_and_leads_to_them(client, qw):
    w = qw
    home = page(client, w.enterprise_user, "/")
    assert ("/quality/surveys/?state=pending", "待评价", 1) in counter_links(home)
    listed = page(client, w.enterprise_user, reverse("quality:survey_list"), state="pending")
    assert PENDING_LABEL in listed
    assert LOW_LABEL not in listed
    assert 'id="survey-card"' not in page(client, w.bank_officer, "/")


def test_a_low_score_without_its_reason_is_refused_at_the_field(client, qw):
    w = qw
    client.force_login(w.enterprise_user)
    response = client.post(reverse("quality:survey_answer", args=[w.pending.pk]), {"score": "2", "comment": "差"})
    assert response.status_code == 400
    assert "评分为 2 分及以下时，请写明不满意的原因（不少于 5 个字）。" in response.content.decode()
    w.pending.refresh_from_db()
    assert w.pending.score is None


def test_the_station_records_the_answer_and_the_page_says_so(client, qw):
    w = qw
    client.force_login(w.station)
    response = client.post(reverse("quality:survey_answer", args=[w.pending.pk]), {"score": "4", "comment": "满意"})
    assert response.status_code == 302
    text = page(client, w.enterprise_user, reverse("quality:survey_detail", args=[w.pending.pk]))
    assert 'data-score="4"' in text
    assert 'id="on-behalf"' in text
    assert 'id="answer-form"' not in text


def test_the_department_closes_the_follow_up_and_the_enterprise_reads_the_outcome(client, qw):
    w = qw
    outcome = "已约谈农商银行分管行长，放款流程压缩至五个工作日。"
    detail = page(client, w.org_staff, reverse("quality:followup_detail", args=[w.followup.pk]))
    assert "放款比承诺晚了两周" in detail
    assert 'data-step="start"' in detail
    client.post(reverse("quality:followup_act", args=[w.followup.pk, "start"]), {"version": "1"})
    refused = client.post(reverse("quality:followup_act", args=[w.followup.pk, "close"]),
                          {"version": "2", "outcome": "已处理"})
    assert refused.status_code == 400
    assert "请写明整改结果" in refused.content.decode()
    closed = client.post(reverse("quality:followup_act", args=[w.followup.pk, "close"]),
                         {"version": "2", "outcome": outcome})
    assert closed.status_code == 302
    survey_page = page(client, w.enterprise_user, reverse("quality:survey_detail", args=[w.low.pk]))
    assert outcome in survey_page
    assert "查看办理" not in survey_page


def test_the_figures_page_shows_each_group_for_the_period(client, qw):
    w = qw
    today = timezone.localdate()
    text = page(client, w.org_staff, reverse("quality:figures"), start=today.isoformat(), end=today.isoformat())
    bank_row = text.split('id="figures-bank"')[1].split("</table>")[0]
    cells = [c.split(">")[-1] for c in bank_row.split("</td>")[:6]]
    assert cells == ["农商银行", "2", "1", "1.0", "1", "0"]
    assert "期间内暂无数据。" in text.split('id="figures-insurer"')[1].split("</table>")[0]
    empty = page(client, w.org_staff, reverse("quality:figures"), start="2020-01-01", end="2020-12-31")
    assert "农商银行" not in empty


def test_a_period_ending_before_it_starts_is_refused_at_the_field(client, qw):
    text = page(client, qw.org_staff, reverse("quality:figures"), start="2026-03-01",
                end=(datetime.date(2026, 2, 1)).isoformat())
    assert "截止日期不能早于起始日期。" in text


def test_the_follow_up_page_shows_the_working_days_left_and_its_escalation(client, qw):
    import datetime

    from django.utils import timezone

    from quality.models import FollowUp
    from workflow.escalation import escalate_overdue

    w = qw
    detail = page(client, w.org_staff, reverse("quality:followup_detail", args=[w.followup.pk]))
    assert re.search(r'id="due"><span class="badge text-bg-\w+ due-left" data-days-left="\d+"', detail)
    assert "case-escalations" not in detail
    # left past its due date, the nightly run escalates it and the page says so
    FollowUp.objects.filter(pk=w.followup.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=14))
    assert escalate_overdue()["followup"] == 1
    detail = page(client, w.org_staff, reverse("quality:followup_detail", args=[w.followup.pk]))
    assert "已超期" in detail
    assert "已超期督办" in detail
