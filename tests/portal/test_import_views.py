"""The registry import's pages, downloads and access."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from portal.choices import ImportRowFate, ImportState
from portal.imports.cleaning import RowCleaner
from portal.imports.parsing import open_sheet
from portal.imports.planning import park_index, region_index
from portal.models import ImportBatch, ImportRow

from ..access import AccessCase, case_id, run_access_case
from .import_fixtures import BAD_CODE, CODE_A, CODE_B, mixed_file, upload, xlsx

# --- pages and downloads -----------------------------------------------------------------------------------

def test_status_endpoint_reports_progress(world, client, django_capture_on_commit_callbacks):
    batch = upload(world.org_staff, mixed_file(world), django_capture_on_commit_callbacks)
    client.force_login(world.org_staff)
    assert client.get(reverse("import_status", args=[batch.pk])).json() == {
        "id": batch.pk, "state": "preview", "state_label": "待确认", "processed": 3, "total": 3, "percent": 100,
        "finished": True, "counts": {"create": 1, "update": 1, "unchanged": 1, "error": 0}, "error": "",
    }


def test_detail_page_lists_errors_first_and_filters_by_fate(world, client, django_capture_on_commit_callbacks):
    content = xlsx([
        [CODE_A, "星湖精工有限公司", "东湖镇东湖村", None, None, None, None, None, None, None],
        [BAD_CODE, "甲公司", "东湖镇东湖村", None, None, None, None, None, None, None],
    ])
    batch = upload(world.org_staff, content, django_capture_on_commit_callbacks)
    client.force_login(world.org_staff)
    page = client.get(reverse("import_detail", args=[batch.pk]))
    assert [r.row_number for r in page.context["rows"]] == [3, 2]
    assert "统一社会信用代码校验位错误：第 18 位应为“4”，实为“0”。" in page.content.decode()
    created = client.get(reverse("import_detail", args=[batch.pk]), {"fate": "create"})
    assert [r.row_number for r in created.context["rows"]] == [2]


def test_errors_report_is_a_bom_utf8_csv_of_the_error_rows(world, client, django_capture_on_commit_callbacks):
    content = xlsx([
        [CODE_A, "星湖精工有限公司", "东湖镇东湖村", None, None, None, None, None, None, None],
        [BAD_CODE, "@甲公司", "东湖镇南湖村", None, None, None, None, None, None, None],
    ])
    batch = upload(world.org_staff, content, django_capture_on_commit_callbacks)
    client.force_login(world.org_staff)
    response = client.get(reverse("import_errors", args=[batch.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response.content.decode("utf-8") == (
        "\ufeff行号,统一社会信用代码,企业名称,出错的列,错误原因\r\n"
        f"3,{BAD_CODE},'@甲公司,统一社会信用代码,统一社会信用代码校验位错误：第 18 位应为“4”，实为“0”。\r\n"
        f"3,{BAD_CODE},'@甲公司,所在区划,未找到区划“东湖镇南湖村”，请填写 12 位区划代码或“镇街+村（社区）”名称。\r\n"
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_template_has_the_headers_and_an_example_row_that_imports(world, client, language):
    # whatever the UI language, the template's headers and example are what the importer reads
    client.force_login(world.org_staff)
    client.cookies["django_language"] = language
    response = client.get(reverse("import_template"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    content = response.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    header, example = list(sheet.iter_rows(values_only=True))[:2]
    assert list(header) == ["统一社会信用代码", "企业名称", "主体类型", "行业门类", "所在区划", "所在园区", "重点民企", "从业人数",
                            "注册资本（万元）", "成立日期", "住所", "法定代表人", "法定代表人身份证号", "联系人", "联系电话"]
    # The example row itself passes every check
    with open_sheet(io.BytesIO(content), "模板.xlsx") as opened:
        rows = list(RowCleaner(opened.header, region_index(), park_index(), datetime.date(2026, 1, 1))
                    .rows(opened.rows))
    assert [(r.errors, r.data["region_id"], r.data["registered_capital"]) for r in rows] == [
        ({}, world.village_a.pk, "5000000.00")]


def test_upload_view_runs_the_flow_to_done(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.org_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import_upload"), {"file": SimpleUploadedFile("名录.xlsx", mixed_file(world))})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("import_detail", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_commit", args=[batch.pk]))
    page = client.get(reverse("import_detail", args=[batch.pk])).content.decode()
    assert "导入完成：新增 1 家，更新 1 家，1 家无变化。" in page


# --- access ------------------------------------------------------------------------------------------------

@pytest.fixture
def import_world(world):
    """The `world` with one batch in preview, ready to commit."""
    world.batch = ImportBatch.objects.create(
        created_by=world.org_staff, file="imports/access.xlsx", original_name="访问测试名录.xlsx",
        state=ImportState.PREVIEW, total_rows=1, processed_rows=1, create_count=1,
    )
    ImportRow.objects.create(batch=world.batch, row_number=2, fate=ImportRowFate.CREATE, uscc=CODE_A, name="甲公司",
                             data={"uscc": CODE_A, "name": "甲公司", "region_id": world.village_a.pk})
    return world


def _wrong(w):
    return [w.town_staff, w.station, w.park_station_user, w.bank_officer, w.insurer_officer, w.enterprise_user,
            w.cadre, w.leader, w.admin]


def _right(w):
    return [w.org_staff]


def _upload_data(w):
    return {"file": SimpleUploadedFile("名录.xlsx", xlsx([[CODE_B, "乙公司", "东湖镇东湖村"] + [None] * 7]))}


ACCESS_CASES = [
    AccessCase("import_list", lambda w: reverse("import_list"), _right, _wrong,
               marker=lambda w: w.batch.original_name),
    AccessCase("import_upload", lambda w: reverse("import_upload"), _right, _wrong),
    AccessCase("import_upload", lambda w: reverse("import_upload"), _right, _wrong, method="post", data=_upload_data,
               ok=(302,), label="POST import_upload"),
    AccessCase("import_template", lambda w: reverse("import_template"), _right, _wrong),
    AccessCase("import_detail", lambda w: reverse("import_detail", args=[w.batch.pk]), _right, _wrong,
               marker=lambda w: w.batch.original_name),
    AccessCase("import_status", lambda w: reverse("import_status", args=[w.batch.pk]), _right, _wrong),
    AccessCase("import_errors", lambda w: reverse("import_errors", args=[w.batch.pk]), _right, _wrong),
    AccessCase("import_commit", lambda w: reverse("import_commit", args=[w.batch.pk]), _right, _wrong,
               method="post", ok=(302,)),
    AccessCase("import_cancel", lambda w: reverse("import_cancel", args=[w.batch.pk]), _right, _wrong,
               method="post", ok=(302,)),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, import_world):
    run_access_case(case, import_world)


def test_a_batch_that_does_not_exist_answers_404(world, client):
    client.force_login(world.org_staff)
    assert client.get(reverse("import_detail", args=[999999])).status_code == 404
    assert client.get(reverse("import_status", args=[999999])).status_code == 404
