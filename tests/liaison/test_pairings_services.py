"""The pairings part's services: what each writes and audits, and every refusal with its field and
message, leaving nothing written."""

import pytest

from liaison.choices import CadreLevel, ContactKind, PairingKind
from liaison.models import Cadre, Pairing, Visit
from liaison.services import pairings as services
from portal.choices import EnterpriseKind, PersonLink, Role
from portal.models import AuditLog
from tests.factories import EnterpriseFactory, PersonFactory, user_with_role

from .fixtures_pairings import D, days, denied, entrepreneur, key_enterprise, pair, refused, today

pytestmark = pytest.mark.django_db


# --- cadres --------------------------------------------------------------------------------------

def test_a_cadre_is_created_with_an_account_and_audited(lworld):
    # given an account with the cadre role and no cadre yet
    w = lworld
    account = user_with_role("t_cadre_c", Role.CADRE)
    # when the organization department creates the cadre
    cadre = services.cadre_create(acting_user=w.org_staff, name=" 钱志远 ", post="副市长", unit="星湖市人民政府",
                                  level=CadreLevel.COUNTY, user=account, order=12)
    # then it is saved trimmed, linked, and audited
    cadre.refresh_from_db()
    assert (cadre.name, cadre.post, cadre.level, cadre.user_id, cadre.is_active, cadre.order) == (
        "钱志远", "副市长", "county", account.pk, True, 12)
    entry = AuditLog.objects.get(action="liaison_cadre.create", object_id=str(cadre.pk))
    assert entry.actor == w.org_staff
    assert entry.before is None
    assert entry.after["name"] == "钱志远"
    assert entry.after["user_id"] == account.pk


def test_a_cadre_without_an_account_gets_the_default_order(lworld):
    cadre = services.cadre_create(acting_user=lworld.org_staff, name="孙海", post="市政协副主席")
    assert (cadre.user_id, cadre.order, cadre.level) == (None, 100, "county")


def test_a_cadre_is_refused_every_bad_field_at_once(lworld):
    w = lworld
    # an account without the cadre role
    error = refused(lambda: services.cadre_create(acting_user=w.org_staff, name="  ", post="", level="mayor",
                                                  user=w.leader, order=-1))
    assert error.errors == {
        "name": ["请填写姓名。"],
        "post": ["请填写职务。"],
        "level": ["请选择干部层级。"],
        "order": ["排序号须为 0 到 32767 之间的整数。"],
        "user": ["账号“t_leader”没有“联系领导”角色，请先由系统管理员为其分配该角色。"],
    }


def test_one_cadre_per_account(lworld):
    w = lworld
    error = refused(lambda: services.cadre_create(acting_user=w.org_staff, name="钱志远", post="副市长",
                                                  user=w.cadre))
    assert error.errors == {"user": ["账号“t_cadre”已关联联系领导“吴国平”，一个账号只能关联一名联系领导。"]}


def test_only_one_active_secretary(lworld):
    w = lworld
    error = refused(lambda: services.cadre_create(acting_user=w.org_staff, name="林海", post="市委书记",
                                                  level=CadreLevel.SECRETARY))
    assert error.errors == {"level": ["已有在岗的市委书记“周立新”领衔，请先将其设为不在岗。"]}
    # an inactive one is history, not a clash
    services.cadre_update(acting_user=w.org_staff, cadre=w.secretary, is_active=False)
    new = services.cadre_create(acting_user=w.org_staff, name="林海", post="市委书记", level=CadreLevel.SECRETARY)
    assert Cadre.objects.filter(level=CadreLevel.SECRETARY, is_active=True).get() == new


def test_only_the_organization_department_writes_cadres(lworld):
    w = lworld
    for user in (w.leader, w.town_staff, w.cadre, w.bank_officer, w.admin):
        denied(lambda u=user: services.cadre_create(acting_user=u, name="钱志远", post="副市长"))
        denied(lambda u=user: services.cadre_update(acting_user=u, cadre=w.cadre_b_obj, post="市长"))


