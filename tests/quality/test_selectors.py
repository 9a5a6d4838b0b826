"""The figures per station, bank, insurer, department and programme for a period, with exact numbers:
cases ended in the period (Beijing days, both ends included), answered, average score, follow-ups
opened and closed in the period whenever their survey was asked."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from liaison.models import Department
from quality import selectors
from quality.models import FollowUp, Survey
from talent import services as talent

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=BEIJING)


def survey(w, n, *, asked, score=None, **handled):
    return Survey.objects.create(workflow="loan", case_pk=n, case_label=f"#{n}", enterprise=w.ent_a, asked_at=asked,
                                 score=score, answered_at=asked if score else None, **handled)


@pytest.fixture
def figures_world(world):
    w = world
    w.dept = Department.objects.create(name="星湖市地方金融工作局", short_name="金融工作局")
    w.item = talent.policy_item_create(acting_user=w.org_staff, name="子女入学安排", category="education",
                                       levels=["A", "B"], amount="", conditions="统筹安排公办学校。")
    survey(w, 1, asked=at(2026, 1, 10), score=5, institution=w.bank, station=w.station_a)
    s2 = survey(w, 2, asked=at(2026, 3, 31, 23, 30), score=1, institution=w.bank)
    FollowUp.objects.create(survey=s2, enterprise=w.ent_a, opened_at=at(2026, 4, 1, 9))
    s3 = survey(w, 3, asked=at(2025, 12, 31, 23, 50), score=2, institution=w.bank2, station=w.station_a)
    FollowUp.objects.create(survey=s3, enterprise=w.ent_a, opened_at=at(2026, 1, 2), status="closed",
                            outcome="已约谈银行重新受理。", closed_at=at(2026, 2, 1))
    survey(w, 4, asked=at(2026, 2, 1), programme=w.item, station=w.station_b)
    survey(w, 5, asked=at(2026, 2, 15), score=4, department=w.dept, station=w.station_a)
    survey(w, 6, asked=at(2026, 3, 1), score=3, institution=w.insurer)
    survey(w, 7, asked=at(2026, 2, 20), score=4, institution=w.bank)
    survey(w, 8, asked=at(2026, 4, 1, 0, 10), score=5, institution=w.bank, station=w.station_b)
    return w


def rows(figures, group):
    return [(r["name"], r["handled"], r["answered"], r["average"], r["opened"], r["closed"]) for r in figures[group]]


def test_the_first_quarters_figures(figures_world):
    figures = selectors.quality_figures(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    assert rows(figures, "station") == [("东湖镇金融服务站", 2, 2, 4.5, 1, 1), ("西山街道金融服务站", 1, 0, None, 0, 0)]
    assert rows(figures, "bank") == [("农商银行", 3, 3, 3.3, 0, 0), ("建设银行", 0, 0, None, 1, 1)]
    assert rows(figures, "insurer") == [("人保财险", 1, 1, 3.0, 0, 0)]
    assert rows(figures, "department") == [("星湖市地方金融工作局", 1, 1, 4.0, 0, 0)]
    assert rows(figures, "programme") == [("子女入学安排", 1, 0, None, 0, 0)]


def test_one_day_at_the_edge_of_a_period(figures_world):
    figures = selectors.quality_figures(start=datetime.date(2026, 4, 1), end=datetime.date(2026, 4, 1))
    assert rows(figures, "bank") == [("农商银行", 1, 1, 5.0, 1, 0)]
    assert rows(figures, "station") == [("西山街道金融服务站", 1, 1, 5.0, 0, 0)]
    assert figures["insurer"] == figures["department"] == figures["programme"] == []


def test_a_period_with_nothing(figures_world):
    figures = selectors.quality_figures(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))
    assert figures == {"station": [], "bank": [], "insurer": [], "department": [], "programme": []}


def test_each_user_sees_the_surveys_of_its_scope(figures_world):
    w = figures_world
    survey_b = Survey.objects.create(workflow="benefit", case_pk=99, case_label="#99", enterprise=w.ent_b,
                                     asked_at=at(2026, 1, 5))
    everything = set(Survey.objects.values_list("pk", flat=True))
    assert set(selectors.survey_list(user=w.org_staff).values_list("pk", flat=True)) == everything
    assert set(selectors.survey_list(user=w.enterprise_b_user).values_list("pk", flat=True)) == {survey_b.pk}
    assert set(selectors.survey_list(user=w.station_b_user).values_list("pk", flat=True)) == {survey_b.pk}
    assert set(selectors.survey_list(user=w.town_staff).values_list("pk", flat=True)) == everything - {survey_b.pk}
    for outsider in (w.bank_officer, w.insurer_officer, w.cadre, w.admin):
        assert not selectors.survey_list(user=outsider).exists()
    assert list(selectors.surveys_to_answer(user=w.enterprise_b_user)) == [survey_b]
    assert not selectors.surveys_to_answer(user=w.town_staff_b).exists()
