"""Quotes (报价) with the discount they rest on, and the policies (保单) issued from them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.access import CHANGE, VIEW, RestrictedQuerySet
from portal.choices import Role
from portal.models.enterprises import _enterprise_scope

from ..choices import QuoteChannel, QuoteStatus

# Issuing a policy from a quote: a right of its own, the insurer's alone (a station may make a quote
# on an enterprise's behalf, but only the insurer binds cover).
ISSUE = "issue"


def _business_scope(assignment, action, *, enterprise_prefix: str) -> Q | None:
    """What one role assignment reaches of the insurance business (quotes, and policies through
    their quote): an insurer officer its own insurer's; the registry's roles their enterprises'."""
    role = assignment.role
    own_insurer = Q(insurer_id=assignment.institution_id) if assignment.institution_id else None
    if action == VIEW:
        if role == Role.INSURER_OFFICER:
            return own_insurer
        if role in (Role.ORG_STAFF, Role.LEADER, Role.TOWN_STAFF, Role.STATION_OPERATOR, Role.ENTERPRISE_USER):
            return _enterprise_scope(assignment, VIEW, enterprise_prefix)
        return None
    if action == CHANGE:
        # Making quotes: the insurer for itself, the station for the enterprises of its area. Which
        # insurer's products each may quote is the service's rule.
        if role == Role.INSURER_OFFICER:
            return own_insurer
        if role == Role.STATION_OPERATOR:
            return _enterprise_scope(assignment, VIEW, enterprise_prefix)
        return None
    if action == ISSUE:
        return own_insurer if role == Role.INSURER_OFFICER else None
    return None


class Quote(models.Model):
    """A discounted premium quote for an enterprise: the base premium, the discount its rating earns
    under the table in force that day, and the net premium. It keeps the rating and the table it
    used, so a later change of either never rewrites it."""

    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="insurance_quotes")
    insurer = models.ForeignKey("portal.Institution", verbose_name=_("保险公司"), on_delete=models.PROTECT,
                                related_name="insurance_quotes", limit_choices_to={"kind": "insurer"})
    product = models.ForeignKey("insurance.InsuranceProduct", verbose_name=_("保险产品"), on_delete=models.PROTECT,
                                related_name="quotes")
    base_premium = models.DecimalField(_("基础保费（元）"), max_digits=14, decimal_places=2)
    stars = models.PositiveSmallIntegerField(_("报价时星级"))
    rating = models.ForeignKey("ratings.Rating", verbose_name=_("依据的星级评定"), on_delete=models.PROTECT,
                               related_name="+")
    discount_table = models.ForeignKey("insurance.DiscountTable", verbose_name=_("依据的优惠标准"),
                                       on_delete=models.PROTECT, related_name="quotes")
    discount_percent = models.DecimalField(_("优惠比例（%）"), max_digits=5, decimal_places=2)
    discount_amount = models.DecimalField(_("优惠金额（元）"), max_digits=14, decimal_places=2)
    net_premium = models.DecimalField(_("优惠后保费（元）"), max_digits=14, decimal_places=2)
    channel = models.CharField(_("报价渠道"), max_length=8, choices=QuoteChannel.choices)
    station = models.ForeignKey("portal.ServiceStation", verbose_name=_("代办服务站"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="insurance_quotes")
    status = models.CharField(_("状态"), max_length=8, choices=QuoteStatus.choices, default=QuoteStatus.QUOTED,
                              db_index=True)
    quoted_on = models.DateField(_("报价日期"))
    valid_until = models.DateField(_("报价有效期至"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_by_name = models.CharField(_("报价人"), max_length=150)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("保险报价")
        verbose_name_plural = _("保险报价")
        ordering = ["-quoted_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(base_premium__gt=0), name="quote_base_positive"),
            models.CheckConstraint(condition=Q(discount_amount__gte=0), name="quote_discount_not_negative"),
            models.CheckConstraint(condition=Q(net_premium__gte=0), name="quote_net_not_negative"),
            # net = base − discount, to the fen. Written as "within half a fen" because SQLite (the
            # embedded set-up) computes the difference in floating point; on PostgreSQL's exact
            # numeric(14, 2) it is plain equality.
            models.CheckConstraint(
                condition=Q(net_premium__gt=F("base_premium") - F("discount_amount") - Decimal("0.005"),
                            net_premium__lt=F("base_premium") - F("discount_amount") + Decimal("0.005")),
                name="quote_net_is_base_less_discount"),
            models.CheckConstraint(condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                                   name="quote_rate_0_to_100"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="quote_stars_1_to_5"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("quoted_on")), name="quote_valid_after_quoted"),
            models.CheckConstraint(
                condition=Q(channel=QuoteChannel.STATION, station__isnull=False)
                | Q(channel=QuoteChannel.INSURER, station__isnull=True),
                name="quote_station_channel_has_station",
            ),
        ]
        indexes = [
            models.Index(fields=["insurer", "status"]),
            models.Index(fields=["enterprise", "status"]),
            models.Index(fields=["status", "valid_until"]),
        ]

    def __str__(self):
        return str(_("报价 %(n)s · %(e)s") % {"n": self.number, "e": self.enterprise})

    @property
    def number(self) -> str:
        return f"Q{self.pk:08d}" if self.pk else "—"

    @classmethod
    def access_scope(cls, assignment, action):
        return _business_scope(assignment, action, enterprise_prefix="enterprise__")


class Policy(models.Model):
    """A policy issued from a quote, once: the one-to-one link and the quote's lock see to it."""

    quote = models.OneToOneField(Quote, verbose_name=_("报价"), on_delete=models.PROTECT, related_name="policy")
    # The quote's insurer, held here too so that the number is unique per insurer in the database.
    insurer = models.ForeignKey("portal.Institution", verbose_name=_("保险公司"), on_delete=models.PROTECT,
                                related_name="insurance_policies", limit_choices_to={"kind": "insurer"})
    policy_number = models.CharField(_("保单号"), max_length=40)
    starts_on = models.DateField(_("保险起期"))
    ends_on = models.DateField(_("保险止期"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    issued_by_name = models.CharField(_("出单人"), max_length=150)
    issued_at = models.DateTimeField(_("出单时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("保单")
        verbose_name_plural = _("保单")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["insurer", "policy_number"], name="policy_number_unique_per_insurer"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="policy_ends_after_start"),
        ]
        indexes = [models.Index(fields=["insurer", "starts_on"])]

    def __str__(self):
        return self.policy_number

    @classmethod
    def access_scope(cls, assignment, action):
        if action == CHANGE:  # issuing
            action = ISSUE
        return _business_scope(assignment, action, enterprise_prefix="quote__enterprise__")