def test_a_cadre_is_updated_with_before_and_after(lworld):
    w = lworld
    cadre = services.cadre_update(acting_user=w.org_staff, cadre=w.cadre_b_obj, post="市委常委、副市长", order=9)
    cadre.refresh_from_db()
    assert (cadre.name, cadre.post, cadre.order, cadre.user_id) == ("郑明远", "市委常委、副市长", 9, w.cadre_b.pk)
    entry = AuditLog.objects.get(action="liaison_cadre.update", object_id=str(cadre.pk))
    assert (entry.before["post"], entry.after["post"]) == ("副市长", "市委常委、副市长")
    assert (entry.before["order"], entry.after["order"]) == (100, 9)


def test_a_cadre_with_current_pairings_stays_in_post(lworld):
    w = lworld
    error = refused(lambda: services.cadre_update(acting_user=w.org_staff, cadre=w.cadre_a_obj, is_active=False))
    assert error.errors == {"is_active": ["该领导还有 2 项当前结对，请先结束这些结对，再设为不在岗。"]}


def test_an_unknown_field_is_a_programming_error(lworld):
    with pytest.raises(TypeError):
        services.cadre_update(acting_user=lworld.org_staff, cadre=lworld.cadre_b_obj, rank=1)


# --- pairings ------------------------------------------------------------------------------------

def test_a_pairing_is_created_and_audited(lworld):
    # given 郑明远 with one key enterprise and a second key enterprise of 西山街道
    w = lworld
    second = key_enterprise(w, "西山纺织有限公司", w.village_b)
    # when the organization department pairs them
    pairing = services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE, enterprise=second,
                                      started_on=D(2026, 2, 1), note=" 新任 ", acting_user=w.org_staff)
    # then the pairing is current and audited
    pairing.refresh_from_db()
    assert (pairing.cadre, pairing.enterprise, pairing.person, pairing.started_on, pairing.ended_on, pairing.note,
            pairing.created_by) == (w.cadre_b_obj, second, None, D(2026, 2, 1), None, "新任", w.org_staff)
    entry = AuditLog.objects.get(action="liaison_pairing.create", object_id=str(pairing.pk))
    assert entry.after["enterprise_id"] == second.pk
    assert entry.after["kind"] == "enterprise"


def test_an_entrepreneur_is_paired_through_a_link_or_as_legal_representative(lworld):
    w = lworld
    linked = entrepreneur(w, "赵企业家")
    represented = PersonFactory(name="钱法人")
    EnterpriseFactory(name="钱法人的公司", region=w.village_b, legal_representative=represented)
    for person in (linked, represented):
        pairing = services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTREPRENEUR, person=person,
                                          started_on=today(), acting_user=w.org_staff)
        assert (pairing.kind, pairing.person, pairing.enterprise) == ("entrepreneur", person, None)
    assert Pairing.objects.filter(cadre=w.cadre_b_obj, kind="entrepreneur", ended_on__isnull=True).count() == 2


@pytest.mark.parametrize(("kind", "is_key", "message"), [
    (EnterpriseKind.PRIVATE, False, "“星湖普通有限公司”不是重点民营企业，县级领导干部联系的企业须为重点民企。"),
    (EnterpriseKind.COOPERATIVE, True, "“星湖普通有限公司”不是重点民营企业，县级领导干部联系的企业须为重点民企。"),
    (EnterpriseKind.FAMILY_FARM, True, "“星湖普通有限公司”不是重点民营企业，县级领导干部联系的企业须为重点民企。"),
])
def test_only_a_key_private_enterprise_is_paired(lworld, kind, is_key, message):
    w = lworld
    enterprise = EnterpriseFactory(name="星湖普通有限公司", kind=kind, is_key=is_key, region=w.village_b)
    error = refused(lambda: services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE,
                                                    enterprise=enterprise, started_on=today(),
                                                    acting_user=w.org_staff))
    assert error.errors == {"enterprise": [message]}


