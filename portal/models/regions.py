from django.db import models
from django.utils.translation import gettext_lazy as _

from ..access import RestrictedQuerySet, reference_data_scope
from ..choices import RegionKind, RegionLevel
from ..rules import region_prefix

# Up to this many regions, a subtree is filtered by the list of their keys (see Region.subtree_q).
SUBTREE_IDS_LIMIT = 200


class Region(models.Model):
    """An administrative division: the city, a town or street, a village or community."""

    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=8, choices=RegionLevel.choices)
    kind = models.CharField(_("类型"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        return region_prefix(self.code, self.level)

    def subtree_ids(self) -> list[int]:
        """The primary keys of this region and every region under it, fetched once per region object
        (a role assignment's region lives as long as the request). A scope filters on
        `region_id IN (these)` rather than joining the regions with `code LIKE 'prefix%'`: the planner
        then knows from the statistics how few enterprises a town has, and reads them by the region
        index instead of walking every enterprise in name order until a page of the town's is found."""
        cached = getattr(self, "_subtree_ids", None)
        if cached is None:
            cached = list(Region.objects.filter(code__startswith=self.prefix).order_by("pk")
                          .values_list("pk", flat=True))
            self._subtree_ids = cached
        return cached

    def subtree_q(self, prefix: str = "") -> "models.Q":
        """The rows whose region (through the relation `prefix`) is this region or under it: by the
        subtree's keys for a town or a village (see `subtree_ids`); for a larger subtree (a city's
        thousands of villages) by joining the regions, as a list that long is slower to test per row
        than a hash of the regions."""
        ids = self.subtree_ids()
        if len(ids) <= SUBTREE_IDS_LIMIT:
            return models.Q(**{f"{prefix}region_id__in": ids})
        return models.Q(**{f"{prefix}region__code__startswith": self.prefix})

    def full_name(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    @classmethod
    def access_scope(cls, assignment, action):
        return reference_data_scope(assignment, action)


class Park(models.Model):
    """An industrial park (工业园区)."""

    code = models.CharField(_("编号"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="parks")
    address = models.CharField(_("地址"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("工业园区")
        verbose_name_plural = _("工业园区")
        ordering = ["code"]

    def __str__(self):
        return self.name

    access_scope = Region.access_scope
