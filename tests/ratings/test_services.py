"""The rating's writes: the workflow step by step, who may take each step, refusals that write
nothing, objections, publication, revocation, rubric versions and coverage."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog
from ratings import services
from ratings.choices import ObjectionStatus, OrgKind, RatingAction, RatingStatus, Standing
from ratings.models import ItemScore, OrgCoverage, PublishedRubricError, Rating, RatingEvent, RubricItem
from ratings.selectors import enterprise_rating
from tests.documents import pdf_bytes

from .conftest import advance, sheet, today

A, S = RatingAction, RatingStatus
pytestmark = pytest.mark.django_db


def act(user, rating, action, scores=None, comment="", day=None):
    return services.rating_transition(acting_user=user, rating=rating, action=action,
                                      expected_version=rating.version, scores=scores, comment=comment,
                                      today=day or today())


def test_the_whole_workflow_records_every_step(world, rating_a):
    # given a self-assessment of 91 points
    rating = act(world.enterprise_user, rating_a, A.SUBMIT, sheet())
    assert (rating.status, rating.score, rating.stars) == (S.TOWN, Decimal("91.0"), 5)
    # when the town lowers one item and approves
    rating = act(world.town_staff, rating, A.APPROVE, sheet(a1="40"), comment="书记配备材料不全，扣5分")
    assert (rating.status, rating.score, rating.stars) == (S.DEPT, Decimal("86.0"), 4)
    # and the department confirms
    rating = act(world.org_staff, rating, A.APPROVE, sheet(a1="40"))
    assert rating.status == S.NOTICE
    assert (rating.notice_starts_on, rating.notice_ends_on) == (today(), today() + datetime.timedelta(days=4))
    # then, after five days of notice, it is published for a year
    day = today() + datetime.timedelta(days=5)
    rating = services.rating_publish(acting_user=world.org_staff, rating=rating, today=day)
    assert (rating.status, rating.stars, rating.valid_from) == (S.PUBLISHED, 4, day)
    assert rating.valid_to == services.rules.validity_period(day, 12)[1]
    # every step is in the history with who did it and the scores before and after
    events = list(rating.events.order_by("pk"))
    assert [(e.action, e.from_status, e.to_status, e.actor_name) for e in events] == [
        (A.START, "", S.SELF, "t_enterprise"),
        (A.SUBMIT, S.SELF, S.TOWN, "t_enterprise"),
        (A.APPROVE, S.TOWN, S.DEPT, "t_townstaff"),
        (A.APPROVE, S.DEPT, S.NOTICE, "t_orgstaff"),
        (A.PUBLISH, S.NOTICE, S.PUBLISHED, "t_orgstaff"),
    ]
    town = events[2]
    assert town.comment == "书记配备材料不全，扣5分"
    assert town.before["scores"] == {}
    assert town.after["scores"]["A.1"] == "40.0"
    assert (town.before["score"], town.after["score"]) == ("91.0", "86.0")
    assert rating.stage_results == {
        "self": {"total": "91.0", "stars": 5, "vetoes": []},
        "town": {"total": "86.0", "stars": 4, "vetoes": []},
        "dept": {"total": "86.0", "stars": 4, "vetoes": []},
    }
    assert ItemScore.objects.filter(rating=rating).count() == 15  # 5 items × 3 stages
    assert AuditLog.objects.filter(action__startswith="rating.", object_id=str(rating.pk)).count() == 5


@pytest.mark.parametrize(("status", "intruders"), [
    (S.SELF, ["town_staff", "org_staff", "enterprise_b_user", "station", "bank_officer", "leader"]),
    (S.TOWN, ["enterprise_user", "org_staff", "town_staff_b", "station", "leader"]),
    (S.DEPT, ["enterprise_user", "town_staff", "leader", "admin"]),
])
def test_only_the_steps_own_role_and_scope_may_act(world, rating_a, status, intruders):
    rating = advance(world, rating_a, status)
    for name in intruders:
        with pytest.raises(AccessDenied):
            act(getattr(world, name), rating, A.SAVE, sheet())
    rating.refresh_from_db()
    assert rating.status == status
    assert not ItemScore.objects.filter(rating=rating, stage=services.rules.STAGE_OF_STATUS[status],
                                        points=Decimal("45.0"), rating__version__gt=rating.version).exists()


def test_a_score_over_the_maximum_is_refused_and_nothing_is_saved(world, rating_a):
    with pytest.raises(DomainError) as caught:
        act(world.enterprise_user, rating_a, A.SUBMIT, sheet(a1="55", b1="abc"))
    assert caught.value.errors == {"points_A.1": ["得分 55 超过该项满分 50 分。"],
                                   "points_B.1": ["得分“abc”不是数字。"]}
    rating_a.refresh_from_db()
    assert (rating_a.status, rating_a.score, rating_a.version) == (S.SELF, None, 2)
    assert not ItemScore.objects.filter(rating=rating_a).exists()
    assert rating_a.events.count() == 1


def test_submit_without_scores_is_refused(world, rating_a):
    with pytest.raises(DomainError) as caught:
        act(world.enterprise_user, rating_a, A.SUBMIT)
    assert caught.value.code == "scores_missing"


@pytest.mark.parametrize("action", [A.RETURN, A.REJECT])
def test_return_and_reject_need_a_reason(world, rating_a, action):
    rating = advance(world, rating_a, S.TOWN)
    with pytest.raises(DomainError) as caught:
        act(world.town_staff, rating, action, comment="  ")
    assert caught.value.errors == {"comment": ["请填写理由（不少于 5 个字）。"]}
    rating.refresh_from_db()
    assert rating.status == S.TOWN


def test_return_goes_back_one_step_and_reject_ends_it(world, rating_a):
    rating = advance(world, rating_a, S.DEPT)
    rating = act(world.org_staff, rating, A.RETURN, comment="请镇街补充现场核查记录")
    assert rating.status == S.TOWN
    rating = act(world.town_staff, rating, A.RETURN, comment="请补充三会一课台账")
    assert rating.status == S.SELF
    rating = act(world.enterprise_user, rating, A.SUBMIT, sheet())
    rating = act(world.town_staff, rating, A.REJECT, comment="党组织长期未开展活动")
    assert rating.status == S.REJECTED
    with pytest.raises(DomainError) as caught:
        act(world.town_staff, rating, A.APPROVE)
    assert caught.value.code in ("not_allowed", "permission_denied")


def test_a_stale_version_is_refused_with_the_current_state(world, rating_a):
    stale_version = rating_a.version
    act(world.enterprise_user, rating_a, A.SAVE, sheet())
    with pytest.raises(DomainError) as caught:
        services.rating_transition(acting_user=world.enterprise_user, rating=rating_a, action=A.SUBMIT,
                                   expected_version=stale_version, scores=sheet(a1="10"))
    assert caught.value.code == "stale"
    assert "已被他人修改" in caught.value.message
    assert Rating.objects.get(pk=rating_a.pk).score == Decimal("91.0")


def test_a_void_veto_blocks_approval_but_allows_rejection(world, rating_a):
    rating = advance(world, rating_a, S.DEPT)
    with pytest.raises(DomainError) as caught:
        act(world.org_staff, rating, A.APPROVE, sheet(vetoes=["V1"]))
    assert caught.value.code == "vetoed"
    rating.refresh_from_db()
    assert rating.status == S.DEPT
    assert rating.stage_results.get("dept") is None
    rating = act(world.org_staff, rating, A.REJECT, sheet(vetoes=["V1"]), comment="发生重大安全事故，一票否决")
    assert rating.status == S.REJECTED


def test_a_capping_veto_lowers_the_stars(world, rating_a):
    rating = advance(world, rating_a, S.DEPT)
    rating = act(world.org_staff, rating, A.APPROVE, sheet(vetoes=["V2"]))
    assert (rating.status, rating.score, rating.stars, rating.vetoes) == (S.NOTICE, Decimal("91.0"), 2, ["V2"])


def test_submission_after_the_cycle_closes_is_refused(world, rating_a, cycle):
    with pytest.raises(DomainError) as caught:
        act(world.enterprise_user, rating_a, A.SUBMIT, sheet(), day=cycle.closes_on + datetime.timedelta(days=1))
    assert caught.value.code == "cycle_closed"
    assert not ItemScore.objects.filter(rating=rating_a).exists()


def test_rating_start_is_idempotent_and_respects_the_cycle_dates(world, cycle, org_a, org_b):
    first = services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a)
    again = services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a)
    assert first.pk == again.pk
    with pytest.raises(AccessDenied):
        services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_b)
    with pytest.raises(DomainError) as caught:
        services.rating_start(acting_user=world.enterprise_b_user, cycle=cycle, organization=org_b,
                              today=cycle.closes_on + datetime.timedelta(days=1))
    assert caught.value.code == "cycle_closed"


def test_opening_a_cycle_starts_every_active_organization_once(world, cycle, org_a, org_b):
    services.organization_update(acting_user=world.org_staff, organization=org_b,
                                 dissolved_on=today() - datetime.timedelta(days=1))
    assert services.cycle_open_ratings(acting_user=world.org_staff, cycle=cycle) == 1
    assert services.cycle_open_ratings(acting_user=world.org_staff, cycle=cycle) == 0
    assert list(Rating.objects.values_list("organization", "status")) == [(org_a.pk, S.SELF)]
    with pytest.raises(AccessDenied):
        services.cycle_open_ratings(acting_user=world.town_staff, cycle=cycle)


# --- notice, objections, publication ---------------------------------------------------------------

def test_an_objection_holds_publication_until_resolved(world, rating_a):
    rating = advance(world, rating_a, S.NOTICE)
    objection = services.objection_lodge(rating=rating, name="张三", contact="13800001111",
                                         reason="该企业今年发生过欠薪纠纷，情况属实。", ip="10.0.0.8",
                                         today=rating.notice_starts_on)
    after_notice = rating.notice_ends_on + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as caught:
        services.rating_publish(acting_user=world.org_staff, rating=rating, today=after_notice)
    assert caught.value.code == "open_objections"
    report = services.ratings_publish_due(today=after_notice)
    assert report.published == []
    services.objection_resolve(acting_user=world.org_staff, objection=objection, upheld=False,
                               resolution="经核实，纠纷已于上年调解完毕，异议不成立。")
    report = services.ratings_publish_due(today=after_notice)
    assert report.published == [rating.pk]
    assert Rating.objects.get(pk=rating.pk).status == S.PUBLISHED


def test_an_upheld_objection_sends_the_rating_back_to_the_department(world, rating_a):
    rating = advance(world, rating_a, S.NOTICE)
    objection = services.objection_lodge(rating=rating, name="李四", contact="0817-1234567",
                                         reason="党组织近半年没有开展任何活动，材料不实。", ip=None,
                                         today=rating.notice_starts_on)
    services.objection_resolve(acting_user=world.org_staff, objection=objection, upheld=True,
                               resolution="经核查属实，退回复核。")
    rating.refresh_from_db()
    assert (rating.status, rating.notice_ends_on) == (S.DEPT, None)
    assert list(rating.events.values_list("action", flat=True))[-2:] == [A.OBJECTION, A.OBJECTION_UPHELD]


@pytest.mark.parametrize(("values", "errors"), [
    ({"name": "", "contact": "13800001111", "reason": "理由足够长的一段文字说明"}, {"name"}),
    ({"name": "张三", "contact": "电话", "reason": "理由足够长的一段文字说明"}, {"contact"}),
    ({"name": "张三", "contact": "13800001111", "reason": "太短"}, {"reason"}),
    ({"name": "", "contact": "", "reason": ""}, {"name", "contact", "reason"}),
])
def test_objection_input_is_checked_at_its_field(world, rating_a, values, errors):
    rating = advance(world, rating_a, S.NOTICE)
    with pytest.raises(DomainError) as caught:
        services.objection_lodge(rating=rating, ip=None, today=rating.notice_starts_on, **values)
    assert set(caught.value.errors) == errors
    assert not rating.objections.exists()


def test_objections_only_during_notice_and_limited_per_address(world, rating_a):
    rating = advance(world, rating_a, S.NOTICE)
    good = {"name": "王五", "contact": "13800001111", "reason": "材料与实际情况不符，请核查。"}
    with pytest.raises(DomainError) as caught:
        services.objection_lodge(rating=rating, ip=None, today=rating.notice_ends_on + datetime.timedelta(days=1),
                                 **good)
    assert caught.value.code == "not_under_notice"
    for _ in range(services.OBJECTIONS_PER_ADDRESS_PER_DAY):
        services.objection_lodge(rating=rating, ip="10.9.9.9", today=rating.notice_ends_on, **good)
    with pytest.raises(DomainError) as caught:
        services.objection_lodge(rating=rating, ip="10.9.9.9", today=rating.notice_ends_on, **good)
    assert caught.value.code == "too_many"
    assert rating.objections.count() == services.OBJECTIONS_PER_ADDRESS_PER_DAY


def test_publication_waits_for_the_end_of_the_notice(world, rating_a):
    rating = advance(world, rating_a, S.NOTICE)
    with pytest.raises(DomainError) as caught:
        services.rating_publish(acting_user=world.org_staff, rating=rating, today=rating.notice_ends_on)
    assert caught.value.code == "notice_running"
    with pytest.raises(AccessDenied):
        services.rating_publish(acting_user=world.town_staff, rating=rating,
                                today=rating.notice_ends_on + datetime.timedelta(days=1))


def test_batch_publication_reports_each_refusal(world, rating_a, cycle, org_b):
    rating = advance(world, rating_a, S.NOTICE)
    other = services.rating_start(acting_user=world.enterprise_b_user, cycle=cycle, organization=org_b)
    day = rating.notice_ends_on + datetime.timedelta(days=1)
    report = services.ratings_publish_due(acting_user=world.org_staff, rating_ids=[rating.pk, other.pk], today=day)
    assert report.published == [rating.pk]
    assert report.skipped == {other.pk: "只有公示中的评定可以命名（当前：自评中）。"}


def test_a_new_publication_supersedes_the_previous_rating(world, rating_a, rubric, org_a):
    first = advance(world, rating_a, S.PUBLISHED)
    cycle2 = services.cycle_create(acting_user=world.org_staff, year=2027, rubric=rubric,
                                   opens_on=today() - datetime.timedelta(days=1), closes_on=today() + datetime.timedelta(days=400))
    second = services.rating_start(acting_user=world.enterprise_user, cycle=cycle2, organization=org_a)
    later = first.valid_from + datetime.timedelta(days=200)
    second = advance(world, second, S.PUBLISHED, scores=sheet(a1="30"), today_=later)
    first.refresh_from_db()
    assert first.valid_to == second.valid_from - datetime.timedelta(days=1)
    assert first.events.last().action == A.SUPERSEDE
    assert enterprise_rating(world.ent_a, on=second.valid_from).rating == second
    assert enterprise_rating(world.ent_a, on=first.valid_to).rating == first


# --- revocation and downgrade ---------------------------------------------------------------------

def test_revocation_takes_effect_at_once(world, rating_a):
    rating = advance(world, rating_a, S.PUBLISHED)
    assert enterprise_rating(world.ent_a).standing == Standing.VALID
    rating = services.rating_revoke(acting_user=world.org_staff, rating=rating, expected_version=rating.version,
                                    reason="企业发生重大安全生产事故，一票否决")
    assert (rating.status, rating.revoked_on) == (S.REVOKED, today())
    answer = enterprise_rating(world.ent_a)
    assert (answer.standing, answer.stars, answer.rating) == (Standing.REVOKED, None, rating)
    assert rating.events.last().comment == "企业发生重大安全生产事故，一票否决"


def test_revocation_needs_a_reason_and_staff(world, rating_a):
    rating = advance(world, rating_a, S.PUBLISHED)
    with pytest.raises(DomainError) as caught:
        services.rating_revoke(acting_user=world.org_staff, rating=rating, expected_version=rating.version, reason="")
    assert caught.value.errors == {"reason": ["请填写理由（不少于 5 个字）。"]}
    for intruder in (world.town_staff, world.enterprise_user, world.leader):
        with pytest.raises(AccessDenied):
            services.rating_revoke(acting_user=intruder, rating=rating, expected_version=rating.version,
                                   reason="越权撤销的尝试")
    rating.refresh_from_db()
    assert rating.status == S.PUBLISHED


@pytest.mark.parametrize(("stars", "ok"), [(4, True), (1, True), (5, False), (6, False), ("x", False)])
def test_downgrade(world, rating_a, stars, ok):
    rating = advance(world, rating_a, S.PUBLISHED)
    if ok:
        rating = services.rating_downgrade(acting_user=world.org_staff, rating=rating, expected_version=rating.version,
                                           stars=stars, reason="年度内发生劳资纠纷，降级处理")
        assert rating.stars == stars
        assert enterprise_rating(world.ent_a).stars == stars
        assert (rating.events.last().before["stars"], rating.events.last().after["stars"]) == (5, stars)
    else:
        with pytest.raises(DomainError) as caught:
            services.rating_downgrade(acting_user=world.org_staff, rating=rating, expected_version=rating.version,
                                      stars=stars, reason="年度内发生劳资纠纷，降级处理")
        assert list(caught.value.errors) == ["stars"]
        rating.refresh_from_db()
        assert rating.stars == 5


# --- evidence --------------------------------------------------------------------------------------

def test_evidence_is_checked_and_stored_at_the_current_stage(world, rating_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = RubricItem.objects.get(rubric=rating_a.cycle.rubric, code="A.1")
    good = SimpleUploadedFile("三会一课台账.pdf", pdf_bytes(), content_type="application/pdf")
    evidence = services.evidence_add(acting_user=world.enterprise_user, rating=rating_a, upload=good, item=item)
    assert (evidence.stage, evidence.name, evidence.size) == ("self", "三会一课台账.pdf", len(pdf_bytes()))
    bad = SimpleUploadedFile("台账.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    with pytest.raises(DomainError) as caught:
        services.evidence_add(acting_user=world.enterprise_user, rating=rating_a, upload=bad)
    assert caught.value.errors == {"file": ["文件内容与扩展名 .pdf 不符。"]}
    with pytest.raises(AccessDenied):
        services.evidence_add(acting_user=world.enterprise_b_user, rating=rating_a, upload=good)
    assert rating_a.evidence.count() == 1


# --- rubrics ---------------------------------------------------------------------------------------

def test_a_published_rubric_is_never_edited(world, rubric):
    item = rubric.items.first()
    item.max_points = Decimal("60")
    with pytest.raises(PublishedRubricError):
        item.save()
    with pytest.raises(PublishedRubricError):
        item.delete()
    rubric.five_star_min = Decimal("95")
    with pytest.raises(PublishedRubricError):
        rubric.save()
    assert RubricItem.objects.get(pk=item.pk).max_points == Decimal("50.0")


def test_a_new_version_copies_and_past_cycles_keep_theirs(world, rubric, cycle):
    draft = services.rubric_new_version(acting_user=world.org_staff, source=rubric)
    assert (draft.version, draft.status, draft.derived_from) == (2, "draft", rubric)
    assert list(draft.items.values_list("code", "max_points")) == list(rubric.items.values_list("code", "max_points"))
    item = draft.items.get(code="A.1")
    item.max_points = Decimal("45")
    item.save()
    draft.items.filter(code="A.2").update(max_points=Decimal("35"))
    services.rubric_publish(acting_user=world.org_staff, rubric=draft)
    cycle.refresh_from_db()
    assert cycle.rubric == rubric
    assert rubric.items.get(code="A.1").max_points == Decimal("50.0")


def test_publishing_checks_the_rubric(world):
    draft = services.rubric_create(acting_user=world.org_staff, name="空标准", dimensions=[],
                                   vetoes=[services.ItemInput("V1", "否决")])
    with pytest.raises(DomainError, match="至少要有一个计分项目"):
        services.rubric_publish(acting_user=world.org_staff, rubric=draft)
    low = services.rubric_create(acting_user=world.org_staff, name="低分标准", dimensions=[
        services.DimensionInput("维度", [services.ItemInput("1.1", "项目", Decimal("50"))])])
    with pytest.raises(DomainError, match="分数线须大于 0 且不超过总分 50 分"):
        services.rubric_publish(acting_user=world.org_staff, rubric=low)
    with pytest.raises(AccessDenied):
        services.rubric_create(acting_user=world.town_staff, name="越权", dimensions=[])


def test_a_cycle_needs_a_published_rubric_and_sane_dates(world, rubric):
    draft = services.rubric_new_version(acting_user=world.org_staff, source=rubric)
    with pytest.raises(DomainError) as caught:
        services.cycle_create(acting_user=world.org_staff, year=2030, rubric=draft, opens_on=datetime.date(2030, 3, 1),
                              closes_on=datetime.date(2030, 2, 1), notice_days=0)
    assert set(caught.value.errors) == {"rubric", "closes_on", "notice_days"}


# --- organizations and coverage ------------------------------------------------------------------------

def test_an_enterprise_has_one_organization_at_a_time_with_history(world, org_a):
    joint = services.organization_create(acting_user=world.org_staff, name="东湖镇非公企业联合党支部",
                                         kind=OrgKind.JOINT_BRANCH, region=world.town_a)
    with pytest.raises(DomainError) as caught:
        services.coverage_start(acting_user=world.org_staff, organization=joint, enterprise=world.ent_a,
                                started_on=datetime.date(2024, 1, 1))
    assert caught.value.code == "already_covered"
    current = OrgCoverage.objects.get(enterprise=world.ent_a, ended_on__isnull=True)
    services.coverage_end(acting_user=world.org_staff, coverage=current, ended_on=datetime.date(2023, 12, 31))
    services.coverage_start(acting_user=world.org_staff, organization=joint, enterprise=world.ent_a,
                            started_on=datetime.date(2024, 1, 1))
    services.coverage_start(acting_user=world.org_staff, organization=joint, enterprise=world.ent_park,
                            started_on=datetime.date(2024, 1, 1))
    assert joint.coverages.filter(ended_on__isnull=True).count() == 2
    assert enterprise_rating(world.ent_a, on=datetime.date(2023, 6, 1)).organization == org_a
    assert enterprise_rating(world.ent_a, on=datetime.date(2024, 6, 1)).organization == joint


def test_coverage_dates_must_follow_the_history(world, org_a, org_b):
    current = OrgCoverage.objects.get(enterprise=world.ent_a, ended_on__isnull=True)
    with pytest.raises(DomainError) as caught:
        services.coverage_end(acting_user=world.org_staff, coverage=current, ended_on=datetime.date(2019, 1, 1))
    assert list(caught.value.errors) == ["ended_on"]
    services.coverage_end(acting_user=world.org_staff, coverage=current, ended_on=datetime.date(2024, 1, 1))
    with pytest.raises(DomainError) as caught:
        services.coverage_start(acting_user=world.org_staff, organization=org_b, enterprise=world.ent_a,
                                started_on=datetime.date(2023, 6, 1))
    assert list(caught.value.errors) == ["started_on"]


def test_instructors_serve_only_enterprises_without_an_organization(world, org_a):
    with pytest.raises(DomainError):
        services.instructor_assign(acting_user=world.org_staff, enterprise=world.ent_a, instructor=world.person_b,
                                   started_on=datetime.date(2024, 1, 1))
    assignment = services.instructor_assign(acting_user=world.org_staff, enterprise=world.ent_b,
                                            instructor=world.person_b, started_on=datetime.date(2024, 1, 1))
    with pytest.raises(DomainError):
        services.instructor_assign(acting_user=world.org_staff, enterprise=world.ent_b, instructor=world.person_a,
                                   started_on=datetime.date(2024, 2, 1))
    services.instructor_end(acting_user=world.org_staff, assignment=assignment, ended_on=datetime.date(2025, 1, 1))
    with pytest.raises(AccessDenied):
        services.instructor_assign(acting_user=world.town_staff, enterprise=world.ent_b, instructor=world.person_a,
                                   started_on=datetime.date(2025, 2, 1))


def test_organization_input_is_checked(world, org_a):
    with pytest.raises(DomainError) as caught:
        services.organization_create(acting_user=world.org_staff, name=" ", region=None)
    assert set(caught.value.errors) == {"name", "region"}
    child = services.organization_create(acting_user=world.org_staff, name="下级支部", region=world.village_a,
                                         superior=org_a)
    with pytest.raises(DomainError) as caught:
        services.organization_update(acting_user=world.org_staff, organization=org_a, superior=child)
    assert list(caught.value.errors) == ["superior"]
    with pytest.raises(AccessDenied):
        services.organization_update(acting_user=world.town_staff, organization=org_a, name="改名")


def test_events_are_written_for_every_refusal_free_step_only(world, rating_a):
    before = RatingEvent.objects.count()
    with pytest.raises(DomainError):
        act(world.enterprise_user, rating_a, A.APPROVE, sheet())
    assert RatingEvent.objects.count() == before
    assert ObjectionStatus.OPEN == "open"


def test_the_department_does_the_first_review_of_organizations_under_the_city(world, cycle):
    # given an organization of a park enterprise registered directly under the city: no town above it
    from portal.choices import Role
    from ratings.selectors import rating_queue
    from tests.factories import user_with_role

    park_user = user_with_role("t_enterprise_park", Role.ENTERPRISE_USER, enterprise=world.ent_park)
    org = services.organization_create(acting_user=world.org_staff, name="星湖传感科技有限公司党支部",
                                       region=world.city)
    services.coverage_start(acting_user=world.org_staff, organization=org, enterprise=world.ent_park,
                            started_on=datetime.date(2022, 1, 1))
    rating = services.rating_start(acting_user=park_user, cycle=cycle, organization=org)
    rating = act(park_user, rating, A.SUBMIT, sheet())
    # then it waits in the department's first-review queue, and no town's
    assert list(rating_queue(user=world.org_staff, status=S.TOWN)) == [rating]
    assert list(rating_queue(user=world.town_staff, status=S.TOWN)) == []
    with pytest.raises(AccessDenied):
        act(world.town_staff, rating, A.APPROVE, sheet())
    rating = act(world.org_staff, rating, A.APPROVE, sheet(a1="40"))
    assert rating.status == S.DEPT


def test_dissolving_an_organization_ends_its_coverage(world, org_a):
    services.organization_update(acting_user=world.org_staff, organization=org_a, dissolved_on=datetime.date(2025, 6, 30))
    coverage = org_a.coverages.get()
    assert coverage.ended_on == datetime.date(2025, 6, 30)
    assert enterprise_rating(world.ent_a, on=datetime.date(2025, 7, 1)).standing == Standing.NO_ORGANIZATION
    assert enterprise_rating(world.ent_a, on=datetime.date(2025, 6, 30)).organization == org_a
    with pytest.raises(DomainError):
        services.coverage_start(acting_user=world.org_staff, organization=org_a, enterprise=world.ent_park,
                                started_on=datetime.date(2025, 8, 1))
