"""Reviewers racing on one rating, with real threads and real PostgreSQL transactions: exactly one
wins, every loser is told the rating changed under them, and nothing of the losers is written."""

import datetime

import pytest
from django.db import connection

from portal.choices import Role
from ratings import services
from ratings.choices import ObjectionStatus, RatingAction, RatingStatus
from ratings.models import Rating, RatingEvent
from tests.threads import race

from ..factories import user_with_role
from .conftest import advance, sheet

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")]


def test_two_town_reviewers_cannot_both_act_on_the_same_version(world, rating_a):
    # given a rating waiting for the town, and two reviewers of that town who both opened it
    rating = advance(world, rating_a, RatingStatus.TOWN)
    colleague = user_with_role("t_townstaff_2", Role.TOWN_STAFF, region=world.town_a)
    version = rating.version
    events_before = RatingEvent.objects.filter(rating=rating).count()

    # when one approves with 86 points and the other returns it, at the same moment
    def approve():
        return services.rating_transition(acting_user=world.town_staff, rating=rating, action=RatingAction.APPROVE,
                                          expected_version=version, scores=sheet(a1="40"))

    def send_back():
        return services.rating_transition(acting_user=colleague, rating=rating, action=RatingAction.RETURN,
                                          expected_version=version, comment="请补充三会一课台账")

    results = race([approve, send_back])

    # then exactly one succeeded and the other was told the rating changed
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok", "refused"], results
    assert [r[1] for r in results if r[0] == "refused"] == ["stale"]
    rating.refresh_from_db()
    assert rating.version == version + 1
    assert RatingEvent.objects.filter(rating=rating).count() == events_before + 1
    winner = RatingEvent.objects.filter(rating=rating).latest("pk")
    assert rating.status == winner.to_status
    assert rating.status in (RatingStatus.DEPT, RatingStatus.SELF)


def test_many_department_reviewers_racing_leave_one_decision(world, rating_a):
    rating = advance(world, rating_a, RatingStatus.DEPT)
    reviewers = [world.org_staff] + [user_with_role(f"t_org_{n}", Role.ORG_STAFF) for n in range(5)]
    version = rating.version
    scores = ["45", "40", "35", "30", "25", "20"]  # each reviewer would give a different score

    def decide(user, a1):
        return lambda: services.rating_transition(acting_user=user, rating=rating, action=RatingAction.APPROVE,
                                                  expected_version=version, scores=sheet(a1=a1))

    results = race([decide(u, a) for u, a in zip(reviewers, scores, strict=True)])

    assert [r[0] for r in results].count("ok") == 1, results
    assert {r[1] for r in results if r[0] == "refused"} == {"stale"}
    rating.refresh_from_db()
    winner_a1 = scores[[r[0] for r in results].index("ok")]
    assert rating.status == RatingStatus.NOTICE
    assert rating.item_scores.get(stage="dept", item__code="A.1").points == int(winner_a1)
    assert rating.item_scores.filter(stage="dept").count() == 5  # one sheet, not a mix of six


def test_an_objection_and_the_publication_never_both_land(world, rating_a):
    # given a rating on its last day of notice
    rating = advance(world, rating_a, RatingStatus.NOTICE)
    last_day = rating.notice_ends_on

    # when someone objects on the last day while the batch publishes as of the next day
    def lodge():
        return services.objection_lodge(rating=rating, name="赵六", contact="13900002222",
                                        reason="公示材料与企业实际情况不符。", ip="10.1.1.1", today=last_day)

    def publish():
        return services.rating_publish(acting_user=world.org_staff, rating=rating,
                                       today=last_day + datetime.timedelta(days=1))

    results = race([lodge, publish])

    # then either the objection holds the rating under notice, or the rating was published and the
    # objection refused: never a published rating with an open objection
    rating.refresh_from_db()
    open_objections = rating.objections.filter(status=ObjectionStatus.OPEN).count()
    if rating.status == RatingStatus.PUBLISHED:
        assert open_objections == 0
        assert results[0] == ("refused", "not_under_notice")
    else:
        assert (rating.status, open_objections) == (RatingStatus.NOTICE, 1)
        assert results[1] == ("refused", "open_objections")
    assert Rating.objects.filter(pk=rating.pk, status=RatingStatus.PUBLISHED, objections__status="open").count() == 0
