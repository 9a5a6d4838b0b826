"""Outreach services: what each writes (with its audit row), and every refusal at its field with its
message, leaving nothing written."""

import pytest
from django.utils import timezone

from liaison.models import CareActivity, Consultation, Lawyer, MentoringPair, NoticeReceipt, PolicyNotice
from liaison.services import outreach as services
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog
from tests.factories import PersonFactory

from .fixtures_outreach import D, days, outreach_world, today, written  # noqa: F401

pytestmark = pytest.mark.django_db


def refused(call, *, code=None) -> DomainError:
    """The service's refusal; and nothing of outreach, nor the audit log, changed."""
    before = written()
    with pytest.raises(DomainError) as caught:
        call()
    assert written() == before
    if code is not None:
        assert caught.value.code == code
    return caught.value


def denied(call) -> AccessDenied:
    before = written()
    with pytest.raises(AccessDenied) as caught:
        call()
    assert written() == before
    return caught.value


# --- lawyers -------------------------------------------------------------------------------------

LAWYER = {"name": "秦雅琴", "law_firm": "星湖众诚律师事务所", "specialties": "公司治理", "mobile": "139 0000 2222",
          "resident_since": D(2025, 3, 1), "resident_until": None, "is_active": True}


def test_a_lawyer_is_added_with_a_clean_mobile_and_audited(oworld):
    lawyer = services.lawyer_create(acting_user=oworld.org_staff, **LAWYER)
    assert (lawyer.mobile, lawyer.mobile_masked) == ("13900002222", "139****2222")
    log = AuditLog.objects.get(action="lawyer.create", object_id=str(lawyer.pk))
    assert log.after["mobile"] == "139****2222"  # the audit log records the change, not the number


@pytest.mark.parametrize(("values", "errors"), [
    ({"name": " ", "law_firm": ""}, {"name": ["请填写律师姓名。"], "law_firm": ["请填写律师事务所。"]}),
    ({"name": "长" * 33}, {"name": ["不能超过 32 个字。"]}),
    ({"mobile": "0571-888"}, {"mobile": ["手机号应为以 1 开头的 11 位数字。"]}),
    ({"resident_since": None}, {"resident_since": ["请填写常驻起始日期。"]}),
    ({"resident_until": D(2025, 2, 28)}, {"resident_until": ["常驻截止日期不能早于起始日期 2025-03-01。"]}),
])
def test_a_bad_lawyer_is_refused_at_its_fields(oworld, values, errors):
    error = refused(lambda: services.lawyer_create(acting_user=oworld.org_staff, **{**LAWYER, **values}))
    assert error.errors == errors


def test_a_residency_must_still_cover_the_consultations_answered(oworld):
    # given 陈律明 answered consultations 40 days ago and 1 day ago
    values = {**LAWYER, "name": "陈律明", "law_firm": "星湖正衡律师事务所"}
    error = refused(lambda: services.lawyer_update(acting_user=oworld.org_staff, lawyer=oworld.lawyer, **{
        **values, "resident_since": days(-10), "resident_until": days(-2)}))
    assert error.errors == {
        "resident_since": [f"该律师在 {days(-40).isoformat()} 已有咨询记录，常驻起始日期不能晚于这一天。"],
        "resident_until": [f"该律师在 {days(-1).isoformat()} 还有咨询记录，常驻截止日期不能早于这一天。"]}
    updated = services.lawyer_update(acting_user=oworld.org_staff, lawyer=oworld.lawyer,
                                     **{**values, "resident_since": D(2024, 1, 1), "resident_until": days(0)})
    assert updated.resident_until == today()
    assert AuditLog.objects.get(action="lawyer.update").before["resident_until"] is None


@pytest.mark.parametrize("who", ["leader", "town_staff", "station", "enterprise_user", "cadre", "bank_officer"])
def test_only_the_department_keeps_the_roster(oworld, who):
    denied(lambda: services.lawyer_create(acting_user=getattr(oworld, who), **LAWYER))
    denied(lambda: services.lawyer_update(acting_user=getattr(oworld, who), lawyer=oworld.lawyer, **LAWYER))


