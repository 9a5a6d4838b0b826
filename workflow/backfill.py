"""Due dates for the cases already open when service-time limits began: used by each app's data
migration with its historical models, so it reads nothing but the tables it is given."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .calendar import WorkingCalendar
from .limits import ENTERED_FIELD, HAND_DEADLINE, clock_state


def fill_due_dates(apps, *, app_label: str, model: str, key: str, waiting: tuple[str, ...]) -> int:
    """Set `due_on` of every case in a waiting state from the day it entered that step and the limit
    in force then; the number of cases set."""
    Case = apps.get_model(app_label, model)
    StepLimit = apps.get_model("workflow", "StepLimit")
    WorkdayOverride = apps.get_model("workflow", "WorkdayOverride")
    calendar = WorkingCalendar(lambda year: dict(
        WorkdayOverride.objects.filter(date__year=year).values_list("date", "is_working_day")))
    limits = {}
    for row in StepLimit.objects.filter(workflow=key).order_by("effective_from"):
        limits.setdefault(row.state, []).append((row.effective_from, row.working_days))
    cap_field, cap_states = HAND_DEADLINE.get(key, ("", frozenset()))
    count = 0
    for case in Case.objects.filter(status__in=waiting, due_on__isnull=True).iterator():
        state = clock_state(key, case.status)
        entered = getattr(case, ENTERED_FIELD[key][state], None) or case.updated_at
        if isinstance(entered, datetime.datetime):
            entered = timezone.localtime(entered).date()
        in_force = [days for since, days in limits.get(state, []) if since <= entered]
        due = calendar.add_working_days(entered, in_force[-1]) if in_force else None
        hand = getattr(case, cap_field, None) if case.status in cap_states else None
        if hand is not None:
            due = hand if due is None else min(due, hand)
        if due is not None:
            Case.objects.filter(pk=case.pk).update(due_on=due)
            count += 1
    return count
