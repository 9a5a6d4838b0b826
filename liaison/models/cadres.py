"""Cadres and their pairings (领导干部联系企业): each county-level leader is paired with 1–3 key
private enterprises and 1–3 entrepreneurs. The range is the services' rule (`rules.pairing_within_range`);
the database keeps one current pairing per cadre and partner."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from portal.access import CHANGE, VIEW, RestrictedQuerySet
from portal.choices import Role
from portal.punctuation import parens

from ..choices import CadreLevel, PairingKind

__all__ = ["Cadre", "Pairing", "cadre_enterprise_q"]


# The ties that make a person an enterprise's entrepreneur for the pairings (PersonLink values).
ENTREPRENEUR_LINKS = ("legal", "entrepreneur")


def cadre_enterprise_q(user_id: int, prefix: str = "") -> Q:
    """The enterprises a cadre account reaches: those it is paired with now, and those of the
    entrepreneurs it is paired with now (where the entrepreneur is the legal representative or
    linked to the enterprise)."""
    from portal.models import Enterprise, EnterprisePerson

    current = Pairing.objects.filter(cadre__user_id=user_id, ended_on__isnull=True).order_by()
    paired = current.filter(kind=PairingKind.ENTERPRISE).values("enterprise_id")
    people = current.filter(kind=PairingKind.ENTREPRENEUR).values("person_id")
    # As entrepreneur or legal representative: being an enterprise's contact person is not enough.
    linked = (EnterprisePerson.objects.filter(person_id__in=people, link__in=ENTREPRENEUR_LINKS)
              .order_by().values("enterprise_id"))
    represented = Enterprise.objects.filter(legal_representative_id__in=people).order_by().values("pk")
    # One IN over the union of the three, not three ORed conditions: the planner cannot estimate an
    # OR of subqueries and scans every enterprise (and, at 100,000 of them, spends seconds compiling
    # the scan with JIT); the union is a handful of ids it looks up by primary key.
    return Q(**{f"{prefix}pk__in": paired.union(linked, represented, all=True)})


class Cadre(models.Model):
    """A leading cadre in the liaison mechanism, with the account they sign in with (if any)."""

    name = models.CharField(_("姓名"), max_length=32)
    post = models.CharField(_("职务"), max_length=80)
    unit = models.CharField(_("工作单位"), max_length=80, blank=True)
    level = models.CharField(_("干部层级"), max_length=10, choices=CadreLevel.choices, default=CadreLevel.COUNTY)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="cadre")
    is_active = models.BooleanField(_("在岗"), default=True)
    # The order of the leadership list (班子排序): the secretary, deputy secretaries, standing
    # committee members… Lists sort by it within a level, then by name.
    order = models.PositiveSmallIntegerField(_("排序号"), default=100, help_text=_("数字小的排在前面。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系领导")
        verbose_name_plural = _("联系领导")
        ordering = ["order", "name", "pk"]
        constraints = [
            # One city Party secretary leads the mechanism at a time.
            models.UniqueConstraint(fields=["level"], condition=Q(level=CadreLevel.SECRETARY, is_active=True),
                                    name="cadre_one_active_secretary"),
        ]

    def __str__(self):
        return self.name + parens(self.post)

    @property
    def held_to_range(self) -> bool:
        return self.level == CadreLevel.COUNTY

    @classmethod
    def access_scope(cls, assignment, action):
        role = assignment.role
        if action == VIEW:
            if role in (Role.ORG_STAFF, Role.LEADER, Role.TOWN_STAFF):
                return Q()
            if role == Role.CADRE:
                return Q(user_id=assignment.user_id)
            return None
        if action == CHANGE:
            return Q() if role == Role.ORG_STAFF else None
        return None


class Pairing(models.Model):
    """A cadre's pairing with a key enterprise or an entrepreneur, from a day until it ends."""

    cadre = models.ForeignKey(Cadre, verbose_name=_("联系领导"), on_delete=models.PROTECT, related_name="pairings")
    kind = models.CharField(_("联系对象"), max_length=12, choices=PairingKind.choices)
    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("重点民企"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="liaison_pairings")
    person = models.ForeignKey("portal.Person", verbose_name=_("企业家"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="liaison_pairings")
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("结对联系")
        verbose_name_plural = _("结对联系")
        ordering = ["cadre", "kind", "started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=PairingKind.ENTERPRISE, enterprise__isnull=False, person__isnull=True)
                           | Q(kind=PairingKind.ENTREPRENEUR, person__isnull=False, enterprise__isnull=True)),
                name="pairing_partner_matches_kind",
            ),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="pairing_ends_after_start"),
            models.UniqueConstraint(fields=["cadre", "enterprise"], condition=Q(ended_on__isnull=True),
                                    name="pairing_one_current_per_enterprise"),
            models.UniqueConstraint(fields=["cadre", "person"], condition=Q(ended_on__isnull=True),
                                    name="pairing_one_current_per_person"),
        ]
        indexes = [models.Index(fields=["kind", "ended_on"])]

    def __str__(self):
        return f"{self.cadre.name} · {self.enterprise or self.person}"

    @property
    def partner(self):
        return self.enterprise if self.kind == PairingKind.ENTERPRISE else self.person

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    @classmethod
    def access_scope(cls, assignment, action):
        role = assignment.role
        if action == VIEW:
            if role in (Role.ORG_STAFF, Role.LEADER):
                return Q()
            if role == Role.TOWN_STAFF and assignment.region_id:
                # Town staff see the pairings of enterprises in their region, and of entrepreneurs
                # representing one.
                prefix = assignment.region.prefix
                from portal.models import Enterprise

                represented = Enterprise.objects.filter(region__code__startswith=prefix,
                                                        legal_representative=OuterRef("person_id"))
                return Q(enterprise__region__code__startswith=prefix) | Q(Exists(represented))
            if role == Role.CADRE:
                return Q(cadre__user_id=assignment.user_id)
            if role == Role.ENTERPRISE_USER and assignment.enterprise_id:
                # An enterprise knows which leader is its contact, and its entrepreneur's.
                from portal.models import Enterprise, EnterprisePerson

                own = assignment.enterprise_id
                represents = Enterprise.objects.filter(pk=own, legal_representative=OuterRef("person_id"))
                linked = EnterprisePerson.objects.filter(enterprise_id=own, person=OuterRef("person_id"),
                                                         link__in=ENTREPRENEUR_LINKS)
                return Q(enterprise_id=own) | Q(Exists(represents)) | Q(Exists(linked))
            return None
        if action == CHANGE:
            return Q() if role == Role.ORG_STAFF else None
        return None