def test_unmasking_is_for_the_department_and_stations(oworld):
    assert services.lawyer_unmask(acting_user=oworld.station, lawyer=oworld.lawyer) == {"mobile": "13812345678"}
    error = denied(lambda: services.lawyer_unmask(acting_user=oworld.town_staff, lawyer=oworld.lawyer))
    assert error.message == "您无权查看律师的完整手机号。"


# --- consultations -------------------------------------------------------------------------------

def consult(w, user, **values):
    data = {"enterprise": w.ent_a, "topic": "劳动合同解除", "category": "labour", "lawyer": w.lawyer,
            "consulted_on": days(-2), "channel": "phone", **values}
    return services.consultation_record(acting_user=user, **data)


def test_a_consultation_answered_on_the_spot(oworld):
    consultation = consult(oworld, oworld.org_staff, outcome=" 依法可解除，需支付经济补偿。 ")
    assert (consultation.status, consultation.answered_on, consultation.outcome, consultation.station) == (
        "answered", days(-2), "依法可解除，需支付经济补偿。", None)
    assert AuditLog.objects.filter(action="consultation.create", object_id=str(consultation.pk)).count() == 1


def test_a_station_records_for_its_area_and_a_park_station_for_its_park(oworld):
    assert consult(oworld, oworld.station).station == oworld.station_a
    error = refused(lambda: consult(oworld, oworld.station, enterprise=oworld.ent_b))
    assert error.errors == {"enterprise": ["“西山食品有限公司”不在您服务的范围内，不能为其登记法律咨询。"]}
    assert consult(oworld, oworld.park_station_user, enterprise=oworld.ent_park).station == oworld.park_station
    refused(lambda: consult(oworld, oworld.park_station_user, enterprise=oworld.ent_a))


@pytest.mark.parametrize(("values", "errors"), [
    ({"enterprise": None, "topic": " "}, {"enterprise": ["请填写企业统一社会信用代码。"], "topic": ["请填写咨询事项。"]}),
    ({"category": "tax", "channel": "letter"}, {"category": ["请选择咨询类别。"], "channel": ["请选择咨询方式。"]}),
    ({"lawyer": None, "consulted_on": None}, {"lawyer": ["请选择答复的律师。"], "consulted_on": ["请填写咨询日期。"]}),
    ({"topic": "事" * 121}, {"topic": ["不能超过 120 个字。"]}),
])
def test_a_bad_consultation_is_refused_at_its_fields(oworld, values, errors):
    assert refused(lambda: consult(oworld, oworld.org_staff, **values)).errors == errors


def test_a_consultation_is_not_dated_ahead_nor_outside_the_lawyers_residency(oworld):
    error = refused(lambda: consult(oworld, oworld.org_staff, consulted_on=days(1)))
    assert error.errors == {"consulted_on": [f"咨询日期不能晚于今天（{today().isoformat()}）。"]}
    error = refused(lambda: consult(oworld, oworld.org_staff, lawyer=oworld.lawyer_old))
    assert error.errors == {"lawyer": ["该律师的常驻期已于 2023-12-31 结束。"]}
    error = refused(lambda: consult(oworld, oworld.org_staff, consulted_on=D(2023, 12, 31)))
    assert error.errors == {"lawyer": ["该律师自 2024-01-01 起才常驻法律服务中心。"]}


@pytest.mark.parametrize("who", ["leader", "town_staff", "enterprise_user", "cadre", "bank_officer", "admin"])
def test_who_may_not_record_a_consultation(oworld, who):
    denied(lambda: consult(oworld, getattr(oworld, who)))


