from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}"


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
