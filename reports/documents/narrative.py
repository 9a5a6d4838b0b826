"""The work report's text: what an office writes above its tables — each area in full sentences with its
headline figures, and the next steps the figures call for. Written from the figures alone
(`reports.figures.Figures`), so the text and the tables never disagree; every sentence goes through
gettext, so an English report reads in English."""

from __future__ import annotations

from decimal import Decimal

from django.utils import dateformat
from django.utils.translation import gettext as _

from portal.rules import yuan

from ..figures.leader import percent


def _n(value) -> str:
    """A count: 1,234."""
    return f"{int(value or 0):,}"


def _wan(value) -> str:
    """Money in 万元 with two decimals: 1,234.56."""
    return f"{Decimal(value or 0) / 10000:,.2f}"


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _date(day) -> str:
    """2026年12月8日, or 8 December 2026 in English."""
    return dateformat.format(day, _("Y年n月j日"))


def _join(parts: list[str]) -> str:
    return _("、").join(parts)


def period_text(scope) -> str:
    """2026年1月1日至12月8日 — the report's period."""
    return _("%(since)s至%(day)s") % {"since": _date(scope.since), "day": _date(scope.as_of)}


def introduction(f, area: str) -> str:
    return _("现将%(area)s%(period)s党建引领企业服务工作情况报告如下。本报告数字由党建+服务门户按截止日当天的记录"
             "统计，“截至”类数字为%(day)s当天的状态，“期内”类数字为报告期间内发生的业务。") % {
        "area": area, "period": period_text(f.scope), "day": _date(f.scope.as_of)}


def ratings_text(f) -> list[str]:
    r = f.ratings
    if not r.total:
        return [_("截至%(day)s，尚无有效的星级党组织。") % {"day": _date(f.scope.as_of)}]
    counts = {row["stars"]: row["count"] for row in r.levels}
    first = [p for p in r.trend if not p["partial"] and p["count"]]
    paragraphs = [_("截至%(day)s，共有有效星级党组织%(total)s个，其中五星%(n5)s个、四星%(n4)s个、三星%(n3)s个、"
                    "二星%(n2)s个、一星%(n1)s个；四星、五星党组织%(high)s个，占%(share)s。") % {
        "day": _date(f.scope.as_of), "total": _n(r.total), "n5": _n(counts[5]), "n4": _n(counts[4]),
        "n3": _n(counts[3]), "n2": _n(counts[2]), "n1": _n(counts[1]), "high": _n(r.high),
        "share": _pct(percent(r.high, r.total))}]
    if first:
        paragraphs.append(_("四星、五星党组织由%(first_year)s年度的%(first)s个增加到%(last_year)s年度的%(last)s个，"
                            "目前有效%(now)s个。") % {
            "first_year": first[0]["year"], "first": _n(first[0]["count"]), "last_year": first[-1]["year"],
            "last": _n(first[-1]["count"]), "now": _n(r.high)})
    if r.areas:
        top = max(r.areas, key=lambda a: (a["total"], a["high"]))
        paragraphs.append(_("分区域看，%(area)s的星级党组织最多，共%(total)s个（其中四星、五星%(high)s个）；"
                            "各区域明细见附件。") % {"area": top["name"], "total": _n(top["total"]),
                                              "high": _n(top["high"])})
    return paragraphs


def finance_text(f) -> list[str]:
    t = f.finance.total
    pending = t["states"][0] + t["states"][1]
    if t["approved_count"]:
        busiest = max(f.finance.banks, key=lambda b: b["approved_amount"])
        approvals = _("期内合作银行审批党建增信贷款%(count)s笔、金额%(amount)s万元，其中%(bank)s审批金额最多"
                      "（%(bank_amount)s万元）。") % {
            "count": _n(t["approved_count"]), "amount": _wan(t["approved_amount"]), "bank": busiest["name"],
            "bank_amount": _wan(busiest["approved_amount"])}
    else:
        approvals = _("期内暂无审批的党建增信贷款。")
    standing = _("截至%(day)s，累计受理贷款申请%(count)s件、申请金额%(amount)s万元；已审批、已放款且尚未结清的贷款"
                 "占用授信额度%(used)s万元，在途申请%(pending)s件。") % {
        "day": _date(f.scope.as_of), "count": _n(t["count"]), "amount": _wan(t["amount"]), "used": _wan(t["quota_used"]),
        "pending": _n(pending)}
    st = f.stations
    stations = _("期内共有%(active)s个金融服务站代办业务，代办贷款申请%(loans)s件、保险报价%(quotes)s件、"
                 "问题诉求%(appeals)s件。") % {"active": _n(st.active), "loans": _n(st.total["loans"]),
                                        "quotes": _n(st.total["quotes"]), "appeals": _n(st.total["appeals"])}
    if st.top:
        stations += _("业务量最多的是%(station)s（%(n)s件）。") % {"station": st.top[0]["name"],
                                                             "n": _n(st.top[0]["total"])}
    return [approvals + standing, stations]


def insurance_text(f) -> list[str]:
    t = f.insurance.total
    if not t["count"]:
        return [_("期内暂无按星级出具的优惠保单。")]
    return [_("期内合作保险公司按星级出具优惠保单%(count)s份，基础保费%(base)s元，保费优惠%(discount)s元，"
              "实收保费%(net)s元，优惠让利占基础保费的%(share)s。") % {
        "count": _n(t["count"]), "base": yuan(t["base"]), "discount": yuan(t["discount"]), "net": yuan(t["net"]),
        "share": _pct(percent(int(t["discount"] * 100), int(t["base"] * 100)))}]


