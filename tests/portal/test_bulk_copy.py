"""COPY in place of bulk_create (portal.bulk_copy): the rows read back as written, with ids in the
objects' order, and the audit log's chain stays whole when its rows are copied in."""

import datetime
from decimal import Decimal

import pytest

from portal.audit import AuditEntry, audit_append, audit_append_entries, audit_chain_break, audit_record
from portal.bulk_copy import copy_insert, copy_update
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


def test_rows_given_as_dicts_take_defaults_times_and_ids_in_order(world):
    # given rows as plain dicts, one leaving out every field that has a default
    rows = [{"uscc": "91510700MA00000Y1B", "name": "星湖字典甲有限公司", "region_id": world.ent_a.region_id},
            {"uscc": "91510700MA00000Y2C", "name": "星湖字典乙有限公司", "region_id": world.ent_a.region_id,
             "kind": "coop", "registered_capital": Decimal("88.50"), "is_key": True}]
    # when they are copied in
    copied = copy_insert(Enterprise, rows)
    # then each dict has its id, in order, and the defaults and times a new instance would have
    assert copied is rows
    assert rows[0]["id"] < rows[1]["id"]
    first, second = (Enterprise.objects.get(pk=row["id"]) for row in rows)
    assert (first.kind, first.is_key, first.employees, first.registered_capital, first.park_id, first.address) == (
        "private", False, 0, Decimal("0.00"), None, "")
    assert (second.kind, second.is_key, second.registered_capital) == ("coop", True, Decimal("88.50"))
    assert first.created_at == rows[0]["created_at"] == first.updated_at


def test_copy_update_writes_the_named_fields_of_every_object_only(world):
    # given two enterprises changed in memory, one field written and one not
    a, b = world.ent_a, world.ent_b
    old_address_a = Enterprise.objects.get(pk=a.pk).address
    a.name, a.address, b.name = "甲改名有限公司", "不写入的地址", "乙改名有限公司"
    # when only the names are written
    updated = copy_update(Enterprise, [a, b], ["name"])
    # then both names changed and nothing else did
    assert updated == 2
    assert dict(Enterprise.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "name")) == {
        a.pk: "甲改名有限公司", b.pk: "乙改名有限公司"}
    assert Enterprise.objects.get(pk=a.pk).address == old_address_a
    # and it can run again in the same transaction (its scratch table is its own each time)
    b.name = "乙又改名有限公司"
    assert copy_update(Enterprise, [b], ["name"]) == 1
    assert Enterprise.objects.get(pk=b.pk).name == "乙又改名有限公司"


AWKWARD = [None, {}, {"金额": "1.00", "n": 3, "nested": {"b": [1, None, "x"], "a": True}}, {"text": "tab\tline\nback\\slash"}]


def test_audit_entries_hash_as_audit_log_rows_do_and_keep_the_chain(world):
    # given entries with awkward content: no before, nested JSON, tabs, line breaks, backslashes, an address
    entries = [AuditEntry(world.org_staff.pk, world.org_staff.get_username(), "test.bulk", "portal.person", str(i),
                          f"张{i}\t“引号”", before=AWKWARD[i % 4], after=AWKWARD[(i + 1) % 4], note="批量\n导入",
                          ip="10.0.0.1" if i % 2 else None) for i in range(8)]
    # when they are appended
    ids = audit_append_entries(entries)
    # then they are stored in order, as given, each hashed exactly as AuditLog.content_hash hashes it
    assert ids == sorted(ids)
    stored = list(AuditLog.objects.filter(pk__in=ids).order_by("pk"))
    assert [(r.object_id, r.object_repr, r.before, r.after, r.note, r.ip) for r in stored] == [
        (e.object_id, e.object_repr, e.before, e.after, e.note, e.ip) for e in entries]
    for row in stored:
        assert row.row_hash == row.content_hash(row.prev_hash)
    assert [r.prev_hash for r in stored[1:]] == [r.row_hash for r in stored[:-1]]
    # and the whole chain, with the rows written one by one before and after, still verifies
    audit_record(actor=world.org_staff, action="test.after", object_type="test")
    assert audit_chain_break()[1] is None


def test_audit_entries_are_cut_to_their_columns():
    ids = audit_append_entries([AuditEntry(None, "system", "test.long", "test", "9" * 80, "名" * 250,
                                           note="说" * 600)])
    row = AuditLog.objects.get(pk=ids[0])
    assert (len(row.object_id), len(row.object_repr), len(row.note)) == (64, 200, 500)
    assert row.row_hash == row.content_hash(row.prev_hash)
