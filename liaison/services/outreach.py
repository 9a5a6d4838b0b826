"""Services of outreach: every write of the legal service centre, policy notices, care activities and
mentoring. Each checks its inputs and refuses all the bad ones at once, each at its own field, before
it writes anything; then it writes its rows and the audit entry in one transaction."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import ADD, CHANGE, UNMASK, can, user_assignments
from portal.audit import audit_record, snapshot
from portal.choices import EnterpriseKind, Industry, Role
from portal.errors import AccessDenied, DomainError
from portal.models import Enterprise
from portal.rules import check_mobile

from ..models import (
    Consultation,
    Lawyer,
    NoticeReceipt,
    PolicyNotice,
)
from ..rules.outreach import (
    ConsultationCategory,
    ConsultationChannel,
    ConsultationStatus,
    NoticeAudience,
    NoticeStatus,
    notice_is_editable,
    notice_reaches,
    residency_problem,
)
from ..selectors.outreach import (
    consultation_enterprise_q,
    notice_reached_enterprises,
    station_for,
)
from .outreach_base import REQUIRED, choice, day, lock_row, refuse, text
from .outreach_care import (  # noqa: F401  (one surface for the part's services)
    care_activity_create,
    mentoring_pair_create,
    mentoring_pair_end,
    mentoring_session_add,
)

# --- lawyers -------------------------------------------------------------------------------------

def _lawyer_values(values: dict, errors: dict) -> dict:
    clean = {
        "name": text(values.get("name"), field="name", errors=errors, max_length=32, required=REQUIRED["name"]),
        "law_firm": text(values.get("law_firm"), field="law_firm", errors=errors, max_length=80,
                         required=REQUIRED["law_firm"]),
        "specialties": text(values.get("specialties"), field="specialties", errors=errors, max_length=200),
        "is_active": bool(values.get("is_active", True)),
        "resident_since": values.get("resident_since"),
        "resident_until": values.get("resident_until"),
        "mobile": "",
    }
    if (values.get("mobile") or "").strip():
        result = check_mobile(values["mobile"])
        if result.ok:
            clean["mobile"] = result.value
        else:
            errors["mobile"] = [result.error]
    since, until = clean["resident_since"], clean["resident_until"]
    if since is None:
        errors["resident_since"] = [_("请填写常驻起始日期。")]
    elif until is not None and until < since:
        errors["resident_until"] = [_("常驻截止日期不能早于起始日期 %(d)s。") % {"d": since.isoformat()}]
    return clean


@transaction.atomic
def lawyer_create(*, acting_user, **values) -> Lawyer:
    """Add a resident lawyer to the centre's roster (organization department)."""
    if not can(acting_user, Lawyer, CHANGE):
        raise AccessDenied()
    errors: dict[str, list[str]] = {}
    clean = _lawyer_values(values, errors)
    refuse(errors)
    lawyer = Lawyer.objects.create(**clean)
    audit_record(actor=acting_user, action="lawyer.create", obj=lawyer, after=_lawyer_snapshot(lawyer))
    return lawyer


@transaction.atomic
def lawyer_update(*, acting_user, lawyer: Lawyer, **values) -> Lawyer:
    """Change a lawyer's entry; the residency must still cover every consultation already answered."""
    locked = lock_row(Lawyer, acting_user, lawyer)
    errors: dict[str, list[str]] = {}
    clean = _lawyer_values(values, errors)
    consultations = locked.consultations.order_by("consulted_on")
    first, last = consultations.first(), consultations.last()
    if first is not None and "resident_since" not in errors and clean["resident_since"] > first.consulted_on:
        errors["resident_since"] = [_("该律师在 %(d)s 已有咨询记录，常驻起始日期不能晚于这一天。")
                                    % {"d": first.consulted_on.isoformat()}]
    until = clean["resident_until"]
    if last is not None and until is not None and "resident_until" not in errors and until < last.consulted_on:
        errors["resident_until"] = [_("该律师在 %(d)s 还有咨询记录，常驻截止日期不能早于这一天。")
                                    % {"d": last.consulted_on.isoformat()}]
    refuse(errors)
    before = _lawyer_snapshot(locked)
    for field, value in clean.items():
        setattr(locked, field, value)
    locked.save()
    audit_record(actor=acting_user, action="lawyer.update", obj=locked, before=before, after=_lawyer_snapshot(locked))
    return locked


def _lawyer_snapshot(lawyer: Lawyer) -> dict:
    # The mobile stays masked in the audit log too: the log records that it changed, not the number.
    return {**snapshot(lawyer), "mobile": lawyer.mobile_masked}


def lawyer_unmask(*, acting_user, lawyer: Lawyer) -> dict:
    """The lawyer's whole mobile number, after checking the right and auditing the look."""
    if not Lawyer.objects.restrict(acting_user, UNMASK).filter(pk=lawyer.pk).exists():
        raise AccessDenied(_("您无权查看律师的完整手机号。"))
    audit_record(actor=acting_user, action="lawyer.unmask", obj=lawyer, note=_("查看完整信息：手机号"))
    return {"mobile": lawyer.mobile}


