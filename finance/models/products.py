"""Banks' loan products and the quota table star → amount, effective-dated."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import RestrictedQuerySet, reference_data_scope
from portal.models.policies import EffectiveTable
from portal.rules import yuan


class LoanProduct(models.Model):
    """A bank's fixed-quota, low-interest credit loan under the scheme (e.g. 党建惠企贷)."""

    bank = models.ForeignKey("portal.Institution", verbose_name=_("银行"), on_delete=models.PROTECT,
                             related_name="loan_products", limit_choices_to={"kind": "bank"})
    name = models.CharField(_("产品名称"), max_length=60)
    annual_rate = models.DecimalField(_("年利率（%）"), max_digits=5, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    description = models.CharField(_("说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("在售"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("贷款产品")
        verbose_name_plural = _("贷款产品")
        ordering = ["bank__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "name"], name="loan_product_name_per_bank"),
            models.CheckConstraint(condition=Q(annual_rate__gt=0, annual_rate__lt=100), name="loan_product_rate_range"),
            models.CheckConstraint(condition=Q(term_months__gte=1), name="loan_product_term_positive"),
        ]

    def __str__(self):
        return f"{self.bank.short_name} · {self.name}"

    @classmethod
    def access_scope(cls, assignment, action):
        return reference_data_scope(assignment, action)


class QuotaTable(EffectiveTable):
    """Star → credit quota (see EffectiveTable)."""

    class Meta(EffectiveTable.Meta):
        verbose_name = _("授信额度标准")
        verbose_name_plural = _("授信额度标准")

    def __str__(self):
        return str(_("%(d)s 起执行的额度标准") % {"d": self.effective_from})

    def amounts(self) -> dict[int, object]:
        return {row.stars: row.amount for row in self.rows.all()}


class QuotaRow(models.Model):
    table = models.ForeignKey(QuotaTable, on_delete=models.CASCADE, related_name="rows")
    stars = models.PositiveSmallIntegerField(_("星级"))
    amount = models.DecimalField(_("授信额度（元）"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("额度标准行")
        verbose_name_plural = _("额度标准行")
        ordering = ["table", "stars"]
        constraints = [
            models.UniqueConstraint(fields=["table", "stars"], name="quota_row_one_per_star"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="quota_row_stars_1_to_5"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="quota_row_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.stars}★ {yuan(self.amount)}"
