# ruff: noqa: F811  (`aworld` is a pytest fixture imported from fixtures_appeals; tests name it as a parameter)
"""Appeals under fire, each call in its own thread and PostgreSQL transaction: numbers stay unique and
without gaps, two staff acting at once leave one step, two escalation runs at once escalate once."""

import pytest
from django.db import connection

from liaison.models import Appeal, AppealCounter, AppealEscalation, AppealEvent
from liaison.services import appeals as services
from tests.threads import race

from .fixtures_appeals import aworld, create, step, today  # noqa: F401  (aworld is a fixture)

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")]


def test_creations_at_the_same_moment_get_distinct_numbers_without_gaps(lworld):
    # given six users of four roles raising appeals for ent_a at once (twice each)
    w = lworld
    users = [w.enterprise_user, w.station, w.cadre, w.org_staff, w.town_staff, w.enterprise_user] * 2
    # when they all submit together
    results = race([lambda u=u: create(u, w.ent_a).number for u in users])
    # then every one is numbered, 1 to 12, once each, and the counter stands at 12
    assert [r[0] for r in results] == ["ok"] * 12, results
    year = today().year
    assert sorted(r[1] for r in results) == [f"SQ{year}-{n:06d}" for n in range(1, 13)]
    assert AppealCounter.objects.get(year=year).last == 12
    assert Appeal.objects.count() == 12


def test_two_staff_assigning_the_same_appeal_at_once_leave_one_step(aworld):
    # given a received appeal seen by both at version 1
    w = aworld
    appeal = w.appeal_a
    seen = appeal.version
    # when the organization department and the town staff assign it at the same moment
    results = race([
        lambda: services.appeal_transition(appeal=appeal, action="assign", acting_user=w.org_staff, version=seen,
                                           department=w.dept),
        lambda: services.appeal_transition(appeal=appeal, action="assign", acting_user=w.town_staff, version=seen,
                                           department=w.dept2),
    ])
    # then one wins and the other is told it is stale
    assert sorted(r[0] if r[0] == "ok" else r[1] for r in results) == ["ok", "stale"], results
    appeal.refresh_from_db()
    winner = next(r[1] for r in results if r[0] == "ok")
    assert (appeal.status, appeal.version, appeal.department_id) == ("assigned", seen + 1, winner.department_id)
    assert AppealEvent.objects.filter(appeal=appeal, action="assign").count() == 1


def test_resolve_and_reassign_at_once_one_wins(aworld):
    w = aworld
    step(w.overdue_a, "start", w.org_staff)
    w.overdue_a.refresh_from_db()
    seen = w.overdue_a.version
    results = race([
        lambda: services.appeal_transition(appeal=w.overdue_a, action="resolve", acting_user=w.org_staff,
                                           version=seen, resolution="已开通绿色通道，环评已批复。"),
        lambda: services.appeal_transition(appeal=w.overdue_a, action="reassign", acting_user=w.town_staff,
                                           version=seen, department=w.dept),
    ])
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    assert [r[1] for r in results if r[0] == "refused"] == ["stale"]
    assert Appeal.objects.get(pk=w.overdue_a.pk).version == seen + 1


def test_two_escalation_runs_at_once_escalate_once(aworld):
    w = aworld
    results = race([lambda: services.appeal_escalate_overdue(today=today()) for _n in range(3)])
    assert sorted(r[1]["escalated"] for r in results) == [0, 0, 1], results
    assert list(AppealEscalation.objects.values_list("appeal_id", "level")) == [(w.overdue_a.pk, 1)]
    assert AppealEvent.objects.filter(action="escalate").count() == 1


def test_two_ratings_at_once_leave_one(aworld):
    w = aworld
    results = race([
        lambda: services.appeal_rate(appeal=w.resolved_a, score="5", comment="", acting_user=w.enterprise_user),
        lambda: services.appeal_rate(appeal=w.resolved_a, score="1", comment="问题没有解决", acting_user=w.station),
    ])
    assert sorted(r[0] if r[0] == "ok" else r[1] for r in results) == ["already_rated", "ok"], results
    assert AppealEvent.objects.filter(appeal=w.resolved_a, action="rate").count() == 1
