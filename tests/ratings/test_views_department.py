"""The rating pages, continued (tests/ratings/test_views.py has access, the notice, the score sheet and
staff actions): the organization department's forms (cycles, rubrics, coverage), the enterprise's own
standing, the home page, the coverage figures and the town queue's overdue flags."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings import services
from ratings.choices import RatingStatus
from ratings.models import Cycle, InstructorAssignment, OrgCoverage, Rating, Rubric
from tests.factories import EnterpriseFactory

from .conftest import organization_for, today

pytestmark = pytest.mark.django_db
S = RatingStatus


# --- forms of the organization department -------------------------------------------------------------

def test_creating_a_cycle_with_bad_input_answers_at_each_field(client, rworld):
    client.force_login(rworld.org_staff)
    response = client.post(reverse("ratings:cycle_create"), {
        "year": "2028", "rubric": rworld.draft.pk, "opens_on": "2028-03-01", "closes_on": "2028-10-01",
        "notice_days": "5", "validity_months": "12", "review_days": "15"})
    assert response.status_code == 400
    assert 'data-field="rubric">只能选用已发布的评分标准。' in response.content.decode()
    response = client.post(reverse("ratings:cycle_create"), {
        "year": "2028", "rubric": rworld.rubric.pk, "opens_on": "2028-03-01", "closes_on": "2028-10-01",
        "notice_days": "0", "validity_months": "12", "review_days": "15"})
    assert response.status_code == 400
    assert 'data-field="notice_days"' in response.content.decode()
    response = client.post(reverse("ratings:cycle_create"), {
        "year": "2026", "rubric": rworld.rubric.pk, "opens_on": "2026-03-01", "closes_on": "2026-02-01",
        "notice_days": "5", "validity_months": "12", "review_days": "15"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="year">2026 年度的评定周期已存在。' in body
    assert 'data-field="closes_on">截止日期不能早于开始日期。' in body
    assert Cycle.objects.count() == 1
    response = client.post(reverse("ratings:cycle_create"), {
        "year": "2027", "rubric": rworld.rubric.pk, "opens_on": "2027-03-01", "closes_on": "2027-10-31",
        "notice_days": "7", "validity_months": "12", "review_days": "15"})
    assert response.status_code == 302
    assert Cycle.objects.get(year=2027).name == "2027 年度星级评定"


def test_editing_a_draft_rubric_and_refusing_a_published_one(client, rworld):
    client.force_login(rworld.org_staff)
    url = reverse("ratings:rubric_detail", args=[rworld.draft.pk])
    data = {"min_5": "90", "min_4": "80", "min_3": "70", "min_2": "60", "max_points_A.1": "abc", "title_A.1": "书记配备"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'data-field="max_points_A.1">得分“abc”不是数字。' in response.content.decode()
    data.update({"max_points_A.1": "40", "max_points_A.2": "40"})
    assert client.post(url, data).status_code == 302
    assert rworld.draft.items.get(code="A.1").max_points == 40
    published = reverse("ratings:rubric_detail", args=[rworld.rubric.pk])
    client.post(published, {"min_5": "95", "min_4": "80", "min_3": "70", "min_2": "60"})
    assert Rubric.objects.get(pk=rworld.rubric.pk).five_star_min == 90


def test_coverage_with_an_unknown_or_invalid_code_answers_at_the_field(client, rworld):
    client.force_login(rworld.org_staff)
    url = reverse("ratings:coverage_start", args=[rworld.org_a.pk])
    response = client.post(url, {"enterprise": "91510700MA6Z5XXXX", "started_on": "2025-01-01"})
    assert response.status_code == 400
    assert 'data-field="enterprise"' in response.content.decode()
    response = client.post(url, {"enterprise": rworld.ent_b.uscc, "started_on": "2025-01-01"})
    assert response.status_code == 400
    assert "该企业当前已由“西山食品有限公司党支部”覆盖" in response.content.decode()
    assert OrgCoverage.objects.filter(enterprise=rworld.ent_b).count() == 1


def test_coverage_by_region_counts_both_coverages(client, rworld):
    client.force_login(rworld.org_staff)
    body = client.get(reverse("ratings:coverage")).content.decode()
    assert "东湖镇" in body
    assert "西山街道" in body
    from ratings.selectors import coverage_by_region

    rows = {r.region.name: (r.enterprises, r.organizational, r.work) for r in coverage_by_region(user=rworld.org_staff)}
    assert rows == {"东湖镇": (3, 3, 0), "西山街道": (2, 1, 1), "星湖市": (1, 0, 0)}  # the park's enterprise
    rows_b = {r.region.name: (r.enterprises, r.organizational, r.work)
              for r in coverage_by_region(user=rworld.town_staff_b)}
    assert rows_b == {"西山街道": (2, 1, 1)}
    assert InstructorAssignment.objects.count() == 1


def test_the_enterprise_user_sees_its_own_standing_and_history(client, rworld):
    client.force_login(rworld.enterprise_user)
    body = client.get(reverse("ratings:mine")).content.decode()
    assert rworld.org_a.name in body
    assert "★★★★★" in body
    assert "2026" in body
    client.force_login(rworld.org_staff)
    body = client.get(reverse("enterprise_tab", args=[rworld.ent_a.pk, "party"])).content.decode()
    assert rworld.org_a.name in body
    assert "★★★★★" in body
    body = client.get(reverse("enterprise_tab", args=[rworld.ent_free.pk, "party"])).content.decode()
    assert "未建立党组织" in body
    assert rworld.person_b.name in body


def test_enterprise_users_go_to_their_own_rating(client, rworld):
    client.force_login(rworld.enterprise_user)
    response = client.get(reverse("ratings:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("ratings:mine")


def test_rating_list_queries_do_not_grow_with_rows(client, rworld):
    client.force_login(rworld.org_staff)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ratings:list"))
    for n in range(8):
        org = services.organization_create(acting_user=rworld.org_staff, name=f"测试党支部{n}",
                                           region=rworld.village_a)
        services.cycle_open_ratings(acting_user=rworld.org_staff, cycle=rworld.cycle)
        assert org.ratings.exists()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("ratings:list"))
    assert len(many) == len(few)


def test_the_home_page_shows_what_waits_and_the_enterprises_stars(client, rworld):
    client.force_login(rworld.town_staff)
    card = client.get(reverse("home")).content.decode()
    assert 'id="rating-card"' in card
    assert '待镇街初评 <span class="badge text-bg-warning" data-count="1">1</span>' in card
    client.force_login(rworld.enterprise_user)
    assert "★★★★★" in client.get(reverse("home")).content.decode()
    client.force_login(rworld.bank_officer)
    assert 'id="rating-card"' not in client.get(reverse("home")).content.decode()


def test_coverage_counts_every_enterprise_and_its_totals_show_their_rates(client, rworld):
    # given the world's five enterprises in two towns, and two registered on the city itself (in the
    # park directly under the city): one covered by an organization, one not covered at all
    from portal.models import Enterprise

    park_a = EnterpriseFactory(name="星湖高新园区甲公司", region=rworld.city)
    organization_for(rworld, "星湖高新园区甲公司党支部", rworld.city, park_a)
    from ratings.selectors import coverage_by_region, coverage_totals

    # when the organization department opens the two coverages
    rows = coverage_by_region(user=rworld.org_staff)
    client.force_login(rworld.org_staff)
    body = client.get(reverse("ratings:coverage")).content.decode()
    # then the city's own enterprises have a row of their own, and the rows add up to the registry
    assert [(r.region.name, r.enterprises, r.organizational, r.work, r.direct) for r in rows] == [
        ("东湖镇", 3, 3, 0, False), ("西山街道", 2, 1, 1, False), (rworld.city.name, 2, 1, 0, True)]
    totals = coverage_totals(rows, None)
    assert (totals.enterprises, totals.organizational, totals.work, totals.uncovered) == (7, 5, 1, 1)
    assert totals.enterprises == Enterprise.objects.count()
    assert (totals.organizational_rate, totals.total_rate) == (71.4, 85.7)
    totals_row = body.split('id="coverage-totals">')[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in totals_row.split("</th>")[:-1]] == [
        "合计", "7", "5", "1", "1", "71.4%", "85.7%"]
    assert f"{rworld.city.name}直属（未归属下级区划）" in body
    assert f"2 家登记在{rworld.city.name}本级" in body


def _overdue_counter(page, status):
    return page.split(f'data-overdue="{status}">')[1].split("<")[0]


def test_the_town_queue_flags_overdue_ratings_and_agrees_with_the_home_counters(client, rworld):
    # given two ratings waiting for town A's review: one entered the step 16 days ago (the cycle
    # allows 15), one entered it today
    late = rworld.rating_t
    Rating.objects.filter(pk=late.pk).update(step_entered_on=today() - datetime.timedelta(days=16))
    ent = EnterpriseFactory(name="东湖机械有限公司", region=rworld.village_a)
    org = organization_for(rworld, "东湖机械有限公司党支部", rworld.village_a, ent)
    fresh = Rating.objects.create(cycle=late.cycle, organization=org, status=RatingStatus.TOWN,
                                  step_entered_on=today())
    client.force_login(rworld.town_staff)
    # when the town's staff opens its queue
    queue = client.get(reverse("ratings:queue", args=["town"]))
    body = queue.content.decode()
    # then the late one is flagged by an icon and words, the fresh one is not
    rows = {r.pk: r.is_overdue for r in queue.context["object_list"]}
    assert rows == {late.pk: True, fresh.pk: False}
    flagged = body.split(late.organization.name)[1].split("</tr>")[0]
    assert 'data-overdue><i class="bi bi-alarm" aria-hidden="true"></i> 审核逾期</span>' in flagged
    assert "data-overdue>" not in body.split(fresh.organization.name)[1].split("</tr>")[0]
    assert "其中 1 条审核逾期" in body
    # and the same number is on the rating home page, the portal's home page and the filtered queue
    ratings_home = client.get(reverse("ratings:home")).content.decode()
    assert _overdue_counter(ratings_home, "town") == "1"
    assert "其中审核逾期 1 条" in ratings_home
    home = client.get(reverse("home")).content.decode()
    counter = home.split("待镇街初评 · 审核逾期")[1]
    assert 'data-count="1"' in counter.split("</a>")[0]
    only_overdue = client.get(reverse("ratings:queue", args=["town"]) + "?overdue=true")
    assert [r.pk for r in only_overdue.context["object_list"]] == [late.pk]