def test_a_contact_person_is_no_entrepreneur(lworld):
    w = lworld
    contact = entrepreneur(w, "孙联系人", link=PersonLink.CONTACT)
    nobody = PersonFactory(name="周路人")
    for person in (contact, nobody):
        error = refused(lambda p=person: services.pairing_create(
            cadre=w.cadre_b_obj, kind=PairingKind.ENTREPRENEUR, person=p, started_on=today(),
            acting_user=w.org_staff))
        assert error.errors == {"person": [f"“{person.name}”不是任何企业的企业家或法定代表人，不能作为联系的企业家。"]}


def test_the_partner_must_match_the_kind(lworld):
    w = lworld
    error = refused(lambda: services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE,
                                                    person=w.person_b, started_on=today(), acting_user=w.org_staff))
    assert error.errors == {"person": ["联系对象为重点民企时，不应选择企业家。"], "enterprise": ["请选择重点民企。"]}
    error = refused(lambda: services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTREPRENEUR,
                                                    enterprise=w.ent_a, started_on=today(), acting_user=w.org_staff))
    assert error.errors == {"enterprise": ["联系对象为企业家时，不应选择企业。"], "person": ["请选择企业家。"]}
    error = refused(lambda: services.pairing_create(cadre=w.cadre_b_obj, kind="", started_on=None,
                                                    acting_user=w.org_staff))
    assert error.errors == {"kind": ["请选择联系对象：重点民企或企业家。"], "started_on": ["请填写开始日期。"]}


def test_a_pairing_does_not_start_tomorrow(lworld):
    w = lworld
    second = key_enterprise(w, "西山纺织有限公司", w.village_b)
    error = refused(lambda: services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE,
                                                    enterprise=second, started_on=days(1), acting_user=w.org_staff))
    assert error.errors == {"started_on": [f"开始日期不能晚于今天（{today().isoformat()}）。"]}


def test_a_current_pairing_is_not_made_twice(lworld):
    w = lworld
    error = refused(lambda: services.pairing_create(cadre=w.cadre_a_obj, kind=PairingKind.ENTERPRISE,
                                                    enterprise=w.ent_a, started_on=today(), acting_user=w.org_staff))
    assert (error.field, error.code) == ("enterprise", "already_paired")
    assert error.errors == {"enterprise": ["吴国平已在联系“东湖精密机械有限公司”（自 2026-01-05 起），不能重复结对。"]}
    error = refused(lambda: services.pairing_create(cadre=w.cadre_a_obj, kind=PairingKind.ENTREPRENEUR,
                                                    person=w.person_a, started_on=today(), acting_user=w.org_staff))
    assert error.errors == {"person": ["吴国平已在联系“李东湖”（自 2026-01-05 起），不能重复结对。"]}


def test_a_new_pairing_begins_after_the_last_one_with_the_same_partner(lworld):
    w = lworld
    services.pairing_end(pairing=w.pairing_b, ended_on=D(2026, 3, 1), reason="工作调整", acting_user=w.org_staff)
    error = refused(lambda: services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE,
                                                    enterprise=w.ent_b, started_on=D(2026, 3, 1),
                                                    acting_user=w.org_staff))
    assert error.errors == {"started_on": ["开始日期须晚于两者上一次结对的结束日期 2026-03-01。"]}
    again = services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE, enterprise=w.ent_b,
                                    started_on=D(2026, 3, 2), acting_user=w.org_staff)
    assert again.is_current


def test_a_county_leader_is_refused_a_fourth_enterprise(lworld):
    # given 郑明远 with three current key enterprises (and one ended, which does not count)
    w = lworld
    pair(w.cadre_b_obj, key_enterprise(w, "旧联系企业有限公司"), started_on=D(2023, 1, 1), ended_on=D(2024, 1, 1))
    for n in (2, 3):
        services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE, started_on=today(),
                                enterprise=key_enterprise(w, f"第{n}家重点民企"), acting_user=w.org_staff)
    fourth = key_enterprise(w, "第4家重点民企")
    # when a fourth is added, then it is refused at the enterprise with the rule's message
    error = refused(lambda: services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE,
                                                    enterprise=fourth, started_on=today(), acting_user=w.org_staff))
    assert (error.field, error.code) == ("enterprise", "over_range")
    assert error.errors == {"enterprise": ["每名县级领导干部联系重点民企不超过3家（现已联系3家）。"]}


