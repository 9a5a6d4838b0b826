# ruff: noqa: F811  (`aworld` is a pytest fixture imported from fixtures_appeals; tests name it as a parameter)
"""The appeals part's services: raising an appeal by each role, the state machine end to end, every
refusal with its field and message leaving nothing written, ratings, attachments, departments."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from liaison.models import Appeal, AppealCounter, AppealEvent, Department, Visit
from liaison.services import appeals as services
from portal.models import AuditLog
from tests.documents import png_bytes
from tests.factories import user_with_role

from .fixtures_appeals import (  # noqa: F401  (aworld is a fixture)
    DESCRIPTION_A,
    RESOLUTION,
    TITLE_A,
    aworld,
    create,
    denied,
    pdf,
    refused,
    step,
    today,
)

pytestmark = pytest.mark.django_db


def number(n):
    return f"SQ{today().year}-{n:06d}"


# --- raising an appeal ---------------------------------------------------------------------------

def test_an_enterprise_raises_its_own_appeal_online(lworld):
    # given the enterprise user of ent_a
    w = lworld
    # when it raises an appeal
    appeal = create(w.enterprise_user, w.ent_a, title=f"  {TITLE_A} ", platform="policy")
    # then it is received, numbered, online, due in 15 days, with its event and audit row
    appeal.refresh_from_db()
    assert (appeal.number, appeal.status, appeal.channel, appeal.station_id, appeal.platform, appeal.title) == (
        number(1), "received", "online", None, "policy", TITLE_A)
    assert appeal.deadline == today() + datetime.timedelta(days=15)
    assert appeal.version == 1
    assert list(appeal.events.values_list("action", "from_status", "to_status", "actor_name")) == [
        ("submit", "", "received", "t_enterprise")]
    log = AuditLog.objects.get(action="appeal.submit")
    assert (log.actor_id, log.object_id, log.after["number"]) == (w.enterprise_user.pk, str(appeal.pk), number(1))
    assert AppealCounter.objects.get(year=today().year).last == 1


def test_a_station_raises_for_its_area_and_is_named(lworld):
    w = lworld
    appeal = create(w.station, w.ent_a, category="legal")
    assert (appeal.channel, appeal.station_id, appeal.created_by_id) == ("station", w.station_a.pk, w.station.pk)
    assert appeal.deadline == today() + datetime.timedelta(days=10)
    assert denied(lambda: create(w.station, w.ent_b)).message.startswith("您不能为该企业提交诉求")


def test_a_cadre_raises_for_its_paired_enterprise_naming_its_own_visit(lworld):
    w = lworld
    visit = Visit.objects.create(cadre=w.cadre_a_obj, enterprise=w.ent_a, visited_on=today(), discussed="了解融资需求")
    appeal = create(w.cadre, w.ent_a, visit=visit)
    assert (appeal.channel, appeal.visit_id, appeal.created_by_id) == ("visit", visit.pk, w.cadre.pk)
    denied(lambda: create(w.cadre, w.ent_b))
    denied(lambda: create(w.cadre_b, w.ent_a))


@pytest.mark.parametrize(("whose", "where", "message"), [
    ("cadre_b_obj", "ent_a", "只能关联您本人的走访记录。"),
    ("cadre_a_obj", "ent_park", "该走访记录不是对东湖精密机械有限公司的走访。"),
])
def test_a_cadre_cannot_name_a_visit_not_its_own_to_this_enterprise(lworld, whose, where, message):
    w = lworld
    visit = Visit.objects.create(cadre=getattr(w, whose), enterprise=getattr(w, where), visited_on=today(),
                                 discussed="走访")
    error = refused(lambda: create(w.cadre, w.ent_a, visit=visit))
    assert error.errors == {"visit": [message]}


def test_staff_record_by_phone_or_at_the_window_only(lworld):
    w = lworld
    assert create(w.org_staff, w.ent_b).channel == "phone"
    assert create(w.town_staff, w.ent_a, channel="window").channel == "window"
    error = refused(lambda: create(w.org_staff, w.ent_b, channel="online"))
    assert error.errors == {"channel": ["您提交的诉求渠道只能是：电话、窗口。"]}
    denied(lambda: create(w.town_staff, w.ent_b))


@pytest.mark.parametrize("who", ["leader", "bank_officer", "insurer_officer", "admin", "enterprise_b_user"])
def test_others_cannot_raise_an_appeal_for_ent_a(lworld, who):
    denied(lambda: create(getattr(lworld, who), lworld.ent_a))


def test_bad_input_is_refused_at_every_field_at_once_leaving_no_number_used(lworld):
    w = lworld
    error = refused(lambda: create(w.enterprise_user, w.ent_a, category="money", platform="x", title="贷款",
                                   description="缺钱"))
    assert error.errors == {
        "category": ["请选择诉求类别。"], "platform": ["请选择直通平台。"],
        "title": ["请用一句话概括诉求（不少于 4 个字）。"],
        "description": ["请具体描述遇到的问题和诉求（不少于 10 个字）。"]}
    assert refused(lambda: create(w.enterprise_user, None)).errors == {"enterprise": ["请选择企业。"]}
    assert create(w.enterprise_user, w.ent_a).number == number(1)


def test_a_creation_rolled_back_gives_its_number_back(lworld):
    # given a creation whose transaction fails after the appeal was written
    w = lworld
    taken = []

    @transaction.atomic
    def create_then_fail():
        taken.append(create(w.enterprise_user, w.ent_a).number)
        raise RuntimeError("the caller's transaction fails")

    with pytest.raises(RuntimeError):
        create_then_fail()
    assert taken == [number(1)]
    # then the next appeal takes the same number: no gap
    assert Appeal.objects.count() == 0
    assert create(w.enterprise_user, w.ent_a).number == number(1)
    assert create(w.station, w.ent_a).number == number(2)


# --- the state machine ---------------------------------------------------------------------------

def test_the_whole_way_from_receipt_to_closing(aworld):
    # given ent_a's received appeal
    w = aworld
    appeal = w.appeal_a
    deadline = today() + datetime.timedelta(days=20)
    # when town staff hand it to a department and the cadre, who starts and resolves it; the enterprise
    # rates it and the organization department closes it
    step(appeal, "assign", w.town_staff, department=w.dept, assignee=w.cadre, deadline=deadline, note="请上门对接")
    step(appeal, "start", w.cadre)
    step(appeal, "resolve", w.cadre, resolution=RESOLUTION)
    services.appeal_rate(appeal=appeal, score="5", comment="办理及时", acting_user=w.enterprise_user)
    step(appeal, "close", w.org_staff)
    # then each step is recorded, with the department, assignee, deadline and resolution
    appeal.refresh_from_db()
    assert (appeal.status, appeal.department_id, appeal.assignee_id, appeal.deadline, appeal.resolution) == (
        "closed", w.dept.pk, w.cadre.pk, deadline, RESOLUTION)
    assert (appeal.satisfaction, appeal.satisfaction_comment, appeal.rated_by_id) == (5, "办理及时", w.enterprise_user.pk)
    assert all([appeal.assigned_at, appeal.started_at, appeal.resolved_at, appeal.closed_at, appeal.rated_at])
    assert appeal.version == 6
    assert list(appeal.events.exclude(action="attach").values_list("action", "from_status", "to_status",
                                                                    "actor_name")) == [
        ("submit", "", "received", "t_enterprise"), ("assign", "received", "assigned", "t_townstaff"),
        ("start", "assigned", "in_progress", "t_cadre"), ("resolve", "in_progress", "resolved", "t_cadre"),
        ("rate", "resolved", "resolved", "t_enterprise"), ("close", "resolved", "closed", "t_orgstaff")]
    assign = appeal.events.get(action="assign")
    assert assign.note == f"星湖市地方金融工作局；承办人 t_cadre；期限 {deadline.isoformat()}；请上门对接"
    assert list(AuditLog.objects.filter(object_id=str(appeal.pk), object_type="liaison.appeal")
                .order_by("pk").values_list("action", flat=True)) == [
        "appeal.submit", "appeal.attach", "appeal.assign", "appeal.start", "appeal.resolve", "appeal.rate",
        "appeal.close"]


def test_reassign_reopen_withdraw_and_dismiss(aworld):
    w = aworld
    # reassign while in progress: back to assigned, at the new department
    appeal = step(w.appeal_a, "assign", w.org_staff, department=w.dept)
    step(appeal, "start", w.org_staff)
    appeal = step(appeal, "reassign", w.town_staff, department=w.dept2)
    assert (appeal.status, appeal.department_id, appeal.started_at) == ("assigned", w.dept2.pk, None)
    # reopen a resolved one with a reason: in progress again, the old resolution gone
    reopened = step(w.resolved_a, "reopen", w.town_staff, note="企业反映贷款尚未到位")
    assert (reopened.status, reopened.resolution, reopened.resolved_at) == ("in_progress", "", None)
    assert AuditLog.objects.get(action="appeal.reopen").before["resolution"] == RESOLUTION
    # the enterprise withdraws its received appeal; staff dismiss another with a reason
    withdrawn = step(w.appeal_b, "withdraw", w.enterprise_b_user)
    assert (withdrawn.status, withdrawn.closed_at is not None) == ("withdrawn", True)
    other = create(w.station, w.ent_a)
    dismissed = step(other, "dismiss", w.town_staff, note="属于企业间民事纠纷")
    assert dismissed.status == "dismissed"
    assert dismissed.events.get(action="dismiss").note == "属于企业间民事纠纷"


@pytest.mark.parametrize(("setup", "action", "message"), [
    ("appeal_a", "resolve", "诉求当前为「已受理」，不能办结。"),
    ("appeal_a", "start", "诉求当前为「已受理」，不能开始办理。"),
    ("resolved_a", "assign", "诉求当前为「已办结」，不能交办。"),
    ("overdue_a", "close", "诉求当前为「已交办」，不能销号。"),
])
def test_a_step_not_allowed_names_the_current_status(aworld, setup, action, message):
    error = refused(lambda: step(getattr(aworld, setup), action, aworld.org_staff, department=aworld.dept,
                                 resolution=RESOLUTION), code="not_allowed")
    assert error.message == message


def test_a_stale_version_is_refused(aworld):
    w = aworld
    appeal = w.appeal_a
    error = refused(lambda: services.appeal_transition(appeal=appeal, action="assign", acting_user=w.org_staff,
                                                       version=appeal.version + 1, department=w.dept), code="stale")
    assert error.message == "该诉求已被他人处理（现为「已受理」），请刷新后重试。"
    error = refused(lambda: services.appeal_transition(appeal=appeal, action="assign", acting_user=w.org_staff,
                                                       version=None, department=w.dept), code="stale")
    assert error.errors == {"version": ["缺少版本号，请刷新页面后重试。"]}


@pytest.mark.parametrize(("who", "setup", "action", "message"), [
    ("enterprise_user", "appeal_a", "assign", "“交办”须由组织部、镇街工作人员办理。"),
    ("leader", "appeal_a", "assign", "“交办”须由组织部、镇街工作人员办理。"),
    ("town_staff_b", "appeal_a", "assign", "您没有执行此操作的权限。"),
    ("station", "appeal_a", "withdraw", "“撤回”须由提出诉求的企业、服务站、联系领导或组织部、镇街工作人员办理。"),
    ("cadre", "overdue_a", "start", "“开始办理”须由承办人或组织部、镇街工作人员办理。"),
    ("cadre", "resolved_a", "reopen", "“重新办理”须由组织部、镇街工作人员办理。"),
    ("enterprise_user", "resolved_a", "close", "“销号”须由组织部、镇街工作人员办理。"),
    ("bank_officer", "appeal_a", "assign", "您没有执行此操作的权限。"),
])
def test_who_may_not_act_is_refused(aworld, who, setup, action, message):
    error = denied(lambda: step(getattr(aworld, setup), action, getattr(aworld, who), department=aworld.dept))
    assert error.message == message


def test_assigning_checks_department_assignee_and_deadline_at_their_fields(aworld):
    w = aworld
    error = refused(lambda: step(w.overdue_a, "reassign", w.org_staff, department=w.overdue_a.department))
    assert error.errors == {"department": ["改派须更换承办部门或承办人。"]}
    w.dept2.is_active = False
    w.dept2.save()
    banker = w.bank_officer
    error = refused(lambda: step(w.appeal_a, "assign", w.org_staff, department=None, assignee=banker,
                                 deadline=today() - datetime.timedelta(days=1)))
    assert error.errors == {
        "department": ["请选择承办部门。"], "assignee": ["承办人须为组织部、镇街工作人员或联系领导的有效账号。"],
        "deadline": [f"办理期限不能早于今天（{today().isoformat()}）。"]}
    error = refused(lambda: step(w.appeal_a, "assign", w.org_staff, department=w.dept2))
    assert error.errors == {"department": ["“星湖市人力资源和社会保障局”已停用，请选择其他部门。"]}


def test_resolving_needs_a_resolution_and_reopening_a_reason(aworld):
    w = aworld
    appeal = step(w.overdue_a, "start", w.org_staff)
    error = refused(lambda: step(appeal, "resolve", w.org_staff, resolution=" 已办理 "))
    assert error.errors == {"resolution": ["请写明办理结果（不少于 10 个字）。"]}
    error = refused(lambda: step(w.resolved_a, "reopen", w.org_staff, note="未解决"))
    assert error.errors == {"note": ["请说明重新办理的理由（不少于 5 个字）。"]}
    error = refused(lambda: step(w.appeal_a, "dismiss", w.org_staff))
    assert error.errors == {"note": ["请说明不予受理的理由（不少于 5 个字）。"]}


def test_an_unknown_step_is_refused(aworld):
    refused(lambda: step(aworld.appeal_a, "approve", aworld.org_staff), code="unknown_action")


def test_the_assignee_acts_on_an_appeal_outside_its_own_scope(aworld):
    # given ent_b's appeal assigned to the cadre of ent_a (not paired with ent_b)
    w = aworld
    step(w.appeal_b, "assign", w.town_staff_b, department=w.dept, assignee=w.cadre)
    # then that cadre sees it and may start and resolve it, but not reassign it
    assert Appeal.objects.restrict(w.cadre).filter(pk=w.appeal_b.pk).exists()
    step(w.appeal_b, "start", w.cadre)
    denied(lambda: step(w.appeal_b, "reassign", w.cadre, department=w.dept2))
    assert step(w.appeal_b, "resolve", w.cadre, resolution=RESOLUTION).status == "resolved"
    assert not Appeal.objects.restrict(w.cadre_b).filter(assignee=w.cadre).exclude(enterprise=w.ent_b).exists()


# --- satisfaction --------------------------------------------------------------------------------

def rate(w, appeal, user, score="5", comment=""):
    appeal.refresh_from_db()
    return services.appeal_rate(appeal=appeal, score=score, comment=comment, acting_user=user)


def test_satisfaction_only_after_resolution_and_only_once(aworld):
    w = aworld
    error = refused(lambda: rate(w, w.appeal_a, w.enterprise_user), code="not_allowed")
    assert error.message == "诉求办结后才能评价满意度（当前为「已受理」）。"
    assert error.field is None
    rated = rate(w, w.resolved_a, w.enterprise_user, "4", "基本满意")
    assert (rated.satisfaction, rated.satisfaction_comment, rated.status) == (4, "基本满意", "resolved")
    assert rated.events.get(action="rate").note == "4 星；基本满意"
    error = refused(lambda: rate(w, w.resolved_a, w.enterprise_user, "5"), code="already_rated")
    assert error.message == "该诉求已评价过满意度，评价不能重复提交或修改。"
    # closing or reopening keeps it, and it can still not be given again
    step(w.resolved_a, "close", w.org_staff)
    refused(lambda: rate(w, w.resolved_a, w.station, "1", "问题没有解决"), code="already_rated")


@pytest.mark.parametrize(("score", "comment", "errors"), [
    ("6", "", {"score": ["满意度须为 1 至 5 星。"]}),
    ("", "", {"score": ["满意度须为 1 至 5 星。"]}),
    ("2", "差", {"comment": ["不满意时请写明原因（不少于 5 个字），以便改进。"]}),
    ("5", "好" * 501, {"comment": ["评价意见不能超过 500 字。"]}),
])
def test_a_bad_rating_is_refused_at_its_field(aworld, score, comment, errors):
    error = refused(lambda: rate(aworld, aworld.resolved_a, aworld.enterprise_user, score, comment))
    assert error.errors == errors


def test_the_station_records_the_rating_of_what_it_raised_only(aworld):
    w = aworld
    rated = rate(w, w.resolved_a, w.station, "2", "办理时间偏长，希望加快")
    assert (rated.satisfaction, rated.rated_by_id) == (2, w.station.pk)
    assert rated.events.get(action="rate").note == "2 星；服务站代为记录；办理时间偏长，希望加快"
    online = step(w.appeal_a, "assign", w.org_staff, department=w.dept)
    step(online, "start", w.org_staff)
    step(online, "resolve", w.org_staff, resolution=RESOLUTION)
    assert denied(lambda: rate(w, online, w.station)).message == \
        "满意度由提出诉求的企业评价（经服务站代办的，可由该服务站代为记录）。"
    for who in ("org_staff", "cadre", "leader", "town_staff"):
        denied(lambda who=who: rate(w, online, getattr(w, who)))


# --- attachments ---------------------------------------------------------------------------------

def test_attachments_are_checked_by_kind_structure_and_size(aworld):
    w = aworld
    added = services.appeal_attach(appeal=w.appeal_a, upload=pdf("照片.png", png_bytes()), acting_user=w.station)
    assert (added.name, added.size, added.appeal_id) == ("照片.png", len(png_bytes()), w.appeal_a.pk)
    assert w.appeal_a.events.filter(action="attach").count() == 2
    fake = SimpleUploadedFile("说明.pdf", b"MZ\x90\x00 not a pdf")
    error = refused(lambda: services.appeal_attach(appeal=w.appeal_a, upload=fake, acting_user=w.enterprise_user))
    assert error.errors == {"file": ["文件内容与扩展名 .pdf 不符。"]}
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00")
    error = refused(lambda: services.appeal_attach(appeal=w.appeal_a, upload=exe, acting_user=w.enterprise_user))
    assert error.errors == {"file": ["附件只接受 pdf、jpg、jpeg、png、doc、docx、xls、xlsx 格式。"]}
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    error = refused(lambda: services.appeal_attach(appeal=w.appeal_a, upload=big, acting_user=w.enterprise_user))
    assert error.errors == {"file": ["文件不能超过 10 MB。"]}
    for who in ("leader", "bank_officer", "enterprise_b_user", "cadre_b"):
        denied(lambda who=who: services.appeal_attach(appeal=w.appeal_a, upload=pdf(), acting_user=getattr(w, who)))


def test_no_attachment_once_the_appeal_is_closed(aworld):
    w = aworld
    closed = step(w.resolved_a, "close", w.org_staff)
    error = refused(lambda: services.appeal_attach(appeal=closed, upload=pdf(), acting_user=w.enterprise_user),
                    code="not_allowed")
    assert error.message == "诉求当前为「已销号」，不能再上传附件。"


# --- departments ---------------------------------------------------------------------------------

def test_departments_are_kept_by_the_organization_department(aworld):
    w = aworld
    made = services.department_create(acting_user=w.org_staff, name=" 星湖市 司法局 ", short_name="")
    assert (made.name, made.short_name, made.is_active) == ("星湖市 司法局", "星湖市 司法局", True)
    assert AuditLog.objects.filter(action="appeal_department.create", object_id=str(made.pk)).count() == 1
    error = refused(lambda: services.department_create(acting_user=w.org_staff, name="星湖市地方金融工作局"))
    assert error.errors == {"name": ["已有名为“星湖市地方金融工作局”的部门。"]}
    assert refused(lambda: services.department_create(acting_user=w.org_staff, name=" ")).errors == {
        "name": ["请填写部门名称。"]}
    denied(lambda: services.department_create(acting_user=w.town_staff, name="星湖市商务局"))
    retired = services.department_set_active(acting_user=w.org_staff, department=made, is_active=False)
    assert Department.objects.get(pk=retired.pk).is_active is False
    denied(lambda: services.department_set_active(acting_user=w.leader, department=made, is_active=True))


def test_a_user_without_roles_reaches_nothing(aworld):
    nobody = user_with_role("t_nobody", "admin")
    assert not Appeal.objects.restrict(nobody).exists()
    assert AppealEvent.objects.filter(appeal__in=Appeal.objects.restrict(nobody)).count() == 0
