"""Pure rules of appeals (问题诉求): the state machine, who may take each step, deadlines, overdue
and escalation, and satisfaction. Plain values in and out; no ORM.

Decisions written down here, where the code is:
- The path is received → assigned → in_progress → resolved → closed. Staff may reassign an appeal
  that is assigned or in progress (back to "assigned": the new assignee starts it again), and reopen a
  resolved one (back to "in progress", with a reason) until it is closed; a closed appeal is final.
- A received appeal that no one has handed on yet may be withdrawn by whoever raised it (or staff on
  the enterprise's behalf), or dismissed by staff with a reason (不予受理: not a matter for
  government, a duplicate…). Once a department holds it, only staff end it, by resolving it.
- Deadlines are calendar days from receipt, by category; staff may set another when assigning, never
  in the past and at most a year ahead.
- Escalation (超期督办): level 1 on the first day past the deadline, or past the three days a
  received appeal may wait for assignment; level 2 seven days after that. A run escalates straight
  to the level due (one row), so a missed night never produces two rows at once.
- Satisfaction: once, by the enterprise (or the station that raised the appeal, recording what the
  enterprise said), only when resolved or closed, 1–5; it cannot be changed afterwards, and a reopened
  appeal keeps it, since it judged the first resolution.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.choices import Role
from portal.rules import RuleError, strip_invisible  # RuleError: the rules' refusal, the workflow graph's too
from workflow.graph import Graph

from ..choices_appeals import AppealAction, AppealCategory, AppealStatus, EscalationReason

S, A, C = AppealStatus, AppealAction, AppealCategory

OPEN_STATUSES = (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS)
DONE_STATUSES = (S.RESOLVED, S.CLOSED)  # resolved, so the enterprise may rate it
ENDED_STATUSES = (S.WITHDRAWN, S.DISMISSED)  # never worked on: left out of the resolution rate

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.RECEIVED, A.ASSIGN): S.ASSIGNED,
    (S.RECEIVED, A.WITHDRAW): S.WITHDRAWN,
    (S.RECEIVED, A.DISMISS): S.DISMISSED,
    (S.ASSIGNED, A.REASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.REASSIGN): S.ASSIGNED,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.RESOLVED, A.REOPEN): S.IN_PROGRESS,
}
TRANSITION_ACTIONS = (A.ASSIGN, A.REASSIGN, A.START, A.RESOLVE, A.CLOSE, A.REOPEN, A.WITHDRAW, A.DISMISS)

_STAFF = frozenset({Role.ORG_STAFF, Role.TOWN_STAFF})
# Which roles may take each step (their scope is the model's business). The assignee of an appeal may
# also start and resolve it, whatever its role.
ACTORS: dict[str, frozenset[str]] = {
    A.ASSIGN: _STAFF,
    A.REASSIGN: _STAFF,
    A.CLOSE: _STAFF,
    A.REOPEN: _STAFF,
    A.DISMISS: _STAFF,
    A.START: _STAFF,
    A.RESOLVE: _STAFF,
    A.WITHDRAW: frozenset({Role.ENTERPRISE_USER, Role.STATION_OPERATOR, Role.CADRE, *_STAFF}),
    A.RATE: frozenset({Role.ENTERPRISE_USER, Role.STATION_OPERATOR}),
}
ASSIGNEE_ACTIONS = frozenset({A.START, A.RESOLVE})
# Who may be named the assignee: a person who works on appeals and can sign in to do it.
ASSIGNEE_ROLES = frozenset({Role.ORG_STAFF, Role.TOWN_STAFF, Role.CADRE})
# Who raises an appeal, and through which channel.
CREATOR_CHANNELS: dict[str, tuple[str, ...]] = {
    Role.ENTERPRISE_USER: ("online",),
    Role.STATION_OPERATOR: ("station",),
    Role.CADRE: ("visit",),
    Role.ORG_STAFF: ("phone", "window"),
    Role.TOWN_STAFF: ("phone", "window"),
}

# Calendar days from receipt to the deadline, by category: what a department can promise for it.
DEADLINE_DAYS: dict[str, int] = {
    C.FINANCING: 15, C.TALENT: 20, C.LAND: 30, C.PERMITS: 10, C.LEGAL: 10, C.POLICY: 7, C.OTHER: 15,
}
MAX_DEADLINE_DAYS = 365
ASSIGN_WITHIN_DAYS = 3
LEVEL_2_AFTER_DAYS = 7
MAX_LEVEL = 2
SCORES = range(1, 6)
MIN_TITLE, MAX_TITLE = 4, 100
MIN_DESCRIPTION, MAX_DESCRIPTION = 10, 2000
MIN_RESOLUTION = 10
MIN_REASON = 5


# --- the steps ---------------------------------------------------------------------------------

def _verb(action: str) -> str:
    # "不能不予受理" reads badly; every other label is already a verb.
    return _("作不予受理处理") if action == A.DISMISS else str(A(action).label)


GRAPH = Graph(statuses=S, actions=A, transitions=TRANSITIONS, actors=ACTORS,
              refusal=gettext_lazy("诉求当前为「%(s)s」，不能%(a)s。"), verb=_verb, initial=S.RECEIVED,
              final=frozenset({S.CLOSED, S.WITHDRAWN, S.DISMISSED}))
# The status after `action`, or a refusal naming the current status.
next_status = GRAPH.next_status
allowed_actions = GRAPH.allowed_actions


def needs_reason(action: str) -> bool:
    return action in (A.REOPEN, A.DISMISS)


def check_reason(action: str, note: str) -> str:
    note = strip_invisible(note, multiline=True).strip()
    if needs_reason(action) and len(note) < MIN_REASON:
        raise RuleError(_("请说明%(a)s的理由（不少于 %(n)d 个字）。") % {"a": A(action).label, "n": MIN_REASON}, "note")
    return note[:500]


def check_resolution(text: str) -> str:
    text = strip_invisible(text, multiline=True).strip()
    if len(text) < MIN_RESOLUTION:
        raise RuleError(_("请写明办理结果（不少于 %(n)d 个字）。") % {"n": MIN_RESOLUTION}, "resolution")
    if len(text) > MAX_DESCRIPTION:
        raise RuleError(_("办理结果不能超过 %(n)d 字。") % {"n": MAX_DESCRIPTION}, "resolution")
    return text


def check_appeal_text(title: str, description: str) -> tuple[str, str, dict[str, str]]:
    """(title, description, errors by field) of an appeal as typed."""
    title = " ".join(strip_invisible(title).split())
    description = strip_invisible(description, multiline=True).strip()
    errors = {}
    if len(title) < MIN_TITLE:
        errors["title"] = _("请用一句话概括诉求（不少于 %(n)d 个字）。") % {"n": MIN_TITLE}
    elif len(title) > MAX_TITLE:
        errors["title"] = _("标题不能超过 %(n)d 字。") % {"n": MAX_TITLE}
    if len(description) < MIN_DESCRIPTION:
        errors["description"] = _("请具体描述遇到的问题和诉求（不少于 %(n)d 个字）。") % {"n": MIN_DESCRIPTION}
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("诉求内容不能超过 %(n)d 字。") % {"n": MAX_DESCRIPTION}
    return title, description, errors


# --- deadlines, overdue and escalation -----------------------------------------------------------

def default_deadline(category: str, received_on: datetime.date) -> datetime.date:
    return received_on + datetime.timedelta(days=DEADLINE_DAYS.get(category, DEADLINE_DAYS[C.OTHER]))


def check_deadline(deadline: datetime.date | None, today: datetime.date) -> datetime.date:
    if deadline is None:
        raise RuleError(_("请填写办理期限。"), "deadline")
    if deadline < today:
        raise RuleError(_("办理期限不能早于今天（%(d)s）。") % {"d": today.isoformat()}, "deadline")
    if deadline > today + datetime.timedelta(days=MAX_DEADLINE_DAYS):
        raise RuleError(_("办理期限最长为一年。"), "deadline")
    return deadline


def is_overdue(status: str, deadline: datetime.date | None, today: datetime.date) -> bool:
    """Still open and past its deadline (the deadline day itself is in time)."""
    return status in OPEN_STATUSES and deadline is not None and deadline < today


@dataclass(frozen=True)
class Lateness:
    reason: str  # EscalationReason
    days: int  # days past the limit, at least 1

    @property
    def level(self) -> int:
        return 2 if self.days > LEVEL_2_AFTER_DAYS else 1


def lateness(status: str, deadline: datetime.date | None, received_on: datetime.date,
             today: datetime.date) -> Lateness | None:
    """How late an open appeal is: past its deadline, or left unassigned past the allowed days; the
    later of the two counts."""
    if status not in OPEN_STATUSES:
        return None
    candidates = []
    if deadline is not None and deadline < today:
        candidates.append(Lateness(EscalationReason.OVERDUE, (today - deadline).days))
    unassigned = (today - received_on).days - ASSIGN_WITHIN_DAYS
    if status == S.RECEIVED and unassigned > 0:
        candidates.append(Lateness(EscalationReason.UNASSIGNED, unassigned))
    return max(candidates, key=lambda c: c.days) if candidates else None


def escalation_due(status: str, deadline: datetime.date | None, received_on: datetime.date,
                   today: datetime.date, level_reached: int) -> Lateness | None:
    """The escalation to record today, if the level due is above the one already reached."""
    late = lateness(status, deadline, received_on, today)
    if late is None or late.level <= level_reached:
        return None
    return late


# --- satisfaction --------------------------------------------------------------------------------

def check_rating(status: str, already_rated: bool, score: object) -> int:
    """A satisfaction score the enterprise may give now: after resolution, once, 1 to 5."""
    if status not in DONE_STATUSES:
        raise RuleError(_("诉求办结后才能评价满意度（当前为「%(s)s」）。") % {"s": S(status).label})
    if already_rated:
        raise RuleError(_("该诉求已评价过满意度，评价不能重复提交或修改。"))
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        raise RuleError(_("满意度须为 1 至 5 星。"), "score") from None
    if str(value) != str(score).strip() or value not in SCORES:
        raise RuleError(_("满意度须为 1 至 5 星。"), "score")
    return value


def resolution_rate(resolved: int, counted: int) -> float | None:
    """Resolved (or closed) among the appeals that were worked on; None when there are none."""
    return None if counted <= 0 else round(resolved * 100 / counted, 1)


# --- what a leader the appeal was escalated to does ----------------------------------------------
# A comment or an instruction (批示) says something: it needs words. Pressing the department (催办)
# may go without; the history then says it was pressed.
LEADER_ACTIONS = (A.COMMENT, A.INSTRUCT, A.PRESS)
LEADER_NOTE_REQUIRED = frozenset({A.COMMENT, A.INSTRUCT})
MAX_LEADER_NOTE = 500


def check_leader_note(action: str, status: str, note: str) -> str:
    """The note of a leader's comment, instruction or pressing, cleaned; refused when the appeal is no
    longer open, or when a comment or instruction says nothing."""
    if action not in LEADER_ACTIONS:
        raise RuleError(_("未知的操作。"))
    if status not in OPEN_STATUSES:
        raise RuleError(_("诉求已「%(s)s」，不再需要督办。") % {"s": S(status).label})
    note = " ".join((note or "").split())
    if action in LEADER_NOTE_REQUIRED and len(note) < MIN_REASON:
        raise RuleError(_("请写明%(a)s（不少于 %(n)d 个字）。") % {"a": A(action).label, "n": MIN_REASON}, field="note")
    if len(note) > MAX_LEADER_NOTE:
        raise RuleError(_("不能超过 %(n)d 个字。") % {"n": MAX_LEADER_NOTE}, field="note")
    return note
