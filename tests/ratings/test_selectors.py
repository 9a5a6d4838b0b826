"""The reads: what other apps ask (an enterprise's rating on a day), queues, summaries and the trend."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratings import selectors, services
from ratings.choices import RatingStatus, Standing
from ratings.tasks import ratings_publish_due_task
from tests.factories import EnterpriseFactory

from .conftest import advance, organization_for, sheet, today

pytestmark = pytest.mark.django_db
S = RatingStatus


def test_enterprise_rating_answers_every_standing(world, cycle, org_a, org_b):
    # no organization
    assert selectors.enterprise_rating(world.ent_park).standing == Standing.NO_ORGANIZATION
    # not rated yet, then under review (still not rated), under notice, valid, revoked
    assert selectors.enterprise_rating(world.ent_a).standing == Standing.NOT_RATED
    rating = services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a)
    assert selectors.enterprise_rating(world.ent_a).standing == Standing.NOT_RATED
    rating = advance(world, rating, S.NOTICE)
    answer = selectors.enterprise_rating(world.ent_a)
    assert (answer.standing, answer.stars, answer.rating) == (Standing.UNDER_NOTICE, None, rating)
    rating = advance(world, rating, S.PUBLISHED)
    answer = selectors.enterprise_rating(world.ent_a)
    assert (answer.standing, answer.stars, answer.cycle, answer.organization) == (Standing.VALID, 5, cycle, org_a)
    assert (answer.valid_from, answer.valid_to) == (rating.valid_from, rating.valid_to)
    # expired after its validity
    later = rating.valid_to + datetime.timedelta(days=1)
    assert selectors.enterprise_rating(world.ent_a, on=later).standing == Standing.EXPIRED
    # and before publication it was not rated
    assert selectors.enterprise_rating(world.ent_a, on=rating.valid_from - datetime.timedelta(days=1)).standing \
        == Standing.NOT_RATED
    services.rating_revoke(acting_user=world.org_staff, rating=rating, expected_version=rating.version,
                           reason="重大安全生产事故")
    answer = selectors.enterprise_rating(world.ent_a)
    assert (answer.standing, answer.message, answer.stars) == (Standing.REVOKED, "星级已被撤销", None)


def test_a_joint_branch_rates_every_enterprise_it_covers(world, cycle):
    joint = organization_for(world, "东湖镇联合党支部", world.town_a, world.ent_a)
    services.coverage_start(acting_user=world.org_staff, organization=joint, enterprise=world.ent_b,
                            started_on=datetime.date(2021, 1, 1))
    rating = services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=joint)
    advance(world, rating, S.PUBLISHED)
    answers = selectors.enterprise_ratings([world.ent_a.pk, world.ent_b.pk, world.ent_park.pk])
    assert {k: (v.standing, v.stars) for k, v in answers.items()} == {
        world.ent_a.pk: (Standing.VALID, 5), world.ent_b.pk: (Standing.VALID, 5),
        world.ent_park.pk: (Standing.NO_ORGANIZATION, None)}


def test_enterprise_ratings_takes_two_queries_whatever_the_number(world, cycle):
    enterprises = [EnterpriseFactory(region=world.village_a) for _ in range(12)]
    for n, enterprise in enumerate(enterprises):
        organization_for(world, f"党支部{n}", world.village_a, enterprise)
    with CaptureQueriesContext(connection) as few:
        selectors.enterprise_ratings([e.pk for e in enterprises[:2]])
    with CaptureQueriesContext(connection) as many:
        selectors.enterprise_ratings([e.pk for e in enterprises])
    assert len(few) == len(many) == 2


def test_queues_hold_what_each_user_acts_on(world, cycle, org_a, org_b):
    rating_a = advance(world, services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a),
                       S.TOWN)
    rating_b = advance(world, services.rating_start(acting_user=world.enterprise_b_user, cycle=cycle,
                                                    organization=org_b), S.TOWN,
                       self_user=world.enterprise_b_user)
    assert list(selectors.rating_queue(user=world.town_staff, status=S.TOWN)) == [rating_a]
    assert list(selectors.rating_queue(user=world.town_staff_b, status=S.TOWN)) == [rating_b]
    assert list(selectors.rating_queue(user=world.org_staff, status=S.TOWN)) == []
    assert list(selectors.rating_queue(user=world.leader, status=S.TOWN)) == []
    advance(world, rating_a, S.DEPT)
    assert list(selectors.rating_queue(user=world.org_staff, status=S.DEPT)) == [rating_a]


def test_cycle_summary_counts_steps_stars_and_overdue(world, cycle, org_a, org_b):
    rating_a = advance(world, services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a),
                       S.PUBLISHED)
    advance(world, services.rating_start(acting_user=world.enterprise_b_user, cycle=cycle, organization=org_b), S.TOWN,
            self_user=world.enterprise_b_user, town_user=world.town_staff_b)
    summary = selectors.cycle_summary(user=world.org_staff, cycle=cycle)
    assert summary.by_status[S.PUBLISHED] == 1
    assert summary.by_status[S.TOWN] == 1
    assert summary.total == 2
    assert summary.by_stars == {5: 1, 4: 0, 3: 0, 2: 0, 1: 0}
    assert summary.overdue == 0
    late = today() + datetime.timedelta(days=cycle.review_days + 1)
    assert selectors.cycle_summary(user=world.org_staff, cycle=cycle, today=late).overdue == 1
    assert selectors.cycle_summary(user=world.town_staff, cycle=cycle, today=late).overdue == 0  # B's is not A's
    assert selectors.cycle_summary(user=world.town_staff, cycle=cycle).total == 1
    assert rating_a.stars == 5


def test_star_trend_counts_published_four_and_five_stars_by_year(world, rubric, org_a, org_b):
    cycles = {year: services.cycle_create(acting_user=world.org_staff, year=year, rubric=rubric,
                                          opens_on=today() - datetime.timedelta(days=60), closes_on=today())
              for year in (2024, 2025)}

    def run(year, org, user, a1):
        rating = services.rating_start(acting_user=user, cycle=cycles[year], organization=org)
        return advance(world, rating, S.PUBLISHED, scores=sheet(a1=a1), self_user=user,
                       town_user=world.town_staff if org == org_a else world.town_staff_b)

    run(2024, org_a, world.enterprise_user, "45")   # 91: five stars
    run(2024, org_b, world.enterprise_b_user, "20")  # 66: two stars
    revoked = run(2025, org_b, world.enterprise_b_user, "40")  # 86: four stars, then revoked
    services.rating_revoke(acting_user=world.org_staff, rating=revoked, expected_version=revoked.version,
                           reason="发生重大安全事故")
    trend = selectors.star_trend(user=world.org_staff)
    assert [(row["year"], row["high"], row["total"]) for row in trend] == [(2024, 1, 2)]
    assert trend[0]["stars"] == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert [(r["year"], r["high"]) for r in selectors.star_trend(user=world.town_staff_b)] == [(2024, 0)]


def test_the_periodic_task_publishes_what_is_due_once(world, cycle, org_a):
    rating = advance(world, services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a),
                     S.NOTICE)  # reviews ten days ago: the notice has ended
    first = ratings_publish_due_task.delay().get()
    second = ratings_publish_due_task.delay().get()
    assert first == {"published": [rating.pk], "skipped": {}}
    assert second == {"published": [], "skipped": {}}
    rating.refresh_from_db()
    assert (rating.status, rating.valid_from) == (S.PUBLISHED, today())
    assert rating.events.filter(action="publish").get().actor_name == "system"


def test_an_enterprise_loses_sight_of_its_former_organization(world, cycle, org_a):
    rating = services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a)
    assert list(selectors.rating_list(user=world.enterprise_user)) == [rating]
    coverage = org_a.coverages.get()
    services.coverage_end(acting_user=world.org_staff, coverage=coverage, ended_on=today())
    assert list(selectors.rating_list(user=world.enterprise_user)) == []
    assert list(selectors.organization_list(user=world.enterprise_user)) == []
    assert list(selectors.organization_list(user=world.station)) == []


def test_a_joint_branch_member_sees_only_its_own_coverage(world):
    joint = organization_for(world, "东湖镇联合党支部", world.town_a, world.ent_a)
    services.coverage_start(acting_user=world.org_staff, organization=joint, enterprise=world.ent_b,
                            started_on=datetime.date(2021, 1, 1))
    mine = selectors.organization_coverages(joint, user=world.enterprise_user)
    assert [c.enterprise for c in mine] == [world.ent_a]
    assert {c.enterprise for c in selectors.organization_coverages(joint, user=world.org_staff)} == {world.ent_a,
                                                                                                   world.ent_b}
