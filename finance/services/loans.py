"""Loan applications: the station or the enterprise submits, the bank decides (maker–checker), and
the enterprise's quota holds across every bank even when several approve at the same moment.

How the quota holds: every approval and repayment of an enterprise locks its one CreditLine row
(SELECT … FOR UPDATE), checks the amount against the quota of its rating *now*, and moves `used` with
a guarded UPDATE (`WHERE used <= quota - amount`); the table's CHECK (used <= quota) is the last line.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import CHANGE, user_assignments
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.models import Enterprise, Institution
from portal.punctuation import clauses
from portal.rules import strip_invisible

from .. import rules, selectors
from ..choices import Channel, LoanAction, LoanStatus, RejectReason
from ..models import CreditLine, LoanApplication, LoanProduct
from ..models.loans import OPEN_STATUSES, _application_scope
from ..workflows import LOAN

A, S = LoanAction, LoanStatus


def _refuse(error: rules.RuleError, field: str | None = None, code: str = "invalid") -> DomainError:
    return DomainError(error.message, field=field, code=code)


def _submitter_role(user, enterprise: Enterprise) -> tuple[str, object] | None:
    """(role, station) of a user who may submit for this enterprise: its own user, or an operator of
    a station whose area holds it."""
    for assignment in user_assignments(user):
        if assignment.role == Role.ENTERPRISE_USER and assignment.enterprise_id == enterprise.pk:
            return Role.ENTERPRISE_USER, None
        if assignment.role == Role.STATION_OPERATOR and assignment.station_id and Enterprise.objects.filter(
                assignment.station.enterprise_q(), pk=enterprise.pk).exists():
            return Role.STATION_OPERATOR, assignment.station
    return None


@transaction.atomic
def loan_application_submit(*, acting_user, enterprise: Enterprise, bank: Institution | None,
                            product: LoanProduct | None, amount: object, purpose: str) -> LoanApplication:
    who = _submitter_role(acting_user, enterprise)
    if who is None:
        raise AccessDenied(_("只有企业本身或其所在区域的金融服务站可以提交贷款申请。"))
    role, station = who
    Enterprise.objects.select_for_update().get(pk=enterprise.pk)  # one submission of an enterprise at a time
    errors: dict[str, list[str]] = {}
    if bank is None or bank.kind != "bank" or not bank.is_active:
        errors["bank"] = [_("请选择参与党建增信的银行。")]
    if product is None:
        errors["product"] = [_("请选择贷款产品。")]
    elif bank is not None and (product.bank_id != bank.pk or not product.is_active):
        errors["product"] = [_("“%(p)s”不是该银行在售的党建增信贷款产品。") % {"p": product.name}]
    try:
        value = rules.parse_yuan(amount, label=_("申请金额"))
    except rules.RuleError as error:
        errors["amount"] = [error.message]
        value = None
    purpose = strip_invisible(purpose, multiline=True).strip()
    if len(purpose) < 4:
        errors["purpose"] = [_("请写明贷款用途（不少于 4 个字）。")]
    if bank is not None and LoanApplication.objects.filter(enterprise=enterprise, bank=bank,
                                                           status__in=OPEN_STATUSES).exists():
        errors["bank"] = [_("该企业在%(b)s已有一笔办理中的申请，请待其办结后再申请。") % {"b": bank.short_name}]
    answer = selectors.eligibility(enterprise)
    if not answer.rating.is_valid or answer.quota_table is None:
        errors.setdefault("enterprise", []).extend(r.message for r in answer.reasons)
    elif value is not None and "amount" not in errors:
        try:
            rules.check_within_quota(value, answer.quota, answer.used)
        except rules.RuleError as error:
            errors["amount"] = [error.message]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    try:
        with transaction.atomic():
            application = LoanApplication.objects.create(
                enterprise=enterprise, bank=bank, product=product, amount=value, purpose=purpose[:300],
                channel=Channel.STATION if role == Role.STATION_OPERATOR else Channel.ONLINE, station=station,
                submitted_by=acting_user,
            )
    except IntegrityError:
        raise DomainError(_("该企业在%(b)s已有一笔办理中的申请，请待其办结后再申请。") % {"b": bank.short_name},
                          field="bank", code="duplicate") from None
    LOAN.record(application, actor=acting_user, action=A.SUBMIT, from_status="", bump=False, save=False,
                amount=value)
    return application


def _acting_role(user, application: LoanApplication, action: str) -> str | None:
    """The user's role that may take `action` on this application (maker–checker), if any."""
    allowed = rules.ACTORS.get(action, frozenset())
    for assignment in user_assignments(user):
        if assignment.role not in allowed:
            continue
        q = _application_scope(assignment, CHANGE)
        if q is not None and LoanApplication.objects.filter(q, pk=application.pk).exists():
            return assignment.role
    return None


