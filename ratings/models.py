"""Party organizations, their coverage of enterprises, rubrics, cycles and the ratings themselves."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import CHANGE, VIEW, RestrictedQuerySet, reference_data_scope
from portal.choices import Role

from .choices import CheckMethod, ObjectionStatus, OrgKind, RatingAction, RatingStatus, RubricStatus, Stage
from .rules import DEFAULT_THRESHOLDS


def _organization_scope(assignment, action, prefix: str = "") -> Q | None:
    """What one role assignment reaches among Party organizations, through the relation `prefix`."""
    role = assignment.role
    if action == VIEW:
        if role in (Role.ORG_STAFF, Role.LEADER):
            return Q()
        if role == Role.TOWN_STAFF and assignment.region_id:
            return Q(**{f"{prefix}region__code__startswith": assignment.region.prefix})
        if role == Role.STATION_OPERATOR and assignment.station_id:
            from portal.models import Enterprise

            area = Enterprise.objects.filter(assignment.station.enterprise_q())
            return Q(**{f"{prefix}pk__in": OrgCoverage.objects.filter(enterprise__in=area).values("organization")})
        if role == Role.ENTERPRISE_USER and assignment.enterprise_id:
            covering = OrgCoverage.objects.filter(enterprise_id=assignment.enterprise_id).values("organization")
            return Q(**{f"{prefix}pk__in": covering})
        return None
    if action == CHANGE:
        return Q() if role == Role.ORG_STAFF else None
    return None


class PartyOrganization(models.Model):
    """A Party organization (党组织) in private enterprises; a joint branch covers several."""

    name = models.CharField(_("名称"), max_length=120, db_index=True)
    kind = models.CharField(_("组织类型"), max_length=12, choices=OrgKind.choices, default=OrgKind.BRANCH)
    region = models.ForeignKey(
        "portal.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="party_organizations"
    )
    superior = models.ForeignKey(
        "self", verbose_name=_("上级党组织"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="subordinates",
    )
    secretary = models.ForeignKey(
        "portal.Person", verbose_name=_("书记"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="party_secretary_of",
    )
    member_count = models.PositiveIntegerField(_("党员人数"), default=0)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="party_org_dissolved_after_founded",
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def access_scope(cls, assignment, action):
        return _organization_scope(assignment, action)


class OrgCoverage(models.Model):
    """Organizational coverage: an enterprise covered by an organization for a period. An enterprise
    has at most one current organization; ended rows are its history."""

    organization = models.ForeignKey(
        PartyOrganization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="coverages"
    )
    enterprise = models.ForeignKey(
        "portal.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="org_coverages"
    )
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("组织覆盖")
        verbose_name_plural = _("组织覆盖")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=Q(ended_on__isnull=True), name="org_coverage_one_current"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="org_coverage_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.enterprise}"


class InstructorAssignment(models.Model):
    """Work coverage: a Party-building instructor (党建指导员) serving an enterprise that has no
    organization of its own."""

    instructor = models.ForeignKey(
        "portal.Person", verbose_name=_("党建指导员"), on_delete=models.PROTECT, related_name="instructed"
    )
    enterprise = models.ForeignKey(
        "portal.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="instructors"
    )
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("党建指导员选派")
        verbose_name_plural = _("党建指导员选派")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=Q(ended_on__isnull=True), name="instructor_one_current"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="instructor_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.instructor} · {self.enterprise}"


class Rubric(models.Model):
    """A version of the scoring standard (评星标准). Once published it is never edited: a change is a
    new version, and every rating keeps the version its cycle used."""

    name = models.CharField(_("名称"), max_length=80)
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=10, choices=RubricStatus.choices, default=RubricStatus.DRAFT)
    five_star_min = models.DecimalField(_("五星分数线"), max_digits=5, decimal_places=1, default=DEFAULT_THRESHOLDS[0][1])
    four_star_min = models.DecimalField(_("四星分数线"), max_digits=5, decimal_places=1, default=DEFAULT_THRESHOLDS[1][1])
    three_star_min = models.DecimalField(_("三星分数线"), max_digits=5, decimal_places=1,
                                         default=DEFAULT_THRESHOLDS[2][1])
    two_star_min = models.DecimalField(_("二星分数线"), max_digits=5, decimal_places=1, default=DEFAULT_THRESHOLDS[3][1])
    notes = models.TextField(_("说明"), blank=True)
    derived_from = models.ForeignKey(
        "self", verbose_name=_("修订自"), null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="rubric_name_version_unique")]

    def __str__(self):
        return f"{self.name}（第 {self.version} 版）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            _refuse_if_published(self.pk)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_published(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def thresholds(self):
        return ((5, self.five_star_min), (4, self.four_star_min), (3, self.three_star_min), (2, self.two_star_min))

    @property
    def is_published(self) -> bool:
        return self.status == RubricStatus.PUBLISHED

    @classmethod
    def access_scope(cls, assignment, action):
        return reference_data_scope(assignment, action)


class PublishedRubricError(Exception):
    """A published rubric version is never edited: make a new version instead."""


def _refuse_if_published(rubric_id) -> None:
    if rubric_id and Rubric.objects.filter(pk=rubric_id, status=RubricStatus.PUBLISHED).exists():
        raise PublishedRubricError(str(_("已发布的评分标准不能修改，请创建新版本。")))


class FrozenWithRubric(models.Model):
    """Dimensions and items are part of their rubric version: frozen once it is published."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        _refuse_if_published(self.rubric_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_published(self.rubric_id)
        return super().delete(*args, **kwargs)