def test_answering_a_consultation(oworld):
    error = refused(lambda: services.consultation_answer(acting_user=oworld.station, consultation=oworld.cons_a,
                                                         outcome="", answered_on=days(-4)))
    assert error.errors == {"outcome": ["请填写答复意见。"],
                            "answered_on": [f"答复日期不能早于咨询日期 {days(-3).isoformat()}。"]}
    error = refused(lambda: services.consultation_answer(acting_user=oworld.station, consultation=oworld.cons_a,
                                                         outcome="可以", answered_on=days(1)))
    assert error.errors == {"answered_on": [f"答复日期不能晚于今天（{today().isoformat()}）。"]}
    answered = services.consultation_answer(acting_user=oworld.station, consultation=oworld.cons_a, outcome="可以")
    assert (answered.status, answered.answered_on) == ("answered", today())
    error = refused(lambda: services.consultation_answer(acting_user=oworld.org_staff, consultation=oworld.cons_a,
                                                         outcome="再答一次"), code="stale")
    assert error.message == f"该咨询已于 {today().isoformat()} 答复。"
    denied(lambda: services.consultation_answer(acting_user=oworld.station_b_user, consultation=oworld.cons_park,
                                                outcome="越权"))


# --- policy notices ------------------------------------------------------------------------------

def draft(w, **values):
    return services.notice_create(acting_user=w.org_staff, **{"title": "惠企政策", "body": "正文", "audience": "all",
                                                               **values})


@pytest.mark.parametrize(("values", "errors"), [
    ({"title": "", "body": " "}, {"title": ["请填写标题。"], "body": ["请填写正文。"]}),
    ({"audience": ""}, {"audience": ["请选择推送范围。"]}),
    ({"audience": "kind", "audience_kind": "llc"}, {"audience_kind": ["推送给某类市场主体时，请选择主体类型。"]}),
    ({"audience": "industry"}, {"audience_industry": ["推送给某一行业时，请选择行业门类。"]}),
    ({"audience": "region"}, {"audience_region": ["推送给某一区域时，请选择区域。"]}),
])
def test_a_bad_notice_is_refused_at_its_fields(oworld, values, errors):
    assert refused(lambda: draft(oworld, **values)).errors == errors


def test_a_notice_keeps_only_the_value_its_audience_names(oworld):
    notice = draft(oworld, audience="industry", audience_industry="C", audience_kind="coop",
                   audience_region=oworld.town_a)
    assert (notice.audience_industry, notice.audience_kind, notice.audience_region) == ("C", "", None)
    notice = services.notice_update(acting_user=oworld.org_staff, notice=notice, title="全市", body="正文",
                                    audience="all", audience_industry="C")
    assert (notice.audience, notice.audience_industry, notice.status) == ("all", "", "draft")


def test_publishing_freezes_a_notice_and_withdrawing_needs_a_reason(oworld):
    notice = draft(oworld, audience="region", audience_region=oworld.town_b)
    published = services.notice_publish(acting_user=oworld.org_staff, notice=notice)
    assert (published.status, published.published_by) == ("published", oworld.org_staff)
    assert published.published_at is not None
    error = refused(lambda: services.notice_update(acting_user=oworld.org_staff, notice=notice, title="改",
                                                   body="改", audience="all"), code="frozen")
    at = timezone.localtime(published.published_at).strftime("%Y-%m-%d %H:%M")
    assert error.message == f"通知已于 {at} 发布，内容已冻结，不能再修改。"
    refused(lambda: services.notice_publish(acting_user=oworld.org_staff, notice=notice), code="not_draft")
    error = refused(lambda: services.notice_withdraw(acting_user=oworld.org_staff, notice=notice, reason=""))
    assert error.errors == {"reason": ["请填写撤回原因。"]}
    withdrawn = services.notice_withdraw(acting_user=oworld.org_staff, notice=notice, reason="政策调整")
    assert (withdrawn.status, withdrawn.withdraw_reason) == ("withdrawn", "政策调整")
    error = refused(lambda: services.notice_withdraw(acting_user=oworld.org_staff, notice=notice, reason="再撤"),
                    code="not_published")
    assert error.message == "只有已发布的通知可以撤回，该通知已撤回。"
    assert list(AuditLog.objects.filter(object_id=str(notice.pk), object_type="liaison.policynotice")
                .order_by("pk").values_list("action", flat=True)) == [
        "policy_notice.create", "policy_notice.publish", "policy_notice.withdraw"]


