"""Exports of the list pages (.xlsx and .csv): exactly the rows the list's filters show, on every page
and in the page's order, under Chinese headers, with personal data masked; the same right as seeing
the list, so another bank, town or enterprise gets none of the rows; and every export audited.

The background half (a list longer than PORTAL_EXPORT_SYNC_MAX_ROWS) is in
tests/reports/test_export_reports.py."""

import csv
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from portal import exports
from portal.models import AuditLog
from tests.access import AccessCase, case_id, run_access_case, users
from tests.factories import EnterpriseFactory
from tests.finance.conftest import fworld, product, product2, quota_table, rated_a, rated_b  # noqa: F401
from tests.liaison.conftest import lworld  # noqa: F401
from tests.liaison.fixtures_appeals import aworld  # noqa: F401
from tests.ratings.conftest import advance, cycle, org_a, org_b, rubric, sheet  # noqa: F401
from tests.talent.conftest import ID_A, ID_B, ID_PARK, MOBILE_A, MOBILE_B, items, tw  # noqa: F401

BOM = b"\xef\xbb\xbf"


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(BOM)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    worksheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


def listed(client, url) -> list:
    """The rows the list page shows, page after page."""
    rows, page = [], 1
    while True:
        response = client.get(url, {"page": page}) if "?" not in url else client.get(f"{url}&page={page}")
        assert response.status_code == 200
        rows += list(response.context["object_list"])
        if not response.context["page_obj"].has_next():
            return rows
        page += 1


def as_user(client, user):
    client.force_login(user)
    return client


# --- the pure part: values, the canonical filters, the two file formats -------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (None, None),
    (True, "是"),
    (False, "否"),
    (Decimal("1200000.00"), Decimal("1200000.00")),
    (3, 3),
    (1.5, Decimal("1.5")),
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),
    # An aware time is written as Beijing time, without the zone (a spreadsheet has none).
    (datetime.datetime(2026, 3, 1, 1, 30, 5, 123, tzinfo=datetime.UTC), datetime.datetime(2026, 3, 1, 9, 30, 5)),
    (["东湖镇", None, "西山街道"], "东湖镇、西山街道"),
    ("星湖", "星湖"),
])
def test_a_cell_is_a_plain_spreadsheet_value(value, expected):
    assert exports.plain(value) == expected


def test_a_column_reads_a_path_a_method_or_a_function():
    region = SimpleNamespace(name="东湖镇")
    row = SimpleNamespace(name="东湖精密", region=region, park=None, get_kind_display=lambda: "私营企业")
    assert exports.column_value(row, "region.name") == "东湖镇"
    assert exports.column_value(row, "park.name") is None  # a missing link is an empty cell, not an error
    assert exports.column_value(row, "get_kind_display") == "私营企业"
    assert exports.column_value(row, lambda r: r.name + "有限公司") == "东湖精密有限公司"
    assert exports.flag("park", "园区", "非园区")(row) == "非园区"


@pytest.mark.parametrize(("query", "expected"), [
    ("", ""),
    ("page=3&export=xlsx", ""),
    ("kind=private&q=&region=&page=2", "kind=private"),
    ("status=received&bank=2&export=csv", "bank=2&status=received"),
    ("q=%E4%B8%9C%E6%B9%96&kind=private", "kind=private&q=%E4%B8%9C%E6%B9%96"),
])
def test_the_filters_are_written_the_same_way_whatever_the_order_and_the_empty_fields(query, expected):
    assert exports.filter_query(QueryDict(query)) == expected


def test_csv_has_a_byte_order_mark_chinese_headers_and_never_a_formula():
    content, count = exports.write_csv(["名称", "金额（元）", "日期", "时间"], [
        ["=HYPERLINK(\"http://x\")", Decimal("1200000"), datetime.date(2026, 3, 1),
         datetime.datetime(2026, 3, 1, 9, 30, 5)],
        ["+86", None, None, None],
    ])
    assert count == 2
    assert content.startswith(BOM)
    assert list(csv.reader(io.StringIO(content.decode("utf-8-sig")))) == [
        ["名称", "金额（元）", "日期", "时间"],
        ["'=HYPERLINK(\"http://x\")", "1200000.00", "2026-03-01", "2026-03-01 09:30:05"],
        ["'+86", "", "", ""],
    ]


