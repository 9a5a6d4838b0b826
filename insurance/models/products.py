"""Insurers' products under the scheme and the discount table star → rate, effective-dated."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import RestrictedQuerySet, reference_data_scope
from portal.models.policies import EffectiveTable

from ..choices import ProductCategory


class InsuranceProduct(models.Model):
    """An insurer's product that takes the Party-building discount (e.g. 安全生产责任险)."""

    insurer = models.ForeignKey("portal.Institution", verbose_name=_("保险公司"), on_delete=models.PROTECT,
                                related_name="insurance_products", limit_choices_to={"kind": "insurer"})
    name = models.CharField(_("产品名称"), max_length=60)
    category = models.CharField(_("险种"), max_length=10, choices=ProductCategory.choices)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("在售"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("保险产品")
        verbose_name_plural = _("保险产品")
        ordering = ["insurer__code", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["insurer", "name"], name="insurance_product_name_per_insurer"),
        ]

    def __str__(self):
        return f"{self.insurer.short_name} · {self.name}"

    @classmethod
    def access_scope(cls, assignment, action):
        # Reference data: every role reads the products; the organization department keeps them.
        return reference_data_scope(assignment, action)


class DiscountTable(EffectiveTable):
    """Star → premium discount, in force from its date until the next table's. A quote keeps the
    table it used, so a new table never rewrites history."""

    class Meta(EffectiveTable.Meta):
        verbose_name = _("保费优惠标准")
        verbose_name_plural = _("保费优惠标准")

    def __str__(self):
        return str(_("%(d)s 起执行的保费优惠标准") % {"d": self.effective_from})

    def rates(self) -> dict[int, object]:
        return {row.stars: row.rate_percent for row in self.rows.all()}


class DiscountRow(models.Model):
    table = models.ForeignKey(DiscountTable, on_delete=models.CASCADE, related_name="rows")
    stars = models.PositiveSmallIntegerField(_("星级"))
    rate_percent = models.DecimalField(_("保费优惠比例（%）"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("优惠标准行")
        verbose_name_plural = _("优惠标准行")
        ordering = ["table", "stars"]
        constraints = [
            models.UniqueConstraint(fields=["table", "stars"], name="discount_row_one_per_star"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="discount_row_stars_1_to_5"),
            models.CheckConstraint(condition=Q(rate_percent__gte=0, rate_percent__lte=100),
                                   name="discount_row_rate_0_to_100"),
        ]

    def __str__(self):
        return f"{self.stars}★ {self.rate_percent}%"
