"""Benefit applications: the employer's enterprise user or a station of its area submits for a
talent, the organization department approves or rejects, the submitter may withdraw while pending.

Each step locks the application's row, checks the version the form was made from (a stale form is
refused, not silently applied), writes a history row and an audit row (workflow.engine, through
talent.workflows.BENEFIT). Two submissions for the same talent queue on the talent's row; the partial
unique index is the last line behind that.
"""

from __future__ import annotations

import datetime
import zlib

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import CHANGE, VIEW, user_assignments
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.models import Enterprise

from .. import rules
from ..choices import BenefitAction, BenefitStatus
from ..models import BenefitApplication, PolicyItem, ProgressLookup, Talent
from ..workflows import BENEFIT
from .common import Errors

A, S = BenefitAction, BenefitStatus
LOOKUPS_PER_ADDRESS_PER_HOUR = 10


def submitter_role(user, enterprise: Enterprise) -> tuple[str, object] | None:
    """(role, station) of a user who may submit for a talent of this employer: its own enterprise user,
    or an operator of a station whose area holds it."""
    for assignment in user_assignments(user):
        if assignment.role == Role.ENTERPRISE_USER and assignment.enterprise_id == enterprise.pk:
            return Role.ENTERPRISE_USER, None
    for assignment in user_assignments(user):
        if assignment.role == Role.STATION_OPERATOR and assignment.station_id and Enterprise.objects.filter(
                assignment.station.enterprise_q(), pk=enterprise.pk).exists():
            return Role.STATION_OPERATOR, assignment.station
    return None


def can_submit_for(user, talent: Talent) -> bool:
    return submitter_role(user, talent.employer) is not None


@transaction.atomic
def benefit_application_submit(*, acting_user, talent: Talent, item: PolicyItem | None, amount_requested=None,
                               reason: str = "") -> BenefitApplication:
    # Submissions for one talent queue here: the open-application check below then sees the other's row.
    locked = Talent.objects.select_for_update().select_related("employer").filter(pk=talent.pk).first()
    if locked is None or not Talent.objects.restrict(acting_user, VIEW).filter(pk=locked.pk).exists():
        raise AccessDenied()
    who = submitter_role(acting_user, locked.employer)
    if who is None:
        raise AccessDenied(_("只有人才的用人单位或其所在区域的金融服务站可以提交待遇申请。"))
    role, station = who
    errors = Errors()
    code = "invalid"
    amount = None
    if item is None:
        errors.add("item", _("请选择政策项目。"))
    elif not item.is_active:
        errors.add("item", _("政策项目“%(i)s”已停止受理。") % {"i": item.name})
    else:
        errors.check("item", rules.check_level, locked.level, item.levels)
        amount = errors.check("amount_requested", rules.check_requested_amount, amount_requested, item.amount)
        if BenefitApplication.objects.filter(talent=locked, item=item, status__in=rules.OPEN_STATUSES).exists():
            errors.add("item", _("该人才已有一笔“%(i)s”的申请在审核中，请待其办结后再申请。") % {"i": item.name})
            code = "duplicate"
    reason = errors.check("reason", rules.check_reason, reason)
    errors.raise_if_any(code)
    try:
        with transaction.atomic():
            application = BenefitApplication.objects.create(
                talent=locked, item=item, enterprise=locked.employer, level=locked.level, item_amount=item.amount,
                amount_requested=amount, reason=reason, station=station if role == Role.STATION_OPERATOR else None,
                submitted_by=acting_user)
    except IntegrityError:
        raise DomainError(_("该人才已有一笔“%(i)s”的申请在审核中，请待其办结后再申请。") % {"i": item.name},
                          field="item", code="duplicate") from None
    application.reference = rules.reference_for(timezone.localdate().year, application.pk)
    application.save(update_fields=["reference"])
    BENEFIT.record(application, actor=acting_user, action=A.SUBMIT, from_status="", bump=False, save=False,
                   amount=amount)
    return application


def acting_role(user, application: BenefitApplication, action: str) -> str | None:
    """The user's role that may take `action` on this application, if any."""
    for assignment in user_assignments(user):
        if not rules.may_act(assignment.role, action):
            continue
        q = BenefitApplication.access_scope(assignment, CHANGE)
        if q is not None and BenefitApplication.objects.filter(q, pk=application.pk).exists():
            return assignment.role
    return None


def _refused(action: str) -> str:
    who = _("组织部工作人员") if action in (A.APPROVE, A.REJECT) else _("用人单位或其所在区域的金融服务站")
    return _("“%(a)s”须由%(who)s办理。") % {"a": BenefitAction(action).label, "who": who}


@transaction.atomic
def benefit_application_act(*, acting_user, application: BenefitApplication, action: str,
                            expected_version: int | None = None, amount=None, note: str = "") -> BenefitApplication:
    """Approve (with the amount, for a money item), reject (with a reason of at least five characters)
    or withdraw. A step not allowed in the state, or by this role, is refused with a clear message
    (the locking, the stale form and the history: workflow.engine)."""
    note = (note or "").strip()

    def apply(locked: BenefitApplication, to_status: str) -> dict:
        now = timezone.now()
        if action == A.APPROVE:
            try:
                locked.amount_approved = rules.check_approved_amount(amount, locked.amount_requested)
            except rules.RuleError as error:
                raise DomainError(error.message, field="amount") from None
            locked.decision_note = note[:300]
            locked.decided_at, locked.decided_by = now, acting_user
            return {"amount": locked.amount_approved}
        if action == A.REJECT:
            try:
                reason = rules.check_reject_note(note)
            except rules.RuleError as error:
                raise DomainError(error.message, field="note") from None
            locked.decision_note = reason
            locked.decided_at, locked.decided_by = now, acting_user
            return {"note": reason}
        locked.closed_at = now
        return {}

    return BENEFIT.transition(
        acting_user=acting_user, case=application, action=action, expected_version=expected_version,
        may_act=lambda user, locked, step: acting_role(user, locked, step) is not None, refused=_refused,
        apply=apply, note=note)


def benefit_progress_lookup(*, reference: str, id_tail: str, ip: str | None) -> BenefitApplication | None:
    """The public progress page's lookup: the application whose reference and ID-number tail both match,
    or None. Each try is counted per client address (without what was typed); past the hourly limit the
    try is refused before anything is looked up."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Tries from one address take turns, so two at once cannot both slip under the limit.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                               [51079902, zlib.crc32((ip or "").encode()) - 2 ** 31])
        since = timezone.now() - datetime.timedelta(hours=1)
        made = ProgressLookup.objects.filter(ip=ip, at__gte=since).count()
        if rules.lookups_left(made, LOOKUPS_PER_ADDRESS_PER_HOUR) == 0:
            raise DomainError(_("查询过于频繁：同一网络地址每小时最多查询 %(n)d 次，请稍后再试。")
                              % {"n": LOOKUPS_PER_ADDRESS_PER_HOUR}, code="too_many")
        ref = rules.normalize_reference(reference)
        tail = rules.normalize_id_tail(id_tail)
        application = None
        if ref and tail:
            candidate = BenefitApplication.objects.select_related("item", "talent__person").filter(reference=ref).first()
            if candidate is not None and rules.id_tail_matches(candidate.talent.person.id_number, tail):
                application = candidate
        ProgressLookup.objects.filter(ip=ip, at__lt=since - datetime.timedelta(days=1)).delete()
        ProgressLookup.objects.create(ip=ip, found=application is not None)
    return application
