"""Party organizations and the two coverages of enterprises."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import CHANGE, VIEW, RestrictedQuerySet
from portal.choices import Role

from ..choices import OrgKind


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
            current = OrgCoverage.objects.filter(enterprise__in=area, ended_on__isnull=True)
            return Q(**{f"{prefix}pk__in": current.values("organization")})
        if role == Role.ENTERPRISE_USER and assignment.enterprise_id:
            # Only the organization covering it now: a former one's later ratings are not its business.
            covering = OrgCoverage.objects.filter(enterprise_id=assignment.enterprise_id,
                                                  ended_on__isnull=True).values("organization")
            return Q(**{f"{prefix}pk__in": covering})
        return None
    if action == CHANGE:
        return Q() if role == Role.ORG_STAFF else None
    return None


def _one_current_period(name: str) -> list:
    """An enterprise has at most one current (open-ended) row, and every period ends after it starts."""
    return [
        models.UniqueConstraint(fields=["enterprise"], condition=Q(ended_on__isnull=True), name=f"{name}_one_current"),
        models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                               name=f"{name}_ends_after_start"),
    ]


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
        constraints = _one_current_period("org_coverage")

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
        constraints = _one_current_period("instructor")

    def __str__(self):
        return f"{self.instructor} · {self.enterprise}"


class CoverageCount(models.Model):
    """The two coverages counted per region (the enterprises registered in it, those covered by a Party
    organization, those served by an instructor only), kept current by the database itself: triggers
    on the enterprises, the coverages and the instructor assignments shift the counts in the statement
    that changes them (migration 0002), whoever writes — a service, an import's COPY, the admin. The
    coverage page reads these few thousand rows for a province instead of aggregating every enterprise
    (ratings.selectors.coverage_by_region), for the users who see every enterprise."""

    region = models.OneToOneField("portal.Region", primary_key=True, on_delete=models.CASCADE, related_name="+")
    enterprises = models.IntegerField(default=0)
    organizational = models.IntegerField(default=0)
    work = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("两个覆盖统计")
        verbose_name_plural = _("两个覆盖统计")

    def __str__(self):
        return f"{self.region_id}: {self.enterprises}/{self.organizational}/{self.work}"
