"""The dashboards' charts as plain data, embedded in the page with `json_script` and drawn by ECharts
(reports/static/reports/dashboard.js): one entry per chart, {"type": "bar" | "line" | "pie", "labels",
"series": [{"name", "data"}], "stacked", "horizontal", "unit", "links"}. Money is in 万元, as a number; `links`
(leaders' dashboard) are the URLs a click on a bar, point or slice opens."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .leader import STARS, star_label

# The stars-by-area chart shows the areas with the most rated organizations (the table lists all).
CHART_AREAS = 30


def _wan(value) -> float:
    return round(float(value or 0) / 10000, 2)


def _chart(kind: str, labels, series, **options) -> dict:
    return {"type": kind, "labels": [str(label) for label in labels],
            "series": [{"name": str(name), "data": list(data)} for name, data in series], **options}


def leader_charts(f, links: dict | None = None) -> dict:
    """The charts of the leaders' dashboard; with `links` (reports.figures.links) each bar, point and
    slice carries the URL of the list it counts: `links` is one URL per label, or one list per series."""
    r, fin, ins, st, t, li = f.ratings, f.finance, f.insurance, f.stations, f.talent, f.liaison
    ranked = sorted(range(len(r.areas)), key=lambda k: -r.areas[k]["total"])[:CHART_AREAS]
    areas = [r.areas[k] for k in ranked]
    charts = {
        "stars": _chart("bar", [row["label"] for row in r.levels], [(_("党组织"), [row["count"] for row in r.levels])]),
        "areas": _chart("bar", [a["name"] for a in areas],
                        [(star_label(s), [a["stars"][k] for a in areas]) for k, s in enumerate(STARS)], stacked=True),
        "trend": _chart("line", [p["label"] for p in r.trend], [(_("四星、五星"), [p["count"] for p in r.trend])]),
        "loans": _chart("bar", [b["name"] for b in fin.banks],
                        [(label, [b["states"][i] for b in fin.banks]) for i, (_code, label) in enumerate(fin.states)],
                        stacked=True),
        "loan_amounts": _chart("bar", [b["name"] for b in fin.banks], [
            (_("申请金额"), [_wan(b["amount"]) for b in fin.banks]),
            (_("期内审批金额"), [_wan(b["approved_amount"]) for b in fin.banks]),
            (_("占用额度"), [_wan(b["quota_used"]) for b in fin.banks])], unit=_("万元")),
        "insurance": _chart("bar", [x["name"] for x in ins.insurers], [
            (_("保费优惠"), [_wan(x["discount"]) for x in ins.insurers]),
            (_("实收保费"), [_wan(x["net"]) for x in ins.insurers])], unit=_("万元")),
        "stations": _chart("bar", [s["name"] for s in st.top], [
            (_("贷款申请"), [s["loans"] for s in st.top]), (_("保险报价"), [s["quotes"] for s in st.top]),
            (_("问题诉求"), [s["appeals"] for s in st.top])], stacked=True, horizontal=True),
        "talent": _chart("pie", [lvl["label"] for lvl in t.levels], [(_("人才"), [lvl["count"] for lvl in t.levels])]),
        "training": _chart("bar", [y["year"] for y in t.training], [
            (_("培训场次"), [y["sessions"] for y in t.training]), (_("参训人数"), [y["trainees"] for y in t.training])]),
        "appeals": _chart("bar", [c["label"] for c in li.categories], [
            (_("在办"), [c["open"] for c in li.categories]), (_("其中超期"), [c["overdue"] for c in li.categories]),
            (_("期内办结"), [c["resolved"] for c in li.categories])]),
        "pairing": _chart("pie", [_("有联系领导"), _("尚无联系领导")],
                          [(_("重点民企"), [li.pairing["key_covered"], li.pairing["key_uncovered"]])]),
    }
    if links:
        area_links = [links["areas"][k] for k in ranked]
        banks, categories = links["banks"], links["categories"]
        charts["stars"]["links"] = [links["levels"][row["stars"]] for row in r.levels]
        charts["areas"]["links"] = [[a["stars"][k] if a else None for a in area_links] for k in range(len(STARS))]
        charts["trend"]["links"] = links["trend"]
        charts["loans"]["links"] = [[b["states"][i] for b in banks] for i in range(len(fin.states))]
        charts["loan_amounts"]["links"] = [[b["all"] for b in banks], [b["approvals"] for b in banks],
                                           [b["all"] for b in banks]]
        charts["insurance"]["links"] = links["insurers"]
        charts["stations"]["links"] = links["stations"]
        charts["talent"]["links"] = [links["talents"][lvl["code"]] for lvl in t.levels]
        charts["training"]["links"] = links["training"]
        charts["appeals"]["links"] = [[c["open"] for c in categories], [c["overdue"] for c in categories],
                                      [c["received"] for c in categories]]
        charts["pairing"]["links"] = [links["key"], links["key"]]
    return charts


def station_charts(d) -> dict:
    return {
        "loans": _chart("bar", [r["label"] for r in d.loans], [(_("贷款申请"), [r["count"] for r in d.loans])]),
        "quotes": _chart("bar", [r["label"] for r in d.quotes], [(_("保险报价"), [r["count"] for r in d.quotes])]),
        "appeals": _chart("bar", [r["label"] for r in d.appeals], [(_("问题诉求"), [r["count"] for r in d.appeals])]),
    }


def bank_charts(d) -> dict:
    return {
        "states": _chart("bar", [r["label"] for r in d.states], [(_("申请"), [r["count"] for r in d.states])]),
        "months": _chart("bar", [m["month"] for m in d.months], [(_("审批笔数"), [m["count"] for m in d.months])]),
        "month_amounts": _chart("line", [m["month"] for m in d.months],
                                [(_("审批金额"), [_wan(m["amount"]) for m in d.months])], unit=_("万元")),
    }
