# ruff: noqa: F811  (`aworld` is a pytest fixture imported from fixtures_appeals; tests name it as a parameter)
"""What each role sees of appeals, what it may raise them for, and the summary the list page and the
leaders' dashboards read."""

from decimal import Decimal

import pytest

from liaison.models import AppealAttachment
from liaison.selectors import appeals as selectors
from liaison.services import appeals as services

from .fixtures_appeals import aworld, create, step  # noqa: F401  (aworld is a fixture)

pytestmark = pytest.mark.django_db
NAMES = ("appeal_a", "appeal_b", "resolved_a", "overdue_a")


def seen(w, user):
    pks = set(selectors.appeal_list(user=user).values_list("pk", flat=True))
    return [n for n in NAMES if getattr(w, n).pk in pks]


@pytest.mark.parametrize(("who", "expected"), [
    ("org_staff", NAMES), ("leader", NAMES),
    ("town_staff", ("appeal_a", "resolved_a", "overdue_a")), ("town_staff_b", ("appeal_b",)),
    ("station", ("appeal_a", "resolved_a", "overdue_a")), ("station_b_user", ("appeal_b",)),
    ("park_station_user", ()),
    ("enterprise_user", ("appeal_a", "resolved_a", "overdue_a")), ("enterprise_b_user", ("appeal_b",)),
    ("cadre", ("appeal_a", "resolved_a", "overdue_a")), ("cadre_b", ("appeal_b",)),
    ("bank_officer", ()), ("insurer_officer", ()), ("admin", ()),
])
def test_who_sees_which_appeals(aworld, who, expected):
    assert seen(aworld, getattr(aworld, who)) == list(expected)


def test_an_assignee_sees_what_it_was_given_and_loses_it_when_reassigned(aworld):
    w = aworld
    step(w.appeal_b, "assign", w.org_staff, department=w.dept, assignee=w.town_staff)
    assert seen(w, w.town_staff) == ["appeal_a", "appeal_b", "resolved_a", "overdue_a"]
    step(w.appeal_b, "reassign", w.org_staff, department=w.dept, assignee=None)
    assert seen(w, w.town_staff) == ["appeal_a", "resolved_a", "overdue_a"]


def test_a_cadre_stops_seeing_appeals_when_its_pairing_ends(aworld):
    w = aworld
    w.pairing_a.ended_on = w.pairing_a.started_on
    w.pairing_a.save()
    assert seen(w, w.cadre) == ["appeal_a", "resolved_a", "overdue_a"]  # still through 李东湖, its legal rep
    w.pairing_a_person.ended_on = w.pairing_a_person.started_on
    w.pairing_a_person.save()
    assert seen(w, w.cadre) == []


def test_attachments_follow_their_appeal(aworld):
    w = aworld
    for who, count in [("enterprise_user", 1), ("cadre", 1), ("leader", 1), ("enterprise_b_user", 0),
                       ("cadre_b", 0), ("bank_officer", 0)]:
        assert AppealAttachment.objects.restrict(getattr(w, who)).count() == count, who


@pytest.mark.parametrize(("who", "expected"), [
    ("org_staff", {"ent_a", "ent_b", "ent_park"}), ("town_staff", {"ent_a"}), ("station", {"ent_a"}),
    ("park_station_user", {"ent_park"}), ("enterprise_user", {"ent_a"}), ("cadre", {"ent_a"}),
    ("cadre_b", {"ent_b"}), ("leader", set()), ("bank_officer", set()), ("admin", set()),
])
def test_who_may_raise_appeals_for_which_enterprises(aworld, who, expected):
    w = aworld
    pks = set(selectors.creatable_enterprises(user=getattr(w, who)).values_list("pk", flat=True))
    assert pks == {getattr(w, e).pk for e in expected}


def test_paired_cadres_directly_and_through_the_legal_representative(aworld):
    w = aworld
    assert selectors.paired_cadres([w.ent_a.pk, w.ent_b.pk, w.ent_park.pk]) == {
        w.ent_a.pk: [w.cadre_a_obj.pk], w.ent_b.pk: [w.cadre_b_obj.pk]}


def test_the_summary_by_category(aworld):
    # given: appeal_a (financing, received), appeal_b (land, received), resolved_a (talent, resolved),
    # overdue_a (permits, assigned and overdue); resolved_a rated 4; a withdrawn financing appeal
    w = aworld
    services.appeal_rate(appeal=w.resolved_a, score="4", comment="", acting_user=w.enterprise_user)
    step(create(w.enterprise_user, w.ent_a), "withdraw", w.enterprise_user)
    summary = selectors.appeal_summary(w.org_staff)
    rows = {r.category: (r.total, r.open, r.overdue, r.resolved, r.counted, r.rated, r.satisfaction,
                         r.resolution_rate) for r in summary.rows}
    assert rows == {
        "financing": (2, 1, 0, 0, 1, 0, None, 0.0), "talent": (1, 0, 0, 1, 1, 1, Decimal("4.0"), 100.0),
        "land": (1, 1, 0, 0, 1, 0, None, 0.0), "permits": (1, 1, 1, 0, 1, 0, None, 0.0),
        "legal": (0, 0, 0, 0, 0, 0, None, None), "policy": (0, 0, 0, 0, 0, 0, None, None),
        "other": (0, 0, 0, 0, 0, 0, None, None)}
    t = summary.total
    assert (t.label, t.total, t.open, t.overdue, t.resolved, t.counted, t.rated, t.satisfaction,
            t.resolution_rate) == ("合计", 5, 3, 1, 1, 4, 1, Decimal("4.0"), 25.0)
    # and for ent_b's user, its own only
    assert selectors.appeal_summary(w.enterprise_b_user).total.total == 1


def test_the_average_satisfaction_is_weighted_by_ratings(aworld):
    w = aworld
    services.appeal_rate(appeal=w.resolved_a, score="5", comment="", acting_user=w.enterprise_user)
    for score in ("4", "4"):
        appeal = create(w.station, w.ent_a, category="financing")
        step(appeal, "assign", w.org_staff, department=w.dept)
        step(appeal, "start", w.org_staff)
        step(appeal, "resolve", w.org_staff, resolution="已协调银行发放贷款，问题解决。")
        appeal.refresh_from_db()
        services.appeal_rate(appeal=appeal, score=score, comment="", acting_user=w.station)
    # financing 4.0 (2 ratings), talent 5.0 (1 rating): overall 13 / 3 = 4.3
    summary = selectors.appeal_summary(w.leader)
    assert summary.total.satisfaction == Decimal("4.3")
    assert {r.category: r.satisfaction for r in summary.rows if r.rated} == {"financing": Decimal("4.0"),
                                                                           "talent": Decimal("5.0")}