def test_a_notice_reaching_nobody_is_not_published(oworld):
    notice = draft(oworld, audience="industry", audience_industry="P")
    error = refused(lambda: services.notice_publish(acting_user=oworld.org_staff, notice=notice), code="no_audience")
    assert error.errors == {"audience": ["推送范围“教育”内没有市场主体，发布后无人能收到，请调整推送范围。"]}


@pytest.mark.parametrize("who", ["leader", "town_staff", "station", "enterprise_user", "cadre", "bank_officer"])
def test_only_the_department_writes_notices(oworld, who):
    user = getattr(oworld, who)
    denied(lambda: services.notice_create(acting_user=user, title="t", body="b", audience="all"))
    denied(lambda: services.notice_publish(acting_user=user, notice=oworld.notice_draft))
    denied(lambda: services.notice_withdraw(acting_user=user, notice=oworld.notice_key, reason="r"))


def test_marking_read_is_idempotent(oworld):
    first = services.notice_mark_read(notice=oworld.notice_key, user=oworld.enterprise_user)
    again = services.notice_mark_read(notice=oworld.notice_key, user=oworld.enterprise_user)
    assert (again.pk, again.read_at, again.enterprise) == (first.pk, first.read_at, oworld.ent_a)
    assert NoticeReceipt.objects.filter(notice=oworld.notice_key).count() == 1
    # ent_a had read notice_all already: the same receipt comes back
    assert services.notice_mark_read(notice=oworld.notice_all, user=oworld.enterprise_user) == oworld.receipt_a


def test_marking_read_is_refused_when_the_notice_does_not_reach_the_enterprise(oworld):
    error = refused(lambda: services.notice_mark_read(notice=oworld.notice_town_a, user=oworld.enterprise_b_user),
                    code="not_reached")
    assert error.message == "该通知不面向您的企业。"
    refused(lambda: services.notice_mark_read(notice=oworld.notice_coop, user=oworld.enterprise_user),
            code="not_reached")
    refused(lambda: services.notice_mark_read(notice=oworld.notice_draft, user=oworld.enterprise_user),
            code="not_published")
    refused(lambda: services.notice_mark_read(notice=oworld.notice_withdrawn, user=oworld.enterprise_user),
            code="not_published")
    error = denied(lambda: services.notice_mark_read(notice=oworld.notice_all, user=oworld.org_staff))
    assert error.code == "not_enterprise_user"


# --- care activities -----------------------------------------------------------------------------

def care(w, user, **values):
    data = {"kind": "winter", "title": "冬送温暖", "held_on": D(2025, 12, 20), "organizer": "东湖镇党委",
            "enterprise_codes": w.ent_a.uscc, "beneficiaries": 30, **values}
    return services.care_activity_create(acting_user=user, **data)


def test_a_care_activity_names_its_enterprises_by_code(oworld):
    activity = care(oworld, oworld.org_staff, enterprise_codes=f"{oworld.ent_a.uscc}, {oworld.ent_b.uscc.lower()}")
    assert set(activity.enterprises.all()) == {oworld.ent_a, oworld.ent_b}
    assert AuditLog.objects.get(action="care_activity.create").after["enterprises"] == sorted(
        [oworld.ent_a.pk, oworld.ent_b.pk])


@pytest.mark.parametrize(("values", "errors"), [
    ({"kind": "party", "title": ""}, {"kind": ["请选择活动类别。"], "title": ["请填写活动名称。"]}),
    ({"held_on": None, "organizer": " "}, {"held_on": ["请填写活动日期。"], "organizer": ["请填写组织单位。"]}),
    ({"held_on": D(2025, 7, 1)}, {"held_on": ["冬送温暖活动应在 11 月至次年 2 月举办。"]}),
    ({"beneficiaries": None}, {"beneficiaries": ["受益人数至少为 1 人。"]}),
    ({"enterprise_codes": ""}, {"enterprise_codes": ["请至少填写一家受益企业的统一社会信用代码。"]}),
])
def test_a_bad_care_activity_is_refused_at_its_fields(oworld, values, errors):
    assert refused(lambda: care(oworld, oworld.org_staff, **values)).errors == errors


