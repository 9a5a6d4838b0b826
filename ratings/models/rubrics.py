"""Rubric versions (frozen once published) and rating cycles."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.access import RestrictedQuerySet, reference_data_scope

from ..choices import CheckMethod, RubricStatus
from ..rules import DEFAULT_THRESHOLDS


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
        return gettext("%(name)s（第 %(v)d 版）") % {"name": self.name, "v": self.version}

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