def test_a_county_leader_is_refused_a_fourth_entrepreneur(lworld):
    w = lworld
    for n in (2, 3):
        services.pairing_create(cadre=w.cadre_a_obj, kind=PairingKind.ENTREPRENEUR, started_on=today(),
                                person=entrepreneur(w, f"企业家{n}"), acting_user=w.org_staff)
    fourth = entrepreneur(w, "企业家4")
    error = refused(lambda: services.pairing_create(cadre=w.cadre_a_obj, kind=PairingKind.ENTREPRENEUR,
                                                    person=fourth, started_on=today(), acting_user=w.org_staff))
    assert (error.field, error.code) == ("person", "over_range")
    assert error.errors == {"person": ["每名县级领导干部联系企业家不超过3名（现已联系3名）。"]}


@pytest.mark.parametrize("level", [CadreLevel.SECRETARY, CadreLevel.SECTION, CadreLevel.STAFF])
def test_the_secretary_and_other_cadres_are_not_held_to_the_range(lworld, level):
    w = lworld
    cadre = w.secretary if level == CadreLevel.SECRETARY else Cadre.objects.create(name="冯科长", post="科长",
                                                                                    level=level)
    for n in range(1, 6):
        services.pairing_create(cadre=cadre, kind=PairingKind.ENTERPRISE, started_on=today(),
                                enterprise=key_enterprise(w, f"领衔企业{n}"), acting_user=w.org_staff)
    assert Pairing.objects.filter(cadre=cadre, ended_on__isnull=True).count() == 5


def test_a_cadre_out_of_post_gets_no_new_pairing(lworld):
    w = lworld
    retired = Cadre.objects.create(name="何退休", post="原副市长", level=CadreLevel.COUNTY, is_active=False)
    error = refused(lambda: services.pairing_create(cadre=retired, kind=PairingKind.ENTERPRISE, started_on=today(),
                                                    enterprise=key_enterprise(w, "某重点民企"),
                                                    acting_user=w.org_staff))
    assert error.errors == {"cadre": ["何退休已不在岗，不能新增结对。"]}


def test_only_the_organization_department_pairs(lworld):
    w = lworld
    second = key_enterprise(w, "西山纺织有限公司", w.village_b)
    for user in (w.leader, w.town_staff, w.cadre, w.cadre_b, w.enterprise_user, w.bank_officer, w.admin):
        denied(lambda u=user: services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE,
                                                           enterprise=second, started_on=today(), acting_user=u))


def test_a_pairing_is_ended_with_a_reason_and_audited(lworld):
    w = lworld
    ended = services.pairing_end(pairing=w.pairing_b, ended_on=D(2026, 3, 1), reason=" 工作调整 ",
                                 acting_user=w.org_staff)
    ended.refresh_from_db()
    assert (ended.ended_on, ended.end_reason, ended.is_current) == (D(2026, 3, 1), "工作调整", False)
    entry = AuditLog.objects.get(action="liaison_pairing.end", object_id=str(ended.pk))
    assert (entry.before["ended_on"], entry.after["ended_on"]) == (None, "2026-03-01")
    assert (entry.before["end_reason"], entry.after["end_reason"]) == ("", "工作调整")


def test_ending_a_pairing_is_refused_every_bad_field(lworld):
    w = lworld
    error = refused(lambda: services.pairing_end(pairing=w.pairing_b, ended_on=D(2026, 1, 4), reason=" ",
                                                 acting_user=w.org_staff))
    assert error.errors == {"ended_on": ["结束日期不能早于开始日期 2026-01-05。"], "reason": ["请写明结束原因。"]}
    error = refused(lambda: services.pairing_end(pairing=w.pairing_b, ended_on=days(1), reason="工作调整",
                                                 acting_user=w.org_staff))
    assert error.errors == {"ended_on": [f"结束日期不能晚于今天（{today().isoformat()}）。"]}
    error = refused(lambda: services.pairing_end(pairing=w.pairing_b, ended_on=None, reason="工作调整",
                                                 acting_user=w.org_staff))
    assert error.errors == {"ended_on": ["请填写结束日期。"]}


