"""The periodic work report (工作报告) for leaders: the figures of the whole system — or of one town —
as of a chosen day, for the year up to that day, with tables and server-drawn SVG charts under the six
headings 评星定级、党建+金融、党建+保险、党建+科创、政企联系、限时办结与服务质效.

The figures are `reports.figures.figures(as_of)`: computed from dated facts only, so a report asked for
the same day again, by anyone, prints the same figures (see that module for the few limits)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.access import has_role
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.replica import replica_reads

from ..choices import ReportKind
from ..figures import figures
from ..figures.leader import STARS, star_label
from ..figures.period import FIRST_YEAR, year_start
from ..kinds import Prepared, Rendered, document_language, register
from .narrative import narrative, period_text
from .pdf import issuer_name, render_pdf
from .svg import bar_chart, line_chart

# Who asks for the work report: the organization department and the city's leaders.
READERS = (Role.ORG_STAFF, Role.LEADER)


def can_request_work_report(user) -> bool:
    return has_role(user, *READERS)


def parse_as_of(raw, today: datetime.date) -> datetime.date:
    """The report's day: a date, not in the future, not before the scheme's first cycle."""
    if isinstance(raw, datetime.date):
        day = raw
    else:
        text = str(raw or "").strip()
        if not text:
            raise DomainError(_("请填写报告截止日期。"), field="as_of", code="required")
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise DomainError(_("日期格式应为 YYYY-MM-DD，例如 %(day)s。") % {"day": today.isoformat()},
                              field="as_of") from None
    if day > today:
        raise DomainError(_("报告截止日期不能晚于今天（%(day)s）。") % {"day": today.isoformat()}, field="as_of",
                          code="future")
    if day.year < FIRST_YEAR:
        raise DomainError(_("报告截止日期不能早于 %(year)s 年（首个评定年度）。") % {"year": FIRST_YEAR}, field="as_of")
    return day


def report_regions(user):
    """The regions a work report may be limited to: the city's towns and streets."""
    from portal.choices import RegionLevel
    from portal.selectors import region_list

    return region_list(user=user).filter(level=RegionLevel.TOWN).order_by("code")


def parse_region(raw, user):
    """The town a report is limited to, or None for the whole city."""
    if raw in (None, ""):
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        pk = None
    region = report_regions(user).filter(pk=pk).first() if pk is not None else None
    if region is None:
        raise DomainError(_("请选择列表中的镇（街道），或留空统计全市。"), field="region")
    return region


def prepare_work_report(*, user, params: dict) -> Prepared:
    if not can_request_work_report(user):
        raise AccessDenied(_("工作报告仅供组织部（两新工委）工作人员和市领导申请。"))
    as_of = parse_as_of(params.get("as_of"), timezone.localdate())
    region = parse_region(params.get("region"), user)
    stored = {"as_of": as_of.isoformat(), "lang": document_language()}
    if region is not None:
        stored["region"] = region.pk
    title = _("工作报告 · %(area)s · 截至 %(day)s") % {
        "area": region.name if region is not None else _("全市"), "day": as_of.isoformat()}
    return Prepared(params=stored, title=title)


# --- the document ------------------------------------------------------------------------------------

SECTION_STEPS = {
    "ratings": gettext_lazy("统计评星定级"), "finance": gettext_lazy("统计党建+金融"),
    "insurance": gettext_lazy("统计党建+保险"), "stations": gettext_lazy("统计金融服务站"),
    "talent": gettext_lazy("统计党建+科创"), "liaison": gettext_lazy("统计政企联系"),
    "timeliness": gettext_lazy("统计限时办结与服务质效"),
}
# The progress of the sections runs from 5% to 75% (then the charts, then the layout at 85%).
SECTION_PERCENT = 70 // len(SECTION_STEPS)
# At most this many areas in the stars-by-area chart (the table lists them all).
CHART_AREAS = 20


def _wan(value) -> float:
    return round(float(value) / 10000, 2)


