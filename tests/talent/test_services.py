"""The talent services with good and bad input: every refusal names its field in Chinese, writes
nothing, and every change leaves an audit row."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog, Person
from talent import services
from talent.models import BenefitApplication, BenefitEvent, PolicyItem, ProgressLookup, Talent

from .conftest import ID_A, ID_SPARE, D, make_talent

pytestmark = pytest.mark.django_db


def refusal(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as refused:
        call(**kwargs)
    return refused.value


# --- policy items -------------------------------------------------------------------------------------

def test_org_staff_create_a_policy_item_and_it_is_audited(world):
    item = services.policy_item_create(acting_user=world.org_staff, name=" 子女教育补贴 ", category="education",
                                       levels=["C", "A", "B"], amount="20,000", conditions="随迁子女在本市就读。")
    assert (item.name, item.levels, item.amount, item.is_active) == ("子女教育补贴", "ABC", Decimal("20000.00"), True)
    log = AuditLog.objects.get(action="talent.policy_item.create")
    assert (log.actor, log.object_id, log.after["amount"], log.after["levels"]) == (world.org_staff, str(item.pk),
                                                                                      "20000.00", "ABC")


def test_a_bad_policy_item_is_refused_at_every_field_and_nothing_is_written(world):
    error = refusal(services.policy_item_create, acting_user=world.org_staff, name="", category="", levels=[],
                    amount="三千", conditions="")
    assert error.errors == {
        "name": ["请填写项目名称。"], "conditions": ["请填写申请条件。"], "category": ["请选择类别。"],
        "levels": ["请至少选择一个适用的人才类别。"], "amount": ["标准金额“三千”不是有效的数字。"],
    }
    assert PolicyItem.objects.count() == 0
    assert not AuditLog.objects.filter(action__startswith="talent.").exists()


def test_a_policy_item_name_is_taken_once(world, items):
    error = refusal(services.policy_item_create, acting_user=world.org_staff, name="子女入学安排", category="education",
                    levels=["A"], amount="", conditions="重复")
    assert error.errors == {"name": ["已有名为“子女入学安排”的政策项目。"]}


def test_changing_a_standard_is_audited_and_keeps_what_was_applied_for(tw):
    item = services.policy_item_update(acting_user=tw.org_staff, item=tw.items.housing, amount="120000")
    assert item.amount == Decimal("120000.00")
    log = AuditLog.objects.get(action="talent.policy_item.update")
    assert (log.before["amount"], log.after["amount"]) == ("150000.00", "120000.00")
    tw.app_a.refresh_from_db()
    assert (tw.app_a.item_amount, tw.app_a.amount_requested) == (Decimal("150000.00"), Decimal("150000.00"))


@pytest.mark.parametrize("who", ["town_staff", "station", "enterprise_user", "leader", "cadre", "bank_officer"])
def test_only_org_staff_keep_policy_items(world, items, who):
    with pytest.raises(AccessDenied):
        services.policy_item_update(acting_user=getattr(world, who), item=items.housing, amount="1")
    with pytest.raises(AccessDenied):
        services.policy_item_create(acting_user=getattr(world, who), name="x", category="housing", levels=["A"],
                                    amount="1", conditions="xxxxx")


# --- talents ------------------------------------------------------------------------------------------

def test_a_talent_is_created_with_a_new_person_and_both_are_audited_masked(world):
    talent = make_talent(world, name="吴青年", id_number=ID_SPARE, mobile="13612345678", level="B", employer=world.ent_a)
    assert (talent.person.name, talent.person.id_number, talent.person.mobile) == ("吴青年", ID_SPARE, "13612345678")
    person_log = AuditLog.objects.get(action="person.create")
    assert person_log.after["id_number"] == "510***********9317"
    assert person_log.after["mobile"] == "136****5678"
    talent_log = AuditLog.objects.get(action="talent.create")
    assert talent_log.after["person_id"] == talent.person.pk
    assert talent_log.after["level"] == "B"
    assert ID_SPARE not in str(talent_log.after)


def test_a_bad_talent_is_refused_at_every_field_and_nothing_is_written(world):
    people, talents, logs = Person.objects.count(), Talent.objects.count(), AuditLog.objects.count()
    error = refusal(services.talent_create, acting_user=world.org_staff, name="", id_number="510121197505179318",
                    mobile="1381234567", level="F", field="", employer=None, source="university", source_institution="",
                    introduced_on=timezone.localdate() + datetime.timedelta(days=1))
    assert error.errors == {
        "name": ["姓名不能为空。"],
        "mobile": ["手机号应为以 1 开头的 11 位数字。"],
        "id_number": ["身份证号校验码错误：第 18 位应为“7”。"],
        "level": ["请选择人才类别。"],
        "field": ["请选择领域。"],
        "source_institution": ["请填写来源单位。"],
        "employer": ["请填写用人单位。"],
        "introduced_on": ["引进日期不能晚于今天。"],
    }
    assert (Person.objects.count(), Talent.objects.count(), AuditLog.objects.count()) == (people, talents, logs)


def test_an_entrepreneur_of_the_registry_becomes_a_talent_without_a_second_person(world):
    person = world.person_a
    talent = make_talent(world, name=person.name, id_number=person.id_number, mobile="13700001111", level="A",
                         employer=world.ent_a)
    assert talent.person_id == person.pk
    person.refresh_from_db()
    assert person.mobile == "13700001111"
    assert AuditLog.objects.filter(action="person.update", object_id=str(person.pk)).count() == 1


def test_an_id_number_under_another_name_or_already_a_talent_is_refused(tw):
    error = refusal(make_talent, world=tw, name="别人", id_number=tw.person_a.id_number, mobile="13700001111",
                    level="A", employer=tw.ent_a)
    assert error.errors == {"id_number": ["该身份证号已登记在另一人员名下，姓名不符。"]}
    error = refusal(make_talent, world=tw, name="周星湖", id_number=ID_A, mobile="13700001111", level="A",
                    employer=tw.ent_a)
    assert error.errors == {"id_number": ["该身份证号已登记为人才。"]}


def test_a_talent_is_updated_and_the_person_through_the_registry(tw):
    talent = services.talent_update(acting_user=tw.org_staff, talent=tw.talent_a, level="B", mobile="13900000000",
                                    name="周星湖")
    assert (talent.level, talent.person.mobile) == ("B", "13900000000")
    log = AuditLog.objects.get(action="talent.update")
    assert (log.before["level"], log.after["level"]) == ("C", "B")
    assert AuditLog.objects.get(action="person.update").after["mobile"] == "139****0000"


@pytest.mark.parametrize("who", ["town_staff", "station", "enterprise_user", "leader"])
def test_only_org_staff_change_talents(tw, who):
    with pytest.raises(AccessDenied):
        services.talent_update(acting_user=getattr(tw, who), talent=tw.talent_a, level="A")
    assert Talent.objects.get(pk=tw.talent_a.pk).level == "C"


# --- submitting -----------------------------------------------------------------------------------------

def test_a_submission_gets_its_reference_history_and_audit_row(tw):
    app = tw.app_a
    assert app.reference == f"RC{timezone.localdate().year}-{app.pk:06d}"
    assert (app.status, app.level, app.item_amount, app.amount_requested) == ("pending", "C", Decimal("150000.00"),
                                                                               Decimal("150000.00"))
    assert (app.enterprise, app.station, app.submitted_by, app.version) == (tw.ent_a, None, tw.enterprise_user, 1)
    assert list(app.events.values_list("action", "to_status", "amount")) == [("submit", "pending",
                                                                               Decimal("150000.00"))]
    log = AuditLog.objects.get(action="talent.benefit.submit", object_id=str(app.pk))
    assert log.actor == tw.enterprise_user


def test_a_station_submits_for_an_employer_of_its_area_and_is_recorded(tw):
    app = services.benefit_application_submit(acting_user=tw.station, talent=tw.talent_a, item=tw.items.school,
                                              amount_requested=None, reason="子女随迁需办理入学")
    assert (app.station, app.amount_requested, app.submitted_by) == (tw.station_a, None, tw.station)


@pytest.mark.parametrize(("who", "message"), [
    ("org_staff", "只有人才的用人单位或其所在区域的金融服务站可以提交待遇申请。"),
    ("leader", "只有人才的用人单位或其所在区域的金融服务站可以提交待遇申请。"),
    ("town_staff", "只有人才的用人单位或其所在区域的金融服务站可以提交待遇申请。"),
    ("enterprise_b_user", "您没有执行此操作的权限。"),  # does not even see the talent
    ("station_b_user", "您没有执行此操作的权限。"),
    ("bank_officer", "您没有执行此操作的权限。"),
])
def test_only_the_employer_or_its_station_submits(tw, who, message):
    with pytest.raises(AccessDenied) as refused:
        services.benefit_application_submit(acting_user=getattr(tw, who), talent=tw.talent_a, item=tw.items.school,
                                            amount_requested="", reason="子女随迁需办理入学")
    assert refused.value.message == message
    assert BenefitApplication.objects.count() == 2


@pytest.mark.parametrize(("talent", "item", "amount", "reason", "errors", "code"), [
    ("talent_a", "school", "", "入学", {"reason": ["请写明申请理由（不少于 5 个字）。"]}, "invalid"),
    ("talent_a", "school", "5000", "子女随迁需办理入学",
     {"amount_requested": ["该政策项目为服务类，不涉及金额，申请金额请留空。"]}, "invalid"),
    ("talent_a", "top", "500000", "已在本市购买首套住房",
     {"item": ["该政策项目仅适用于A类人才，该人才为C类，不符合申请条件。"]}, "invalid"),
    ("talent_a", "housing", "150000", "再次申请购房补贴",
     {"item": ["该人才已有一笔“C、D类人才购房补贴”的申请在审核中，请待其办结后再申请。"]}, "duplicate"),
    ("talent_a", None, "1", "", {"item": ["请选择政策项目。"], "reason": ["请写明申请理由（不少于 5 个字）。"]}, "invalid"),
])
def test_bad_submissions_are_refused_at_their_fields(tw, talent, item, amount, reason, errors, code):
    error = refusal(services.benefit_application_submit, acting_user=tw.enterprise_user, talent=getattr(tw, talent),
                    item=getattr(tw.items, item) if item else None, amount_requested=amount, reason=reason)
    assert (error.errors, error.code) == (errors, code)
    assert BenefitApplication.objects.count() == 2
    assert BenefitEvent.objects.count() == 2


def test_over_the_standard_and_a_closed_item_are_refused(tw):
    app_a_item = tw.items.housing
    services.benefit_application_act(acting_user=tw.enterprise_user, application=tw.app_a, action="withdraw")
    error = refusal(services.benefit_application_submit, acting_user=tw.enterprise_user, talent=tw.talent_a,
                    item=app_a_item, amount_requested="150000.01", reason="已在本市购买首套住房")
    assert error.errors == {"amount_requested": ["申请金额不能超过该政策项目的标准 150,000.00 元。"]}
    services.policy_item_update(acting_user=tw.org_staff, item=app_a_item, is_active=False)
    app_a_item.refresh_from_db()
    error = refusal(services.benefit_application_submit, acting_user=tw.enterprise_user, talent=tw.talent_a,
                    item=app_a_item, amount_requested="1000", reason="已在本市购买首套住房")
    assert error.errors == {"item": ["政策项目“C、D类人才购房补贴”已停止受理。"]}


# --- deciding and withdrawing -----------------------------------------------------------------------------

def test_org_staff_approve_within_the_request_and_it_is_recorded(tw):
    app = services.benefit_application_act(acting_user=tw.org_staff, application=tw.app_a, action="approve",
                                           expected_version=1, amount="120,000", note="按协议分三年拨付")
    assert (app.status, app.amount_approved, app.decision_note, app.version) == (
        "approved", Decimal("120000.00"), "按协议分三年拨付", 2)
    assert (app.decided_by, app.decided_at is not None) == (tw.org_staff, True)
    event = app.events.last()
    assert (event.action, event.from_status, event.to_status, event.amount, event.actor_name) == (
        "approve", "pending", "approved", Decimal("120000.00"), "t_orgstaff")
    log = AuditLog.objects.get(action="talent.benefit.approve")
    assert (log.before["status"], log.after["status"], log.after["amount_approved"]) == (
        "pending", "approved", "120000.00")


@pytest.mark.parametrize(("app", "amount", "message"), [
    ("app_a", "150000.01", "批准金额不能超过申请金额 150,000.00 元。"),
    ("app_a", "", "请填写批准金额。"),
    ("app_a", "abc", "批准金额“abc”不是有效的数字。"),
    ("app_b", "100", "该申请不涉及金额，批准金额请留空。"),
])
def test_a_bad_approval_amount_is_refused_at_the_field_and_nothing_changes(tw, app, amount, message):
    application = getattr(tw, app)
    error = refusal(services.benefit_application_act, acting_user=tw.org_staff, application=application,
                    action="approve", amount=amount)
    assert (error.field, error.message) == ("amount", message)
    application.refresh_from_db()
    assert (application.status, application.version, application.amount_approved) == ("pending", 1, None)
    assert not AuditLog.objects.filter(action="talent.benefit.approve").exists()


def test_a_service_item_is_approved_without_an_amount(tw):
    app = services.benefit_application_act(acting_user=tw.org_staff, application=tw.app_b, action="approve")
    assert (app.status, app.amount_approved) == ("approved", None)


def test_a_rejection_needs_a_reason_of_five_characters(tw):
    error = refusal(services.benefit_application_act, acting_user=tw.org_staff, application=tw.app_a,
                    action="reject", note="不符合")
    assert (error.field, error.message) == ("note", "不予批准须写明理由（不少于 5 个字）。")
    assert BenefitApplication.objects.get(pk=tw.app_a.pk).status == "pending"
    app = services.benefit_application_act(acting_user=tw.org_staff, application=tw.app_a, action="reject",
                                           note="购房合同非首套住房")
    assert (app.status, app.decision_note) == ("rejected", "购房合同非首套住房")
    assert AuditLog.objects.get(action="talent.benefit.reject").note == "购房合同非首套住房"


def test_the_applicant_withdraws_while_pending_and_then_may_apply_again(tw):
    app = services.benefit_application_act(acting_user=tw.enterprise_user, application=tw.app_a, action="withdraw")
    assert (app.status, app.closed_at is not None) == ("withdrawn", True)
    again = services.benefit_application_submit(acting_user=tw.station, talent=tw.talent_a, item=tw.items.housing,
                                                amount_requested="100000", reason="重新提交购房补贴申请")
    assert again.status == "pending"


@pytest.mark.parametrize(("who", "action", "message"), [
    ("org_staff", "withdraw", "“撤回”须由用人单位或其所在区域的金融服务站办理。"),
    ("enterprise_user", "approve", "“批准”须由组织部工作人员办理。"),
    ("station", "reject", "“不予批准”须由组织部工作人员办理。"),
    ("leader", "approve", "“批准”须由组织部工作人员办理。"),
    ("town_staff", "withdraw", "“撤回”须由用人单位或其所在区域的金融服务站办理。"),
    ("enterprise_b_user", "withdraw", "您没有执行此操作的权限。"),
    ("cadre", "approve", "您没有执行此操作的权限。"),
])
def test_each_step_is_for_its_role(tw, who, action, message):
    with pytest.raises(AccessDenied) as refused:
        services.benefit_application_act(acting_user=getattr(tw, who), application=tw.app_a, action=action,
                                         amount="1000", note="理由写得足够长")
    assert refused.value.message == message
    assert BenefitApplication.objects.get(pk=tw.app_a.pk).status == "pending"


def test_a_decided_application_refuses_another_step_in_words(tw):
    services.benefit_application_act(acting_user=tw.org_staff, application=tw.app_a, action="approve",
                                     amount="150000")
    error = refusal(services.benefit_application_act, acting_user=tw.enterprise_user, application=tw.app_a,
                    action="withdraw")
    assert (error.code, error.message) == ("not_allowed", "申请当前为“已批准”，不能“撤回”。")
    error = refusal(services.benefit_application_act, acting_user=tw.org_staff, application=tw.app_a,
                    action="reject", note="再次审核不予支持")
    assert (error.code, error.message) == ("not_allowed", "申请当前为“已批准”，不能“不予批准”。")


def test_a_stale_form_is_refused(tw):
    services.benefit_application_act(acting_user=tw.enterprise_user, application=tw.app_a, action="withdraw",
                                     expected_version=1)
    error = refusal(services.benefit_application_act, acting_user=tw.org_staff, application=tw.app_a,
                    action="approve", expected_version=1, amount="150000")
    assert (error.code, error.message) == ("stale", "该申请已被他人处理（现为“已撤回”），请刷新后重试。")
    assert BenefitApplication.objects.get(pk=tw.app_a.pk).amount_approved is None


# --- the public progress lookup ---------------------------------------------------------------------------

def test_the_lookup_needs_both_the_reference_and_the_id_tail(tw):
    ref = tw.app_a.reference
    assert services.benefit_progress_lookup(reference=ref.lower(), id_tail="174047", ip="10.0.0.1") == tw.app_a
    assert services.benefit_progress_lookup(reference=ref, id_tail="174046", ip="10.0.0.1") is None
    assert services.benefit_progress_lookup(reference=tw.app_b.reference, id_tail="174047", ip="10.0.0.1") is None
    assert services.benefit_progress_lookup(reference="RC1999-999999", id_tail="174047", ip="10.0.0.1") is None
    assert list(ProgressLookup.objects.order_by("pk").values_list("ip", "found")) == [
        ("10.0.0.1", True), ("10.0.0.1", False), ("10.0.0.1", False), ("10.0.0.1", False)]


def test_ten_lookups_an_hour_per_address(tw):
    ProgressLookup.objects.bulk_create([ProgressLookup(ip="10.0.0.2") for _ in range(9)])
    stale = ProgressLookup.objects.create(ip="10.0.0.2")
    ProgressLookup.objects.filter(pk=stale.pk).update(at=timezone.now() - datetime.timedelta(minutes=61))
    # the 10th within the hour is answered, the 11th refused; another address is not affected
    assert services.benefit_progress_lookup(reference=tw.app_a.reference, id_tail="174047", ip="10.0.0.2") == tw.app_a
    error = refusal(services.benefit_progress_lookup, reference=tw.app_a.reference, id_tail="174047", ip="10.0.0.2")
    assert (error.code, error.message) == ("too_many", "查询过于频繁：同一网络地址每小时最多查询 10 次，请稍后再试。")
    assert services.benefit_progress_lookup(reference=tw.app_a.reference, id_tail="174047", ip="10.0.0.3") == tw.app_a


# --- programme records ------------------------------------------------------------------------------------

def test_a_project_with_its_enterprises_is_audited_with_them(tw):
    log = AuditLog.objects.get(action="talent.project.create", object_id=str(tw.project.pk))
    assert log.after["enterprises"] == [tw.ent_a.pk]
    services.project_save(acting_user=tw.org_staff, project=tw.project, enterprises=[tw.ent_a, tw.ent_park],
                          status="landed")
    log = AuditLog.objects.get(action="talent.project.update")
    assert (log.before["enterprises"], log.after["enterprises"]) == ([tw.ent_a.pk], sorted([tw.ent_a.pk, tw.ent_park.pk]))


@pytest.mark.parametrize(("values", "errors"), [
    ({"status": "landed", "landed_on": None}, {"landed_on": ["已落地的项目须填写落地日期。"]}),
    ({"status": "negotiating", "signed_on": D(2025, 1, 1), "landed_on": None},
     {"signed_on": ["洽谈中的项目尚未签约，签约日期请留空。"]}),
    ({"status": "landed", "signed_on": D(2025, 1, 1), "landed_on": D(2024, 1, 1)},
     {"landed_on": ["落地日期不能早于签约日期。"]}),
    ({"name": "清华大学星湖乡村振兴工作站"}, {"name": ["已有名为“清华大学星湖乡村振兴工作站”的项目。"]}),
    ({"kind": "", "partner": ""}, {"kind": ["请选择类型。"], "partner": ["请填写合作方。"]}),
])
def test_bad_projects_are_refused_at_their_fields(tw, values, errors):
    data = {"name": "新材料中试平台", "partner": "西南星湖大学", "kind": "institute", "status": "building",
            "signed_on": D(2025, 3, 18), "landed_on": D(2026, 10, 31), "base": None, "description": "",
            "enterprises": [], **values}
    error = refusal(services.project_save, acting_user=tw.org_staff, **data)
    assert error.errors == errors
    assert not AuditLog.objects.filter(action="talent.project.create", object_repr="新材料中试平台").exists()


def test_training_needs_as_many_trainees_as_enterprises(tw):
    error = refusal(services.training_session_save, acting_user=tw.org_staff, school="星湖技师学院", topic="焊接技术",
                    held_on=D(2025, 5, 1), trainees="1", note="", enterprises=[tw.ent_a, tw.ent_b])
    assert error.errors == {"trainees": ["参训人数（1）少于参训企业数（2）。"]}
    error = refusal(services.training_session_save, acting_user=tw.org_staff, school="", topic="焊接技术",
                    held_on=None, trainees="0", note="", enterprises=[])
    assert error.errors == {"school": ["请填写职业院校。"], "held_on": ["请填写日期。"], "trainees": ["参训人数不能小于 1。"]}


def test_a_unit_registers_on_the_platform_once(tw):
    error = refusal(services.registration_create, acting_user=tw.org_staff, kind="enterprise",
                    registered_on=D(2024, 1, 1), enterprise=tw.ent_a)
    assert error.errors == {"enterprise": [f"“{tw.ent_a.name}”已入驻科创中国。"]}
    error = refusal(services.registration_create, acting_user=tw.org_staff, kind="talent", registered_on=D(2024, 1, 1),
                    enterprise=None, count="0")
    assert error.errors == {"count": ["人数不能小于 1。"]}
    with pytest.raises(AccessDenied):
        services.registration_create(acting_user=tw.leader, kind="talent", registered_on=D(2024, 1, 1), count="3")


def test_a_stopped_base_keeps_its_talents_but_takes_no_new_ones(tw):
    services.base_save(acting_user=tw.org_staff, base=tw.base_sz, is_active=False)
    tw.base_sz.refresh_from_db()
    talent = services.talent_update(acting_user=tw.org_staff, talent=tw.talent_a, base=tw.base_sz, level="B")
    assert (talent.base, talent.level) == (tw.base_sz, "B")
    error = refusal(services.talent_update, acting_user=tw.org_staff, talent=tw.talent_b, base=tw.base_sz)
    assert error.errors == {"base": ["孵化基地“星湖市驻深圳人才孵化基地”已停止运行。"]}
