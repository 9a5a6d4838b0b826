from decimal import Decimal

import pytest
from django.db import connection
from django.db.utils import ProgrammingError

from portal import services
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog, Enterprise, Person

VALID_USCC = "91510799MA6A1B2C3X"


def _valid_uscc():
    from stdnum.cn import uscc

    body = VALID_USCC[:17]
    return body + uscc.calc_check_digit(body)


def test_enterprise_create_writes_the_row_and_its_audit_row(world):
    # given org staff and valid values
    code = _valid_uscc()
    # when creating
    enterprise = services.enterprise_create(
        acting_user=world.org_staff, uscc=code.lower(), name=" 星湖新能源有限公司 ", kind="private",
        region=world.village_a, registered_capital=Decimal("5000000.00"),
    )
    # then the code is stored upper-case, the name trimmed, and one audit row records it
    assert (enterprise.uscc, enterprise.name) == (code, "星湖新能源有限公司")
    log = AuditLog.objects.get(action="enterprise.create")
    assert (log.actor, log.object_id, log.after["uscc"], log.after["registered_capital"]) == (
        world.org_staff, str(enterprise.pk), code, "5000000.00"
    )


def test_enterprise_create_refuses_a_bad_check_character_and_writes_nothing(world):
    code = _valid_uscc()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    before = Enterprise.objects.count()
    with pytest.raises(DomainError) as excinfo:
        services.enterprise_create(acting_user=world.org_staff, uscc=wrong, name="某公司", region=world.village_a)
    assert excinfo.value.errors == {
        "uscc": [f"统一社会信用代码校验位错误：第 18 位应为“{code[17]}”，实为“{wrong[17]}”。"]
    }
    assert Enterprise.objects.count() == before
    assert not AuditLog.objects.filter(action="enterprise.create").exists()


def test_enterprise_create_refuses_a_duplicate_code(world):
    with pytest.raises(DomainError) as excinfo:
        services.enterprise_create(acting_user=world.org_staff, uscc=world.ent_a.uscc, name="重复公司",
                                   region=world.village_a)
    assert excinfo.value.errors == {"uscc": [f"统一社会信用代码 {world.ent_a.uscc} 已登记。"]}


def test_enterprise_create_refuses_a_park_outside_the_region(world):
    # the park lies in the city as a whole; a region outside the city prefix is impossible here,
    # so check a park whose region is town B with an enterprise in town A
    from tests.factories import ParkFactory

    park_b = ParkFactory(region=world.town_b)
    with pytest.raises(DomainError) as excinfo:
        services.enterprise_create(acting_user=world.org_staff, uscc=_valid_uscc(), name="越界公司",
                                   region=world.village_a, park=park_b)
    assert list(excinfo.value.errors) == ["park"]


@pytest.mark.parametrize("user_attr", ["town_staff", "station", "enterprise_user", "leader", "bank_officer"])
def test_enterprise_create_is_refused_to_other_roles(world, user_attr):
    with pytest.raises(AccessDenied):
        services.enterprise_create(acting_user=getattr(world, user_attr), uscc=_valid_uscc(), name="某公司",
                                   region=world.village_a)
    assert not Enterprise.objects.filter(name="某公司").exists()


def test_enterprise_update_records_before_and_after(world):
    services.enterprise_update(acting_user=world.org_staff, enterprise=world.ent_a, employees=120, is_key=False)
    log = AuditLog.objects.get(action="enterprise.update")
    assert (log.before["employees"], log.after["employees"]) == (50, 120)
    assert (log.before["is_key"], log.after["is_key"]) == (True, False)


def test_enterprise_update_without_change_writes_no_audit_row(world):
    services.enterprise_update(acting_user=world.org_staff, enterprise=world.ent_a, employees=50)
    assert not AuditLog.objects.filter(action="enterprise.update").exists()


def test_person_create_validates_id_number_and_mobile(world):
    with pytest.raises(DomainError) as excinfo:
        services.person_create(acting_user=world.org_staff, name="赵六", id_number="110105194912310021",
                               mobile="1234")
    assert excinfo.value.errors == {
        "id_number": ["身份证号校验码错误：第 18 位应为“X”。"],
        "mobile": ["手机号应为以 1 开头的 11 位数字。"],
    }
    assert not Person.objects.filter(name="赵六").exists()


def test_person_audit_rows_keep_personal_data_masked(world):
    person = services.person_create(acting_user=world.org_staff, name="赵六", id_number="11010519491231002x",
                                    mobile="13812345678")
    log = AuditLog.objects.get(action="person.create")
    assert (log.after["id_number"], log.after["mobile"]) == ("110***********002X", "138****5678")
    assert person.id_number == "11010519491231002X"


def test_person_unmask_returns_whole_values_and_is_audited(world):
    values = services.person_unmask(acting_user=world.town_staff, person=world.person_a)
    assert values == {"id_number": world.person_a.id_number, "mobile": world.person_a.mobile}
    log = AuditLog.objects.get(action="person.unmask")
    assert (log.actor, log.object_id) == (world.town_staff, str(world.person_a.pk))


@pytest.mark.parametrize("user_attr", ["town_staff_b", "enterprise_user", "leader", "bank_officer"])
def test_person_unmask_is_refused_outside_the_right_and_leaves_no_trace(world, user_attr):
    with pytest.raises(AccessDenied):
        services.person_unmask(acting_user=getattr(world, user_attr), person=world.person_a)
    assert not AuditLog.objects.filter(action="person.unmask").exists()


def test_audit_log_refuses_update_and_delete_in_the_app(world):
    from portal.audit import audit_record

    log = audit_record(actor=world.org_staff, action="test.event", obj=world.ent_a)
    log.note = "changed"
    with pytest.raises(PermissionError):
        log.save()
    with pytest.raises(PermissionError):
        log.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.all().update(note="x")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()


def test_audit_log_refuses_update_and_delete_in_postgresql(world):
    from portal.audit import audit_record

    log = audit_record(actor=world.org_staff, action="test.event", obj=world.ent_a)
    with pytest.raises(ProgrammingError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE portal_auditlog SET note = 'x' WHERE id = %s", [log.pk])


def test_enterprise_update_checks_a_new_park_against_the_current_region(world):
    from tests.factories import ParkFactory

    park_b = ParkFactory(region=world.town_b)
    with pytest.raises(DomainError) as excinfo:
        services.enterprise_update(acting_user=world.org_staff, enterprise=world.ent_a, park=park_b)
    assert list(excinfo.value.errors) == ["park"]
    world.ent_a.refresh_from_db()
    assert world.ent_a.park is None


def test_person_create_requires_a_name(world):
    with pytest.raises(DomainError) as excinfo:
        services.person_create(acting_user=world.org_staff, mobile="13812345678")
    assert excinfo.value.errors == {"name": ["姓名不能为空。"]}


def test_enterprise_create_requires_code_name_and_region(world):
    with pytest.raises(DomainError) as excinfo:
        services.enterprise_create(acting_user=world.org_staff)
    assert excinfo.value.errors == {
        "uscc": ["统一社会信用代码不能为空。"], "name": ["名称不能为空。"], "region": ["请选择所在区划。"]
    }


def test_unmask_note_names_the_fields_in_chinese(world):
    services.person_unmask(acting_user=world.org_staff, person=world.person_a)
    assert AuditLog.objects.get(action="person.unmask").note == "查看完整信息：身份证号、手机号"
