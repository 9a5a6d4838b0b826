"""The periodic work report (工作报告): who may ask for it and with which day, its progress by section,
a PDF in Chinese with a CJK font embedded whose tables print `figures(as_of)`, and the same text for
the same day, whoever asks and whatever happened since."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from portal.errors import AccessDenied, DomainError
from portal.rules import yuan
from reports import services
from reports.choices import ReportKind, ReportState
from reports.documents.work_report import prepare_work_report, render_work_report
from reports.figures import figures
from reports.figures.period import year_start
from tests.finance.conftest import product, product2, quota_table  # noqa: F401  (fixtures)
from tests.ratings.conftest import rubric  # noqa: F401  (fixture)

from . import figures_world
from .figures_world import DAY, later_changes
from .helpers import compact, pdf_fonts, pdf_text

hist = figures_world.hist  # the fixture
pytestmark = pytest.mark.django_db


def _made(w, user, **params):
    report = services.report_request(kind=ReportKind.WORK_REPORT, params={"as_of": w.day.isoformat(), **params},
                                     acting_user=user)
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.state == ReportState.DONE, report.error
    return report, default_storage.open(report.file.name).read()


# --- asking ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "field", "message"), [
    ({}, "as_of", "请填写报告截止日期。"),
    ({"as_of": "  "}, "as_of", "请填写报告截止日期。"),
    ({"as_of": "2025/06/30"}, "as_of", "日期格式应为 YYYY-MM-DD"),
    ({"as_of": "2999-01-01"}, "as_of", "报告截止日期不能晚于今天"),
    ({"as_of": "2018-12-31"}, "as_of", "报告截止日期不能早于 2019 年（首个评定年度）。"),
    ({"as_of": "2025-06-30", "region": "abc"}, "region", "请选择列表中的镇（街道），或留空统计全市。"),
    ({"as_of": "2025-06-30", "region": "999999"}, "region", "请选择列表中的镇（街道），或留空统计全市。"),
])
def test_a_bad_request_is_refused_at_its_field(world, params, field, message):
    with pytest.raises(DomainError) as refused:
        prepare_work_report(user=world.leader, params=params)
    assert refused.value.field == field
    assert message in str(refused.value.message)


def test_a_village_is_not_a_report_region(world):
    with pytest.raises(DomainError) as refused:
        prepare_work_report(user=world.org_staff, params={"as_of": "2025-06-30", "region": world.village_a.pk})
    assert refused.value.field == "region"


@pytest.mark.parametrize("who", ["bank_officer", "town_staff", "station", "insurer_officer", "enterprise_user",
                                 "cadre", "admin"])
def test_only_leaders_and_the_department_may_ask(world, who):
    with pytest.raises(AccessDenied):
        services.report_request(kind=ReportKind.WORK_REPORT, params={"as_of": "2025-06-30"},
                                acting_user=getattr(world, who))


def test_today_is_a_valid_day_and_the_request_is_idempotent(world):
    today = timezone.localdate().isoformat()
    first = services.report_request(kind=ReportKind.WORK_REPORT, params={"as_of": today}, acting_user=world.leader)
    again = services.report_request(kind=ReportKind.WORK_REPORT, params={"as_of": today, "region": ""},
                                    acting_user=world.leader)
    assert first.pk == again.pk
    assert (first.params, first.title) == ({"as_of": today, "lang": "zh-hans"}, f"工作报告 · 全市 · 截至 {today}")
    town = services.report_request(kind=ReportKind.WORK_REPORT, params={"as_of": today, "region": world.town_b.pk},
                                   acting_user=world.leader)
    assert town.pk != first.pk
    assert town.title == f"工作报告 · 西山街道 · 截至 {today}"


# --- the document ------------------------------------------------------------------------------------

def test_the_report_reports_progress_section_by_section(hist):
    prepared = prepare_work_report(user=hist.leader, params={"as_of": hist.day.isoformat()})
    report = type("R", (), {"params": prepared.params, "requested_by": hist.leader})()
    steps = []
    rendered = render_work_report(report, lambda percent, step: steps.append((percent, str(step))))
    assert steps == [(5, "统计评星定级"), (15, "统计党建+金融"), (25, "统计党建+保险"), (35, "统计金融服务站"),
                     (45, "统计党建+科创"), (55, "统计政企联系"), (65, "统计限时办结与服务质效"), (75, "绘制图表"),
                     (85, "排版报告")]
    assert rendered.filename == f"work-report-{hist.day.isoformat()}.pdf"
    assert rendered.content.startswith(b"%PDF")


def _expected_rows(result) -> list[str]:
    """The rows of the report's tables as the PDF's text gives them (spaces removed), from the figures."""
    r, f, i, t, li = result.ratings, result.finance, result.insurance, result.talent, result.liaison
    rows = ["".join(row["label"] for row in r.levels) + "合计" + "".join(str(row["count"]) for row in r.levels)
            + str(r.total)]
    rows += [a["name"] + "".join(str(n) for n in a["stars"]) + str(a["total"]) for a in r.areas]
    rows += ["".join(p["label"] for p in r.trend) + "".join(str(p["count"]) for p in r.trend)]
    rows += [b["name"] + "".join(str(n) for n in b["states"]) + str(b["count"]) for b in f.banks]
    rows += [b["name"] + yuan(b["amount"]) + yuan(b["quota_used"]) + str(b["approved_count"])
             + yuan(b["approved_amount"]) for b in f.banks]
    rows += [x["name"] + str(x["count"]) + yuan(x["base"]) + yuan(x["discount"]) + yuan(x["net"]) for x in i.insurers]
    rows += [s["name"] + f'{s["loans"]}{s["quotes"]}{s["appeals"]}{s["total"]}' for s in result.stations.top]
    rows += [lvl["label"].replace(" ", "") + f'{lvl["count"]}{lvl["recent"]}' for lvl in t.levels]
    rows += [f'{y["year"]}{y["sessions"]}{y["trainees"]}' for y in t.training]
    for c in [*li.categories, li.total]:
        rate = "—" if c["rate"] is None else f'{c["rate"]}%'
        satisfaction = "—" if c["satisfaction"] is None else str(c["satisfaction"])
        rows.append(f'{c["label"]}{c["open"]}{c["overdue"]}{c["received"]}{c["resolved"]}{rate}{c["rated"]}'
                    f"{satisfaction}")
    p = li.pairing
    rows.append(f'重点民企{p["key_total"]}有联系领导{p["key_covered"]}覆盖率{p["coverage"]}%')
    rows.append(f'县级领导干部{p["county"]}联系数不足{p["under"]}联系数超出{p["over"]}')
    return rows


def _without_number(content: bytes) -> str:
    return re.sub(r"组工报〔\d{4}〕\d+号", "", compact(pdf_text(content)))


def test_the_pdf_is_chinese_with_a_cjk_font_and_prints_the_figures_of_its_day(hist):
    report, content = _made(hist, hist.leader)
    text = compact(pdf_text(content))
    for heading in ("关于党建引领企业服务工作情况的报告", "一、评星定级", "二、党建+金融", "三、党建+保险", "四、党建+科创",
                    "五、政企联系"):
        assert heading in text
    assert f"数据截至{hist.day.year}年{hist.day.month}月{hist.day.day}日" in text
    assert any("CJK" in name for name in pdf_fonts(content)), pdf_fonts(content)
    expected = figures(user=hist.leader, as_of=hist.day, since=year_start(hist.day))
    for row in _expected_rows(expected):
        assert compact(row) in text, row
    # the figures of the world, as the figures tests know them
    assert "五星四星三星二星一星合计121015" in text
    assert "人保财险" in text
    assert "建设银行" in text
    assert report.filename == f"work-report-{hist.day.isoformat()}.pdf"
    assert report.progress == 100


def test_two_reports_of_the_same_day_print_the_same_figures(hist):
    # given the department's report of day D
    _first, before = _made(hist, hist.org_staff)
    # when much happens after D and a leader asks for the same day
    later_changes(hist)
    _second, after = _made(hist, hist.leader)
    # then the two documents say the same, table for table (each with its own document number)
    assert _without_number(before) == _without_number(after)
    # while a report of today says otherwise
    today = services.report_request(kind=ReportKind.WORK_REPORT,
                                    params={"as_of": (hist.day + 30 * DAY).isoformat()}, acting_user=hist.leader)
    services.report_generate(report_id=today.pk)
    today.refresh_from_db()
    assert _without_number(default_storage.open(today.file.name).read()) != _without_number(after)


def test_a_town_report_prints_that_town_only(hist):
    _report, content = _made(hist, hist.leader, region=hist.town_b.pk)
    text = compact(pdf_text(content))
    assert "西山街道·数据截至" in text
    assert "西山社区011002" in text  # org_d 4★ and org_b 3★, by village
    assert "东湖村" not in text


def test_the_report_reads_as_an_office_report_with_a_narrative_of_each_area(hist, settings):
    # given a configured issuer, and a first report of the year already asked for
    settings.PORTAL_ISSUER = "中共星湖市委组织部"
    first, _content = _made(hist, hist.org_staff)
    # when a leader asks for the report of day D
    report, content = _made(hist, hist.leader)
    text = compact(pdf_text(content))
    year = report.created_at.year
    # then it has the issuer, its own document number (the second of the year), the period and the date
    assert text.startswith("中共星湖市委组织部" + f"组工报〔{year}〕2号")
    assert f"组工报〔{year}〕1号" in compact(pdf_text(_content))
    assert "关于党建引领企业服务工作情况的报告" in text
    day, since = hist.day, year_start(hist.day)
    assert f"期间：{since.year}年{since.month}月{since.day}日至{day.year}年{day.month}月{day.day}日" in text
    today = timezone.localdate()
    assert text.count(f"中共星湖市委组织部{today.year}年{today.month}月{today.day}日") == 1  # signed and dated
    # and each area in sentences with its headline figures, before the annex of tables
    narrative = text[:text.index("附件：统计表与图表", text.index("特此报告"))]
    d = f"{day.year}年{day.month}月{day.day}日"
    # (the "as of" figures are the world's; those of the period, the year to D, depend on today's date)
    period = figures(user=hist.leader, as_of=day, since=since)
    approved, li = period.finance.total, period.liaison.total
    for sentence in (
        f"截至{d}，共有有效星级党组织5个，其中五星1个、四星2个、三星1个、二星0个、一星1个；四星、五星党组织3个，占60.0%。",
        (f"期内合作银行审批党建增信贷款{approved['approved_count']}笔、金额{approved['approved_amount'] / 10000:,.2f}万元"
         if approved["approved_count"] else "期内暂无审批的党建增信贷款。"),
        f"截至{d}，在办问题诉求2件，其中超期1件；期内受理{li['received']}件，已办结{li['resolved']}件",
        "重点民企2家，已有联系领导的1家，覆盖率50.0%；县级领导干部2名，联系数不足1名、超出0名。",
        "督促承办部门办结超期问题诉求1件，逾期未办结的按程序督办。",
    ):
        assert compact(sentence) in narrative, sentence
    # and printing it again gives it the same number
    services.report_generate(report_id=report.pk)
    assert first.pk < report.pk


def test_a_report_asked_in_english_is_in_english_and_a_copy_of_its_own(hist):
    from django.utils import translation

    chinese, _zh = _made(hist, hist.leader)
    with translation.override("en"):
        report = services.report_request(kind=ReportKind.WORK_REPORT, params={"as_of": hist.day.isoformat()},
                                         acting_user=hist.leader)
    assert report.pk != chinese.pk
    assert report.params["lang"] == "en"
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    text = pdf_text(default_storage.open(report.file.name).read())
    for phrase in ("Report on Party-building-led enterprise services", "To the Municipal Party Committee:",
                   "Party organizations hold a valid star rating", "Annex: tables and charts", "1. Star rating"):
        assert compact(phrase) in compact(text), phrase
    for chinese_label in ("关于", "市委：", "截至", "评星定级", "附件", "万元"):
        assert chinese_label not in text, chinese_label


__all__ = ["datetime"]
