"""The talent policy package (人才引进和培育实施办法): what a talent of each level may apply for."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import RestrictedQuerySet

from ..choices import PolicyCategory
from ..rules import levels_label
from .access import programme_scope


class PolicyItem(models.Model):
    """One measure of the package, e.g. 购房补贴 for A–C类 up to ¥500,000, or 子女入学 (a service: no
    amount)."""

    name = models.CharField(_("项目名称"), max_length=60, unique=True)
    category = models.CharField(_("类别"), max_length=12, choices=PolicyCategory.choices)
    conditions = models.TextField(_("申请条件"), max_length=1000)
    # The levels it applies to, in order ("ABC"): five one-letter levels make a set that reads
    # plainly in the database and is checked by the constraint below.
    levels = models.CharField(_("适用人才类别"), max_length=5)
    amount = models.DecimalField(_("标准金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                 help_text=_("服务类项目（如子女入学安排）不涉及金额，留空"))
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才政策项目")
        verbose_name_plural = _("人才政策项目")
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(levels__regex=r"^A?B?C?D?E?$") & ~Q(levels=""),
                                   name="policy_item_levels_ordered_set"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0),
                                   name="policy_item_amount_positive_or_none"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_service(self) -> bool:
        return self.amount is None

    @property
    def levels_display(self) -> str:
        return levels_label(self.levels)

    @classmethod
    def access_scope(cls, assignment, action):
        return programme_scope(assignment, action)