def talent_text(f) -> list[str]:
    t = f.talent
    levels = _join([_("%(label)s%(n)s名") % {"label": lvl["label"], "n": _n(lvl["count"])}
                    for lvl in t.levels if lvl["count"]])
    text = _("累计引进人才%(total)s名，期内新增%(recent)s名。") % {"total": _n(t.total), "recent": _n(t.recent)}
    if levels:
        text += _("按类别：%(levels)s。") % {"levels": levels}
    this_year = next((y for y in t.training if y["year"] == f.scope.as_of.year), None)
    if this_year:
        text += _("订单式培训%(year)s年度举办%(sessions)s场，参训%(trainees)s人。") % {
            "year": this_year["year"], "sessions": _n(this_year["sessions"]), "trainees": _n(this_year["trainees"])}
    return [text]


def liaison_text(f) -> list[str]:
    li = f.liaison
    t, p = li.total, li.pairing
    appeals = _("截至%(day)s，在办问题诉求%(open)s件，其中超期%(overdue)s件；期内受理%(received)s件，已办结"
                "%(resolved)s件，办结率%(rate)s。") % {
        "day": _date(f.scope.as_of), "open": _n(t["open"]), "overdue": _n(t["overdue"]),
        "received": _n(t["received"]), "resolved": _n(t["resolved"]), "rate": _pct(t["rate"])}
    if t["rated"]:
        appeals += _("企业评价%(rated)s次，平均满意度%(satisfaction)s分（满分5分）。") % {
            "rated": _n(t["rated"]), "satisfaction": t["satisfaction"]}
    pairing = _("重点民企%(total)s家，已有联系领导的%(covered)s家，覆盖率%(coverage)s；县级领导干部%(county)s名，"
                "联系数不足%(under)s名、超出%(over)s名。") % {
        "total": _n(p["key_total"]), "covered": _n(p["key_covered"]), "coverage": _pct(p["coverage"]),
        "county": _n(p["county"]), "under": _n(p["under"]), "over": _n(p["over"])}
    return [appeals, pairing]


def timeliness_text(f) -> list[str]:
    """One sentence: the steps ended in the period and how many on time, those past due on the day, and
    the enterprises' satisfaction with the cases that ended."""
    t = f.timeliness.total
    if not (t["done"] or t["late_open"] or t["handled"]):
        return [_("期内暂无限时办结环节和满意度回访记录。")]
    values = {"done": _n(t["done"]), "on_time": _n(t["on_time"]), "rate": _pct(t["rate"]),
              "day": _date(f.scope.as_of), "late": _n(t["late_open"]), "handled": _n(t["handled"]),
              "answered": _n(t["answered"]), "average": "—" if t["average"] is None else t["average"],
              "opened": _n(t["opened"]), "closed": _n(t["closed"])}
    if not t["handled"]:
        return [_("期内评星审核、贷款办理、人才待遇审核和问题诉求承办共办结%(done)s个环节，其中按时办结%(on_time)s个，"
                  "按时率%(rate)s，截至%(day)s超期在办%(late)s个。") % values]
    return [_("期内评星审核、贷款办理、人才待遇审核和问题诉求承办共办结%(done)s个环节，其中按时办结%(on_time)s个，"
              "按时率%(rate)s，截至%(day)s超期在办%(late)s个；期内办结的%(handled)s件业务已回访，企业评价"
              "%(answered)s件，平均满意度%(average)s分（满分5分），回访整改发起%(opened)s件、办结%(closed)s件。") % values]


def next_steps(f) -> list[str]:
    """What the figures call for, most pressing first; an empty list when nothing stands out."""
    li, fin = f.liaison, f.finance.total
    steps = []
    if li.total["overdue"]:
        steps.append(_("督促承办部门办结超期问题诉求%(n)s件，逾期未办结的按程序督办。") % {"n": _n(li.total["overdue"])})
    late = f.timeliness.total["late_open"]
    if late:
        steps.append(_("督促有关镇（街道）、合作银行和承办部门办结超过办理期限的%(n)s个环节。") % {"n": _n(late)})
    if li.pairing["key_uncovered"]:
        steps.append(_("为尚无联系领导的%(n)s家重点民企明确联系领导。") % {"n": _n(li.pairing["key_uncovered"])})
    if li.pairing["under"]:
        steps.append(_("为联系数不足的%(n)s名县级领导干部补足联系企业和企业家。") % {"n": _n(li.pairing["under"])})
    pending = fin["states"][0] + fin["states"][1]
    if pending:
        steps.append(_("协调合作银行加快办理在途贷款申请%(n)s件。") % {"n": _n(pending)})
    if f.ratings.total and f.ratings.high < f.ratings.total:
        steps.append(_("指导%(n)s个三星及以下党组织对照评星标准补齐短板，争创四星、五星。") % {
            "n": _n(f.ratings.total - f.ratings.high)})
    return steps


def narrative(f, area: str) -> dict:
    """Every paragraph of the report's text, by section."""
    return {"introduction": introduction(f, area), "ratings": ratings_text(f), "finance": finance_text(f),
            "insurance": insurance_text(f), "talent": talent_text(f), "liaison": liaison_text(f),
            "timeliness": timeliness_text(f), "next_steps": next_steps(f)}