def test_xlsx_keeps_dates_as_dates_and_money_as_numbers_under_a_bold_frozen_header():
    content, count = exports.write_xlsx(["企业名称", "申请金额（元）", "提交日期", "提交时间", "备注"], [
        ["东湖精密机械有限公司", Decimal("1200000.00"), datetime.date(2026, 3, 1),
         datetime.datetime(2026, 3, 1, 9, 30, 5), "=1+1"],
    ], title="贷款申请")
    assert count == 1
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    worksheet = workbook.active
    assert worksheet.title == "贷款申请"
    assert worksheet.freeze_panes == "A2"
    header, row = worksheet[1], worksheet[2]
    assert [c.value for c in header] == ["企业名称", "申请金额（元）", "提交日期", "提交时间", "备注"]
    assert all(c.font.b for c in header)
    assert row[0].value == "东湖精密机械有限公司"
    assert (row[1].value, row[1].number_format) == (1200000, "#,##0.00")
    assert (row[2].value, row[2].number_format) == (datetime.datetime(2026, 3, 1), "yyyy-mm-dd")
    assert (row[3].value, row[3].number_format) == (datetime.datetime(2026, 3, 1, 9, 30, 5), "yyyy-mm-dd hh:mm:ss")
    assert (row[4].value, row[4].data_type) == ("=1+1", "s")  # typed text, not a formula
    # As wide as the Chinese name needs (two columns a character), and never below the minimum.
    assert worksheet.column_dimensions["A"].width == 2 * len("东湖精密机械有限公司") + 2
    assert worksheet.column_dimensions["E"].width == exports.MIN_WIDTH


# --- lists of the registry --------------------------------------------------------------------------


@pytest.mark.django_db
def test_enterprise_export_is_the_filtered_list_with_chinese_headers(world, client):
    as_user(client, world.org_staff)
    url = reverse("enterprise_list") + "?is_key=true"
    expected = [
        ["名称", "统一社会信用代码", "主体类型", "行业门类", "所在区划", "园区", "从业人数", "重点民企"],
        ["东湖精密机械有限公司", world.ent_a.uscc, "民营企业", "制造业", "东湖村", "", "50", "是"],
    ]
    assert read_csv(client.get(url + "&export=csv")) == expected
    xlsx = read_xlsx(client.get(url + "&export=xlsx"))
    assert xlsx[0] == expected[0]
    assert xlsx[1] == ["东湖精密机械有限公司", world.ent_a.uscc, "民营企业", "制造业", "东湖村", None, 50, "是"]
    assert len(xlsx) == 2


@pytest.mark.django_db
def test_enterprise_export_has_every_page_of_the_filtered_list_in_its_order(world, client):
    # given 60 software enterprises (two pages of 50) among the manufacturers of the world
    EnterpriseFactory.create_batch(60, industry="I", region=world.village_b)
    as_user(client, world.org_staff)
    url = reverse("enterprise_list") + "?industry=I"
    # when the list is exported
    rows = read_csv(client.get(url + "&export=csv"))
    # then it has the 60 rows of both pages, in the order the pages show them, and nothing else
    assert [r[0] for r in rows[1:]] == [e.name for e in listed(client, url)]
    assert len(rows) == 61
    assert {r[3] for r in rows[1:]} == {"信息传输、软件和信息技术服务业"}


@pytest.mark.django_db
def test_people_export_never_holds_a_whole_id_number_or_mobile(world, client):
    as_user(client, world.org_staff)
    response = client.get(reverse("person_list") + "?q=东湖&export=csv")
    person = world.person_a
    assert read_csv(response) == [
        ["姓名", "身份证号", "手机号", "新生代企业家"],
        ["李东湖", person.id_number[:3] + "*" * 11 + person.id_number[-4:], person.mobile[:3] + "****" + person.mobile[-4:],
         "否"],
    ]
    assert person.id_number.encode() not in response.content
    assert person.mobile.encode() not in response.content


@pytest.mark.django_db
def test_an_export_is_audited_with_the_list_the_filters_and_the_row_count(world, client):
    as_user(client, world.org_staff)
    client.get(reverse("enterprise_list") + "?q=&is_key=true&export=xlsx")
    log = AuditLog.objects.get(action="export")
    assert (log.actor, log.object_type, log.object_id, log.object_repr) == (world.org_staff, "export", "enterprise_list",
                                                                            "市场主体")
    assert log.after == {"list": "enterprise_list", "filters": "is_key=true", "format": "xlsx", "rows": 1}


