"""限时办结与服务质效: how many of the steps that wait on a person ended on time, per holder (a town
reviewing ratings, a bank deciding loans, a programme's benefits, a department an appeal went to), and
the enterprises' satisfaction with the cases that ended, per station, bank, insurer, department and
programme, with the follow-ups a low score opened and those closed.

Both are counted as the data stood at the end of the day (`as_of`), for the period that ends on it:
- on time (`workflow.steps.on_time`): the stays at a step that ended in the period, how many by their
  due date, and those open at its end already past due;
- satisfaction (the surveys, quality): the surveys asked in the period (one per case that ended), those
  answered by the day and their average score; the follow-ups opened and those closed in the period.
The cases are those the user sees, in the region when one is chosen (the enterprise's region, as the
other sections count them). Insurance quotes are not cases of the workflow layer and ask no survey:
an insurer has neither figure until they are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from .leader import _institutions, average, percent
from .period import Scope

SATISFACTION_KEYS = ("handled", "answered", "average", "opened", "closed")


@dataclass
class TimelinessFigures:
    towns: list[dict]  # {"pk", "name", "done", "on_time", "rate", "late_open"}: ratings at the town's review
    banks: list[dict]  # the same, loans; and "handled", "answered", "average", "opened", "closed"
    programmes: list[dict]  # the same, benefits
    departments: list[dict]  # the same, appeals handed on
    stations: list[dict]  # {"pk", "name", "handled", "answered", "average", "opened", "closed"}
    insurers: list[dict]  # as the stations (none until quotes ask a survey)
    total: dict = field(default_factory=dict)  # "done", "on_time", "rate", "late_open" and the satisfaction keys


def _on_time_row(pk, name, found) -> dict:
    done, on_time, late = (found.done, found.on_time, found.late_open) if found is not None else (0, 0, 0)
    return {"pk": pk, "name": name, "done": done, "on_time": on_time, "rate": percent(on_time, done),
            "late_open": late}


def _empty_satisfaction() -> dict:
    return {"handled": 0, "answered": 0, "total": 0, "opened": 0, "closed": 0}


def _finish(row: dict) -> dict:
    """The average from the summed scores (one decimal, half up)."""
    row = dict(row)
    row["average"] = average(row.pop("total"), row["answered"])
    return row


def satisfaction_rows(surveys, *, since: datetime.date, as_of: datetime.date) -> list[dict]:
    """The surveys of `surveys` (a queryset of quality's surveys) that count in the period, grouped by who
    handled their case — one query: {"institution_id", "institution_kind", "institution_name",
    "station_id", "station_name", "department_id", "department_name", "programme_id", "programme_name",
    "handled", "answered", "total" (of the scores), "opened", "closed"}."""
    from portal.selectors import day_end, day_start

    start, end = day_start(since), day_end(as_of)
    asked = Q(asked_at__gte=start, asked_at__lt=end)
    answered = asked & Q(answered_at__lt=end)
    opened = Q(followup__opened_at__gte=start, followup__opened_at__lt=end)
    closed = Q(followup__closed_at__gte=start, followup__closed_at__lt=end)
    return list(
        surveys.filter(asked | opened | closed).order_by()
        .values("institution_id", "institution__kind", "institution__short_name", "institution__name",
                "station_id", "station__name", "department_id", "department__name", "programme_id",
                "programme__name")
        .annotate(handled=Count("pk", filter=asked), answered=Count("pk", filter=answered),
                  total=Sum("score", filter=answered), opened=Count("followup", filter=opened),
                  closed=Count("followup", filter=closed)))


def _group(rows: list[dict], key: str, name) -> dict[int, dict]:
    """The rows summed per `key` (rows without one left out), each with its name."""
    grouped: dict[int, dict] = {}
    for row in rows:
        pk = row[key]
        if pk is None:
            continue
        into = grouped.setdefault(pk, {"pk": pk, "name": name(row), **_empty_satisfaction()})
        for k in ("handled", "answered", "total", "opened", "closed"):
            into[k] += row[k] or 0
    return grouped


def _institution_name(row) -> str:
    return row["institution__short_name"] or row["institution__name"]


def _summed(rows: list[dict]) -> dict:
    total = _empty_satisfaction()
    for row in rows:
        for k in total:
            total[k] += row[k] or 0
    return _finish(total)


def _towns(scope: Scope) -> list:
    from portal.choices import RegionLevel

    if scope.region is not None:
        return [scope.region] if scope.region.level == RegionLevel.TOWN else []
    return [area for area in scope.areas if area.level == RegionLevel.TOWN]


def _in_region(cases, scope: Scope, path: str = "enterprise__region__code"):
    return cases.filter(**{f"{path}__startswith": scope.prefix}) if scope.prefix else cases


def timeliness_figures(user, scope: Scope) -> TimelinessFigures:
    """The section's figures for the leaders' dashboard and the work report, in twelve queries whatever
    the amount of data."""
    from finance.selectors import loan_application_list
    from liaison.selectors.appeals import active_departments, appeal_list
    from quality.selectors import survey_list
    from talent.selectors import benefit_application_list, policy_item_list
    from workflow import steps

    period = {"since": scope.since, "as_of": scope.as_of}
    towns = _towns(scope)
    by_town = steps.on_time(workflow="rating", holder_kind=steps.TOWN, holder_ids=[t.pk for t in towns], **period)
    banks = _institutions(user, "bank")
    by_bank = steps.on_time(workflow="loan", holder_kind=steps.BANK, holder_ids=[b.pk for b in banks],
                            cases=_in_region(loan_application_list(user=user), scope), **period)
    by_programme = steps.on_time(workflow="benefit", holder_kind=steps.PROGRAMME,
                                 cases=_in_region(benefit_application_list(user=user), scope), **period)
    by_department = steps.on_time(workflow="appeal", holder_kind=steps.APPEAL_DEPARTMENT,
                                  cases=_in_region(appeal_list(user=user), scope), **period)
    programme_names = dict(policy_item_list(user=user).values_list("pk", "name"))
    department_names = dict(active_departments().values_list("pk", "name"))

    raw = satisfaction_rows(_in_region(survey_list(user=user), scope), **period)
    satisfied = {
        "bank": _group([r for r in raw if r["institution__kind"] == "bank"], "institution_id", _institution_name),
        "insurer": _group([r for r in raw if r["institution__kind"] == "insurer"], "institution_id",
                          _institution_name),
        "station": _group(raw, "station_id", lambda r: r["station__name"]),
        "department": _group(raw, "department_id", lambda r: r["department__name"]),
        "programme": _group(raw, "programme_id", lambda r: r["programme__name"]),
    }

    def merged(group: str, found: dict, names: dict, *, every=()) -> list[dict]:
        """One row per holder with a stay or a survey (and every one of `every`), by name."""
        quality = satisfied[group]
        ids = [pk for pk in every] + [pk for pk in {*found, *quality} if pk is not None and pk not in every]
        rows = []
        for pk in ids:
            name = names.get(pk) or quality.get(pk, {}).get("name") or str(pk)
            rows.append({**_on_time_row(pk, name, found.get(pk)),
                         **_finish({k: v for k, v in quality.get(pk, {"pk": pk, **_empty_satisfaction()}).items()
                                    if k not in ("pk", "name")})})
        return rows

    bank_names = {b.pk: b.short_name or b.name for b in banks}
    bank_rows = merged("bank", by_bank, bank_names, every=list(bank_names))
    programme_rows = sorted(merged("programme", by_programme, programme_names), key=lambda r: (r["name"], r["pk"]))
    department_rows = sorted(merged("department", by_department, department_names),
                             key=lambda r: (r["name"], r["pk"]))
    town_rows = [_on_time_row(t.pk, t.name, by_town.get(t.pk)) for t in towns]

    def plain(group: str) -> list[dict]:
        return sorted(({"pk": r["pk"], "name": r["name"], **_finish({k: r[k] for k in _empty_satisfaction()})}
                       for r in satisfied[group].values()), key=lambda r: (r["name"], r["pk"]))

    on_time_rows = [*town_rows, *bank_rows, *programme_rows, *department_rows]
    done, on_time = sum(r["done"] for r in on_time_rows), sum(r["on_time"] for r in on_time_rows)
    total = {"done": done, "on_time": on_time, "rate": percent(on_time, done),
             "late_open": sum(r["late_open"] for r in on_time_rows), **_summed(raw)}
    return TimelinessFigures(towns=town_rows, banks=bank_rows, programmes=programme_rows,
                             departments=department_rows, stations=plain("station"), insurers=plain("insurer"),
                             total=total)


# --- a bank's and a station's own -------------------------------------------------------------------

@dataclass
class OwnQuality:
    on_time: dict | None  # {"done", "on_time", "rate", "late_open"}; None where the user holds no step
    satisfaction: dict  # {"handled", "answered", "average", "opened", "closed"}


def bank_quality(*, banks: list, since: datetime.date, as_of: datetime.date) -> OwnQuality:
    """The user's banks' own: their loans' on-time rate and their enterprises' satisfaction. A bank
    officer sees no survey (quality gives the surveys to the department, the stations and the
    enterprise); its own totals are read here, limited to its banks, and no survey, score or comment of
    an enterprise is shown (three queries)."""
    from quality.models import Survey
    from workflow import steps

    ids = [b.pk for b in banks]
    found = steps.on_time(workflow="loan", holder_kind=steps.BANK, holder_ids=ids, since=since, as_of=as_of)
    done = sum(f.done for f in found.values())
    on_time = sum(f.on_time for f in found.values())
    raw = satisfaction_rows(Survey.objects.filter(institution_id__in=ids), since=since, as_of=as_of)
    return OwnQuality(on_time={"done": done, "on_time": on_time, "rate": percent(on_time, done),
                               "late_open": sum(f.late_open for f in found.values())},
                      satisfaction=_summed(raw))


def station_quality(*, user, stations: list, since: datetime.date, as_of: datetime.date) -> OwnQuality:
    """The satisfaction with the cases the user's stations registered (one query); a station holds no
    step of its own, so it has no on-time rate."""
    from quality.selectors import survey_list

    raw = satisfaction_rows(survey_list(user=user).filter(station_id__in=[s.pk for s in stations]),
                            since=since, as_of=as_of)
    return OwnQuality(on_time=None, satisfaction=_summed(raw))
