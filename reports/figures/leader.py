"""The whole system's figures as of a day, for the leaders' dashboard and the work report: what each
app's selectors answer, labelled and totalled. See the package docstring for what "as of" means."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .period import Scope

ZERO = Decimal("0.00")
STARS = (5, 4, 3, 2, 1)


def star_label(stars: int) -> str:
    return {5: _("五星"), 4: _("四星"), 3: _("三星"), 2: _("二星"), 1: _("一星")}[stars]


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole in per cent with one decimal (half up), None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average(total, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- 评星定级 ---------------------------------------------------------------------------------------

@dataclass
class RatingFigures:
    levels: list[dict]  # {"stars", "label", "count"}, five stars first
    total: int
    high: int  # four and five stars
    areas: list[dict]  # {"name", "stars": [n5 … n1], "total", "high"}
    trend: list[dict]  # {"year", "count", "label", "partial"}: four- and five-star ratings of each cycle; the
    #                    day's own year so far (`partial`) counts those valid that day


def _is_year_end(day) -> bool:
    return (day.month, day.day) == (12, 31)


def year_to_date_label(day) -> str:
    """The trend's label of the day's own year: "2026（截至12月7日）", or the bare year on 31 December."""
    if _is_year_end(day):
        return str(day.year)
    return _("%(year)s（截至%(month)s月%(day)s日）") % {"year": day.year, "month": day.month, "day": day.day}


def _area_pk(areas: dict, code: str) -> int | None:
    """The region an area row stands for (its lists' filter); None for the region's own level."""
    area = areas.get(code)
    return area.pk if area is not None else None


def _area_name(scope: Scope, areas: dict, code: str) -> str:
    area = areas.get(code)
    if area is not None:
        return area.name
    # Entities registered at the region itself (the city's parks, a town's own organizations).
    return _("%(region)s本级") % {"region": scope.root.name} if scope.root is not None else _("其他")


def rating_figures(user, scope: Scope) -> RatingFigures:
    from ratings.selectors import rating_downgrades_after

    from .summary import rating_rows

    kwargs = {"user": user, "on": scope.as_of, "prefix": scope.prefix, "width": scope.width}
    by_area: dict[tuple, int] = defaultdict(int)
    by_year: dict[tuple, int] = defaultdict(int)
    for row in rating_rows(**kwargs):
        if row["valid"] and row["area"] is not None:
            by_area[(row["area"], row["stars"])] += row["n"]
        if row["year"] is not None:
            by_year[(row["year"], row["stars"])] += row["n"]
    # A downgrade changes the stars in place: the ratings downgraded after the day count at their stars
    # of that day.
    for row in rating_downgrades_after(**kwargs):
        by_year[(row["year"], row["now"])] -= 1
        by_year[(row["year"], row["then"])] += 1
        if row["valid"]:
            by_area[(row["area"], row["now"])] -= 1
            by_area[(row["area"], row["then"])] += 1
    levels = {s: 0 for s in STARS}
    areas: dict[str, dict] = {}
    for (code, stars), count in by_area.items():
        levels[stars] += count
        areas.setdefault(code, dict.fromkeys(STARS, 0))[stars] += count
    # By prefix, once: a province's city has 300 towns, and a search of the list per row was 90,000 steps.
    by_prefix = {area.prefix: area for area in scope.areas}
    order = {prefix: index for index, prefix in enumerate(by_prefix)}
    rows = []
    for code in sorted(areas, key=lambda c: (order.get(c, len(order)), c)):
        counts = areas[code]
        total = sum(counts.values())
        if total:
            rows.append({"name": _area_name(scope, by_prefix, code), "stars": [counts[s] for s in STARS],
                         "total": total, "high": counts[5] + counts[4], "region": _area_pk(by_prefix, code)})
    # Every past year counts its cycle's ratings; the year of the day is the year so far — the four- and
    # five-star organizations holding a valid rating that day — not its cycle, which is usually still
    # under review and would read as a fall to zero.
    trend = [{"year": year, "count": by_year.get((year, 5), 0) + by_year.get((year, 4), 0), "label": str(year),
              "partial": False} for year in scope.years if year < scope.as_of.year]
    trend.append({"year": scope.as_of.year, "count": levels[5] + levels[4], "label": year_to_date_label(scope.as_of),
                  "partial": not _is_year_end(scope.as_of)})
    return RatingFigures(levels=[{"stars": s, "label": star_label(s), "count": levels[s]} for s in STARS],
                         total=sum(levels.values()), high=levels[5] + levels[4], areas=rows, trend=trend)


# --- 党建+金融 --------------------------------------------------------------------------------------

LOAN_STATES = ("submitted", "accepted", "approved", "disbursed", "repaid", "rejected", "withdrawn")
OUTSTANDING = ("approved", "disbursed")


@dataclass
class FinanceFigures:
    states: list[tuple[str, str]]  # (code, label) in the lifecycle's order
    banks: list[dict]  # {"name", "states": [count per state], "count", "amount", "quota_used", "approved_count",
    #                     "approved_amount"}
    total: dict


def _institutions(user, kind: str) -> list:
    from portal.selectors import institution_list

    return list(institution_list(user=user, kind=kind).order_by("code", "pk"))


def finance_figures(user, scope: Scope) -> FinanceFigures:
    from finance.choices import LoanStatus
    from finance.selectors import loan_figures

    raw = loan_figures(user=user, on=scope.as_of, since=scope.since, prefix=scope.prefix)
    per_bank: dict[int, dict] = {}
    for row in raw["by_state"]:
        bank = per_bank.setdefault(row["bank_id"], {"states": dict.fromkeys(LOAN_STATES, 0), "amount": ZERO,
                                                    "quota_used": ZERO})
        bank["states"][row["state"]] += row["count"]
        bank["amount"] += row["amount"] or ZERO
        if row["state"] in OUTSTANDING:
            bank["quota_used"] += row["approved"] or ZERO
    banks = []
    for institution in _institutions(user, "bank"):
        found = per_bank.get(institution.pk, {"states": dict.fromkeys(LOAN_STATES, 0), "amount": ZERO,
                                              "quota_used": ZERO})
        approvals = raw["approvals"].get(institution.pk, {"count": 0, "amount": ZERO})
        banks.append({"name": institution.short_name or institution.name, "pk": institution.pk,
                      "states": [found["states"][s] for s in LOAN_STATES], "count": sum(found["states"].values()),
                      "amount": found["amount"], "quota_used": found["quota_used"],
                      "approved_count": approvals["count"], "approved_amount": approvals["amount"] or ZERO})
    total = {
        "states": [sum(b["states"][i] for b in banks) for i in range(len(LOAN_STATES))],
        "count": sum(b["count"] for b in banks), "amount": sum((b["amount"] for b in banks), ZERO),
        "quota_used": sum((b["quota_used"] for b in banks), ZERO),
        "approved_count": sum(b["approved_count"] for b in banks),
        "approved_amount": sum((b["approved_amount"] for b in banks), ZERO),
    }
    return FinanceFigures(states=[(s, str(LoanStatus(s).label)) for s in LOAN_STATES], banks=banks, total=total)


# --- 党建+保险 --------------------------------------------------------------------------------------

@dataclass
class InsuranceFigures:
    insurers: list[dict]  # {"name", "count", "base", "discount", "net"}
    total: dict


def insurance_figures(user, scope: Scope) -> InsuranceFigures:
    from insurance import selectors as insurance_selectors

    raw = {row["insurer_id"]: row for row in insurance_selectors.insurance_figures(
        user=user, on=scope.as_of, since=scope.since, prefix=scope.prefix)}
    insurers = []
    for institution in _institutions(user, "insurer"):
        row = raw.get(institution.pk, {})
        insurers.append({"name": institution.short_name or institution.name, "pk": institution.pk,
                         "count": row.get("count", 0),
                         "base": row.get("base") or ZERO, "discount": row.get("discount") or ZERO,
                         "net": row.get("net") or ZERO})
    total = {key: sum((i[key] for i in insurers), ZERO if key != "count" else 0)
             for key in ("count", "base", "discount", "net")}
    return InsuranceFigures(insurers=insurers, total=total)


# --- 金融服务站 -------------------------------------------------------------------------------------

TOP_STATIONS = 10


@dataclass
class StationFigures:
    top: list[dict]  # {"name", "loans", "quotes", "appeals", "total"}, the busiest first
    active: int  # stations that raised anything in the period
    total: dict


def station_figures(user, scope: Scope) -> StationFigures:
    from finance.selectors import loan_station_counts
    from insurance.selectors import quote_station_counts
    from liaison.selectors.appeals import appeal_station_counts
    from portal.selectors import station_list

    kwargs = {"user": user, "on": scope.as_of, "since": scope.since, "prefix": scope.prefix}
    loans = loan_station_counts(**kwargs)
    quotes = quote_station_counts(**kwargs)
    appeals = appeal_station_counts(**kwargs)
    counts = {pk: (loans.get(pk, 0), quotes.get(pk, 0), appeals.get(pk, 0)) for pk in {*loans, *quotes, *appeals}}
    busiest = sorted(counts, key=lambda pk: (-sum(counts[pk]), pk))[:TOP_STATIONS]
    names = dict(station_list(user=user).filter(pk__in=busiest).values_list("pk", "name")) if busiest else {}
    top = [{"name": names.get(pk, ""), "pk": pk, "loans": counts[pk][0], "quotes": counts[pk][1], "appeals": counts[pk][2],
            "total": sum(counts[pk])} for pk in busiest]
    total = {"loans": sum(loans.values()), "quotes": sum(quotes.values()), "appeals": sum(appeals.values())}
    return StationFigures(top=top, active=len(counts), total=total)


# --- 党建+科创 --------------------------------------------------------------------------------------

@dataclass
class TalentFigures:
    levels: list[dict]  # {"code", "label", "count", "recent"}
    total: int
    recent: int
    training: list[dict]  # {"year", "sessions", "trainees"}


def talent_figures(user, scope: Scope) -> TalentFigures:
    from talent import selectors as talent_selectors
    from talent.choices import TalentLevel

    raw = talent_selectors.talent_figures(user=user, on=scope.as_of, since=scope.since, prefix=scope.prefix)
    levels = [{"code": level.value, "label": str(level.label), "count": raw["levels"].get(level.value, {}).get("count", 0),
               "recent": raw["levels"].get(level.value, {}).get("recent", 0)} for level in TalentLevel]
    by_year = {row["year"]: row for row in raw["training"]}
    years = sorted(by_year)
    training = [{"year": y, "sessions": by_year[y]["sessions"], "trainees": by_year[y]["trainees"] or 0}
                for y in years]
    return TalentFigures(levels=levels, total=sum(r["count"] for r in levels),
                         recent=sum(r["recent"] for r in levels), training=training)


# --- 政企联系 ---------------------------------------------------------------------------------------

OPEN_STATES = ("received", "assigned", "in_progress")
DONE_STATES = ("resolved", "closed")
ENDED_STATES = ("withdrawn", "dismissed")


@dataclass
class LiaisonFigures:
    categories: list[dict]  # {"label", "open", "overdue", "received", "resolved", "counted", "rate", "rated",
    #                          "satisfaction"}
    total: dict
    pairing: dict = field(default_factory=dict)


def _appeal_row(label, counts, rated_count, rated_total) -> dict:
    return {"label": label, **counts, "rate": percent(counts["resolved"], counts["counted"]),
            "rated": rated_count, "satisfaction": average(rated_total, rated_count)}


def liaison_figures(user, scope: Scope) -> LiaisonFigures:
    from liaison.choices_appeals import AppealCategory
    from liaison.rules.pairings import MAX_PAIRED, MIN_PAIRED
    from liaison.selectors.appeals import appeal_figures
    from liaison.selectors.pairings import pairing_figures

    raw = appeal_figures(user=user, on=scope.as_of, since=scope.since, prefix=scope.prefix)
    keys = ("open", "overdue", "received", "resolved", "counted")
    counts = {c.value: dict.fromkeys(keys, 0) for c in AppealCategory}
    for row in raw["states"]:
        bucket = counts[row["category"]]
        if row["state"] in OPEN_STATES:
            bucket["open"] += row["count"]
            if row["late"]:
                bucket["overdue"] += row["count"]
        if row["recent"]:
            bucket["received"] += row["count"]
            if row["state"] not in ENDED_STATES:
                bucket["counted"] += row["count"]
            if row["state"] in DONE_STATES:
                bucket["resolved"] += row["count"]
    categories = []
    for category in AppealCategory:
        rated = raw["rated"].get(category.value, {})
        categories.append({"code": category.value, **_appeal_row(
            str(category.label), counts[category.value], rated.get("count", 0), rated.get("total") or 0)})
    summed = {key: sum(counts[c][key] for c in counts) for key in keys}
    rated_count = sum(r.get("count", 0) for r in raw["rated"].values())
    rated_total = sum(r.get("total") or 0 for r in raw["rated"].values())
    total = _appeal_row(_("合计"), summed, rated_count, rated_total)

    pairing = pairing_figures(user=user, on=scope.as_of, prefix=scope.prefix)
    cadres = pairing["cadres"]
    under = sum(1 for e, p in cadres if e < MIN_PAIRED or p < MIN_PAIRED)
    over = sum(1 for e, p in cadres if e > MAX_PAIRED or p > MAX_PAIRED)
    ok = sum(1 for e, p in cadres if MIN_PAIRED <= e <= MAX_PAIRED and MIN_PAIRED <= p <= MAX_PAIRED)
    return LiaisonFigures(categories=categories, total=total, pairing={
        "key_total": pairing["key_total"], "key_covered": pairing["key_covered"],
        "key_uncovered": pairing["key_total"] - pairing["key_covered"],
        "coverage": percent(pairing["key_covered"], pairing["key_total"]),
        "county": len(cadres), "under": under, "over": over, "ok": ok})
