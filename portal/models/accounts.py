from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import Role

# The scope each role is held with: the one field that must be set, all others empty.
ROLE_SCOPE_FIELD = {
    Role.ORG_STAFF: None,
    Role.TOWN_STAFF: "region",
    Role.STATION_OPERATOR: "station",
    Role.BANK_OFFICER: "institution",
    Role.INSURER_OFFICER: "institution",
    Role.ENTERPRISE_USER: "enterprise",
    Role.CADRE: None,
    Role.LEADER: None,
    Role.ADMIN: None,
}
SCOPE_FIELDS = ("region", "station", "institution", "enterprise")


def _scope_condition(role, field):
    q = Q(role=role)
    for f in SCOPE_FIELDS:
        q &= Q(**{f"{f}__isnull": f != field})
    return q


class RoleAssignment(models.Model):
    """A role a user holds, with the scope it is held in (a region, a station, a bank …)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "portal.Region", verbose_name=_("负责区域"), null=True, blank=True, on_delete=models.PROTECT
    )
    station = models.ForeignKey(
        "portal.ServiceStation", verbose_name=_("服务站"), null=True, blank=True, on_delete=models.PROTECT
    )
    institution = models.ForeignKey(
        "portal.Institution", verbose_name=_("金融机构"), null=True, blank=True, on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "portal.Enterprise", verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT
    )
    # The head of the unit the role is held in: a bank's head of credit (信贷负责人) over its officers, the
    # organization department's section head over its staff. A step overdue with an officer escalates
    # to the heads of the same unit (workflow.escalation).
    is_head = models.BooleanField(_("部门负责人"), default=False,
                                  help_text=_("银行：信贷负责人；组织部：科室负责人。超期未办的事项向其督办。"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.CheckConstraint(
                condition=(
                    _scope_condition(Role.ORG_STAFF, None)
                    | _scope_condition(Role.TOWN_STAFF, "region")
                    | _scope_condition(Role.STATION_OPERATOR, "station")
                    | _scope_condition(Role.BANK_OFFICER, "institution")
                    | _scope_condition(Role.INSURER_OFFICER, "institution")
                    | _scope_condition(Role.ENTERPRISE_USER, "enterprise")
                    | _scope_condition(Role.CADRE, None)
                    | _scope_condition(Role.LEADER, None)
                    | _scope_condition(Role.ADMIN, None)
                ),
                name="role_assignment_scope_matches_role",
            ),
        ]

    def __str__(self):
        scope = self.scope
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")

    @property
    def scope(self):
        field = ROLE_SCOPE_FIELD.get(self.role)
        return getattr(self, field) if field else None

    def clean(self):
        field = ROLE_SCOPE_FIELD.get(self.role)
        errors = {}
        for f in SCOPE_FIELDS:
            value = getattr(self, f"{f}_id")
            if f == field and value is None:
                errors[f] = _("该角色必须指定此范围。")
            elif f != field and value is not None:
                errors[f] = _("该角色不使用此范围，请留空。")
        if field == "institution" and self.institution_id:
            wanted = "bank" if self.role == Role.BANK_OFFICER else "insurer"
            if self.institution.kind != wanted:
                errors["institution"] = _("银行客户经理须属于银行，保险业务员须属于保险公司。")
        if self.role == Role.TOWN_STAFF and self.region_id and self.region.level == "city":
            errors["region"] = _("镇（街道）工作人员的区域应为镇或街道。")
        if errors:
            raise ValidationError(errors)
