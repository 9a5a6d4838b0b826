"""Service-time limits (限时办结): how many working days a step may take, and when a case is due.

The limit of a step is the `StepLimit` row in force on the day the case entered it: the latest one
whose `effective_from` is on or before that day (like the policy tables). The due date is that many
working days after the day of entry (workflow.calendar: the day of entry never counts).

What the engine does with it (`Workflow.record`, through `step_clock`), on every change of state:

- a state the workflow waits on a person in (`Workflow.waiting`) gets a due date; any other state
  (final, or the case back with the applicant) gets none;
- a step that hands the case back to whoever sent it (`PAUSING_ACTIONS`: a rating returned to
  self-assessment or to the town) pauses the clock of the step it leaves: the working days left are
  kept on the case (`clock_days_left`, state → days, below 0 when it was already late), and when the
  case comes back to that step it is due that many working days after the day it came back, not a
  full new limit; the case's history keeps both steps, so the paused interval shows there;
- states that share one clock (`SHARED_CLOCK`: an appeal assigned and then started is one step of
  resolution) keep the due date when the case moves between them;
- a due date set by hand on the case (`HAND_DEADLINE`: the appeal's 办理期限, set at receipt and when
  assigning) caps the limit's: the case is due on the earlier of the two. The appeal keeps its own
  deadline and escalation (liaison); the limit only makes sure the department's commitment of 15
  working days is not exceeded by a generous hand-set deadline, and the list and the API show one date.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calendar import WorkingCalendar, as_date

# Steps that share one clock with another: state → the state whose limit and clock it uses.
SHARED_CLOCK: dict[str, dict[str, str]] = {
    "appeal": {"in_progress": "assigned"},
}
# A date field on the case, set by hand, that caps the due date in the given states.
HAND_DEADLINE: dict[str, tuple[str, frozenset[str]]] = {
    "appeal": ("deadline", frozenset({"assigned", "in_progress"})),
}
# When the clock of a step started, for a case whose due date is computed afresh (the data
# migration, the appeal's cap after a reassignment): the case's field holding the moment of entry.
ENTERED_FIELD: dict[str, dict[str, str]] = {
    "loan": {"submitted": "submitted_at", "accepted": "accepted_at"},
    "benefit": {"pending": "submitted_at"},
    "appeal": {"received": "received_at", "assigned": "assigned_at"},
    "rating": {"town": "step_entered_on", "dept": "step_entered_on"},
}
# The steps with a limit, as the department's page offers them: (workflow, state, what the step is).
STEPS: tuple[tuple[str, str, str], ...] = (
    ("rating", "town", _("星级评定 · 镇街初评")),
    ("rating", "dept", _("星级评定 · 组织部复核")),
    ("loan", "submitted", _("贷款申请 · 银行受理")),
    ("loan", "accepted", _("贷款申请 · 银行审批")),
    ("benefit", "pending", _("人才待遇申请 · 审核")),
    ("appeal", "received", _("问题诉求 · 首次响应（交办）")),
    ("appeal", "assigned", _("问题诉求 · 办结（交办至办结）")),
    ("followup", "open", _("回访整改 · 整改办结")),
)
MIN_DAYS, MAX_DAYS = 1, 60
# The limits the department set when service-time commitments began (the data migration 0003 wrote
# them); `ensure_default_limits` puts back those of a step left with no row at all.
DEFAULTS_FROM = datetime.date(2025, 1, 1)
DEFAULT_LIMITS: dict[tuple[str, str], int] = {
    ("rating", "town"): 10, ("rating", "dept"): 10, ("loan", "submitted"): 7, ("loan", "accepted"): 7,
    ("benefit", "pending"): 15, ("appeal", "received"): 3, ("appeal", "assigned"): 15,
}
PAUSING_ACTIONS = frozenset({"return"})
# Within this many working days a case counts as "due soon" (the lists' filter, the amber mark).
SOON_DAYS = 2


def clock_state(key: str, state: str) -> str:
    """The state whose clock `state` runs on (itself, unless it shares another's)."""
    return SHARED_CLOCK.get(key, {}).get(state, state)


def limit_for(key: str, state: str, on: datetime.date) -> int | None:
    """The working days allowed for the step on the day: the row in force then, or None (no limit)."""
    from .models import StepLimit

    row = (StepLimit.objects.filter(workflow=key, state=clock_state(key, state), effective_from__lte=as_date(on))
           .order_by("-effective_from").values_list("working_days", flat=True).first())
    return row


def shift_working_days(day: datetime.date, n: int, *, calendar: WorkingCalendar | None = None) -> datetime.date:
    """The n-th working day after `day` (n ≥ 0), or the |n|-th working day before it (n < 0)."""
    calendar = calendar or WorkingCalendar()
    if n >= 0:
        return calendar.add_working_days(day, n)
    day = as_date(day)
    for _step in range(-n):
        day -= datetime.timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= datetime.timedelta(days=1)
    return day


def due_on(key: str, state: str, entered_on: datetime.date, *,
           calendar: WorkingCalendar | None = None) -> datetime.date | None:
    """When a case that entered `state` on `entered_on` is due, or None when the step has no limit."""
    entered = as_date(entered_on)
    days = limit_for(key, state, entered)
    if days is None:
        return None
    return (calendar or WorkingCalendar()).add_working_days(entered, days)


def days_left(due: datetime.date | None, today: datetime.date | None = None, *,
              calendar: WorkingCalendar | None = None) -> int | None:
    """Working days from today to the due date: 0 on the day itself, below 0 once past it."""
    if due is None:
        return None
    return (calendar or WorkingCalendar()).working_days_between(today or timezone.localdate(), due)


def _capped(key: str, case, state: str, due: datetime.date | None) -> datetime.date | None:
    field, states = HAND_DEADLINE.get(key, ("", frozenset()))
    hand = getattr(case, field, None) if state in states else None
    if hand is None:
        return due
    return hand if due is None else min(due, hand)


def step_clock(workflow, case, *, from_status: str, action: str, today: datetime.date | None = None) -> None:
    """Set the case's `due_on` (and its paused clocks) for the state it is in now, coming from
    `from_status` by `action`; nothing is saved here."""
    key, to_status = workflow.key, case.status
    # A case that carries the day its step began (a rating's step_entered_on, which its service sets
    # from the day it is given) counts from that day; any other from today.
    today = today or getattr(case, "step_entered_on", None) or timezone.localdate()
    calendar = WorkingCalendar()
    paused = dict(case.clock_days_left or {})
    clock_from, clock_to = clock_state(key, from_status), clock_state(key, to_status)
    if from_status in workflow.waiting and action in PAUSING_ACTIONS and case.due_on is not None:
        paused[clock_from] = calendar.working_days_between(today, case.due_on)
    if to_status in workflow.graph.final:
        paused = {}
    if to_status not in workflow.waiting:
        due = None
    elif from_status in workflow.waiting and clock_from == clock_to and case.due_on is not None:
        # The same step (in one state, or two sharing a clock): the clock runs on; counted again
        # from the step's entry where a hand-set deadline may have changed.
        due = _recount(key, case, to_status, calendar) or case.due_on
    elif clock_to in paused:
        due = shift_working_days(today, paused.pop(clock_to), calendar=calendar)
    else:
        due = due_on(key, to_status, today, calendar=calendar)
    case.due_on = _capped(key, case, to_status, due)
    case.clock_days_left = paused


def _recount(key: str, case, state: str, calendar: WorkingCalendar) -> datetime.date | None:
    """A step that stays in its state but may have changed the hand-set cap (an appeal reassigned
    with another deadline): the limit counted again from the step's entry."""
    field = ENTERED_FIELD.get(key, {}).get(clock_state(key, state))
    entered = getattr(case, field, None) if field else None
    if entered is None or key not in HAND_DEADLINE:
        return None
    return due_on(key, state, entered, calendar=calendar)


def ensure_default_limits(*, using: str = "default", **_kwargs) -> int:
    """Give every step that has no limit at all its default from 2025-01-01; the number of rows made.
    Run after every migrate, so that a database emptied with `manage.py flush` (the demo's reset, and
    the tests that seed the demo) keeps its limits; a step the department has set is left alone."""
    from django.db import connections

    from .models import StepLimit

    if StepLimit._meta.db_table not in connections[using].introspection.table_names():
        return 0  # migrated only part of the way
    have = set(StepLimit.objects.using(using).values_list("workflow", "state").distinct())
    rows = [StepLimit(workflow=key, state=state, working_days=days, effective_from=DEFAULTS_FROM)
            for (key, state), days in DEFAULT_LIMITS.items() if (key, state) not in have]
    StepLimit.objects.using(using).bulk_create(rows)
    return len(rows)
