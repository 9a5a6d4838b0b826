"""The stays of cases at the steps that wait on a person (`StepRecord`), kept as the cases move, and the
on-time rates counted on them (限时办结 per town, bank, programme and department).

Who holds a step (the holder the rates are counted for):
- a rating at the town's review: the town (its region; an organization registered under the city is
  reviewed by the organization department, holder "department");
- a rating at the department's review, a benefit nobody has programme for: the department;
- a loan application: its bank; a benefit application: its programme (the policy item);
- an appeal: received, the staff who hand it on ("department"); handed on, the department it went to.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from . import limits
from .models import StepRecord

DEPARTMENT, TOWN, BANK, PROGRAMME, APPEAL_DEPARTMENT = "department", "town", "bank", "programme", "appeal_dept"


def _town_of(rating) -> tuple[str, int | None]:
    region = rating.organization.region
    if region.level == "town":
        return TOWN, region.pk
    if region.level == "village":
        return TOWN, region.parent_id
    return DEPARTMENT, None


def holder(key: str, case, state: str) -> tuple[str, int | None]:
    """(kind, id) of whoever holds `case` at `state`."""
    if key == "loan":
        return BANK, case.bank_id
    if key == "benefit":
        return PROGRAMME, case.item_id
    if key == "rating":
        return _town_of(case) if state == "town" else (DEPARTMENT, None)
    if key == "appeal" and state != "received" and case.department_id:
        return APPEAL_DEPARTMENT, case.department_id
    return DEPARTMENT, None


def track(workflow, case, *, from_status: str, due_changed: bool = False, today: datetime.date | None = None) -> None:
    """After a step (workflow.engine.record): a change of state ends the case's open stay and, in a
    state that waits on a person, starts the next with the case's due date; without one, a due date
    moved (a hand-set deadline, a working-day override) moves the open stay's too."""
    if not hasattr(case, "due_on"):
        return
    # The day of the step: a case carrying the day its step began (a rating's step_entered_on, which
    # its service sets from the day it is given) on that day, as its due date counts (workflow.limits).
    today = today or getattr(case, "step_entered_on", None) or timezone.localdate()
    key = workflow.key
    open_stays = StepRecord.objects.filter(workflow=key, case_id=case.pk, left_on__isnull=True)
    if from_status != case.status:
        open_stays.update(left_on=today)
        if case.status in workflow.waiting:
            kind, holder_id = holder(key, case, case.status)
            StepRecord.objects.create(workflow=key, case_id=case.pk, state=case.status, holder_kind=kind,
                                      holder_id=holder_id, entered_on=today, due_on=case.due_on)
    elif due_changed and case.status in workflow.waiting:
        open_stays.filter(state=case.status).exclude(due_on=case.due_on).update(due_on=case.due_on)


def rebuild(workflow) -> int:
    """The stays of every case of `workflow` derived from its history rows (for data made without the
    engine: the demo's, or cases older than the stays): each entry into a waiting state starts one, due
    by the step's limit in force that day, and the next change of state ends it; the open stay of a
    case takes the due date the case holds now. (A clock paused by a return and resumed is counted
    afresh here, a full limit from the day of the return.) Returns how many stays were written."""
    key, parent = workflow.key, workflow.event_parent
    StepRecord.objects.filter(workflow=key).delete()
    cases = workflow.model.objects.all()
    if key == "rating":
        cases = cases.select_related("organization__region")
    cases = {c.pk: c for c in cases.iterator(chunk_size=5000)}
    events = (workflow.event_model.objects.order_by(f"{parent}_id", "at", "pk")
              .values_list(f"{parent}_id", "from_status", "to_status", "at"))
    rows, current = [], {}
    for case_id, from_status, to_status, at in events.iterator(chunk_size=5000):
        case = cases.get(case_id)
        if case is None or from_status == to_status:
            continue
        day = timezone.localdate(at)
        stay = current.pop(case_id, None)
        if stay is not None:
            stay.left_on = day
        if to_status in workflow.waiting:
            kind, holder_id = holder(key, case, to_status)
            stay = StepRecord(workflow=key, case_id=case_id, state=to_status, holder_kind=kind, holder_id=holder_id,
                              entered_on=day, due_on=limits.due_on(key, to_status, day))
            rows.append(stay)
            current[case_id] = stay
    for case_id, stay in current.items():
        case = cases[case_id]
        if case.status == stay.state and case.due_on is not None:
            stay.due_on = case.due_on
    StepRecord.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


@dataclass(frozen=True)
class OnTime:
    """Of the stays that ended in the period, how many by their due date; and how many were open and
    past due at its end."""

    done: int
    on_time: int
    late_open: int

    @property
    def rate(self):
        from decimal import ROUND_HALF_UP, Decimal

        if not self.done:
            return None
        return (Decimal(self.on_time) * 100 / self.done).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def on_time(*, workflow: str, holder_kind: str, since: datetime.date, as_of: datetime.date,
            holder_ids=None, cases=None) -> dict[int | None, OnTime]:
    """Per holder of one kind, for the period from `since` to `as_of` (both included), as the data
    stood at the end of `as_of`: the stays that ended in it with a due date, those ended by it, and the
    stays open at its end already past due. Two queries, whatever the number of holders. `cases` (a
    queryset of the workflow's cases, e.g. those a user sees in a region) limits the stays to theirs."""
    base = StepRecord.objects.filter(workflow=workflow, holder_kind=holder_kind, due_on__isnull=False)
    if holder_ids is not None:
        base = base.filter(holder_id__in=list(holder_ids))
    if cases is not None:
        base = base.filter(case_id__in=cases.order_by().values("pk"))
    ended = (base.filter(left_on__gte=since, left_on__lte=as_of).values("holder_id")
             .annotate(done=Count("pk"), on_time=Count("pk", filter=Q(left_on__lte=F("due_on")))))
    late = (base.filter(entered_on__lte=as_of, due_on__lt=as_of).filter(Q(left_on__isnull=True) | Q(left_on__gt=as_of))
            .values("holder_id").annotate(n=Count("pk")))
    figures: dict[int | None, dict] = defaultdict(lambda: {"done": 0, "on_time": 0, "late_open": 0})
    for row in ended:
        figures[row["holder_id"]].update(done=row["done"], on_time=row["on_time"])
    for row in late:
        figures[row["holder_id"]]["late_open"] = row["n"]
    return {holder_id: OnTime(**values) for holder_id, values in figures.items()}
