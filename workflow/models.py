from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.access import CHANGE, VIEW, RestrictedQuerySet
from portal.choices import Role


def _org_department_scope(assignment, action):
    """The calendar and the step limits are the organization department's to read and to set."""
    if action in (VIEW, CHANGE) and assignment.role == Role.ORG_STAFF:
        return models.Q()
    return None


class WorkdayOverride(models.Model):
    """One day whose working status the organization department sets by hand. It wins over the State
    Council schedule the chinese-calendar package carries: for a local closure (a typhoon day), a
    correction, or a year the installed package does not know yet (workflow.calendar)."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("工作日"), help_text=_("勾选：当天上班（如调休上班日）；不勾选：当天放假。"))
    name = models.CharField(_("名称"), max_length=50, help_text=_("如：春节、国庆节调休上班。"))
    note = models.TextField(_("备注"), blank=True, help_text=_("依据的通知文号等。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}"

    @classmethod
    def access_scope(cls, assignment, action):
        return _org_department_scope(assignment, action)


class StepLimit(models.Model):
    """The time limit of one step of one workflow (限时办结), in working days, in force from its date
    until the next row of the same step. Like the policy tables it is never edited: the department
    sets a new limit from a day on, and the cases already waiting keep the due date they were given."""

    workflow = models.CharField(_("业务"), max_length=20)
    state = models.CharField(_("环节"), max_length=20)
    working_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    effective_from = models.DateField(_("生效日期"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设定人"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("依据"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("环节办理时限")
        verbose_name_plural = _("环节办理时限")
        ordering = ["workflow", "state", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "state", "effective_from"], name="step_limit_one_per_day"),
            models.CheckConstraint(condition=models.Q(working_days__gte=1, working_days__lte=60),
                                   name="step_limit_days_1_to_60"),
        ]

    def __str__(self):
        return f"{self.workflow}.{self.state}: {self.working_days} ({self.effective_from.isoformat()})"

    @classmethod
    def access_scope(cls, assignment, action):
        return _org_department_scope(assignment, action)


class Escalation(models.Model):
    """A case overdue at a step, raised once to the level above whoever holds it (督办): a rating at
    the town to the organization department, a loan application to the bank's head of credit, a
    benefit application to the department's section head (workflow.escalation). One row per step
    and due date: a second nightly run, or a second worker, finds it and does nothing."""

    workflow = models.CharField(_("业务"), max_length=20)
    case_id = models.PositiveBigIntegerField(_("事项编号"))
    state = models.CharField(_("环节"), max_length=20)
    due_on = models.DateField(_("应办结日期"))
    escalated_on = models.DateField(_("督办日期"))
    working_days_late = models.PositiveSmallIntegerField(_("超期工作日"))
    # Whom it went to, worded when shown (in the reader's language): the kind, and the bank's short name
    # as it was then for the kinds that name one.
    to_kind = models.CharField(_("督办对象"), max_length=20, choices=[
        ("department", _("组织部（两新工委）")), ("department_heads", _("组织部（两新工委）科室负责人")),
        ("department_no_heads", _("组织部（两新工委）（未设科室负责人）")), ("bank_heads", _("银行信贷负责人")),
        ("bank_no_heads", _("组织部（两新工委）（该行未设信贷负责人）"))])
    unit = models.CharField(_("银行"), max_length=60, blank=True)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), blank=True,
                                        related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("超期督办")
        verbose_name_plural = _("超期督办")
        ordering = ["-escalated_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "case_id", "state", "due_on"], name="escalation_once_per_step"),
        ]
        indexes = [models.Index(fields=["workflow", "case_id"], name="escalation_case")]

    def __str__(self):
        return f"{self.workflow} {self.case_id} · {self.state} · {self.escalated_on.isoformat()}"

    @property
    def to(self) -> str:
        """Whom it went to, in the language of the moment."""
        from django.utils.translation import gettext

        if self.to_kind == "bank_heads":
            return gettext("%(b)s信贷负责人") % {"b": self.unit}
        if self.to_kind == "bank_no_heads":
            return gettext("%(d)s（%(b)s未设信贷负责人）") % {"d": gettext("组织部（两新工委）"), "b": self.unit}
        return str(self.get_to_kind_display())


class StepRecord(models.Model):
    """One stay of a case at a step that waits on a person: when it came, when it was due, when it left
    and whether by the due date (限时办结). The on-time rates of the dashboards and the work report are
    counted on these rows, per holder: the town that reviews a rating, the bank that decides a loan
    application, the programme (policy item) a benefit is asked under, the department an appeal is
    handed to (workflow.steps). Kept by the engine at each change of state; `manage.py
    rebuild_step_records` derives them from the cases' histories (for data made without it)."""

    workflow = models.CharField(_("业务"), max_length=20)
    case_id = models.PositiveBigIntegerField(_("事项编号"))
    state = models.CharField(_("环节"), max_length=20)
    holder_kind = models.CharField(_("承办方类别"), max_length=12)
    holder_id = models.PositiveBigIntegerField(_("承办方"), null=True, blank=True)
    entered_on = models.DateField(_("进入日期"))
    due_on = models.DateField(_("应办结日期"), null=True, blank=True)
    left_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("环节办理记录")
        verbose_name_plural = _("环节办理记录")
        ordering = ["workflow", "case_id", "entered_on", "pk"]
        indexes = [
            models.Index(fields=["workflow", "case_id"], name="step_record_case"),
            models.Index(fields=["workflow", "holder_kind", "left_on"], name="step_record_left"),
            models.Index(fields=["workflow", "holder_kind", "due_on"], name="step_record_due",
                         condition=models.Q(left_on__isnull=True)),
        ]

    def __str__(self):
        return f"{self.workflow} {self.case_id} · {self.state} · {self.entered_on.isoformat()}"

    @property
    def on_time(self) -> bool | None:
        """Left by its due date; None while open or without a limit."""
        if self.left_on is None or self.due_on is None:
            return None
        return self.left_on <= self.due_on
