from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..access import RestrictedQuerySet, reference_data_scope
from ..choices import StationHost, StationLevel


class ServiceStation(models.Model):
    """A financial service station (金融服务站), hosted at a Party-mass service centre or in a park.

    It serves an area: the enterprises of its region and below, or, for a park station, the
    enterprises of its park. Its operators act for those enterprises.
    """

    code = models.CharField(_("编号"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=8, choices=StationLevel.choices)
    host = models.CharField(_("设立地点"), max_length=8, choices=StationHost.choices)
    region = models.ForeignKey(
        "portal.Region", verbose_name=_("服务区域"), on_delete=models.PROTECT, related_name="stations"
    )
    park = models.ForeignKey(
        "portal.Park",
        verbose_name=_("服务园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    is_active = models.BooleanField(_("运行中"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("金融服务站")
        verbose_name_plural = _("金融服务站")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def enterprise_q(self, prefix: str = "") -> Q:
        """The enterprises this station serves, as a filter on a relation reached through `prefix`."""
        if self.park_id:
            return Q(**{f"{prefix}park_id": self.park_id})
        return self.region.subtree_q(prefix)

    @classmethod
    def access_scope(cls, assignment, action):
        return reference_data_scope(assignment, action)