def charts(result) -> dict:
    """The SVG charts of the report, from its figures."""
    r, f, i, t, li = result.ratings, result.finance, result.insurance, result.talent, result.liaison
    areas = sorted(r.areas, key=lambda a: -a["total"])[:CHART_AREAS]
    return {
        "stars": bar_chart([row["label"] for row in r.levels], [(_("组织数"), [row["count"] for row in r.levels])],
                           height=200),
        "areas": bar_chart([a["name"] for a in areas],
                           [(star_label(s), [a["stars"][k] for a in areas]) for k, s in enumerate(STARS)],
                           stacked=True, height=240),
        "trend": line_chart([p["label"] for p in r.trend], [p["count"] for p in r.trend]),
        "loans": bar_chart([b["name"] for b in f.banks],
                           [(_("申请金额"), [_wan(b["amount"]) for b in f.banks]),
                            (_("期内审批金额"), [_wan(b["approved_amount"]) for b in f.banks]),
                            (_("占用额度"), [_wan(b["quota_used"]) for b in f.banks])], unit=_("万元")),
        "insurance": bar_chart([x["name"] for x in i.insurers],
                               [(_("保费优惠"), [_wan(x["discount"]) for x in i.insurers])], unit=_("万元"),
                               height=200),
        "talent": bar_chart([lvl["code"] for lvl in t.levels], [(_("人才"), [lvl["count"] for lvl in t.levels])],
                            height=200),
        "training": bar_chart([str(y["year"]) for y in t.training],
                              [(_("参训人数"), [y["trainees"] for y in t.training])], height=200),
        "appeals": bar_chart([c["label"] for c in li.categories],
                             [(_("办理中"), [c["open"] for c in li.categories]),
                              (_("其中超期"), [c["overdue"] for c in li.categories])], height=200),
    }


def timeliness_tables(tm) -> list[tuple]:
    """The tables of 限时办结与服务质效 that count both on-time and satisfaction: (title, first column,
    rows, id)."""
    return [(_("党建+金融：银行贷款办理"), _("银行"), tm.banks, "timeliness-banks"),
            (_("党建+科创：人才待遇（按政策项目）"), _("政策项目"), tm.programmes, "timeliness-programmes"),
            (_("政企联系：问题诉求（按承办部门）"), _("承办部门"), tm.departments, "timeliness-departments")]


def document_number(report) -> str:
    """组工报〔2026〕3号: the report's place among the work reports asked for in its year — fixed once the
    report exists (reports are never deleted), so printing it again prints the same number."""
    from django.conf import settings

    from ..models import Report

    created = timezone.localtime(report.created_at) if getattr(report, "created_at", None) else timezone.localtime()
    year = created.year
    if getattr(report, "pk", None) is None:
        serial = 0
    else:
        start = datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
        serial = Report.objects.filter(kind=ReportKind.WORK_REPORT, created_at__gte=start,
                                       pk__lte=report.pk).count()
    prefix = settings.PORTAL_REPORT_NUMBER_PREFIX or _("组工报")
    return _("%(prefix)s〔%(year)s〕%(serial)s号") % {"prefix": prefix, "year": year, "serial": serial}


@replica_reads()
def render_work_report(report, progress) -> Rendered:
    as_of = datetime.date.fromisoformat(report.params["as_of"])
    user = report.requested_by
    region = parse_region(report.params.get("region"), user)

    def told(index: int, name: str) -> None:
        progress(5 + index * SECTION_PERCENT, str(SECTION_STEPS[name]))

    result = figures(user=user, as_of=as_of, since=year_start(as_of), region=region, progress=told)
    progress(5 + len(SECTION_STEPS) * SECTION_PERCENT, _("绘制图表"))
    drawn = charts(result)
    progress(85, _("排版报告"))
    area = region.name if region is not None else _("全市")
    issued = timezone.localtime(report.created_at).date() if getattr(report, "created_at", None) else as_of
    content = render_pdf("reports/pdf/work_report.html", {
        "figures": result, "charts": drawn, "scope": result.scope, "as_of": as_of, "area": area, "report": report,
        "text": narrative(result, area), "issuer": issuer_name(), "number": document_number(report),
        "period": period_text(result.scope), "issued": issued, "tm_tables": timeliness_tables(result.timeliness),
    })
    suffix = f"-{region.code}" if region is not None else ""
    return Rendered(f"work-report-{as_of.isoformat()}{suffix}.pdf", content)


register(ReportKind.WORK_REPORT, prepare=prepare_work_report, render=render_work_report)
