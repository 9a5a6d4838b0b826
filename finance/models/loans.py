"""Loan applications, their history, and each enterprise's credit line: the one row that makes the
quota hold across all banks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.access import CHANGE, VIEW, RestrictedQuerySet
from portal.choices import Role
from portal.models.enterprises import _enterprise_scope
from portal.rules import yuan

from ..choices import Channel, LoanAction, LoanStatus, RejectReason

OPEN_STATUSES = (LoanStatus.SUBMITTED, LoanStatus.ACCEPTED)
OUTSTANDING_STATUSES = (LoanStatus.APPROVED, LoanStatus.DISBURSED)


class CreditLine(models.Model):
    """An enterprise's use of its quota: approved and not yet repaid, across every bank. Every
    approval locks this row and moves `used` up with a guarded update; the check constraint is the
    last line, so the sum can never pass the quota even if a code path forgot the lock."""

    enterprise = models.OneToOneField("portal.Enterprise", on_delete=models.PROTECT, related_name="credit_line")
    quota = models.DecimalField(_("授信额度（元）"), max_digits=14, decimal_places=2, default=0)
    used = models.DecimalField(_("已用额度（元）"), max_digits=14, decimal_places=2, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("授信额度台账")
        verbose_name_plural = _("授信额度台账")
        constraints = [
            models.CheckConstraint(condition=Q(used__gte=0), name="credit_line_used_not_negative"),
            models.CheckConstraint(condition=Q(used__lte=F("quota")), name="credit_line_used_within_quota"),
        ]

    def __str__(self):
        return f"{self.enterprise_id}: {yuan(self.used)}/{yuan(self.quota)}"


def _application_scope(assignment, action) -> Q | None:
    role = assignment.role
    if action == VIEW:
        if role == Role.BANK_OFFICER and assignment.institution_id:
            return Q(bank_id=assignment.institution_id)
        if role in (Role.ORG_STAFF, Role.LEADER, Role.TOWN_STAFF, Role.STATION_OPERATOR, Role.ENTERPRISE_USER):
            return _enterprise_scope(assignment, VIEW, "enterprise__")
        return None
    if action == CHANGE:
        # Taking part: the bank decides on what is addressed to it; the station and the enterprise
        # submit and withdraw. Which action each may take is the services' rule.
        if role == Role.BANK_OFFICER and assignment.institution_id:
            return Q(bank_id=assignment.institution_id)
        if role in (Role.STATION_OPERATOR, Role.ENTERPRISE_USER):
            return _enterprise_scope(assignment, VIEW, "enterprise__")
    return None


class LoanApplication(models.Model):
    """A credit-loan application under the scheme, from submission to repayment (after Apache
    Fineract's loan lifecycle)."""

    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="loan_applications")
    bank = models.ForeignKey("portal.Institution", verbose_name=_("银行"), on_delete=models.PROTECT,
                             related_name="loan_applications", limit_choices_to={"kind": "bank"})
    product = models.ForeignKey("finance.LoanProduct", verbose_name=_("贷款产品"), on_delete=models.PROTECT,
                                related_name="applications")
    amount = models.DecimalField(_("申请金额（元）"), max_digits=14, decimal_places=2)
    purpose = models.CharField(_("贷款用途"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=LoanStatus.choices, default=LoanStatus.SUBMITTED,
                              db_index=True)
    channel = models.CharField(_("申请渠道"), max_length=8, choices=Channel.choices)
    station = models.ForeignKey("portal.ServiceStation", verbose_name=_("代办服务站"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="loan_applications")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    approved_amount = models.DecimalField(_("批准金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    reject_reason = models.CharField(_("不予批准原因"), max_length=16, choices=RejectReason.choices, blank=True)
    reject_note = models.CharField(_("说明"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # What the approval rested on, kept so a later change of rating or table never rewrites it.
    rating = models.ForeignKey("ratings.Rating", verbose_name=_("依据的星级评定"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    stars = models.PositiveSmallIntegerField(_("审批时星级"), null=True, blank=True)
    quota_table = models.ForeignKey("finance.QuotaTable", verbose_name=_("依据的额度标准"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    quota = models.DecimalField(_("审批时授信额度（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    disbursed_at = models.DateTimeField(_("放款时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结清/撤回时间"), null=True, blank=True)
    # Service-time limit (workflow.limits): when the step the case waits in is due, None when nobody
    # is waiting; the working days left of steps whose clock is paused while the case is back with
    # the applicant (state → days).
    due_on = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    clock_days_left = models.JSONField(_("暂停计时剩余工作日"), default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("贷款申请")
        verbose_name_plural = _("贷款申请")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status__in=[LoanStatus.APPROVED, LoanStatus.DISBURSED, LoanStatus.REPAID])
                | Q(approved_amount__gt=0, quota__isnull=False),
                name="loan_decided_has_amount_and_quota",
            ),
            models.CheckConstraint(condition=~Q(status=LoanStatus.REJECTED) | ~Q(reject_reason=""),
                                   name="loan_rejected_has_reason"),
            # A second open application of the same enterprise to the same bank: refused by the
            # service with a message, and by the database if two arrive at once.
            models.UniqueConstraint(fields=["enterprise", "bank"], condition=Q(status__in=OPEN_STATUSES),
                                    name="loan_one_open_per_enterprise_and_bank"),
        ]
        indexes = [models.Index(fields=["bank", "status"]), models.Index(fields=["enterprise", "status"])]

    def __str__(self):
        return f"{self.enterprise} · {self.bank.short_name} · {yuan(self.amount)}"

    @classmethod
    def access_scope(cls, assignment, action):
        return _application_scope(assignment, action)


class LoanEvent(models.Model):
    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=LoanAction.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=LoanStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=LoanStatus.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150)
    # Indexed: the figures as of a day read the applications with a step after it (few for a recent
    # day), which without it was a scan of the whole history (portal.selectors.as_of_groups).
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("贷款办理记录")
        verbose_name_plural = _("贷款办理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application_id} · {self.get_action_display()}"
