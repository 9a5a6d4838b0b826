"""The nightly escalation of overdue steps (超期督办): every case a person should have moved on by its due
date (workflow.limits) and has not, at least one working day late, is raised once to the level above
whoever holds it, with an audit row and the heads told:

- a rating at the town's review → the organization department (its staff);
- a rating at the department's review, a talent benefit application, or a follow-up of a low
  satisfaction score (quality) → the department's section heads (org staff marked head; all org
  staff where nobody is);
- a loan application the bank has not accepted or decided → the bank's head of credit (its officers
  marked head; the organization department where the bank has none, and the row says so).

Appeals have their own two-level escalation to the paired cadres and the Party secretary, run by
their own nightly task (liaison.services.appeals.appeal_escalate_overdue): not repeated here.

Once: a row per case, step and due date (`Escalation`, unique); a second run, or two workers at once,
find it and do nothing. Each case in its own transaction, so a long run holds no lock for long."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.choices import Role

from .calendar import WorkingCalendar
from .models import Escalation
from .signals import case_escalated


@dataclass(frozen=True)
class Target:
    kind: str  # Escalation.to_kind
    user_ids: list[int]
    unit: str = ""  # the bank's short name, for the kinds that name it


def _users(role: str, *, heads: bool = False, **scope) -> list[int]:
    users = get_user_model().objects.filter(is_active=True, role_assignments__role=role,
                                            **{f"role_assignments__{k}": v for k, v in scope.items()})
    if heads:
        users = users.filter(role_assignments__is_head=True)
    return sorted(set(users.values_list("pk", flat=True)))


def _department() -> Target:
    return Target("department", _users(Role.ORG_STAFF))


def _department_heads() -> Target:
    heads = _users(Role.ORG_STAFF, heads=True)
    if heads:
        return Target("department_heads", heads)
    return Target("department_no_heads", _users(Role.ORG_STAFF))


def _bank_heads(case) -> Target:
    heads = _users(Role.BANK_OFFICER, heads=True, institution=case.bank_id)
    if heads:
        return Target("bank_heads", heads, case.bank.short_name)
    return Target("bank_no_heads", _users(Role.ORG_STAFF), case.bank.short_name)


def _workflows():
    from finance.workflows import LOAN
    from quality.workflows import FOLLOWUP
    from ratings.workflows import RATING
    from talent.workflows import BENEFIT

    heads = lambda case: _department_heads()  # noqa: E731
    return {
        LOAN.key: (LOAN, ("bank",), {"submitted": _bank_heads, "accepted": _bank_heads}),
        BENEFIT.key: (BENEFIT, (), {"pending": heads}),
        RATING.key: (RATING, (), {"town": lambda case: _department(), "dept": heads}),
        FOLLOWUP.key: (FOLLOWUP, (), {"open": heads, "in_progress": heads}),
    }


def escalate_overdue(*, today: datetime.date | None = None) -> dict[str, int]:
    """Escalate every case overdue by at least one working day at a step that waits on a person.
    Returns how many were escalated, per workflow."""
    today = today or timezone.localdate()
    calendar = WorkingCalendar()
    counts = {}
    for key, (workflow, related, targets) in _workflows().items():
        counts[key] = 0
        candidates = (workflow.model.objects.filter(status__in=list(targets), due_on__lt=today)
                      .order_by("pk").values_list("pk", flat=True))
        for pk in candidates.iterator(chunk_size=2000):
            counts[key] += _escalate_one(workflow, related, targets, pk, today, calendar)
    return counts


@transaction.atomic
def _escalate_one(workflow, related, targets, pk: int, today: datetime.date, calendar: WorkingCalendar) -> int:
    rows = workflow.model.objects.select_for_update(of=("self",)).select_related(*related)
    case = rows.filter(pk=pk).first()
    if case is None or case.status not in targets or case.due_on is None or case.due_on >= today:
        return 0  # moved on, or given a new date, since the list was read
    late = calendar.working_days_between(case.due_on, today)
    if late < 1:
        return 0  # due on a Friday, looked at on the Saturday: the holder has not had a working day yet
    if Escalation.objects.filter(workflow=workflow.key, case_id=case.pk, state=case.status,
                                 due_on=case.due_on).exists():
        return 0
    target = targets[case.status](case)
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                workflow=workflow.key, case_id=case.pk, state=case.status, due_on=case.due_on, escalated_on=today,
                working_days_late=late, to_kind=target.kind, unit=target.unit[:60])
    except IntegrityError:  # a run at the same moment got there first
        return 0
    escalation.recipients.set(target.user_ids)
    note = _("超期督办：“%(s)s”环节应于 %(d)s 办结，已超期 %(n)d 个工作日；督办：%(to)s") % {
        "s": case.get_status_display(), "d": case.due_on.isoformat(), "n": late, "to": escalation.to}
    audit_record(actor=None, action=f"{workflow.audit_prefix}.escalate", obj=case, note=note)
    key, case_pk, escalation_pk = workflow.key, case.pk, escalation.pk
    transaction.on_commit(lambda: case_escalated.send_robust(
        sender=workflow.model, workflow=key, pk=case_pk, escalation_id=escalation_pk))
    return 1


def escalations_of(workflow_key: str, case_id: int):
    """The escalations of one case, newest first (its detail page shows them)."""
    return Escalation.objects.filter(workflow=workflow_key, case_id=case_id).order_by("-escalated_on", "-pk")