@pytest.mark.django_db
def test_invalid_filters_show_the_page_with_the_error_instead_of_a_file(world, client):
    as_user(client, world.org_staff)
    response = client.get(reverse("enterprise_list") + "?kind=nonsense&export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "kind" in response.context["filter"].errors
    assert not AuditLog.objects.filter(action="export").exists()


@pytest.mark.django_db
def test_an_unknown_format_goes_back_to_the_list_with_its_filters_and_a_message(world, client):
    as_user(client, world.org_staff)
    response = client.get(reverse("enterprise_list") + "?is_key=true&export=pdf", follow=True)
    assert response.redirect_chain == [(reverse("enterprise_list") + "?is_key=true", 302)]
    assert [str(m) for m in response.context["messages"]] == ["不支持的导出格式：pdf。请选择 Excel 或 CSV。"]


@pytest.mark.django_db
def test_the_export_buttons_keep_the_filters_but_not_the_page(world, client):
    as_user(client, world.org_staff)
    response = client.get(reverse("enterprise_list") + "?is_key=true&q=&page=1")
    assert response.context["export_links"] == [
        {"format": "xlsx", "label": "Excel", "url": "?is_key=true&export=xlsx"},
        {"format": "csv", "label": "CSV", "url": "?is_key=true&export=csv"},
    ]
    assert 'href="?is_key=true&amp;export=xlsx"' in response.content.decode()
    assert "导出 Excel" in response.content.decode()
    assert "导出 CSV" in response.content.decode()


# --- lists of the apps, as the roles that see part of them ------------------------------------------


@pytest.mark.django_db
def test_loan_applications_export_as_a_bank_officer_holds_only_its_own_bank(fworld, client):  # noqa: F811
    w = fworld
    rows = read_csv(as_user(client, w.bank_officer).get(reverse("finance:application_list") + "?export=csv"))
    submitted = timezone.localtime(w.app_a.submitted_at).strftime("%Y-%m-%d %H:%M:%S")
    assert rows == [
        ["编号", "企业", "统一社会信用代码", "银行", "产品", "申请金额（元）", "批准金额（元）", "状态", "渠道", "提交时间"],
        [str(w.app_a.pk), "东湖精密机械有限公司", w.ent_a.uscc, "农商银行", "党建惠企贷", "1200000.00", "",
         w.app_a.get_status_display(), w.app_a.get_channel_display(), submitted],
    ]
    # and the other bank's officer gets its own application, none of the first bank's
    other = read_csv(as_user(client, w.bank2_officer).get(reverse("finance:application_list") + "?export=csv"))
    assert [r[0] for r in other[1:]] == [str(w.app_b.pk)]


@pytest.mark.django_db
def test_appeals_export_as_town_staff_is_the_filtered_list_of_its_town(aworld, client):  # noqa: F811
    w = aworld
    as_user(client, w.town_staff)
    url = reverse("liaison:appeal_list") + "?status=received"
    rows = read_csv(client.get(url + "&export=csv"))
    assert rows[0] == ["编号", "标题", "企业", "类别", "渠道", "承办部门", "承办人", "办理期限", "超期", "状态",
                       "督办级别", "满意度"]
    assert rows[1:] == [[w.appeal_a.number, w.appeal_a.title, "东湖精密机械有限公司", w.appeal_a.get_category_display(),
                         w.appeal_a.get_channel_display(), "", "", w.appeal_a.deadline.isoformat(), "否",
                         w.appeal_a.get_status_display(), "0", ""]]
    assert [r[0] for r in rows[1:]] == [a.number for a in listed(client, url)]
    # without the filter: its town's three appeals, in the page's order; never 西山's
    everything = read_csv(client.get(reverse("liaison:appeal_list") + "?export=csv"))
    assert [r[0] for r in everything[1:]] == [a.number for a in listed(client, reverse("liaison:appeal_list"))]
    assert sorted(r[0] for r in everything[1:]) == sorted([w.appeal_a.number, w.resolved_a.number, w.overdue_a.number])
    assert w.appeal_b.number not in {r[0] for r in everything}


@pytest.mark.django_db
def test_talents_export_keeps_id_numbers_and_mobiles_masked(tw, client):  # noqa: F811
    response = as_user(client, tw.org_staff).get(reverse("talent:talent_list") + "?export=xlsx")
    rows = read_xlsx(response)
    assert rows[0] == ["姓名", "身份证号", "手机号", "人才类别", "领域", "用人单位", "引进渠道", "来源院校/机构", "孵化基地",
                       "引进日期"]
    masked = {r[0]: (r[1], r[2]) for r in rows[1:]}
    assert masked["周星湖"] == ("510***********4047", "138****5678")
    assert masked["钱西山"] == ("510***********0741", "139****4321")
    assert [r[0] for r in rows[1:]] == [t.person.name for t in listed(client, reverse("talent:talent_list"))]
    # the whole numbers are nowhere in the file (the workbook's XML is compressed: look in the cells)
    cells = {str(c) for r in rows for c in r}
    assert not cells & {ID_A, ID_B, ID_PARK, MOBILE_A, MOBILE_B}
    csv_body = as_user(client, tw.org_staff).get(reverse("talent:talent_list") + "?level=C&export=csv").content.decode()
    assert ID_A not in csv_body
    assert MOBILE_A not in csv_body
    assert "510***********4047" in csv_body


@pytest.mark.django_db
def test_a_talent_export_by_another_enterprise_has_none_of_the_first_ones_talents(tw, client):  # noqa: F811
    rows = read_csv(as_user(client, tw.enterprise_b_user).get(reverse("talent:talent_list") + "?export=csv"))
    assert [r[0] for r in rows[1:]] == ["钱西山"]


# The shared access helper on the export URLs: anonymous to the login page, a role without the list
# 403, and another bank / station / enterprise gets its own rows but never the marker's.
ACCESS_CASES = [
    AccessCase("finance:application_list", lambda w: reverse("finance:application_list") + "?export=csv",
               right=users("bank_officer", "station", "enterprise_user", "org_staff", "leader", "town_staff"),
               wrong=users("insurer_officer", "cadre", "admin"),
               other_scope=users("bank2_officer", "station_b_user", "enterprise_b_user", "town_staff_b"),
               other_status=(200,), marker=lambda w: "东湖精密机械有限公司",
               label="GET finance:application_list ?export=csv"),
    AccessCase("enterprise_list", lambda w: reverse("enterprise_list") + "?export=xlsx",
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
               wrong=users("bank_officer", "insurer_officer", "admin"),
               other_scope=users("town_staff_b", "station_b_user", "enterprise_b_user", "park_station_user", "cadre"),
               other_status=(200,), marker=lambda w: "东湖精密机械有限公司",
               label="GET enterprise_list ?export=xlsx"),
    AccessCase("enterprise_list", lambda w: reverse("enterprise_list") + "?export=csv",
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
               wrong=users("bank_officer", "insurer_officer", "admin"),
               other_scope=users("town_staff_b", "station_b_user", "enterprise_b_user", "park_station_user", "cadre"),
               other_status=(200,), marker=lambda w: "东湖精密机械有限公司",
               label="GET enterprise_list ?export=csv"),
    AccessCase("person_list", lambda w: reverse("person_list") + "?export=csv",
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
               wrong=users("bank_officer", "insurer_officer", "admin"),
               other_scope=users("town_staff_b", "station_b_user", "enterprise_b_user", "cadre"), other_status=(200,),
               marker=lambda w: "李东湖", label="GET person_list ?export=csv"),
    AccessCase("talent:talent_list", lambda w: reverse("talent:talent_list") + "?export=csv",
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
               wrong=users("bank_officer", "insurer_officer", "cadre", "admin"),
               other_scope=users("town_staff_b", "station_b_user", "enterprise_b_user", "park_station_user"),
               other_status=(200,), marker=lambda w: "周星湖", label="GET talent:talent_list ?export=csv"),
]


@pytest.fixture
def export_world(fworld, items):  # noqa: F811
    """fworld (two banks' applications) with the talents of tests/talent (talent_a at ent_a)."""
    from tests.talent.conftest import make_talent

    make_talent(fworld, name="周星湖", id_number=ID_A, mobile=MOBILE_A, level="C", employer=fworld.ent_a)
    make_talent(fworld, name="钱西山", id_number=ID_B, mobile=MOBILE_B, level="D", employer=fworld.ent_b)
    return fworld


@pytest.mark.django_db
@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, export_world):
    run_access_case(case, export_world)
