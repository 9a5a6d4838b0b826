from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..access import RestrictedQuerySet, reference_data_scope


class EffectiveTable(models.Model):
    """A policy table (the loan quota by star, the premium discount by star) in force from its date
    until the next one's. It is never edited: a new table takes over, and every decision keeps the
    table it used, so a change of policy never rewrites history."""

    effective_from = models.DateField(_("生效日期"), unique=True)
    note = models.CharField(_("依据"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-effective_from"]

    @classmethod
    def access_scope(cls, assignment, action):
        return reference_data_scope(assignment, action)
