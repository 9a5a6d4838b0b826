"""COPY in place of bulk_create (portal.bulk_copy): the rows read back as written, with ids in the
objects' order, and the audit log's chain stays whole when its rows are copied in."""

import datetime
from decimal import Decimal

import pytest

from portal.audit import audit_append, audit_chain_break
from portal.bulk_copy import copy_insert
from portal.models import AuditLog, Enterprise, Person

pytestmark = pytest.mark.django_db


def test_copied_people_come_back_saved_with_ids_in_order_and_read_back_as_written():
    people = [Person(name=f"张{i}", id_number=None if i % 2 else f"11010519900101{i:04d}", mobile=f"1380000{i:04d}")
              for i in range(5)]
    copied = copy_insert(Person, people)
    assert copied is people
    ids = [p.pk for p in people]
    assert ids == sorted(ids)
    assert len(set(ids)) == 5
    assert all(not p._state.adding for p in people)
    stored = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    for person in people:
        again = stored[person.pk]
        assert (again.name, again.id_number, again.mobile) == (person.name, person.id_number, person.mobile)
        assert again.created_at is not None
        assert again.updated_at is not None


def test_copied_enterprises_keep_decimals_dates_and_foreign_keys(world):
    legal = Person.objects.create(name="李四")
    enterprise = Enterprise(uscc="91510700MA00000X1A", name="星湖复制有限公司", region=world.ent_a.region,
                            registered_capital=Decimal("1234.56"), founded_on=datetime.date(2020, 2, 29),
                            legal_representative=legal, employees=7, is_key=True)
    copy_insert(Enterprise, [enterprise])
    again = Enterprise.objects.get(pk=enterprise.pk)
    assert (again.uscc, again.registered_capital, again.founded_on, again.legal_representative_id,
            again.employees, again.is_key) == ("91510700MA00000X1A", Decimal("1234.56"), datetime.date(2020, 2, 29),
                                               legal.pk, 7, True)


def test_audit_rows_copied_in_bulk_keep_the_chain_and_their_json(world):
    rows = [AuditLog(actor=world.org_staff, actor_name=world.org_staff.get_username(), action="person.create",
                     object_type="portal.person", object_id=str(i), object_repr=f"张{i}", before=None,
                     after={"name": f"张{i}", "n": i}, note="批量导入") for i in range(3)]
    audit_append(rows)
    ids = [r.pk for r in rows]
    assert ids == sorted(ids)
    stored = list(AuditLog.objects.filter(pk__in=ids).order_by("pk"))
    assert [r.after for r in stored] == [{"name": f"张{i}", "n": i} for i in range(3)]
    assert [r.before for r in stored] == [None, None, None]
    assert stored[1].prev_hash == stored[0].row_hash
    assert stored[2].prev_hash == stored[1].row_hash
    checked, broken, _why = audit_chain_break()
    assert broken is None
    assert checked >= 3
