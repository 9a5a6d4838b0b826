"""Co-building (组织共建): pairings of parks, villages and communities with banks, their activities,
and cadre exchanges between government organs and banks (干部互派互挂)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.access import RestrictedQuerySet, reference_data_scope

from ..choices import ExchangeDirection


class CoBuildingPair(models.Model):
    """A bank (or one of its branches) paired with a park, or with a village or community (结对共建)."""

    bank = models.ForeignKey("portal.Institution", verbose_name=_("银行"), on_delete=models.PROTECT,
                             related_name="cobuilding_pairs", limit_choices_to={"kind": "bank"})
    branch = models.ForeignKey("portal.Branch", verbose_name=_("网点"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="cobuilding_pairs")
    park = models.ForeignKey("portal.Park", verbose_name=_("园区"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="cobuilding_pairs")
    region = models.ForeignKey("portal.Region", verbose_name=_("村（社区）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="cobuilding_pairs")
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("共建内容"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("结对共建")
        verbose_name_plural = _("结对共建")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(park__isnull=True, region__isnull=False)
                                   | Q(park__isnull=False, region__isnull=True), name="cobuilding_park_or_region"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="cobuilding_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.bank.short_name} · {self.park or self.region}"

    @property
    def partner(self):
        return self.park or self.region

    @classmethod
    def access_scope(cls, assignment, action):
        return reference_data_scope(assignment, action)


class CoBuildingActivity(models.Model):
    pair = models.ForeignKey(CoBuildingPair, on_delete=models.CASCADE, related_name="activities")
    held_on = models.DateField(_("日期"))
    title = models.CharField(_("活动"), max_length=120)
    description = models.TextField(_("内容"), blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)

    class Meta:
        verbose_name = _("共建活动")
        verbose_name_plural = _("共建活动")
        ordering = ["-held_on", "pk"]

    def __str__(self):
        return self.title


class CadreExchange(models.Model):
    """A cadre of a government organ posted to a bank, or a bank's cadre posted to an organ, for a period."""

    person_name = models.CharField(_("姓名"), max_length=32)
    direction = models.CharField(_("方向"), max_length=8, choices=ExchangeDirection.choices)
    organ = models.CharField(_("机关单位"), max_length=100)
    bank = models.ForeignKey("portal.Institution", verbose_name=_("银行"), on_delete=models.PROTECT,
                             related_name="cadre_exchanges", limit_choices_to={"kind": "bank"})
    post = models.CharField(_("挂职岗位"), max_length=100)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("干部互派互挂")
        verbose_name_plural = _("干部互派互挂")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__gte=F("started_on")), name="cadre_exchange_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.person_name} · {self.organ} ↔ {self.bank.short_name}"

    @classmethod
    def access_scope(cls, assignment, action):
        return reference_data_scope(assignment, action)
