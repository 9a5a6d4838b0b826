"""Outreach (服务直通): the legal service centre for private enterprises (resident lawyers and the
consultations they answer) and policy notices pushed to enterprises with read receipts. Care activities
and the 青蓝交接 mentoring live in outreach_care.py; this module lists them too, as the part's models."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.access import ADD, CHANGE, UNMASK, VIEW, RestrictedQuerySet
from portal.choices import EnterpriseKind, Industry, Role
from portal.models.enterprises import _enterprise_scope
from portal.punctuation import parens
from portal.rules import mask_mobile

from ..rules.outreach import (
    ConsultationCategory,
    ConsultationChannel,
    ConsultationStatus,
    NoticeAudience,
    NoticeStatus,
    on_duty,
    region_lineage_codes,
)
from .outreach_care import CareActivity, MentoringPair, MentoringSession, user_fk

__all__ = [
    "CareActivity", "Consultation", "Lawyer", "MentoringPair", "MentoringSession", "NoticeReceipt", "PolicyNotice",
    "notice_reach_q", "notices_reaching_q",
]

# Roles that read through the enterprises they reach; a cadre is left out on purpose: what an
# enterprise asks its lawyer, and which notices it reads, are not part of a leader's pairing.
_ENTERPRISE_READERS = (Role.ORG_STAFF, Role.LEADER, Role.TOWN_STAFF, Role.STATION_OPERATOR, Role.ENTERPRISE_USER)


# --- legal service centre ------------------------------------------------------------------------

class Lawyer(models.Model):
    """A resident lawyer (常驻律师) of the legal service centre, from a day until the residency ends."""

    name = models.CharField(_("姓名"), max_length=32)
    law_firm = models.CharField(_("律师事务所"), max_length=80)
    specialties = models.CharField(_("擅长领域"), max_length=200, blank=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    resident_since = models.DateField(_("常驻起始日期"))
    resident_until = models.DateField(_("常驻截止日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("常驻律师")
        verbose_name_plural = _("常驻律师")
        ordering = ["law_firm", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(resident_until__isnull=True) | Q(resident_until__gte=F("resident_since")),
                                   name="lawyer_residency_ends_after_start"),
        ]

    def __str__(self):
        return self.name + parens(self.law_firm)

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)

    def is_on_duty(self, day) -> bool:
        return on_duty(self.resident_since, self.resident_until, self.is_active, day)

    @classmethod
    def access_scope(cls, assignment, action):
        role = assignment.role
        if action == VIEW:
            # The centre serves every enterprise: those who bring it consultations may see who is there.
            return Q() if role in _ENTERPRISE_READERS else None
        if action == UNMASK:
            # Stations arrange consultations by phone; the department keeps the roster.
            return Q() if role in (Role.ORG_STAFF, Role.STATION_OPERATOR) else None
        if action == CHANGE:
            return Q() if role == Role.ORG_STAFF else None
        return None


class Consultation(models.Model):
    """A legal consultation (法律咨询) of an enterprise, answered by a resident lawyer."""

    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="legal_consultations")
    topic = models.CharField(_("咨询事项"), max_length=120)
    category = models.CharField(_("类别"), max_length=12, choices=ConsultationCategory.choices)
    lawyer = models.ForeignKey(Lawyer, verbose_name=_("律师"), on_delete=models.PROTECT,
                               related_name="consultations")
    consulted_on = models.DateField(_("咨询日期"))
    channel = models.CharField(_("方式"), max_length=8, choices=ConsultationChannel.choices)
    outcome = models.TextField(_("答复意见"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ConsultationStatus.choices,
                              default=ConsultationStatus.OPEN)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    station = models.ForeignKey("portal.ServiceStation", verbose_name=_("登记服务站"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="legal_consultations")
    recorded_by = user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")
        ordering = ["-consulted_on", "-pk"]
        constraints = [
            # An answer is its text: a consultation is not "answered" with nothing said.
            models.CheckConstraint(
                condition=Q(status=ConsultationStatus.OPEN, answered_on__isnull=True)
                | (Q(status=ConsultationStatus.ANSWERED, answered_on__isnull=False) & ~Q(outcome="")),
                name="consultation_answered_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "-consulted_on"]), models.Index(fields=["consulted_on"]),
                   models.Index(fields=["lawyer", "consulted_on"])]

    def __str__(self):
        return f"{self.consulted_on} · {self.enterprise} · {self.topic}"

    @classmethod
    def access_scope(cls, assignment, action):
        role = assignment.role
        if action == VIEW:
            return _enterprise_scope(assignment, VIEW, "enterprise__") if role in _ENTERPRISE_READERS else None
        if action in (ADD, CHANGE):
            if role == Role.ORG_STAFF:
                return Q()
            if role == Role.STATION_OPERATOR and assignment.station_id:
                return assignment.station.enterprise_q("enterprise__")
        return None


# --- policy notices ------------------------------------------------------------------------------

def notice_reach_q(notice: PolicyNotice, prefix: str = "") -> Q:
    """The enterprises a notice reaches, as a filter through `prefix` (rules.notice_reaches as a Q)."""
    audience = notice.audience
    if audience == NoticeAudience.ALL:
        return Q()
    if audience == NoticeAudience.KIND:
        return Q(**{f"{prefix}kind": notice.audience_kind})
    if audience == NoticeAudience.KEY:
        return Q(**{f"{prefix}is_key": True})
    if audience == NoticeAudience.INDUSTRY:
        return Q(**{f"{prefix}industry": notice.audience_industry})
    if audience == NoticeAudience.REGION and notice.audience_region_id:
        return Q(**{f"{prefix}region__code__startswith": notice.audience_region.prefix})
    return Q(**{f"{prefix}pk__in": []})


def notices_reaching_q(*, kind: str, is_key: bool, industry: str, region_code: str) -> Q:
    """The notices whose audience takes in an enterprise with these attributes (the other way round)."""
    q = Q(audience=NoticeAudience.ALL) | Q(audience=NoticeAudience.KIND, audience_kind=kind)
    if is_key:
        q |= Q(audience=NoticeAudience.KEY)
    if industry:
        q |= Q(audience=NoticeAudience.INDUSTRY, audience_industry=industry)
    return q | Q(audience=NoticeAudience.REGION, audience_region__code__in=region_lineage_codes(region_code))


def _region_overlap_q(region) -> Q:
    """Notices for every enterprise, by kind or industry, or for a region overlapping `region`'s subtree
    (below it, or above it): those that may reach the enterprises of a town or a station's area."""
    return (~Q(audience=NoticeAudience.REGION) | Q(audience_region__code__startswith=region.prefix)
            | Q(audience_region__code__in=region_lineage_codes(region.code)))