def _refused(action: str) -> str:
    return _("“%(a)s”须由%(who)s办理。") % {
        "a": LoanAction(action).label,
        "who": _("受理银行") if Role.BANK_OFFICER in rules.ACTORS[action] else _("企业或其金融服务站")}


@transaction.atomic
def loan_application_act(*, acting_user, application: LoanApplication, action: str,
                         expected_version: int | None = None, amount: object = None, reason: str = "",
                         note: str = "") -> LoanApplication:
    """One step: accept, approve (with `amount`), reject (with a coded `reason`), disburse, repay,
    withdraw. A step not allowed in the state, or by this role, is refused with a clear message
    (the locking, the stale form and the history: workflow.engine)."""
    note = strip_invisible(note, multiline=True).strip()

    def apply(locked: LoanApplication, to_status: str) -> dict:
        now, event_amount = timezone.now(), None
        if action == A.APPROVE:
            event_amount = _approve(locked, amount)
            locked.decided_at, locked.decided_by = now, acting_user
        elif action == A.REJECT:
            if reason not in RejectReason.values:
                raise DomainError(_("请选择不予批准的原因。"), field="reason")
            if reason == RejectReason.OTHER and len(note) < 4:
                raise DomainError(_("选择“其他原因”时请写明说明。"), field="note")
            locked.reject_reason, locked.reject_note = reason, note[:300]
            locked.decided_at, locked.decided_by = now, acting_user
        elif action == A.ACCEPT:
            locked.accepted_at = now
        elif action == A.DISBURSE:
            locked.disbursed_at = now
            event_amount = locked.approved_amount
        elif action == A.REPAY:
            _release(locked)
            locked.closed_at = now
            event_amount = locked.approved_amount
        elif action == A.WITHDRAW:
            locked.closed_at = now
        return {"amount": event_amount}

    return LOAN.transition(
        acting_user=acting_user, case=application, action=action, expected_version=expected_version,
        may_act=lambda user, locked, step: _acting_role(user, locked, step) is not None, refused=_refused,
        apply=apply, note=note)


def _credit_line(enterprise_id: int) -> CreditLine:
    CreditLine.objects.bulk_create([CreditLine(enterprise_id=enterprise_id)], ignore_conflicts=True)
    return CreditLine.objects.select_for_update().get(enterprise_id=enterprise_id)


def _approve(application: LoanApplication, amount: object) -> Decimal:
    """Check the amount against the quota of the rating valid *now*, and take it from the line."""
    try:
        value = rules.parse_yuan(amount, label=_("批准金额"))
    except rules.RuleError as error:
        raise _refuse(error, "amount") from None
    if value > application.amount:
        raise DomainError(_("批准金额不能超过申请金额 %(a)s 元。") % {"a": rules.yuan(application.amount)},
                          field="amount")
    line = _credit_line(application.enterprise_id)
    answer = selectors.eligibility(application.enterprise)
    if not answer.rating.is_valid or answer.quota is None:
        raise DomainError(_("不能审批：%(r)s。") % {"r": clauses(r.message for r in answer.reasons)},
                          code="not_eligible")
    quota = answer.quota
    try:
        rules.check_within_quota(value, quota, line.used)
    except rules.RuleError as error:
        raise DomainError(error.message, field="amount", code="over_quota") from None
    moved = CreditLine.objects.filter(pk=line.pk, used__lte=quota - value).update(
        used=F("used") + value, quota=quota, updated_at=timezone.now())
    if moved != 1:  # cannot happen under the lock; the guard and the CHECK are the last lines
        raise DomainError(_("可用额度不足。"), field="amount", code="over_quota")
    application.approved_amount = value
    application.rating = answer.rating.rating
    application.stars = answer.rating.stars
    application.quota_table = answer.quota_table
    application.quota = quota
    return value


def _release(application: LoanApplication) -> None:
    line = _credit_line(application.enterprise_id)
    CreditLine.objects.filter(pk=line.pk, used__gte=application.approved_amount).update(
        used=F("used") - application.approved_amount, updated_at=timezone.now())