def test_a_care_activity_is_not_dated_ahead(oworld):
    error = refused(lambda: care(oworld, oworld.org_staff, kind="training", held_on=days(1)))
    assert error.errors == {"held_on": [f"活动日期不能晚于今天（{today().isoformat()}）。"]}


def test_a_town_names_only_its_own_enterprises(oworld):
    assert list(care(oworld, oworld.town_staff).enterprises.all()) == [oworld.ent_a]
    error = refused(lambda: care(oworld, oworld.town_staff_b))
    assert error.errors == {"enterprise_codes": [f"没有找到这些企业，或不在您的辖区内：{oworld.ent_a.uscc}"]}
    for who in ("leader", "station", "enterprise_user", "cadre"):
        denied(lambda who=who: care(oworld, getattr(oworld, who)))
    assert CareActivity.objects.count() == 3


# --- mentoring -----------------------------------------------------------------------------------

def pair(w, **values):
    data = {"mentor_kind": "entrepreneur", "mentor_person": w.person_b, "mentee": w.mentee_b,
            "started_on": D(2025, 6, 1), "focus": "市场开拓", **values}
    return services.mentoring_pair_create(acting_user=w.org_staff, **data)


def test_a_senior_entrepreneur_mentors_a_new_generation_one(oworld):
    made = pair(oworld, mentor_name="会被忽略")
    assert (made.mentor_person, made.mentor_name, made.mentee, made.ended_on) == (
        oworld.person_b, "", oworld.mentee_b, None)
    error = refused(lambda: pair(oworld), code="already_paired")
    assert error.errors == {"mentee": ["王西山 与 王青西 已有进行中的青蓝结对。"]}
    retired = pair(oworld, mentor_kind="retired_cadre", mentor_person=oworld.person_a, mentor_name=" 许国良 ")
    assert (retired.mentor_person, retired.mentor_name, retired.mentor_display) == (None, "许国良", "许国良")


@pytest.mark.parametrize(("values", "errors"), [
    ({"mentor_kind": ""}, {"mentor_kind": ["请选择导师类型。"]}),
    ({"mentor_person": None}, {"mentor_person": ["请选择导师（资深企业家）。"]}),
    ({"mentor_kind": "retired_cadre", "mentor_name": ""}, {"mentor_name": ["请填写老干部的姓名。"]}),
    ({"mentee": None, "focus": ""}, {"mentee": ["请选择新生代企业家。"], "focus": ["请填写帮带重点。"]}),
    ({"started_on": None}, {"started_on": ["请填写结对日期。"]}),
])
def test_a_bad_pairing_is_refused_at_its_fields(oworld, values, errors):
    assert refused(lambda: pair(oworld, **values)).errors == errors


def test_the_mentee_is_new_generation_and_the_mentor_senior_and_not_the_same(oworld):
    error = refused(lambda: pair(oworld, mentee=oworld.person_a))
    assert error.errors == {"mentee": ["李东湖 未登记为新生代企业家，青蓝结对的帮带对象须为新生代企业家。"]}
    error = refused(lambda: pair(oworld, mentor_person=oworld.mentee_a))
    assert error.errors == {"mentor_person": ["李青东 是新生代企业家，导师应为资深企业家。"]}
    both = PersonFactory(name="双重身份", is_new_generation=True)
    error = refused(lambda: pair(oworld, mentor_kind="entrepreneur", mentor_person=both, mentee=both))
    assert error.errors["mentor_person"] == ["双重身份 是新生代企业家，导师应为资深企业家。"]
    error = refused(lambda: pair(oworld, started_on=days(1)))
    assert error.errors == {"started_on": [f"结对日期不能晚于今天（{today().isoformat()}）。"]}