# --- consultations -------------------------------------------------------------------------------

@transaction.atomic
def consultation_record(*, acting_user, enterprise: Enterprise | None, topic: str, category: str,
                        lawyer: Lawyer | None, consulted_on: datetime.date | None, channel: str,
                        outcome: str = "") -> Consultation:
    """Record a consultation for an enterprise of the user's area (a station's, or any for the
    department). Given with its answer, it is answered on the day it was asked."""
    if not can(acting_user, Consultation, ADD):
        raise AccessDenied()
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if enterprise is None:
        errors["enterprise"] = [_("请填写企业统一社会信用代码。")]
    elif not Enterprise.objects.filter(consultation_enterprise_q(acting_user), pk=enterprise.pk).exists():
        errors["enterprise"] = [_("“%(n)s”不在您服务的范围内，不能为其登记法律咨询。") % {"n": enterprise.name}]
    topic = text(topic, field="topic", errors=errors, max_length=120, required=REQUIRED["topic"])
    choice(category, ConsultationCategory, field="category", errors=errors, message=_("请选择咨询类别。"))
    choice(channel, ConsultationChannel, field="channel", errors=errors, message=_("请选择咨询方式。"))
    day(consulted_on, field="consulted_on", errors=errors, label=_("咨询日期"), today=today)
    if lawyer is None:
        errors["lawyer"] = [_("请选择答复的律师。")]
    elif "consulted_on" not in errors:
        # The lawyer's row, locked, so that the residency cannot be cut short of this day meanwhile
        # (lawyer_update checks the consultations under the same lock).
        lawyer = Lawyer.objects.select_for_update().get(pk=lawyer.pk)
        problem = residency_problem(lawyer.resident_since, lawyer.resident_until, lawyer.is_active, consulted_on)
        if problem:
            errors["lawyer"] = [problem]
    outcome = (outcome or "").strip()
    refuse(errors)
    consultation = Consultation.objects.create(
        enterprise=enterprise, topic=topic, category=category, lawyer=lawyer, consulted_on=consulted_on,
        channel=channel, outcome=outcome,
        status=ConsultationStatus.ANSWERED if outcome else ConsultationStatus.OPEN,
        answered_on=consulted_on if outcome else None, station=station_for(acting_user, enterprise),
        recorded_by=acting_user)
    audit_record(actor=acting_user, action="consultation.create", obj=consultation, after=snapshot(consultation))
    return consultation


@transaction.atomic
def consultation_answer(*, acting_user, consultation: Consultation, outcome: str,
                        answered_on: datetime.date | None = None) -> Consultation:
    locked = lock_row(Consultation, acting_user, consultation)
    if locked.status == ConsultationStatus.ANSWERED:
        raise DomainError(_("该咨询已于 %(d)s 答复。") % {"d": locked.answered_on.isoformat()}, code="stale")
    today = timezone.localdate()
    answered_on = answered_on or today
    errors: dict[str, list[str]] = {}
    outcome = text(outcome, field="outcome", errors=errors, max_length=4000, required=REQUIRED["outcome"])
    if answered_on < locked.consulted_on:
        errors["answered_on"] = [_("答复日期不能早于咨询日期 %(d)s。") % {"d": locked.consulted_on.isoformat()}]
    elif answered_on > today:
        errors["answered_on"] = [_("答复日期不能晚于今天（%(d)s）。") % {"d": today.isoformat()}]
    refuse(errors)
    before = snapshot(locked)
    locked.outcome, locked.answered_on, locked.status = outcome, answered_on, ConsultationStatus.ANSWERED
    locked.save(update_fields=["outcome", "answered_on", "status"])
    audit_record(actor=acting_user, action="consultation.answer", obj=locked, before=before, after=snapshot(locked))
    return locked


# --- policy notices ------------------------------------------------------------------------------

def _notice_values(values: dict, errors: dict) -> dict:
    audience = values.get("audience")
    clean = {
        "title": text(values.get("title"), field="title", errors=errors, max_length=120, required=REQUIRED["title"]),
        "body": text(values.get("body"), field="body", errors=errors, max_length=20000, required=REQUIRED["body"]),
        "audience": audience, "audience_kind": "", "audience_industry": "", "audience_region": None,
    }
    # Only the value the audience names is kept, so a draft switched from "an industry" to "all"
    # does not carry a stale industry along.
    if audience == NoticeAudience.KIND:
        clean["audience_kind"] = values.get("audience_kind") or ""
        choice(clean["audience_kind"], EnterpriseKind, field="audience_kind", errors=errors,
               message=_("推送给某类市场主体时，请选择主体类型。"))
    elif audience == NoticeAudience.INDUSTRY:
        clean["audience_industry"] = values.get("audience_industry") or ""
        choice(clean["audience_industry"], Industry, field="audience_industry", errors=errors,
               message=_("推送给某一行业时，请选择行业门类。"))
    elif audience == NoticeAudience.REGION:
        clean["audience_region"] = values.get("audience_region")
        if clean["audience_region"] is None:
            errors["audience_region"] = [_("推送给某一区域时，请选择区域。")]
    elif audience not in NoticeAudience.values:
        errors["audience"] = [_("请选择推送范围。")]
    return clean


