"""A list longer than PORTAL_EXPORT_SYNC_MAX_ROWS is exported in the background: the page sends the
user to a report with a progress bar, the worker writes the same rows the list shows (as the
requester, never more), the same export asked again is the same report, and what the list page would
refuse is refused here too."""

import csv
import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.http import Http404
from django.urls import reverse

from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog, Enterprise, RoleAssignment
from reports import services
from reports.choices import ReportKind, ReportState
from reports.documents import kind_of
from reports.models import Report
from tests.factories import EnterpriseFactory
from tests.finance.conftest import fworld, product, product2, quota_table, rated_a, rated_b  # noqa: F401
from tests.ratings.conftest import advance, cycle, org_a, org_b, rubric, sheet  # noqa: F401

pytestmark = pytest.mark.django_db
EXPORT = ReportKind.EXPORT


@pytest.fixture
def eworld(world, settings, tmp_path):
    """`world` with five more enterprises in 东湖镇 (six in all there), a threshold of two rows, and
    the reports' files in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_EXPORT_SYNC_MAX_ROWS = 2
    for n in range(5):
        EnterpriseFactory(name=f"东湖配套{n}号有限公司", region=world.village_a)
    return world


def export_url(w, fmt="xlsx", extra=""):
    return reverse("enterprise_list") + f"?region={w.town_a.pk}{extra}&export={fmt}"


def file_rows(report) -> list[list]:
    content = default_storage.open(report.file.name).read()
    if report.filename.endswith(".csv"):
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return [list(r) for r in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def ask(user, fmt="csv", list_name="finance:application_list", query="", args=None):
    return services.report_request(kind=EXPORT, params={"list": list_name, "args": args or {}, "query": query,
                                                        "format": fmt}, acting_user=user)


def test_a_long_list_goes_to_the_background_and_its_file_has_the_rows_of_the_list(eworld, client, settings,
                                                                                  django_capture_on_commit_callbacks):
    w = eworld
    client.force_login(w.org_staff)
    # when org staff export the six enterprises of 东湖镇 (more than the two answered at once)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(export_url(w))
    # then they are sent to the report's page, with its progress bar, and the worker made the file
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert len(callbacks) == 1
    page = client.get(response["Location"])
    assert 'id="report-progress"' in page.content.decode()
    assert [str(m) for m in page.context["messages"]] == ["共 6 行，超过即时导出的上限，已转入后台生成；完成后可在本页下载。"]
    assert (report.kind, report.state, report.progress, report.requested_by) == (EXPORT, ReportState.DONE, 100,
                                                                                 w.org_staff)
    assert report.title == "列表导出：市场主体（Excel） 区划（含下级）：东湖镇"
    assert report.filename.startswith("市场主体-")
    assert report.filename.endswith(".xlsx")
    assert {k: report.params[k] for k in ("list", "args", "query", "format")} == {
        "list": "enterprise_list", "args": {}, "query": f"region={w.town_a.pk}", "format": "xlsx"}
    # and the file holds the same rows as the list, as an export made at once gives them
    background = file_rows(report)
    listed = client.get(reverse("enterprise_list"), {"region": w.town_a.pk}).context["object_list"]
    assert [r[0] for r in background[1:]] == [e.name for e in listed]
    assert len(background) == 7
    settings.PORTAL_EXPORT_SYNC_MAX_ROWS = 100
    at_once = client.get(export_url(w))
    assert at_once.status_code == 200
    assert [list(r) for r in openpyxl.load_workbook(io.BytesIO(at_once.content)).active.iter_rows(
        values_only=True)] == background
    # both exports are audited with the list, the filters and the rows; the background one on its report
    logs = AuditLog.objects.filter(action="export").order_by("pk")
    assert [(log.object_type, log.after["rows"], log.after["filters"]) for log in logs] == [
        ("reports.report", 6, f"region={w.town_a.pk}"), ("export", 6, f"region={w.town_a.pk}")]


def test_the_same_export_asked_twice_is_one_report(eworld, client, django_capture_on_commit_callbacks):
    client.force_login(eworld.org_staff)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(export_url(eworld, "csv"))
        # the same filters, written in another order and with empty fields: the same export
        second = client.get(reverse("enterprise_list") + f"?q=&kind=&export=csv&region={eworld.town_a.pk}")
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1
    # another format is another file
    with django_capture_on_commit_callbacks(execute=True):
        client.get(export_url(eworld, "xlsx"))
    assert Report.objects.count() == 2


def test_the_downloaded_file_is_the_export_and_the_download_is_audited(eworld, client,
                                                                       django_capture_on_commit_callbacks):
    client.force_login(eworld.town_staff)
    with django_capture_on_commit_callbacks(execute=True):
        location = client.get(export_url(eworld, "csv"))["Location"]
    report = Report.objects.get()
    response = client.get(reverse("reports:download", args=[report.pk]))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["名称", "统一社会信用代码", "主体类型", "行业门类", "所在区划", "园区", "从业人数", "重点民企"]
    assert len(rows) == 7
    assert location == reverse("reports:detail", args=[report.pk])
    assert AuditLog.objects.filter(action="report.download", object_id=str(report.pk), actor=eworld.town_staff).count() == 1


def test_a_background_export_holds_only_the_requesters_rows(fworld, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    w = fworld
    mine = ask(w.bank_officer)
    theirs = ask(w.bank2_officer)
    for report in (mine, theirs):
        assert services.report_generate(report_id=report.pk) == ReportState.DONE
        report.refresh_from_db()
    assert [r[0] for r in file_rows(mine)[1:]] == [str(w.app_a.pk)]
    assert [r[0] for r in file_rows(theirs)[1:]] == [str(w.app_b.pk)]


def test_a_requester_who_lost_the_right_before_the_worker_ran_gets_no_file(eworld):
    report = ask(eworld.town_staff, list_name="enterprise_list")
    RoleAssignment.objects.filter(user=eworld.town_staff).delete()
    assert services.report_generate(report_id=report.pk) == ReportState.FAILED
    report.refresh_from_db()
    assert (report.state, report.file.name) == (ReportState.FAILED, "")
    assert report.error.startswith("AccessDenied")


def test_a_deactivated_requester_gets_no_file(eworld):
    report = ask(eworld.org_staff, list_name="enterprise_list")
    eworld.org_staff.is_active = False
    eworld.org_staff.save(update_fields=["is_active"])
    assert services.report_generate(report_id=report.pk) == ReportState.FAILED
    report.refresh_from_db()
    assert "账号已停用" in report.error


@pytest.mark.parametrize(("username", "params", "error", "field"), [
    # a role that may not open the list
    ("bank_officer", {"list": "enterprise_list"}, AccessDenied, None),
    ("station", {"list": "liaison:appeal_queue"}, AccessDenied, None),
    # a list or an argument that is not there
    ("org_staff", {"list": "no_such_list"}, Http404, None),
    ("town_staff", {"list": "ratings:queue", "args": {"status": "published"}}, Http404, None),
    # a page that is no list, a format that is neither, filters the list refuses
    ("org_staff", {"list": "home"}, DomainError, "list"),
    ("org_staff", {"list": "enterprise_list", "format": "pdf"}, DomainError, "format"),
    ("org_staff", {"list": "enterprise_list", "query": "kind=nonsense"}, DomainError, "query"),
])
def test_what_the_list_page_refuses_is_refused(eworld, username, params, error, field):
    params = {"args": {}, "query": "", "format": "csv", **params}
    with pytest.raises(error) as raised:
        services.report_request(kind=EXPORT, params=params, acting_user=getattr(eworld, username))
    if field is not None:
        assert raised.value.field == field
    assert Report.objects.count() == 0


def test_a_list_with_an_argument_is_exported_in_the_background(eworld):
    report = ask(eworld.town_staff, list_name="ratings:queue", args={"status": "town"}, fmt="xlsx")
    assert report.title == "列表导出：评定审核队列（Excel）"
    assert services.report_generate(report_id=report.pk) == ReportState.DONE
    report.refresh_from_db()
    assert file_rows(report) == [["党组织", "所在区划", "年度", "状态", "得分", "星级", "进入当前环节", "有效期起",
                                  "有效期止", "有异议"]]


def test_the_worker_tells_its_progress_every_thousand_rows(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Enterprise.objects.bulk_create([Enterprise(name=f"东湖批量{n:04d}有限公司", uscc=f"91510799MA{n:08d}",
                                               kind="private", industry="C", region=world.village_a, employees=1)
                                    for n in range(2400)])
    report = ask(world.org_staff, list_name="enterprise_list", fmt="csv")
    told = []
    rendered = kind_of(EXPORT).render(Report.objects.select_related("requested_by").get(pk=report.pk),
                                      lambda percent, step="": told.append((percent, step)))
    assert told == [(1, "共 2403 行，开始导出"), (41, "已导出 1000 / 2403 行"), (81, "已导出 2000 / 2403 行"),
                    (98, "已导出 2403 / 2403 行")]
    assert rendered.content.decode("utf-8-sig").count("\r\n") == 2404