def test_an_ended_pairing_is_not_ended_again(lworld):
    w = lworld
    services.pairing_end(pairing=w.pairing_b, ended_on=D(2026, 3, 1), reason="工作调整", acting_user=w.org_staff)
    error = refused(lambda: services.pairing_end(pairing=w.pairing_b, ended_on=D(2026, 4, 1), reason="再次结束",
                                                 acting_user=w.org_staff))
    assert (error.code, error.message, error.errors) == ("stale", "该结对已于 2026-03-01 结束。", {})


def test_only_the_organization_department_ends_a_pairing(lworld):
    w = lworld
    for user in (w.leader, w.town_staff, w.cadre_b, w.enterprise_b_user, w.admin):
        denied(lambda u=user: services.pairing_end(pairing=w.pairing_b, ended_on=D(2026, 3, 1),
                                                        reason="工作调整", acting_user=u))


# --- visits --------------------------------------------------------------------------------------

def _record(w, user, cadre, enterprise, **changes):
    values = {"kind": ContactKind.VISIT, "visited_on": D(2026, 3, 2), "participants": "市经信局",
              "discussed": "了解企业订单和用工情况", "follow_ups": "协调招聘会"} | changes
    return services.visit_record(cadre=cadre, enterprise=enterprise, acting_user=user, **values)


def test_a_cadre_records_its_own_visit_and_it_is_audited(lworld):
    w = lworld
    recorded = _record(w, w.cadre, w.cadre_a_obj, w.ent_a, discussed=" 了解企业订单和用工情况 ")
    recorded.refresh_from_db()
    assert (recorded.cadre, recorded.enterprise, recorded.kind, recorded.visited_on, recorded.participants,
            recorded.discussed, recorded.follow_ups, recorded.created_by) == (
        w.cadre_a_obj, w.ent_a, "visit", D(2026, 3, 2), "市经信局", "了解企业订单和用工情况", "协调招聘会", w.cadre)
    entry = AuditLog.objects.get(action="liaison_visit.record", object_id=str(recorded.pk))
    assert (entry.actor, entry.after["enterprise_id"], entry.after["cadre_id"]) == (w.cadre, w.ent_a.pk,
                                                                                    w.cadre_a_obj.pk)


def test_a_cadre_visits_the_enterprise_of_its_entrepreneur(lworld):
    # given 吴国平 paired with the entrepreneur 李东湖, who represents a second firm and is linked to a third
    w = lworld
    represented = EnterpriseFactory(name="李东湖的第二家公司", region=w.village_b, legal_representative=w.person_a)
    linked = EnterpriseFactory(name="李东湖参股公司", region=w.village_b)
    from portal.models import EnterprisePerson

    EnterprisePerson.objects.create(enterprise=linked, person=w.person_a, link=PersonLink.ENTREPRENEUR)
    for enterprise in (represented, linked):
        assert _record(w, w.cadre, w.cadre_a_obj, enterprise).enterprise == enterprise


def test_a_cadre_records_no_visit_to_an_enterprise_it_is_not_paired_with(lworld):
    w = lworld
    contact_of = EnterpriseFactory(name="李东湖任联系人的公司", region=w.village_b)
    from portal.models import EnterprisePerson

    EnterprisePerson.objects.create(enterprise=contact_of, person=w.person_a, link=PersonLink.CONTACT)
    for enterprise in (w.ent_b, contact_of):
        error = refused(lambda e=enterprise: _record(w, w.cadre, w.cadre_a_obj, e))
        assert error.errors == {"enterprise": [
            f"“{enterprise.name}”不是您当前联系的企业（结对的重点民企或所联系企业家的企业），不能记录走访。"]}