class RubricDimension(FrozenWithRubric):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="dimensions")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("维度"), max_length=40)

    class Meta(FrozenWithRubric.Meta):
        verbose_name = _("评分维度")
        verbose_name_plural = _("评分维度")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class RubricItem(FrozenWithRubric):
    """An item of a dimension, with its maximum; or a veto item (一票否决), which scores nothing and
    caps the stars at `veto_cap` when triggered (0: the rating fails)."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items")
    dimension = models.ForeignKey(
        RubricDimension, verbose_name=_("维度"), null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    code = models.CharField(_("编号"), max_length=8)
    title = models.CharField(_("评分项目"), max_length=200)
    max_points = models.DecimalField(_("满分"), max_digits=5, decimal_places=1, default=0,
                                     validators=[MinValueValidator(0)])
    check_method = models.CharField(_("考评方式"), max_length=10, choices=CheckMethod.choices,
                                    default=CheckMethod.DOCUMENTS)
    deduction_notes = models.TextField(_("扣分说明"), blank=True)
    is_veto = models.BooleanField(_("一票否决"), default=False)
    veto_cap = models.PositiveSmallIntegerField(
        _("否决后最高星级"), default=0, validators=[MaxValueValidator(5)],
        help_text=_("0 表示触发即不予评星。"),
    )

    class Meta(FrozenWithRubric.Meta):
        verbose_name = _("评分项目")
        verbose_name_plural = _("评分项目")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="rubric_item_code_unique"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="rubric_item_points_not_negative"),
            models.CheckConstraint(condition=Q(is_veto=False) | Q(max_points=0), name="rubric_veto_scores_nothing"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class Cycle(models.Model):
    """A rating cycle (e.g. 2025) with its rubric version, dates, notice length and validity."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("名称"), max_length=80)
    rubric = models.ForeignKey(Rubric, verbose_name=_("评分标准"), on_delete=models.PROTECT, related_name="cycles")
    opens_on = models.DateField(_("自评开始日期"))
    closes_on = models.DateField(_("自评截止日期"))
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    validity_months = models.PositiveSmallIntegerField(_("有效期（月）"), default=12)
    review_days = models.PositiveSmallIntegerField(
        _("审核时限（天）"), default=15, help_text=_("一条评定在某一审核环节停留超过此天数即为逾期。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评定周期")
        verbose_name_plural = _("评定周期")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="cycle_closes_after_opens"),
            models.CheckConstraint(condition=Q(notice_days__gte=1), name="cycle_notice_at_least_a_day"),
            models.CheckConstraint(condition=Q(validity_months__gte=1), name="cycle_validity_at_least_a_month"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def access_scope(cls, assignment, action):
        return reference_data_scope(assignment, action)


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

    @classmethod
    def access_scope(cls, assignment, action):
        # Objectors' names and contacts are for the reviewing staff, not for the rated enterprise.
        if assignment.role not in (Role.ORG_STAFF, Role.TOWN_STAFF, Role.LEADER):
            return None
        if action == VIEW:
            return _organization_scope(assignment, VIEW, "rating__organization__")
        if action == CHANGE:
            return Q() if assignment.role == Role.ORG_STAFF else None
        return None