@transaction.atomic
def notice_create(*, acting_user, **values) -> PolicyNotice:
    """Draft a notice (organization department); nobody but staff sees it until it is published."""
    if not can(acting_user, PolicyNotice, CHANGE):
        raise AccessDenied()
    errors: dict[str, list[str]] = {}
    clean = _notice_values(values, errors)
    refuse(errors)
    notice = PolicyNotice.objects.create(created_by=acting_user, **clean)
    audit_record(actor=acting_user, action="policy_notice.create", obj=notice, after=snapshot(notice))
    return notice


def _frozen(notice: PolicyNotice) -> DomainError:
    return DomainError(_("通知已于 %(d)s 发布，内容已冻结，不能再修改。")
                       % {"d": timezone.localtime(notice.published_at).strftime("%Y-%m-%d %H:%M")}, code="frozen")


@transaction.atomic
def notice_update(*, acting_user, notice: PolicyNotice, **values) -> PolicyNotice:
    locked = lock_row(PolicyNotice, acting_user, notice)
    if not notice_is_editable(locked.status):
        raise _frozen(locked)
    errors: dict[str, list[str]] = {}
    clean = _notice_values(values, errors)
    refuse(errors)
    before = snapshot(locked)
    for field, value in clean.items():
        setattr(locked, field, value)
    locked.save()
    audit_record(actor=acting_user, action="policy_notice.update", obj=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def notice_publish(*, acting_user, notice: PolicyNotice) -> PolicyNotice:
    """Publish a draft to its audience; from now on its text is what enterprises read, unchanged."""
    locked = lock_row(PolicyNotice, acting_user, notice)
    if locked.status != NoticeStatus.DRAFT:
        raise DomainError(_("只有草稿可以发布，该通知%(s)s。") % {"s": locked.get_status_display()}, code="not_draft")
    if not notice_reached_enterprises(locked).exists():
        raise DomainError(_("推送范围“%(a)s”内没有市场主体，发布后无人能收到，请调整推送范围。")
                          % {"a": locked.audience_text}, field="audience", code="no_audience")
    before = snapshot(locked)
    locked.status, locked.published_at, locked.published_by = NoticeStatus.PUBLISHED, timezone.now(), acting_user
    locked.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit_record(actor=acting_user, action="policy_notice.publish", obj=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def notice_withdraw(*, acting_user, notice: PolicyNotice, reason: str) -> PolicyNotice:
    """Take a published notice back from the enterprises' lists; its receipts stay on record."""
    locked = lock_row(PolicyNotice, acting_user, notice)
    if locked.status != NoticeStatus.PUBLISHED:
        raise DomainError(_("只有已发布的通知可以撤回，该通知%(s)s。") % {"s": locked.get_status_display()},
                          code="not_published")
    errors: dict[str, list[str]] = {}
    reason = text(reason, field="reason", errors=errors, max_length=200, required=REQUIRED["reason"])
    refuse(errors)
    before = snapshot(locked)
    locked.status, locked.withdrawn_at, locked.withdrawn_by = NoticeStatus.WITHDRAWN, timezone.now(), acting_user
    locked.withdraw_reason = reason
    locked.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason", "updated_at"])
    audit_record(actor=acting_user, action="policy_notice.withdraw", obj=locked, before=before,
                 after=snapshot(locked), note=reason)
    return locked


@transaction.atomic
def notice_mark_read(*, notice: PolicyNotice, user) -> NoticeReceipt:
    """Record that an enterprise user read a notice for its enterprise. Idempotent: a second opening
    (or two at the same moment) leaves the first receipt as it was.

    No audit row: the receipt is itself the record of who read what and when, and one per reading
    would double the rows of a province's notices for nothing."""
    enterprise_ids = [a.enterprise_id for a in user_assignments(user)
                      if a.role == Role.ENTERPRISE_USER and a.enterprise_id]
    if not enterprise_ids:
        raise AccessDenied(_("只有企业用户阅读通知时才记录回执。"), code="not_enterprise_user")
    if notice.status != NoticeStatus.PUBLISHED:
        raise DomainError(_("该通知%(s)s，不能记录阅读。") % {"s": notice.get_status_display()}, code="not_published")
    value = notice.audience_value
    reached = [e for e in Enterprise.objects.select_related("region").filter(pk__in=enterprise_ids).order_by("pk")
               if notice_reaches(notice.audience, value, kind=e.kind, is_key=e.is_key, industry=e.industry,
                                 region_code=e.region.code)]
    if not reached:
        raise DomainError(_("该通知不面向您的企业。"), code="not_reached")
    # ON CONFLICT DO NOTHING: the unique (notice, user) decides between two tabs opened at once.
    NoticeReceipt.objects.bulk_create(
        [NoticeReceipt(notice=notice, enterprise=reached[0], user=user, read_at=timezone.now())],
        ignore_conflicts=True)
    return NoticeReceipt.objects.get(notice=notice, user=user)
