"""Visits and contacts: a cadre's log of meeting an enterprise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import ADD, CHANGE, VIEW, RestrictedQuerySet
from portal.choices import Role
from portal.models.enterprises import _enterprise_scope

from ..choices import ContactKind

__all__ = ["Visit"]


class Visit(models.Model):
    """A visit or contact (走访联系): when, who, what was discussed, what follows."""

    cadre = models.ForeignKey("liaison.Cadre", verbose_name=_("联系领导"), on_delete=models.PROTECT,
                              related_name="visits")
    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="liaison_visits")
    kind = models.CharField(_("联系方式"), max_length=8, choices=ContactKind.choices, default=ContactKind.VISIT)
    visited_on = models.DateField(_("日期"))
    participants = models.CharField(_("参加人员"), max_length=200, blank=True)
    discussed = models.TextField(_("交流内容"))
    follow_ups = models.TextField(_("后续事项"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访联系")
        verbose_name_plural = _("走访联系")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["cadre", "-visited_on"]),
            # The log's own order, for its first page: 30,000 visits at province scale were read and sorted whole.
            models.Index(fields=["-visited_on", "-id"], name="liaison_visit_latest_idx"),
        ]

    def __str__(self):
        return f"{self.visited_on} · {self.cadre.name} · {self.enterprise}"

    @classmethod
    def access_scope(cls, assignment, action):
        role = assignment.role
        if action == VIEW:
            if role in (Role.ORG_STAFF, Role.LEADER):
                return Q()
            if role == Role.TOWN_STAFF:
                return _enterprise_scope(assignment, VIEW, "enterprise__")
            if role == Role.CADRE:
                # A cadre's own visit log, not the visits of others to the same enterprise.
                return Q(cadre__user_id=assignment.user_id)
            return None
        if action in (ADD, CHANGE):
            # A cadre records its own visits; the organization department keeps the log for all.
            if role == Role.ORG_STAFF:
                return Q()
            if role == Role.CADRE:
                return Q(cadre__user_id=assignment.user_id)
            return None
        return None
