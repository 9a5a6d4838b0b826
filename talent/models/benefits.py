"""Benefit applications under the policy package, their history, and the public progress lookups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access import CHANGE, VIEW, RestrictedQuerySet
from portal.choices import Role

from ..choices import BenefitAction, BenefitStatus
from .access import personal_scope

S = BenefitStatus


class BenefitApplication(models.Model):
    """A talent's application for one policy item, recorded by the employer's enterprise user or a
    station of its area, decided by the organization department."""

    # "RC2026-000123": given right after the insert (it carries the row's number); what a talent types
    # on the public progress page together with the last six characters of the ID number.
    reference = models.CharField(_("申请编号"), max_length=20, unique=True, null=True, blank=True)
    talent = models.ForeignKey("talent.Talent", verbose_name=_("人才"), on_delete=models.PROTECT,
                               related_name="benefit_applications")
    item = models.ForeignKey("talent.PolicyItem", verbose_name=_("政策项目"), on_delete=models.PROTECT,
                             related_name="applications")
    # The employer when it was submitted: whose application it is even if the talent moves on.
    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                   related_name="benefit_applications")
    # What the submission rested on, kept so that a later change of level or standard never rewrites it.
    level = models.CharField(_("申请时人才类别"), max_length=1)
    item_amount = models.DecimalField(_("申请时标准金额（元）"), max_digits=14, decimal_places=2, null=True,
                                      blank=True)
    amount_requested = models.DecimalField(_("申请金额（元）"), max_digits=14, decimal_places=2, null=True,
                                           blank=True)
    reason = models.TextField(_("申请理由"), max_length=500)
    status = models.CharField(_("状态"), max_length=10, choices=BenefitStatus.choices, default=S.PENDING,
                              db_index=True)
    amount_approved = models.DecimalField(_("批准金额（元）"), max_digits=14, decimal_places=2, null=True,
                                          blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    station = models.ForeignKey("portal.ServiceStation", verbose_name=_("代办服务站"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="benefit_applications")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # A default rather than auto_now_add: the demo writes histories in bulk with their own moments.
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False, db_index=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    # Service-time limit (workflow.limits): when the step the case waits in is due, None when nobody
    # is waiting; the working days left of steps whose clock is paused while the case is back with
    # the applicant (state → days).
    due_on = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    clock_days_left = models.JSONField(_("暂停计时剩余工作日"), default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才待遇申请")
        verbose_name_plural = _("人才待遇申请")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One open application per talent and item: the service refuses a second with a message,
            # the database refuses it when two arrive at the same moment.
            models.UniqueConstraint(fields=["talent", "item"], condition=Q(status=S.PENDING),
                                    name="benefit_one_open_per_talent_and_item"),
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True)
                | Q(amount_requested__gt=0, item_amount__isnull=False, amount_requested__lte=F("item_amount")),
                name="benefit_requested_within_item"),
            models.CheckConstraint(
                condition=Q(amount_approved__isnull=True)
                | Q(status=S.APPROVED, amount_approved__gt=0, amount_approved__lte=F("amount_requested")),
                name="benefit_approved_within_requested"),
            models.CheckConstraint(
                condition=~Q(status=S.APPROVED) | Q(amount_requested__isnull=True) | Q(amount_approved__isnull=False),
                name="benefit_money_approval_has_amount"),
            models.CheckConstraint(condition=~Q(status=S.REJECTED) | ~Q(decision_note=""),
                                   name="benefit_rejection_has_reason"),
        ]
        indexes = [models.Index(fields=["enterprise", "status"]), models.Index(fields=["item", "status"])]

    def __str__(self):
        return self.reference or f"#{self.pk}"

    @classmethod
    def access_scope(cls, assignment, action):
        # Taking part: the organization department decides; the employer's own user and the station of
        # its area submit and withdraw. Which step each may take is the services' rule (rules.ACTORS).
        if action == CHANGE and assignment.role in (Role.STATION_OPERATOR, Role.ENTERPRISE_USER):
            return personal_scope(assignment, VIEW, "enterprise__")
        return personal_scope(assignment, action, "enterprise__")


class BenefitEvent(models.Model):
    application = models.ForeignKey(BenefitApplication, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=BenefitAction.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=BenefitStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=BenefitStatus.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("待遇申请办理记录")
        verbose_name_plural = _("待遇申请办理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application_id} · {self.get_action_display()}"


class ProgressLookup(models.Model):
    """One try on the public progress page, kept to limit tries per client address (like the public
    notice's objections). Holds no input: neither the reference nor the ID digits tried."""

    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    found = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("进度查询记录")
        verbose_name_plural = _("进度查询记录")
        indexes = [models.Index(fields=["ip", "at"])]

    def __str__(self):
        return f"{self.ip} {self.at:%Y-%m-%d %H:%M}"