def test_sessions_and_the_end_of_a_pairing(oworld):
    session = services.mentoring_session_add(acting_user=oworld.org_staff, pair=oworld.pair_a, held_on=D(2025, 9, 1),
                                             topic="研讨企业发展规划", attendees=5)
    assert session.pair == oworld.pair_a
    error = refused(lambda: services.mentoring_pair_end(acting_user=oworld.org_staff, pair=oworld.pair_a,
                                                        ended_on=D(2025, 8, 31)))
    assert error.errors == {"ended_on": ["该结对在 2025-09-01 还有帮带活动，结束日期不能早于这一天。"]}
    error = refused(lambda: services.mentoring_pair_end(acting_user=oworld.org_staff, pair=oworld.pair_a,
                                                        ended_on=D(2025, 2, 1)))
    assert error.errors == {"ended_on": ["结束日期不能早于结对日期 2025-03-01。"]}
    ended = services.mentoring_pair_end(acting_user=oworld.org_staff, pair=oworld.pair_a, ended_on=D(2025, 12, 31))
    assert ended.ended_on == D(2025, 12, 31)
    refused(lambda: services.mentoring_pair_end(acting_user=oworld.org_staff, pair=oworld.pair_a,
                                                ended_on=D(2026, 1, 1)), code="stale")
    error = refused(lambda: services.mentoring_session_add(acting_user=oworld.org_staff, pair=oworld.pair_a,
                                                           held_on=D(2026, 1, 2), topic="座谈", attendees=2))
    assert error.errors == {"held_on": ["结对已于 2025-12-31 结束，活动日期不能晚于这一天。"]}
    error = refused(lambda: services.mentoring_session_add(acting_user=oworld.org_staff, pair=oworld.pair_b,
                                                           held_on=None, topic="", attendees=None))
    assert error.errors == {"held_on": ["请填写活动日期。"], "topic": ["请填写活动主题。"],
                            "attendees": ["参加人数至少为 2 人（导师与帮带对象）。"]}
    assert list(AuditLog.objects.filter(object_type__startswith="liaison.mentoring").order_by("pk")
                .values_list("action", flat=True)) == ["mentoring_session.create", "mentoring_pair.end"]


@pytest.mark.parametrize("who", ["leader", "town_staff", "station", "enterprise_user", "cadre"])
def test_only_the_department_keeps_mentoring(oworld, who):
    user = getattr(oworld, who)
    denied(lambda: services.mentoring_pair_create(acting_user=user, mentor_kind="retired_cadre", mentor_name="某",
                                                  mentee=oworld.mentee_b, started_on=D(2025, 1, 1), focus="f"))
    denied(lambda: services.mentoring_session_add(acting_user=user, pair=oworld.pair_a, held_on=D(2025, 5, 1),
                                                  topic="t", attendees=2))
    denied(lambda: services.mentoring_pair_end(acting_user=user, pair=oworld.pair_a, ended_on=D(2025, 5, 1)))


def test_models_refuse_what_the_services_refuse(oworld):
    """The database keeps the shapes the services keep, for writes that bypass them."""
    from django.db import IntegrityError, transaction

    cases = [
        lambda: Consultation.objects.create(enterprise=oworld.ent_a, topic="t", category="other", lawyer=oworld.lawyer,
                                            consulted_on=D(2025, 1, 1), channel="phone", status="answered",
                                            answered_on=D(2025, 1, 1)),  # answered with nothing said
        lambda: PolicyNotice.objects.create(title="t", body="b", audience="kind"),  # a kind without its kind
        lambda: PolicyNotice.objects.create(title="t", body="b", audience="all", status="published"),  # no date
        lambda: Lawyer.objects.create(name="n", law_firm="f", resident_since=D(2025, 2, 1),
                                      resident_until=D(2025, 1, 1)),
        lambda: MentoringPair.objects.create(mentor_kind="entrepreneur", mentor_name="某", mentee=oworld.mentee_a,
                                             started_on=D(2025, 1, 1), focus="f"),  # an entrepreneur without a person
        lambda: MentoringPair.objects.create(mentor_kind="entrepreneur", mentor_person=oworld.person_a,
                                             mentee=oworld.mentee_a, started_on=D(2025, 1, 1), focus="f"),  # twice
        lambda: NoticeReceipt.objects.create(notice=oworld.notice_all, enterprise=oworld.ent_a,
                                             user=oworld.enterprise_user, read_at=oworld.receipt_a.read_at),
    ]
    for make in cases:
        with pytest.raises(IntegrityError), transaction.atomic():
            make()

