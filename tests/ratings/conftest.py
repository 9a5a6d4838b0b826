"""Fixtures of the rating tests: a small published rubric, an open cycle, two organizations (one in
each town of `world`) and a helper that walks a rating through the workflow with the real services."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ratings import services
from ratings.choices import OrgKind, RatingAction, RatingStatus
from ratings.models import PartyOrganization
from ratings.services import DimensionInput, ItemInput, ScoreInput
from tests.documents import pdf_bytes


def today():
    return timezone.localdate()


@pytest.fixture
def rubric(world):
    draft = services.rubric_create(
        acting_user=world.org_staff, name="测试评分标准",
        dimensions=[
            DimensionInput("班子队伍建设", [ItemInput("A.1", "书记配备", Decimal("50")),
                                         ItemInput("A.2", "按期换届", Decimal("30"))]),
            DimensionInput("社会评价", [ItemInput("B.1", "社会责任", Decimal("20"))]),
        ],
        vetoes=[ItemInput("V1", "重大安全事故", veto_cap=0), ItemInput("V2", "劳资纠纷", veto_cap=2)],
    )
    return services.rubric_publish(acting_user=world.org_staff, rubric=draft)


@pytest.fixture
def cycle(world, rubric):
    return services.cycle_create(
        acting_user=world.org_staff, year=2026, rubric=rubric,
        opens_on=today() - datetime.timedelta(days=30), closes_on=today() + datetime.timedelta(days=30),
    )


@pytest.fixture
def org_a(world):
    org = services.organization_create(acting_user=world.org_staff, name="东湖精密机械有限公司党支部",
                                       kind=OrgKind.BRANCH, region=world.village_a, member_count=12)
    services.coverage_start(acting_user=world.org_staff, organization=org, enterprise=world.ent_a,
                            started_on=datetime.date(2020, 1, 1))
    return org


@pytest.fixture
def org_b(world):
    org = services.organization_create(acting_user=world.org_staff, name="西山食品有限公司党支部",
                                       kind=OrgKind.BRANCH, region=world.village_b, member_count=5)
    services.coverage_start(acting_user=world.org_staff, organization=org, enterprise=world.ent_b,
                            started_on=datetime.date(2020, 1, 1))
    return org


MAX_POINTS = {"A.1": Decimal("50"), "A.2": Decimal("30"), "B.1": Decimal("20")}


def sheet(a1="45", a2="28", b1="18", vetoes=(), notes=None):
    """A score sheet of the test rubric; the defaults total 91 (five stars). Each deduction says why
    (a review step refuses one that does not), unless `notes` are given."""
    points = {"A.1": a1, "A.2": a2, "B.1": b1}
    if notes is None:
        notes = {code: "台账不全" for code, value in points.items() if _below(value, MAX_POINTS[code])}
    return ScoreInput(points=points, notes=notes, vetoes=set(vetoes))


def _below(value, maximum) -> bool:
    try:
        return Decimal(str(value)) < maximum
    except ArithmeticError:
        return False


def advance(world, rating, to_status, scores=None, today_=None, self_user=None, town_user=None):
    """Walk `rating` (of org_a) forward with the real services until it reaches `to_status`. The
    reviews are dated ten days ago, so that a published rating is published (and valid) today."""
    A, S = RatingAction, RatingStatus
    scores = scores or sheet()
    publish_day = today_ or today()
    day = publish_day - datetime.timedelta(days=10)
    while rating.status != to_status:
        if rating.status == S.SELF:
            rating = services.rating_transition(acting_user=self_user or world.enterprise_user, rating=rating,
                                                action=A.SUBMIT, expected_version=rating.version, scores=scores,
                                                today=day)
        elif rating.status in (S.TOWN, S.DEPT):
            actor = (town_user or world.town_staff) if rating.status == S.TOWN else world.org_staff
            rating = services.rating_transition(acting_user=actor, rating=rating, action=A.APPROVE,
                                                expected_version=rating.version, scores=scores, today=day)
        elif rating.status == S.NOTICE:
            after = rating.notice_ends_on + datetime.timedelta(days=1)
            rating = services.rating_publish(acting_user=world.org_staff, rating=rating, today=max(after, publish_day))
        else:
            raise AssertionError(f"cannot advance from {rating.status}")
    return rating


@pytest.fixture
def rating_a(world, cycle, org_a):
    return services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a)


def organization_for(world, name, region, enterprise):
    org = services.organization_create(acting_user=world.org_staff, name=name, kind=OrgKind.BRANCH, region=region)
    services.coverage_start(acting_user=world.org_staff, organization=org, enterprise=enterprise,
                            started_on=datetime.date(2020, 1, 1))
    return org


@pytest.fixture
def rworld(world, rubric, cycle, org_a, org_b, tmp_path, settings):
    """`world` with ratings at every step, for the pages' tests:
    org_a (town A, ent_a): published · org_n (town A): under notice, ended, one open objection ·
    org_t (town A): waiting for the town · org_b (town B, ent_b): self-assessment, with evidence ·
    ent_free (town B): no organization, one instructor."""
    from portal.choices import Role
    from tests.factories import EnterpriseFactory, user_with_role

    settings.MEDIA_ROOT = tmp_path
    w = world
    w.rubric, w.cycle, w.org_a, w.org_b = rubric, cycle, org_a, org_b
    w.rating_a = advance(w, services.rating_start(acting_user=w.enterprise_user, cycle=cycle, organization=org_a),
                         RatingStatus.PUBLISHED)
    w.ent_n = EnterpriseFactory(name="东湖纺织有限公司", region=w.village_a)
    w.ent_n_user = user_with_role("t_enterprise_n", Role.ENTERPRISE_USER, enterprise=w.ent_n)
    w.org_n = organization_for(w, "东湖纺织有限公司党支部", w.village_a, w.ent_n)
    w.rating_n = advance(w, services.rating_start(acting_user=w.ent_n_user, cycle=cycle, organization=w.org_n),
                         RatingStatus.NOTICE, self_user=w.ent_n_user)
    w.objection = services.objection_lodge(rating=w.rating_n, name="张三", contact="13800001111",
                                           reason="材料与实际情况不符，请核查。", ip="10.0.0.1",
                                           today=w.rating_n.notice_starts_on)
    w.rating_n.refresh_from_db()
    w.ent_t = EnterpriseFactory(name="东湖电子有限公司", region=w.village_a)
    w.ent_t_user = user_with_role("t_enterprise_t", Role.ENTERPRISE_USER, enterprise=w.ent_t)
    w.org_t = organization_for(w, "东湖电子有限公司党支部", w.village_a, w.ent_t)
    w.rating_t = advance(w, services.rating_start(acting_user=w.ent_t_user, cycle=cycle, organization=w.org_t),
                         RatingStatus.TOWN, self_user=w.ent_t_user)
    w.rating_b = services.rating_start(acting_user=w.enterprise_b_user, cycle=cycle, organization=org_b)
    w.evidence_b = services.evidence_add(
        acting_user=w.enterprise_b_user, rating=w.rating_b,
        upload=SimpleUploadedFile("西山台账.pdf", pdf_bytes(), content_type="application/pdf"))
    w.rating_b.refresh_from_db()
    w.ent_free = EnterpriseFactory(name="西山竹编合作社", region=w.village_b)
    w.instructor = services.instructor_assign(acting_user=w.org_staff, enterprise=w.ent_free, instructor=w.person_b,
                                              started_on=datetime.date(2024, 3, 1))
    w.draft = services.rubric_new_version(acting_user=w.org_staff, source=rubric)
    return w


__all__ = ["PartyOrganization", "advance", "sheet", "today"]


@pytest.fixture
def ratings(world, rubric, cycle, org_a, org_b):
    """The API tests' rows: two cycles, three organizations (org_c: a dissolved joint branch in town A),
    five ratings, written directly (tests/ratings/api_helpers.py)."""
    from .api_helpers import _cycle, _rating

    earlier = _cycle(rubric, 2025)
    org_c = PartyOrganization.objects.create(name="东湖工业园联合党支部", kind=OrgKind.JOINT_BRANCH,
                                             region=world.town_a, dissolved_on=datetime.date(2026, 1, 31))
    return {
        "a_2025": _rating(earlier, org_a, RatingStatus.PUBLISHED, 5, "91.0"),
        "b_2025": _rating(earlier, org_b, RatingStatus.PUBLISHED, 3, "75.5"),
        "c_2025": _rating(earlier, org_c, RatingStatus.REVOKED, 4, "85.0"),
        "a_2026": _rating(cycle, org_a, RatingStatus.SELF),
        "b_2026": _rating(cycle, org_b, RatingStatus.NOTICE, 4, "82.0"),
        "cycle_2025": earlier,
        "org_c": org_c,
    }
