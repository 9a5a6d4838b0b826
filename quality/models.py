"""Satisfaction surveys (满意度回访): one per ended case, answered by the enterprise or recorded for it
by a station of its area; and the follow-up (回访整改) a low score opens, a case of its own on the
workflow layer (quality.workflows)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access import CHANGE, VIEW, RestrictedQuerySet
from portal.choices import Role
from portal.models.enterprises import _enterprise_scope

from . import rules
from .choices import CaseKind, FollowUpAction, FollowUpStatus

# Who answers for the enterprise: its own user, and the stations of its area (marked on behalf).
ANSWERING_ROLES = (Role.ENTERPRISE_USER, Role.STATION_OPERATOR)


def _survey_scope(assignment, action) -> Q | None:
    role = assignment.role
    if action == VIEW:
        if role in (Role.ORG_STAFF, Role.LEADER):
            return Q()
        if role in (Role.TOWN_STAFF, *ANSWERING_ROLES):
            return _enterprise_scope(assignment, VIEW, "enterprise__")
        return None
    if action == CHANGE and role in ANSWERING_ROLES:
        return _enterprise_scope(assignment, VIEW, "enterprise__")
    return None


class Survey(models.Model):
    """The enterprise's satisfaction with one ended case. Who handled the case is kept as it was when
    the case ended (the bank, the station that registered it, the department, the programme), so the
    figures group by it without reading the case again."""

    workflow = models.CharField(_("业务类型"), max_length=12, choices=CaseKind.choices)
    case_pk = models.PositiveBigIntegerField(_("业务编号"))
    case_label = models.CharField(_("办件"), max_length=120)
    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="surveys")
    institution = models.ForeignKey("portal.Institution", verbose_name=_("金融机构"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="surveys")
    station = models.ForeignKey("portal.ServiceStation", verbose_name=_("服务站"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="surveys")
    department = models.ForeignKey("liaison.Department", verbose_name=_("承办部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="surveys")
    programme = models.ForeignKey("talent.PolicyItem", verbose_name=_("政策项目"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="surveys")
    asked_at = models.DateTimeField(_("回访时间"), default=timezone.now, db_index=True)
    score = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    comment = models.CharField(_("评价意见"), max_length=rules.MAX_COMMENT, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    on_behalf = models.BooleanField(_("服务站代为记录"), default=False)
    answered_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("满意度回访")
        verbose_name_plural = _("满意度回访")
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "case_pk"], name="survey_one_per_case"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                                   name="survey_score_1_to_5"),
            models.CheckConstraint(condition=Q(score__isnull=True, answered_at__isnull=True)
                                   | Q(score__isnull=False, answered_at__isnull=False),
                                   name="survey_answer_has_time"),
        ]
        indexes = [models.Index(fields=["enterprise", "answered_at"])]

    def __str__(self):
        return f"{self.get_workflow_display()} {self.case_label}"

    @property
    def is_answered(self) -> bool:
        return self.score is not None

    @property
    def is_low(self) -> bool:
        return rules.is_low(self.score)

    @classmethod
    def access_scope(cls, assignment, action):
        return _survey_scope(assignment, action)


class FollowUp(models.Model):
    """A low score's follow-up by the organization department: taken up, worked on, closed with a
    written outcome that the enterprise reads on its survey."""

    survey = models.OneToOneField(Survey, verbose_name=_("满意度回访"), on_delete=models.PROTECT,
                                  related_name="followup")
    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="quality_followups")
    status = models.CharField(_("状态"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN,
                              db_index=True)
    outcome = models.TextField(_("整改结果"), blank=True)
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("开始整改时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    # Service-time limit (workflow.limits): the step limit of "followup"/"open", one clock from the
    # opening to the closing (the two waiting states share it).
    due_on = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    clock_days_left = models.JSONField(_("暂停计时剩余工作日"), default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访整改")
        verbose_name_plural = _("回访整改")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status=FollowUpStatus.CLOSED) | ~Q(outcome=""),
                                   name="followup_closed_has_outcome"),
        ]

    def __str__(self):
        return _("回访整改 #%(n)s") % {"n": self.pk}

    @classmethod
    def access_scope(cls, assignment, action):
        if action == VIEW and assignment.role in (Role.ORG_STAFF, Role.LEADER):
            return Q()
        if action == CHANGE and assignment.role == Role.ORG_STAFF:
            return Q()
        return None


class FollowUpEvent(models.Model):
    """A step of a follow-up's history: who did what, when, from which status to which."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=12, choices=FollowUpAction.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=FollowUpStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=FollowUpStatus.choices)
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("回访整改记录")
        verbose_name_plural = _("回访整改记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.followup_id} · {self.get_action_display()}"
