"""Outreach, continued: care activities (关心关爱: 夏送清凉、冬送温暖、教育培训、帮扶济困) and the
青蓝交接 / 以老带青 mentoring of new-generation entrepreneurs. Re-exported by models/outreach.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from portal.access import ADD, CHANGE, VIEW, RestrictedQuerySet
from portal.choices import Role

from ..rules.outreach import CareKind, MentorKind

__all__ = ["CareActivity", "MentoringPair", "MentoringSession"]


def user_fk(name, related="+"):
    """A nullable "who did it" link to an account, kept when the account goes."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=name, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name=related)


# --- care activities -----------------------------------------------------------------------------

class CareActivity(models.Model):
    """A care activity (关心关爱) for enterprises, their staff and families."""

    kind = models.CharField(_("类别"), max_length=12, choices=CareKind.choices)
    title = models.CharField(_("活动名称"), max_length=120)
    held_on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    organizer = models.CharField(_("组织单位"), max_length=80)
    enterprises = models.ManyToManyField("portal.Enterprise", verbose_name=_("受益企业"),
                                         related_name="care_activities")
    beneficiaries = models.PositiveIntegerField(_("受益人数"))
    note = models.TextField(_("备注"), blank=True)
    created_by = user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("关心关爱活动")
        verbose_name_plural = _("关心关爱活动")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["kind", "held_on"])]

    def __str__(self):
        return f"{self.held_on} · {self.title}"

    @classmethod
    def access_scope(cls, assignment, action):
        role = assignment.role
        if role in (Role.ORG_STAFF, Role.LEADER) and action == VIEW:
            return Q()
        if role == Role.ORG_STAFF and action in (ADD, CHANGE):
            return Q()
        if role == Role.TOWN_STAFF and assignment.region_id and action in (VIEW, ADD):
            # An activity for any enterprise of the region; a town records for its own enterprises.
            return _benefits(Q(enterprise__region__code__startswith=assignment.region.prefix))
        if role == Role.ENTERPRISE_USER and assignment.enterprise_id and action == VIEW:
            return _benefits(Q(enterprise_id=assignment.enterprise_id))
        return None


def _benefits(enterprise_q: Q) -> Q:
    through = CareActivity.enterprises.through
    return Q(Exists(through.objects.filter(enterprise_q, careactivity_id=OuterRef("pk"))))


# --- 青蓝交接 mentoring -----------------------------------------------------------------------------

def _mentee_in_region_q(prefix: str, mentee: str = "mentee") -> Q:
    """Pairings whose mentee is tied to an enterprise of the region (entrepreneur, representative, contact)."""
    from portal.models import Enterprise, EnterprisePerson

    linked = EnterprisePerson.objects.filter(person_id=OuterRef(mentee), enterprise__region__code__startswith=prefix)
    represents = Enterprise.objects.filter(region__code__startswith=prefix, legal_representative_id=OuterRef(mentee))
    return Q(Exists(linked)) | Q(Exists(represents))


class MentoringPair(models.Model):
    """A senior entrepreneur, or a retired cadre of the 老干部活动中心, mentoring a new-generation
    entrepreneur (青蓝交接、以老带青). A retired cadre has no registry entry: name and former post."""

    mentor_kind = models.CharField(_("导师类型"), max_length=14, choices=MentorKind.choices)
    mentor_person = models.ForeignKey("portal.Person", verbose_name=_("导师（企业家）"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="mentoring_as_mentor")
    mentor_name = models.CharField(_("导师姓名（老干部）"), max_length=32, blank=True)
    mentor_title = models.CharField(_("导师职务"), max_length=80, blank=True)
    mentee = models.ForeignKey("portal.Person", verbose_name=_("新生代企业家"), on_delete=models.PROTECT,
                               related_name="mentoring_as_mentee")
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    focus = models.CharField(_("帮带重点"), max_length=200)
    created_by = user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("青蓝结对")
        verbose_name_plural = _("青蓝结对")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mentor_kind=MentorKind.ENTREPRENEUR, mentor_person__isnull=False, mentor_name="")
                | (Q(mentor_kind=MentorKind.RETIRED_CADRE, mentor_person__isnull=True) & ~Q(mentor_name="")),
                name="mentoring_mentor_matches_kind",
            ),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="mentoring_ends_after_start"),
            models.UniqueConstraint(fields=["mentor_person", "mentee"], condition=Q(ended_on__isnull=True),
                                    name="mentoring_one_current_per_mentor_person"),
            models.UniqueConstraint(fields=["mentor_name", "mentee"],
                                    condition=Q(ended_on__isnull=True, mentor_person__isnull=True),
                                    name="mentoring_one_current_per_mentor_name"),
        ]

    def __str__(self):
        return f"{self.mentor_display} → {self.mentee}"

    @property
    def mentor_display(self) -> str:
        return self.mentor_person.name if self.mentor_person_id else self.mentor_name

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    @classmethod
    def access_scope(cls, assignment, action):
        return _mentoring_scope(assignment, action, "mentee")


class MentoringSession(models.Model):
    """A meeting of a mentoring pair (帮带活动): a visit, a talk, a study tour."""

    pair = models.ForeignKey(MentoringPair, verbose_name=_("青蓝结对"), on_delete=models.CASCADE,
                             related_name="sessions")
    held_on = models.DateField(_("活动日期"))
    topic = models.CharField(_("活动主题"), max_length=120)
    attendees = models.PositiveIntegerField(_("参加人数"))
    note = models.TextField(_("备注"), blank=True)
    created_by = user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮带活动")
        verbose_name_plural = _("帮带活动")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["pair", "-held_on"]), models.Index(fields=["held_on"])]

    def __str__(self):
        return f"{self.held_on} · {self.topic}"

    @classmethod
    def access_scope(cls, assignment, action):
        return _mentoring_scope(assignment, action, "pair__mentee")


def _mentoring_scope(assignment, action, mentee: str):
    role = assignment.role
    if action == VIEW:
        if role in (Role.ORG_STAFF, Role.LEADER):
            return Q()
        if role == Role.TOWN_STAFF and assignment.region_id:
            return _mentee_in_region_q(assignment.region.prefix, mentee)
        return None
    if action == CHANGE:
        return Q() if role == Role.ORG_STAFF else None
    return None
