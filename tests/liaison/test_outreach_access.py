"""Who reaches which rows of outreach, model by model and role by role (`access_scope` through
`restrict()`), and that the rule and its two Q's agree on every audience."""

import pytest

from liaison.models import (
    CareActivity,
    Consultation,
    Lawyer,
    MentoringPair,
    MentoringSession,
    NoticeReceipt,
    PolicyNotice,
    notice_reach_q,
    notices_reaching_q,
)
from liaison.rules.outreach import notice_reaches
from portal.access import ADD, CHANGE, UNMASK, VIEW
from portal.models import Enterprise
from tests.factories import EnterpriseFactory

from .fixtures_outreach import outreach_world  # noqa: F401

pytestmark = pytest.mark.django_db

EVERYONE = ("org_staff", "leader", "town_staff", "town_staff_b", "station", "station_b_user", "park_station_user",
            "enterprise_user", "enterprise_b_user", "cadre", "cadre_b", "bank_officer", "insurer_officer", "admin")
CONSULTATIONS = ("cons_a", "cons_b", "cons_park")
NOTICES = ("notice_all", "notice_key", "notice_town_a", "notice_coop", "notice_draft", "notice_withdrawn")
RELEASED_A = ("notice_all", "notice_key", "notice_town_a", "notice_coop", "notice_withdrawn")
RELEASED_B = ("notice_all", "notice_key", "notice_coop", "notice_withdrawn")

TABLE = [
    # (model, action, {role: attributes of the rows it reaches}); a role not named reaches none
    (Lawyer, VIEW, {r: ("lawyer", "lawyer_old") for r in ("org_staff", "leader", "town_staff", "town_staff_b",
                                                          "station", "station_b_user", "park_station_user",
                                                          "enterprise_user", "enterprise_b_user")}),
    (Lawyer, UNMASK, {r: ("lawyer", "lawyer_old") for r in ("org_staff", "station", "station_b_user",
                                                            "park_station_user")}),
    (Lawyer, CHANGE, {"org_staff": ("lawyer", "lawyer_old")}),
    (Consultation, VIEW, {"org_staff": CONSULTATIONS, "leader": CONSULTATIONS, "town_staff": ("cons_a",),
                          "town_staff_b": ("cons_b",), "station": ("cons_a",), "station_b_user": ("cons_b",),
                          "park_station_user": ("cons_park",), "enterprise_user": ("cons_a",),
                          "enterprise_b_user": ("cons_b",)}),
    (Consultation, ADD, {"org_staff": CONSULTATIONS, "station": ("cons_a",), "station_b_user": ("cons_b",),
                         "park_station_user": ("cons_park",)}),
    (Consultation, CHANGE, {"org_staff": CONSULTATIONS, "station": ("cons_a",), "station_b_user": ("cons_b",),
                            "park_station_user": ("cons_park",)}),
    (PolicyNotice, VIEW, {"org_staff": NOTICES, "leader": NOTICES, "town_staff": RELEASED_A,
                          "town_staff_b": RELEASED_B, "station": RELEASED_A, "station_b_user": RELEASED_B,
                          "park_station_user": RELEASED_A,  # a park station's area is the city
                          "enterprise_user": ("notice_all", "notice_key", "notice_town_a"),
                          "enterprise_b_user": ("notice_all", "notice_key")}),
    (PolicyNotice, CHANGE, {"org_staff": NOTICES}),
    (NoticeReceipt, VIEW, {r: ("receipt_a",) for r in ("org_staff", "leader", "town_staff", "station",
                                                       "enterprise_user")}),
    (CareActivity, VIEW, {"org_staff": ("care_a", "care_b"), "leader": ("care_a", "care_b"), "town_staff": ("care_a",),
                          "town_staff_b": ("care_b",), "enterprise_user": ("care_a",),
                          "enterprise_b_user": ("care_b",)}),
    (CareActivity, ADD, {"org_staff": ("care_a", "care_b"), "town_staff": ("care_a",), "town_staff_b": ("care_b",)}),
    (CareActivity, CHANGE, {"org_staff": ("care_a", "care_b")}),
    (MentoringPair, VIEW, {"org_staff": ("pair_a", "pair_b"), "leader": ("pair_a", "pair_b"),
                           "town_staff": ("pair_a",), "town_staff_b": ("pair_b",)}),
    (MentoringPair, CHANGE, {"org_staff": ("pair_a", "pair_b")}),
    (MentoringSession, VIEW, {"org_staff": ("session_a",), "leader": ("session_a",), "town_staff": ("session_a",)}),
    (MentoringSession, CHANGE, {"org_staff": ("session_a",)}),
]


@pytest.mark.parametrize(("model", "action", "reach"), TABLE,
                         ids=[f"{m.__name__}-{a}" for m, a, _r in TABLE])
def test_each_role_reaches_its_rows(oworld, model, action, reach):
    for role in EVERYONE:
        user = getattr(oworld, role)
        expected = {getattr(oworld, attr).pk for attr in reach.get(role, ())}
        assert set(model.objects.restrict(user, action).values_list("pk", flat=True)) == expected, role


def test_the_rule_and_both_qs_agree_on_every_audience(oworld):
    # given enterprises of every kind, key or not, with and without an industry, at every level
    w = oworld
    EnterpriseFactory(kind="coop", industry="A", region=w.village_b)
    EnterpriseFactory(kind="farm", industry="", region=w.town_a)
    EnterpriseFactory(kind="private", industry="I", region=w.city, is_key=True)
    notices = [
        PolicyNotice(audience="all"), PolicyNotice(audience="key"),
        *(PolicyNotice(audience="kind", audience_kind=k) for k in ("private", "coop", "farm")),
        *(PolicyNotice(audience="industry", audience_industry=i) for i in ("A", "C", "I", "P")),
        *(PolicyNotice(audience="region", audience_region=r) for r in (w.city, w.town_a, w.town_b, w.village_a)),
    ]
    for notice in notices:
        notice.title, notice.body, notice.status = "t", "b", "published"
        notice.published_at = w.notice_all.published_at
        notice.save()
    for enterprise in Enterprise.objects.select_related("region"):
        by_rule = {n.pk for n in notices if notice_reaches(
            n.audience, n.audience_value, kind=enterprise.kind, is_key=enterprise.is_key, industry=enterprise.industry,
            region_code=enterprise.region.code)}
        by_enterprise_q = {n.pk for n in notices if Enterprise.objects.filter(notice_reach_q(n), pk=enterprise.pk)
                           .exists()}
        by_notice_q = set(PolicyNotice.objects.filter(pk__in=[n.pk for n in notices]).filter(notices_reaching_q(
            kind=enterprise.kind, is_key=enterprise.is_key, industry=enterprise.industry,
            region_code=enterprise.region.code)).values_list("pk", flat=True))
        assert by_rule == by_enterprise_q == by_notice_q, enterprise
        assert notices[0].pk in by_rule  # "all" reaches everyone, so the check is never empty
