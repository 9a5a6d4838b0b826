from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from ..access import CHANGE, UNMASK, VIEW, RestrictedQuerySet
from ..choices import EnterpriseKind, Industry, PersonLink, Role
from ..rules import mask_id_number, mask_mobile

# Roles whose enterprises another app decides, by role: a function (assignment, prefix) -> Q. The
# liaison app registers the cadre's (the enterprises it is paired with), keeping the registry free of
# imports from the apps that stand on it.
ENTERPRISE_SCOPES: dict = {}


def _enterprise_scope(assignment, action, prefix: str = "") -> Q | None:
    """What one role assignment reaches among enterprises, through the relation `prefix`."""
    role = assignment.role
    if action == VIEW:
        if role in (Role.ORG_STAFF, Role.LEADER):
            return Q()
        if role == Role.TOWN_STAFF and assignment.region_id:
            return assignment.region.subtree_q(prefix)
        if role == Role.STATION_OPERATOR and assignment.station_id:
            return assignment.station.enterprise_q(prefix)
        if role == Role.ENTERPRISE_USER and assignment.enterprise_id:
            return Q(**{f"{prefix}pk": assignment.enterprise_id})
        if role in ENTERPRISE_SCOPES:
            return ENTERPRISE_SCOPES[role](assignment, prefix)
        return None
    if action == CHANGE:
        return Q() if role == Role.ORG_STAFF else None
    return None


class Enterprise(models.Model):
    """A market entity (市场主体) in the registry."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=120, db_index=True)
    kind = models.CharField(_("主体类型"), max_length=8, choices=EnterpriseKind.choices, default=EnterpriseKind.PRIVATE)
    industry = models.CharField(_("行业门类"), max_length=1, choices=Industry.choices, blank=True)
    region = models.ForeignKey(
        "portal.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="enterprises"
    )
    park = models.ForeignKey(
        "portal.Park", verbose_name=_("所在园区"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="enterprises",
    )
    is_key = models.BooleanField(_("重点民企"), default=False)
    employees = models.PositiveIntegerField(_("从业人数"), default=0)
    registered_capital = models.DecimalField(
        _("注册资本（元）"), max_digits=16, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    legal_representative = models.ForeignKey(
        "portal.Person", verbose_name=_("法定代表人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="represented_enterprises",
    )
    contact = models.ForeignKey(
        "portal.Person", verbose_name=_("联系人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="contact_for_enterprises",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uscc=Upper("uscc")) & Q(uscc__regex=r"^[0-9A-HJ-NP-RTUW-Y]{18}$"),
                name="enterprise_uscc_upper_18",
            ),
            models.CheckConstraint(condition=Q(registered_capital__gte=0), name="enterprise_capital_not_negative"),
        ]
        indexes = [models.Index(fields=["kind", "is_key"])]

    def __str__(self):
        return self.name

    @classmethod
    def access_scope(cls, assignment, action):
        return _enterprise_scope(assignment, action)


class Person(models.Model):
    """An entrepreneur or a contact. ID number and mobile are personal data: stored whole, shown
    masked; seeing them whole is a right of its own, and every unmasking is audited."""

    name = models.CharField(_("姓名"), max_length=32)
    id_number = models.CharField(_("身份证号"), max_length=18, null=True, blank=True, unique=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    is_new_generation = models.BooleanField(_("新生代企业家"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number or "")

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)

    @classmethod
    def access_scope(cls, assignment, action):
        role = assignment.role
        if action == UNMASK:
            # Unmasking is for the registry's own staff, each within the people it already sees.
            if role not in (Role.ORG_STAFF, Role.TOWN_STAFF, Role.STATION_OPERATOR):
                return None
            action = VIEW
        if action == VIEW:
            enterprises = _enterprise_scope(assignment, VIEW)
            if enterprises is None:
                return None
            if not enterprises:
                return Q()
            # One IN over the union of the people linked to, representing or the contact of a reachable
            # enterprise: computed once and hashed. Three ORed EXISTS (one per person row) made the
            # planner scan every person and, at 100,000 enterprises, spend seconds compiling it with JIT.
            reachable = Enterprise.objects.filter(enterprises).order_by()
            linked = EnterprisePerson.objects.filter(enterprise__in=reachable.values("pk")).order_by().values("person_id")
            # No "IS NOT NULL" on the two columns: it tempts the planner into scanning the whole column's
            # index instead of the scope's few enterprises; a NULL in the list matches no one (this Q is
            # only ever used as a positive filter).
            represented = reachable.values("legal_representative_id")
            contacts = reachable.values("contact_id")
            return Q(pk__in=linked.union(represented, contacts, all=True))
        if action == CHANGE:
            return Q() if role == Role.ORG_STAFF else None
        return None


class EnterprisePerson(models.Model):
    """A person's tie to an enterprise: legal representative, entrepreneur, contact."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="person_links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enterprise_links")
    link = models.CharField(_("关系"), max_length=16, choices=PersonLink.choices)
    title = models.CharField(_("职务"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("企业人员")
        verbose_name_plural = _("企业人员")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "person", "link"], name="enterprise_person_unique")
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.person} · {self.get_link_display()}"
