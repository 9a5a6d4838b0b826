"""The organization department's writes to the service-time settings: a step's limit from a day on
(a new row; the rows in force before it stay, as with the policy tables) and the working-day
overrides (a local closure, a correction). Each writes its audit row."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import CHANGE, can
from portal.audit import audit_record, snapshot
from portal.errors import AccessDenied, DomainError
from portal.rules import check_table_effective_from

from .calendar import WorkingCalendar
from .limits import MAX_DAYS, MIN_DAYS, STEPS, shift_working_days
from .models import StepLimit, WorkdayOverride


def _invalid() -> str:
    return _("请更正标出的错误。")


def _refuse_unless_allowed(acting_user, model) -> None:
    if not can(acting_user, model, CHANGE):
        raise AccessDenied(_("只有组织部工作人员可以设置办理时限和工作日。"))


def _check_date(day: datetime.date | None, today: datetime.date, errors: dict, *, ahead: bool = True) -> None:
    if day is None:
        errors["effective_from" if ahead else "date"] = [_("请填写日期。")]
    elif day < today:
        field = "effective_from" if ahead else "date"
        errors[field] = [_("日期不能早于今天（%(d)s）：已经过去的日子不能再改。") % {"d": today.isoformat()}]
    elif ahead and (problem := check_table_effective_from(day, today)):
        errors["effective_from"] = [problem]


@transaction.atomic
def step_limit_set(*, acting_user, workflow: str, state: str, working_days: int | None,
                   effective_from: datetime.date | None, note: str = "") -> StepLimit:
    """The step's limit from `effective_from` on. A case already waiting keeps its due date; one that
    enters the step on or after that day gets the new limit."""
    _refuse_unless_allowed(acting_user, StepLimit)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if (workflow, state) not in {(key, s) for key, s, _label in STEPS}:
        errors["step"] = [_("请选择办理环节。")]
    if working_days is None or not MIN_DAYS <= working_days <= MAX_DAYS:
        errors["working_days"] = [_("办理时限须为 %(a)d 至 %(b)d 个工作日。") % {"a": MIN_DAYS, "b": MAX_DAYS}]
    _check_date(effective_from, today, errors)
    if not errors and StepLimit.objects.filter(workflow=workflow, state=state, effective_from=effective_from).exists():
        errors["effective_from"] = [_("该环节自 %(d)s 起已有设定；如需调整，请另定生效日期。") % {
            "d": effective_from.isoformat()}]
    if errors:
        raise DomainError(_invalid(), errors=errors)
    try:
        with transaction.atomic():
            row = StepLimit.objects.create(workflow=workflow, state=state, working_days=working_days,
                                           effective_from=effective_from, set_by=acting_user,
                                           note=(note or "").strip()[:200])
    except IntegrityError:  # the same day set by someone else a moment ago
        raise DomainError(_invalid(), errors={"effective_from": [
            _("该环节自 %(d)s 起已有设定；如需调整，请另定生效日期。") % {"d": effective_from.isoformat()}]}) from None
    audit_record(actor=acting_user, action="step_limit.create", obj=row, after=snapshot(row), note=row.note)
    return row


@transaction.atomic
def workday_override_add(*, acting_user, date: datetime.date | None, is_working_day: bool, name: str,
                         note: str = "") -> WorkdayOverride:
    """A day whose working status the department sets by hand (a typhoon closure, a correction of
    the State Council schedule). The open cases due on or after it move by the working day gained or
    lost (`_move_due_dates`)."""
    _refuse_unless_allowed(acting_user, WorkdayOverride)
    errors: dict[str, list[str]] = {}
    _check_date(date, timezone.localdate(), errors, ahead=False)
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写名称，如“台风停工”。")]
    if "date" not in errors and WorkdayOverride.objects.filter(date=date).exists():
        errors["date"] = [_("%(d)s 已有调整；如需更改，请先删除原来的。") % {"d": date.isoformat()}]
    if errors:
        raise DomainError(_invalid(), errors=errors)
    try:
        with transaction.atomic():
            row = WorkdayOverride.objects.create(date=date, is_working_day=bool(is_working_day), name=name[:50],
                                                 note=(note or "").strip(), updated_by=acting_user)
    except IntegrityError:
        raise DomainError(_invalid(), errors={"date": [
            _("%(d)s 已有调整；如需更改，请先删除原来的。") % {"d": date.isoformat()}]}) from None
    moved = _move_due_dates(row.date, working=row.is_working_day)
    audit_record(actor=acting_user, action="workday_override.create", obj=row, after=snapshot(row),
                 note=_("顺延或提前了 %(n)d 件在办事项的期限。") % {"n": moved} if moved else "")
    return row


@transaction.atomic
def workday_override_remove(*, acting_user, override: WorkdayOverride) -> None:
    """Remove an override of a day still to come: the State Council schedule applies to it again."""
    _refuse_unless_allowed(acting_user, WorkdayOverride)
    locked = WorkdayOverride.objects.select_for_update().filter(pk=override.pk).first()
    if locked is None:
        return
    today = timezone.localdate()
    if locked.date < today:
        raise DomainError(_("%(d)s 已经过去，其调整不能删除。") % {"d": locked.date.isoformat()}, code="past")
    before = snapshot(locked)
    day, was_working = locked.date, locked.is_working_day
    locked.delete()
    moved = _move_due_dates(day, working=WorkingCalendar().is_working_day(day), was=was_working)
    audit_record(actor=acting_user, action="workday_override.delete", obj=locked, before=before,
                 note=_("顺延或提前了 %(n)d 件在办事项的期限。") % {"n": moved} if moved else "")


def _cases_with_due_dates():
    """The query of each kind of case that runs on the workflow layer with a due date (counted in the
    audit row), and the open stays at its steps (workflow.steps; not counted): a stay already ended
    keeps the due date it was judged by."""
    from .models import StepRecord
    from .registry import all_workflows

    cases = [(w.model.objects.all(), True) for w in all_workflows()
             if any(f.name == "due_on" for f in w.model._meta.concrete_fields)]
    return [*cases, (StepRecord.objects.filter(left_on__isnull=True), False)]


def _move_due_dates(day: datetime.date, *, working: bool, was: bool | None = None) -> int:
    """After `day` became a working day or a day off: every open case due on or after it is due one
    working day earlier or later, so that it keeps the working days its limit gave it (a case
    entered the step before the day, which is never in the past here). The number of cases moved."""
    calendar = WorkingCalendar()
    if was is None:
        from .calendar import package_working_day

        was = package_working_day(day)
    if was == working:
        return 0
    moved = 0
    for rows, counted in _cases_with_due_dates():
        model = rows.model
        by_new_date: dict[datetime.date, list[int]] = {}
        for pk, due in rows.filter(due_on__gte=day).values_list("pk", "due_on"):
            new = shift_working_days(due, -1, calendar=calendar) if working else calendar.add_working_days(due, 1)
            by_new_date.setdefault(new, []).append(pk)
        for new, pks in by_new_date.items():  # by primary key: a moved date never meets one still to move
            done = model.objects.filter(pk__in=pks).update(due_on=new)
            moved += done if counted else 0
    return moved
