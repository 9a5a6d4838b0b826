"""The registry import end to end: upload, preview, commit, refusals, idempotency, pages and access."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from portal.choices import ImportRowFate, ImportState, Role
from portal.errors import DomainError
from portal.imports import services
from portal.imports.tasks import import_batch_commit_task, import_batch_parse_task
from portal.models import AuditLog, Enterprise, ImportBatch, ImportRow, Person

from ..factories import EnterpriseFactory, PersonFactory, city, town, user_with_role, village
from .import_fixtures import (
    BAD_CODE,
    CODE_A,
    CODE_B,
    CODE_C,
    ID_A,
    commit,
    csv_bytes,
    mixed_file,
    rows_of,
    upload,
    xlsx,
)

# --- preview -----------------------------------------------------------------------------------------------

def test_upload_parses_every_row_into_a_preview(world, django_capture_on_commit_callbacks):
    # When org staff upload a file with an update, a creation and an unchanged row
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    # Then the batch waits for confirmation with exact counts and each row's fate
    assert (batch.state, batch.total_rows, batch.processed_rows) == (ImportState.PREVIEW, 3, 3)
    assert (batch.create_count, batch.update_count, batch.unchanged_count, batch.error_count) == (1, 1, 1, 0)
    assert batch.original_name == "星湖名录.xlsx"
    assert rows_of(batch) == {
        2: (ImportRowFate.UPDATE, {}, {"name": ["东湖精密机械有限公司", "东湖精密机械股份有限公司"],
                                       "registered_capital": ["1000000.00", "2000000.00"]}),
        3: (ImportRowFate.CREATE, {}, {}),
        4: (ImportRowFate.UNCHANGED, {}, {}),
    }
    # and nothing is written to the registry yet
    assert not Enterprise.objects.filter(uscc=CODE_A).exists()
    assert Enterprise.objects.get(pk=world.ent_a.pk).name == "东湖精密机械有限公司"


def test_every_bad_row_reason_is_kept_at_its_column(world, django_capture_on_commit_callbacks):
    content = xlsx([
        [BAD_CODE, "甲公司", "东湖镇东湖村", None, None, None, None, None, None, None],
        ["91510799MA6ABCDE", "乙公司", "东湖镇东湖村", None, None, None, None, None, None, None],
        [CODE_A, "丙公司", "东湖镇南湖村", None, None, None, None, None, None, None],
        [CODE_B, "丁公司", "东湖镇东湖村", None, None, "2019-02-30", None, None, None, None],
        [CODE_C, "戊公司", "东湖镇东湖村", None, -5, None, None, None, None, None],
        ["92510799MA6D0002XD", "己公司", "东湖镇东湖村", None, None, None, "王五", "510623199001011230", None, None],
        [CODE_B.lower(), "庚公司", "东湖镇东湖村", None, None, None, None, None, None, None],
        ["91510799MA6E00033K", "辛公司", "东湖镇东湖村", None, None, None, world.person_b.name + "甲",
         world.person_b.id_number, None, None],
    ])
    batch = upload(world.org_staff, content, django_capture_on_commit_callbacks)
    assert batch.error_count == 8
    assert {n: errors for n, (_fate, errors, _changes) in rows_of(batch).items()} == {
        2: {"统一社会信用代码": "统一社会信用代码校验位错误：第 18 位应为“4”，实为“0”。"},
        3: {"统一社会信用代码": "统一社会信用代码应为 18 位，当前为 16 位。"},
        4: {"所在区划": "未找到区划“东湖镇南湖村”，请填写 12 位区划代码或“镇街+村（社区）”名称。"},
        5: {"成立日期": "成立日期“2019-02-30”无法识别，请填写如 2019-03-01 的日期。"},
        6: {"注册资本": "注册资本不能为负数。"},
        7: {"法定代表人身份证号": "身份证号校验码错误：第 18 位应为“7”。"},
        8: {"统一社会信用代码": "统一社会信用代码与第 5 行重复。"},
        9: {"法定代表人身份证号": f"该身份证号已登记在“{world.person_b.name}”名下，与表中姓名不一致。"},
    }


def test_a_file_without_a_required_column_is_refused_at_upload(world):
    content = xlsx([[CODE_A, "甲公司"]], header=["信用代码", "单位名称"])
    with pytest.raises(DomainError) as caught:
        services.import_batch_create(acting_user=world.org_staff,
                                     uploaded_file=SimpleUploadedFile("名录.xlsx", content))
    assert caught.value.errors == {
        "file": ["未找到可识别的表头行：缺少必填列“所在区划”。请对照导入模板检查表头。"]
    }
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_limit_is_refused(world, settings):
    settings.PORTAL_IMPORT_MAX_BYTES = 1024
    with pytest.raises(DomainError) as caught:
        services.import_batch_create(acting_user=world.org_staff,
                                     uploaded_file=SimpleUploadedFile("名录.csv", b"x" * 2048))
    assert caught.value.errors == {"file": ["文件大小 2.0\xa0KB，超过了 1.0\xa0KB 的上限。请分成几个文件上传。"]}


def test_upload_page_shows_the_refusal_at_the_file_field(world, client):
    client.force_login(world.org_staff)
    response = client.post(reverse("import_upload"), {"file": SimpleUploadedFile("名录.xls", b"\xd0\xcf\x11\xe0")})
    assert response.status_code == 400
    assert "不支持 .xls 格式。请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）或 CSV 后上传。" in \
        response.content.decode()
    assert not ImportBatch.objects.exists()


def test_gbk_csv_imported_end_to_end(world, django_capture_on_commit_callbacks):
    # Given a tab-separated GBK CSV with a town and a village column
    header = ["信用代码", "单位名称", "所在镇街", "村（社区）", "类型", "员工人数", "注册资本", "成立日期"]
    content = csv_bytes([[CODE_C, "星湖蔬菜专业合作社", "西山街道", "西山社区", "农业专合社", "12", "300000",
                          "2019年3月1日"]], header=header, encoding="gbk", delimiter="\t")
    # When uploaded and committed
    batch = upload(world.org_staff, content, django_capture_on_commit_callbacks, name="合作社.csv")
    assert (batch.state, batch.create_count, batch.error_count) == (ImportState.PREVIEW, 1, 0)
    batch = commit(world.org_staff, batch, django_capture_on_commit_callbacks)
    # Then the cooperative exists with exact values (capital with no unit in the header is yuan)
    assert batch.state == ImportState.DONE
    coop = Enterprise.objects.get(uscc=CODE_C)
    assert (coop.name, coop.kind, coop.region, coop.employees, coop.registered_capital, coop.founded_on) == (
        "星湖蔬菜专业合作社", "coop", world.village_b, 12, Decimal("300000.00"), datetime.date(2019, 3, 1))


# --- commit ------------------------------------------------------------------------------------------------

def test_commit_creates_and_updates_the_previewed_rows(world, django_capture_on_commit_callbacks):
    # Given a previewed batch
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    enterprises, people = Enterprise.objects.count(), Person.objects.count()
    # When it is committed
    batch = commit(world.org_staff, batch, django_capture_on_commit_callbacks)
    # Then the batch is done with its counts
    assert (batch.state, batch.create_count, batch.update_count, batch.unchanged_count) == (ImportState.DONE, 1, 1, 1)
    assert batch.finished_at is not None
    # the update touched only what changed
    ent_a = Enterprise.objects.get(pk=world.ent_a.pk)
    assert (ent_a.name, ent_a.registered_capital, ent_a.is_key, ent_a.region, ent_a.legal_representative) == (
        "东湖精密机械股份有限公司", Decimal("2000000.00"), True, world.village_a, world.person_a)
    # the creation has every value and its people
    new = Enterprise.objects.select_related("legal_representative", "contact").get(uscc=CODE_A)
    assert (new.name, new.region, new.is_key, new.registered_capital, new.founded_on, new.kind) == (
        "星湖精工有限公司", world.village_b, False, Decimal("505000.00"), datetime.date(2019, 3, 1), "private")
    assert (new.legal_representative.name, new.legal_representative.id_number) == ("张三", ID_A)
    assert (new.contact.name, new.contact.mobile, new.contact.id_number) == ("李四", "13800000000", None)
    assert (Enterprise.objects.count(), Person.objects.count()) == (enterprises + 1, people + 2)
    # and the audit log has the batch, the update with before/after, the creation and the people
    summary = AuditLog.objects.get(action="enterprise.import")
    assert (summary.actor, summary.object_id) == (world.org_staff, str(batch.pk))
    assert summary.after == {"file": "星湖名录.xlsx", "rows": 3, "created": 1, "updated": 1, "unchanged": 1,
                             "people_created": 2}
    update = AuditLog.objects.get(action="enterprise.update")
    assert (update.actor, update.object_type, update.object_id, update.ip) == (
        world.org_staff, "portal.enterprise", str(world.ent_a.pk), None)
    assert (update.before["name"], update.after["name"]) == ("东湖精密机械有限公司", "东湖精密机械股份有限公司")
    assert (update.before["registered_capital"], update.after["registered_capital"]) == ("1000000.00", "2000000.00")
    assert AuditLog.objects.filter(action="enterprise.create", object_id=str(new.pk)).count() == 1
    created_people = AuditLog.objects.filter(action="person.create").order_by("object_repr")
    assert [(a.object_repr, a.after["id_number"]) for a in created_people] == [("张三", "510***********1237"),
                                                                               ("李四", "")]


def test_people_are_matched_by_id_number_and_by_name_and_mobile(world, django_capture_on_commit_callbacks):
    # Given people already registered
    contact = PersonFactory(name="钱七", mobile="13900000000", id_number=None)
    people = Person.objects.count()
    content = xlsx([[CODE_A, "星湖精工有限公司", "东湖镇东湖村", None, None, None, world.person_a.name,
                     world.person_a.id_number, "钱七", "139 0000 0000"]])
    # When a file names them
    batch = upload(world.org_staff, content, django_capture_on_commit_callbacks)
    commit(world.org_staff, batch, django_capture_on_commit_callbacks)
    # Then they are linked, not created again
    new = Enterprise.objects.get(uscc=CODE_A)
    assert (new.legal_representative, new.contact) == (world.person_a, contact)
    assert Person.objects.count() == people


def test_a_file_with_one_bad_row_cannot_be_committed_and_writes_nothing(world, client,
                                                                          django_capture_on_commit_callbacks):
    content = xlsx([
        [CODE_A, "星湖精工有限公司", "东湖镇东湖村", None, None, None, None, None, None, None],
        [BAD_CODE, "甲公司", "东湖镇东湖村", None, None, None, None, None, None, None],
    ])
    batch = upload(world.org_staff, content, django_capture_on_commit_callbacks)
    assert (batch.create_count, batch.error_count) == (1, 1)
    # The page offers no commit and says why
    client.force_login(world.org_staff)
    page = client.get(reverse("import_detail", args=[batch.pk])).content.decode()
    assert "文件中有 1 行错误，不能导入。" in page
    assert 'disabled aria-disabled="true"' in page
    # and a forced POST is refused
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import_commit", args=[batch.pk]), follow=True)
    assert "文件中有 1 行错误，不能导入。请按错误说明修改文件后重新上传。" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == ImportState.PREVIEW
    assert not Enterprise.objects.filter(uscc=CODE_A).exists()
    assert not AuditLog.objects.filter(action__startswith="enterprise.").exists()


def test_a_code_registered_between_preview_and_commit_fails_the_batch_and_writes_nothing(
        world, django_capture_on_commit_callbacks):
    # Given a previewed batch that updates ent_a and creates CODE_A
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    # When someone else registers CODE_A meanwhile
    EnterpriseFactory(uscc=CODE_A, name="抢先登记有限公司", region=world.village_a)
    batch = commit(world.org_staff, batch, django_capture_on_commit_callbacks)
    # Then the batch fails with a clear reason and nothing of it is written
    assert batch.state == ImportState.FAILED
    assert batch.error == ("第 3 行的统一社会信用代码 91510799MA6ABCDE14 在预览后已被登记。本批次未写入任何数据，"
                           "请重新上传文件以生成新的预览。")
    assert Enterprise.objects.get(pk=world.ent_a.pk).name == "东湖精密机械有限公司"
    assert Enterprise.objects.get(uscc=CODE_A).name == "抢先登记有限公司"
    assert not Person.objects.filter(id_number=ID_A).exists()
    assert not AuditLog.objects.filter(action__in=["enterprise.import", "enterprise.update"]).exists()


def test_an_enterprise_changed_between_preview_and_commit_fails_the_batch(world, django_capture_on_commit_callbacks):
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    Enterprise.objects.filter(pk=world.ent_b.pk).update(name="西山食品集团有限公司")  # row 4 was "unchanged"
    batch = commit(world.org_staff, batch, django_capture_on_commit_callbacks)
    assert batch.state == ImportState.FAILED
    assert batch.error == (f"第 4 行（{world.ent_b.uscc}）的登记信息在预览后已被修改。本批次未写入任何数据，"
                           "请重新上传文件以生成新的预览。")
    assert not Enterprise.objects.filter(uscc=CODE_A).exists()


def test_a_write_refused_by_the_database_midway_leaves_nothing(world, django_capture_on_commit_callbacks,
                                                                 monkeypatch):
    # Given a batch whose enterprises are written after its people
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    people = Person.objects.count()

    from portal.bulk_copy import copy_insert

    def refuse(model, objs):
        from django.db import IntegrityError

        if model is Enterprise:
            raise IntegrityError('duplicate key value violates unique constraint "portal_enterprise_uscc_key"')
        return copy_insert(model, objs)

    # When the database refuses the enterprises' insert (a COPY) after the people were inserted
    monkeypatch.setattr(services, "copy_insert", refuse)
    batch = commit(world.org_staff, batch, django_capture_on_commit_callbacks)
    # Then the people inserted before are rolled back too
    assert batch.state == ImportState.FAILED
    assert batch.error.startswith("写入时与他人同时进行的修改发生冲突（duplicate key value violates unique constraint")
    assert Person.objects.count() == people
    assert Enterprise.objects.get(pk=world.ent_a.pk).registered_capital == Decimal("1000000.00")


def test_running_the_commit_task_twice_applies_once(world, django_capture_on_commit_callbacks):
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.import_batch_commit_request(acting_user=world.org_staff, batch=batch)
    assert len(callbacks) == 1
    enterprises = Enterprise.objects.count()
    # When the task is delivered twice
    import_batch_commit_task(batch.pk, world.org_staff.pk)
    import_batch_commit_task(batch.pk, world.org_staff.pk)
    # Then it applied once
    batch.refresh_from_db()
    assert batch.state == ImportState.DONE
    assert Enterprise.objects.count() == enterprises + 1
    assert AuditLog.objects.filter(action="enterprise.import").count() == 1
    assert AuditLog.objects.filter(action="enterprise.update").count() == 1


def test_running_the_parse_task_again_changes_nothing(world, django_capture_on_commit_callbacks):
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    before = rows_of(batch)
    import_batch_parse_task(batch.pk)
    batch.refresh_from_db()
    assert (batch.state, ImportRow.objects.filter(batch=batch).count(), rows_of(batch)) == (
        ImportState.PREVIEW, 3, before)


def test_cancel_stops_a_preview(world, django_capture_on_commit_callbacks):
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    services.import_batch_cancel(acting_user=world.org_staff, batch=batch)
    batch.refresh_from_db()
    assert batch.state == ImportState.CANCELLED
    with pytest.raises(DomainError) as caught:
        services.import_batch_commit_request(acting_user=world.org_staff, batch=batch)
    assert caught.value.message == "该批次当前状态为“已取消”，不能导入。"


def _personal_data_left(batch) -> list:
    return [r.data.get(k) for r in ImportRow.objects.filter(batch=batch) for k in ("legal_id", "contact_mobile")
            if r.data.get(k) and "*" not in r.data[k]]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_a_cancelled_batch_keeps_no_whole_id_number_or_mobile(world, django_capture_on_commit_callbacks,
                                                              monkeypatch, vendor):
    # given a previewed batch (the preview works on the whole values)
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    assert ID_A in _personal_data_left(batch)
    # when it is cancelled — by the SQL path on PostgreSQL, or the row-by-row path of the embedded mode
    monkeypatch.setattr(services.connection, "vendor", vendor)
    services.import_batch_cancel(acting_user=world.org_staff, batch=batch)
    # then both paths leave exactly the masks portal.rules would show
    assert _personal_data_left(batch) == []
    row = ImportRow.objects.get(batch=batch, row_number=3)
    assert (row.data["legal_id"], row.data["contact_mobile"]) == ("510***********1237", "138****0000")


def test_a_committed_batch_keeps_no_whole_id_number_or_mobile(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.org_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_upload"), {"file": SimpleUploadedFile("名录.xlsx", mixed_file(world))})
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == ImportState.DONE
    assert _personal_data_left(batch) == []
    # the registry itself keeps the whole values
    assert Person.objects.filter(id_number=ID_A).exists()


@pytest.mark.django_db(transaction=True)
def test_two_commit_tasks_at_once_apply_once():
    # Given a batch ready to commit (built here: a transactional test cannot use the `world` fixture's
    # rollback, so it builds what it needs and the database is flushed afterwards)
    staff = user_with_role("t_orgstaff_threads", Role.ORG_STAFF)
    village(town(1, "东湖镇"), 1, "东湖村")
    city()
    batch = services.import_batch_create(acting_user=staff, uploaded_file=SimpleUploadedFile("名录.xlsx", xlsx(
        [[CODE_A, "星湖精工有限公司", "东湖镇东湖村", None, None, None, None, None, None, None]])))
    batch.refresh_from_db()
    assert batch.state == ImportState.PREVIEW  # on_commit ran the eager parse when the upload committed
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.COMMITTING)
    # When two workers run the commit at the same moment
    barrier, errors = threading.Barrier(2), []

    def work():
        try:
            barrier.wait()
            services.import_batch_commit(batch_id=batch.pk, acting_user_id=staff.pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then one applied it and the other found it done
    assert errors == []
    batch.refresh_from_db()
    assert batch.state == ImportState.DONE
    assert Enterprise.objects.filter(uscc=CODE_A).count() == 1
    assert AuditLog.objects.filter(action="enterprise.import").count() == 1


def test_scrub_counts_the_values_it_masks_and_masks_each_once(world, django_capture_on_commit_callbacks):
    # given a previewed batch whose third row holds an ID number and a mobile (mixed_file)
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    whole = len(_personal_data_left(batch))
    assert whole >= 2
    # when it is scrubbed twice
    first = services.import_rows_scrub(batch_id=batch.pk)
    second = services.import_rows_scrub(batch_id=batch.pk)
    # then the first pass masked every whole value, the second had nothing left to mask
    assert (first, second) == (whole, 0)
    assert _personal_data_left(batch) == []
