"""Ratings, their scores, evidence, history and objections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import CHANGE, UNMASK, VIEW, RestrictedQuerySet
from portal.choices import Role
from portal.rules import mask_contact

from ..choices import ObjectionStatus, RatingAction, RatingStatus, Stage
from .organizations import PartyOrganization, _organization_scope
from .rubrics import Cycle, RubricItem


class Rating(models.Model):
    """One organization's rating in one cycle, from self-assessment to publication (or refusal)."""

    cycle = models.ForeignKey(Cycle, verbose_name=_("评定周期"), on_delete=models.PROTECT, related_name="ratings")
    organization = models.ForeignKey(
        PartyOrganization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="ratings"
    )
    status = models.CharField(_("状态"), max_length=10, choices=RatingStatus.choices, default=RatingStatus.SELF,
                              db_index=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("星级"), null=True, blank=True)
    vetoes = models.JSONField(_("触发的否决项"), default=list, blank=True)
    # Each stage's result as it was submitted: {"self": {"total": "86.5", "stars": 4, "vetoes": []}, …}
    stage_results = models.JSONField(default=dict, blank=True)
    step_entered_on = models.DateField(_("进入当前环节日期"), null=True, blank=True)
    notice_starts_on = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示截止"), null=True, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("有效期止"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销理由"), max_length=500, blank=True)
    # Service-time limit (workflow.limits): when the step the case waits in is due, None when nobody
    # is waiting; the working days left of steps whose clock is paused while the case is back with
    # the applicant (state → days).
    due_on = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    clock_days_left = models.JSONField(_("暂停计时剩余工作日"), default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)  # bumped by every change: the reviewers' race guard
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-cycle__year", "organization__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "organization"], name="rating_one_per_cycle"),
            models.CheckConstraint(condition=Q(stars__isnull=True) | Q(stars__gte=1, stars__lte=5),
                                   name="rating_stars_1_to_5"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0), name="rating_score_not_negative"),
            models.CheckConstraint(
                condition=~Q(status__in=[RatingStatus.PUBLISHED, RatingStatus.REVOKED])
                | Q(stars__isnull=False, valid_from__isnull=False, valid_to__isnull=False),
                name="rating_published_has_stars_and_validity",
            ),
            models.CheckConstraint(
                condition=~Q(status=RatingStatus.REVOKED) | Q(revoked_on__isnull=False), name="rating_revoked_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "valid_from"]),
            models.Index(fields=["cycle", "status", "stars"]),
        ]

    def __str__(self):
        return f"{self.organization} · {self.cycle}"

    @classmethod
    def access_scope(cls, assignment, action):
        if action == VIEW:
            return _organization_scope(assignment, VIEW, "organization__")
        if action == CHANGE:
            # Taking part in the workflow: the organization itself (self-assessment), the town (first
            # review) and the department. Which step each may act on is the services' rule.
            if assignment.role in (Role.ORG_STAFF, Role.TOWN_STAFF, Role.ENTERPRISE_USER):
                return _organization_scope(assignment, VIEW, "organization__")
        return None

    @property
    def is_published(self) -> bool:
        return self.status == RatingStatus.PUBLISHED


class ItemScore(models.Model):
    """One stage's score of one item (or whether a veto item was triggered)."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="item_scores")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="scores")
    stage = models.CharField(_("环节"), max_length=4, choices=Stage.choices)
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField(_("触发否决"), default=False)
    note = models.CharField(_("扣分说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("项目得分")
        verbose_name_plural = _("项目得分")
        constraints = [
            models.UniqueConstraint(fields=["rating", "item", "stage"], name="item_score_unique"),
            models.CheckConstraint(condition=Q(points__isnull=True) | Q(points__gte=0), name="item_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.rating_id} · {self.item_id} · {self.stage}"


def evidence_path(instance, filename):
    return f"ratings/evidence/{instance.rating_id}/{filename}"


class Evidence(models.Model):
    """A file uploaded as evidence for a rating, at a stage, optionally for one item."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(RubricItem, verbose_name=_("评分项目"), null=True, blank=True, on_delete=models.PROTECT)
    stage = models.CharField(_("环节"), max_length=4, choices=Stage.choices)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


class RatingEvent(models.Model):
    """A step of a rating's history: who did what, when, and the result before and after."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=24, choices=RatingAction.choices)
    stage = models.CharField(_("环节"), max_length=4, choices=Stage.choices, blank=True)
    from_status = models.CharField(_("原状态"), max_length=10, choices=RatingStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=RatingStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    comment = models.TextField(_("意见"), blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("评定记录")
        verbose_name_plural = _("评定记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.rating} · {self.get_action_display()}"


class Objection(models.Model):
    """An objection lodged by anyone against a rating under public notice."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("姓名"), max_length=32)
    contact = models.CharField(_("联系方式"), max_length=40)
    reason = models.TextField(_("异议理由"), max_length=2000)
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN,
                              db_index=True)
    lodged_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-lodged_at", "pk"]

    def __str__(self):
        return f"{self.rating} · {self.name}"

    @property
    def contact_masked(self) -> str:
        return mask_contact(self.contact)

    @classmethod
    def access_scope(cls, assignment, action):
        # Objectors' names and contacts are for the reviewing staff, not for the rated enterprise.
        if assignment.role not in (Role.ORG_STAFF, Role.TOWN_STAFF, Role.LEADER):
            return None
        if action == UNMASK:
            # The contact shows masked; the reviewing staff who must call the objector back may see
            # it whole (audited), each within the ratings it already sees. Leaders read, they do not call.
            if assignment.role == Role.LEADER:
                return None
            action = VIEW
        if action == VIEW:
            return _organization_scope(assignment, VIEW, "rating__organization__")
        if action == CHANGE:
            return Q() if assignment.role == Role.ORG_STAFF else None
        return None
