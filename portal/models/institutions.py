from django.db import models
from django.utils.translation import gettext_lazy as _

from ..access import RestrictedQuerySet, reference_data_scope
from ..choices import InstitutionKind


class Institution(models.Model):
    """A bank or an insurer taking part in the scheme."""

    kind = models.CharField(_("类别"), max_length=8, choices=InstitutionKind.choices)
    code = models.CharField(_("编号"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=32)
    is_active = models.BooleanField(_("参与中"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("金融机构")
        verbose_name_plural = _("金融机构")
        ordering = ["kind", "code"]

    def __str__(self):
        return self.short_name or self.name

    @classmethod
    def access_scope(cls, assignment, action):
        return reference_data_scope(assignment, action)


class Branch(models.Model):
    institution = models.ForeignKey(
        Institution, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="branches"
    )
    name = models.CharField(_("网点名称"), max_length=100)
    region = models.ForeignKey(
        "portal.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="branches"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("分支机构")
        verbose_name_plural = _("分支机构")
        ordering = ["institution", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="branch_unique_name")]

    def __str__(self):
        return self.name

    access_scope = Institution.access_scope