def _assigned_enterprise(assignment):
    cached = getattr(assignment, "_outreach_enterprise", None)
    if cached is None:
        from portal.models import Enterprise

        cached = Enterprise.objects.select_related("region").get(pk=assignment.enterprise_id)
        assignment._outreach_enterprise = cached
    return cached


class PolicyNotice(models.Model):
    """A policy notice (政策推送) to an audience of enterprises: drafted, published (then frozen),
    perhaps withdrawn."""

    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"))
    audience = models.CharField(_("推送范围"), max_length=10, choices=NoticeAudience.choices)
    audience_kind = models.CharField(_("主体类型"), max_length=8, choices=EnterpriseKind.choices, blank=True)
    audience_industry = models.CharField(_("行业门类"), max_length=1, choices=Industry.choices, blank=True)
    audience_region = models.ForeignKey("portal.Region", verbose_name=_("区域"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="policy_notices")
    status = models.CharField(_("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = user_fk(_("发布人"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = user_fk(_("撤回人"))
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    created_by = user_fk(_("起草人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策通知")
        verbose_name_plural = _("政策通知")
        ordering = [F("published_at").desc(nulls_first=True), "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(audience__in=[NoticeAudience.ALL, NoticeAudience.KEY], audience_kind="",
                             audience_industry="", audience_region__isnull=True)
                           | (Q(audience=NoticeAudience.KIND, audience_industry="", audience_region__isnull=True)
                              & ~Q(audience_kind=""))
                           | (Q(audience=NoticeAudience.INDUSTRY, audience_kind="", audience_region__isnull=True)
                              & ~Q(audience_industry=""))
                           | Q(audience=NoticeAudience.REGION, audience_kind="", audience_industry="",
                               audience_region__isnull=False)),
                name="notice_audience_value_matches",
            ),
            models.CheckConstraint(
                condition=Q(status=NoticeStatus.DRAFT, published_at__isnull=True, withdrawn_at__isnull=True)
                | Q(status=NoticeStatus.PUBLISHED, published_at__isnull=False, withdrawn_at__isnull=True)
                | Q(status=NoticeStatus.WITHDRAWN, published_at__isnull=False, withdrawn_at__isnull=False),
                name="notice_dates_match_status",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.title

    @property
    def audience_value(self) -> str:
        """The plain value `rules.notice_reaches` takes: a kind, an industry letter or a region prefix."""
        if self.audience == NoticeAudience.KIND:
            return self.audience_kind
        if self.audience == NoticeAudience.INDUSTRY:
            return self.audience_industry
        if self.audience == NoticeAudience.REGION and self.audience_region_id:
            return self.audience_region.prefix
        return ""

    @property
    def audience_text(self) -> str:
        if self.audience == NoticeAudience.KIND:
            return str(self.get_audience_kind_display())
        if self.audience == NoticeAudience.INDUSTRY:
            return str(self.get_audience_industry_display())
        if self.audience == NoticeAudience.REGION and self.audience_region_id:
            return self.audience_region.name
        return str(self.get_audience_display())

    @classmethod
    def access_scope(cls, assignment, action):
        role = assignment.role
        if action == VIEW:
            if role in (Role.ORG_STAFF, Role.LEADER):
                return Q()
            released = ~Q(status=NoticeStatus.DRAFT)
            if role == Role.TOWN_STAFF and assignment.region_id:
                return released & _region_overlap_q(assignment.region)
            if role == Role.STATION_OPERATOR and assignment.station_id:
                return released & _region_overlap_q(assignment.station.region)
            if role == Role.ENTERPRISE_USER and assignment.enterprise_id:
                # An enterprise reads what is in force for it; a withdrawn notice leaves its list.
                e = _assigned_enterprise(assignment)
                return Q(status=NoticeStatus.PUBLISHED) & notices_reaching_q(
                    kind=e.kind, is_key=e.is_key, industry=e.industry, region_code=e.region.code)
            return None
        if action == CHANGE:
            return Q() if role == Role.ORG_STAFF else None
        return None


class NoticeReceipt(models.Model):
    """That an enterprise read a notice: when, and which of its users. `user` is empty for receipts
    carried over from before the portal (the demo's history): only the enterprise is known."""

    notice = models.ForeignKey(PolicyNotice, verbose_name=_("政策通知"), on_delete=models.CASCADE,
                               related_name="receipts")
    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="notice_receipts")
    user = user_fk(_("阅读人"), related="notice_receipts")
    read_at = models.DateTimeField(_("阅读时间"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("阅读回执")
        verbose_name_plural = _("阅读回执")
        ordering = ["-read_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], condition=Q(user__isnull=False),
                                    name="notice_receipt_once_per_user"),
        ]
        indexes = [models.Index(fields=["notice", "enterprise"]), models.Index(fields=["enterprise", "notice"])]

    def __str__(self):
        return f"{self.notice} · {self.enterprise}"

    @classmethod
    def access_scope(cls, assignment, action):
        if action == VIEW and assignment.role in _ENTERPRISE_READERS:
            return _enterprise_scope(assignment, VIEW, "enterprise__")
        return None