def test_a_cadre_records_no_visit_once_the_pairing_ended(lworld):
    w = lworld
    services.pairing_end(pairing=w.pairing_b, ended_on=D(2026, 3, 1), reason="工作调整", acting_user=w.org_staff)
    error = refused(lambda: _record(w, w.cadre_b, w.cadre_b_obj, w.ent_b))
    assert list(error.errors) == ["enterprise"]


def test_a_cadre_records_no_visit_of_another_cadre(lworld):
    w = lworld
    error = denied(lambda: _record(w, w.cadre, w.cadre_b_obj, w.ent_b))
    assert error.message == "只能记录本人的走访联系。"


def test_a_cadre_account_without_a_cadre_records_nothing(lworld):
    w = lworld
    lone = user_with_role("t_cadre_lone", Role.CADRE)
    denied(lambda: _record(w, lone, w.cadre_a_obj, w.ent_a))


def test_the_organization_department_records_for_any_cadre_and_enterprise(lworld):
    w = lworld
    recorded = _record(w, w.org_staff, w.secretary, w.ent_park, kind=ContactKind.MEETING, visited_on=days(-30))
    assert (recorded.cadre, recorded.enterprise, recorded.kind, recorded.created_by) == (
        w.secretary, w.ent_park, "meeting", w.org_staff)


def test_a_visit_is_refused_every_bad_field(lworld):
    w = lworld
    error = refused(lambda: _record(w, w.org_staff, None, None, kind="letter", visited_on=days(1),
                                    participants="人" * 201, discussed="", follow_ups=""))
    assert error.errors == {
        "cadre": ["请选择联系领导。"],
        "enterprise": ["请选择走访的企业。"],
        "kind": ["请选择联系方式。"],
        "visited_on": [f"走访日期不能晚于今天（{today().isoformat()}）。"],
        "participants": ["不能超过 200 个字。"],
        "discussed": ["请填写交流内容。"],
    }
    error = refused(lambda: _record(w, w.cadre, w.cadre_a_obj, w.ent_a, discussed="座谈", visited_on=None))
    assert error.errors == {"visited_on": ["请填写走访日期。"], "discussed": ["交流内容请写具体一些（不少于 4 个字）。"]}


def test_only_cadres_and_the_organization_department_record_visits(lworld):
    w = lworld
    for user in (w.leader, w.town_staff, w.station, w.enterprise_user, w.bank_officer, w.admin):
        denied(lambda u=user: _record(w, u, w.cadre_a_obj, w.ent_a))
    assert Visit.objects.count() == 0



@pytest.mark.parametrize(("visited_on", "message"), [
    (D(1990, 3, 2), "走访日期早于该领导与企业的结对开始日期（2026-01-05），请核对。"),
    (D(2026, 1, 4), "走访日期早于该领导与企业的结对开始日期（2026-01-05），请核对。"),
    (D(2099, 3, 2), None),  # the future: its message names today
])
def test_a_visit_before_the_pairing_or_in_the_future_is_refused_at_its_field(lworld, visited_on, message):
    # given 吴国平 paired with 东湖精密 since 2026-01-05
    w = lworld
    # when a visit is recorded on a day that makes no sense
    error = refused(lambda: _record(w, w.cadre, w.cadre_a_obj, w.ent_a, visited_on=visited_on))
    # then it is refused at the date, with the reason, and nothing is written
    assert error.errors == {"visited_on": [message or f"走访日期不能晚于今天（{today().isoformat()}）。"]}
    assert not Visit.objects.filter(visited_on=visited_on).exists()


def test_a_visit_without_a_pairing_is_not_dated_years_back(lworld):
    w = lworld
    error = refused(lambda: _record(w, w.org_staff, w.secretary, w.ent_park, visited_on=D(1990, 3, 2)))
    assert list(error.errors) == ["visited_on"]
    assert error.errors["visited_on"][0].endswith("走访记录应在一年内补录，请核对年份。")
