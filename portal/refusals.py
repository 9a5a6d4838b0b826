"""Why a page is refused, in words the person can act on: which right or which roles it needs, the
role they hold, and whom to ask. Passed as `PermissionDenied(reason)` and shown by templates/403.html."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .access import ADD, CHANGE, DELETE, IMPORT, UNMASK, VIEW, user_roles
from .accounts import ROLE_SHORT
from .choices import Role
from .punctuation import series

RIGHTS = {
    VIEW: pgettext_lazy("right", "查看"),
    ADD: pgettext_lazy("right", "新增"),
    CHANGE: pgettext_lazy("right", "办理或修改"),
    DELETE: pgettext_lazy("right", "删除"),
    UNMASK: pgettext_lazy("right", "查看完整个人信息"),
    IMPORT: pgettext_lazy("right", "导入"),
}


def _role_names(roles) -> str:
    return series(str(ROLE_SHORT.get(r, r)) for r in roles)


def roles_with(model, action: str) -> list[str]:
    """The roles whose assignments reach some rows of `model` for `action`, in the roles' order.
    A scope that needs the assignment's region, station or institution counts as reaching."""
    from .models import RoleAssignment

    found = []
    for role in Role.values:
        try:
            # A scope object that exists for no one: the scope is built for it, or its lookup fails.
            probe = RoleAssignment(role=role, region_id=-1, station_id=-1, institution_id=-1, enterprise_id=-1)
            reaches = model.access_scope(probe, action) is not None
        except Exception:  # noqa: BLE001 - a scope built from the (here empty) region or station: it reaches
            reaches = True
        if reaches:
            found.append(role)
    return found


def _no_role() -> str:
    return _("您的账号尚未分配角色，不能打开此页面。请联系系统管理员为您分配角色。")


def page_for_roles(user, roles) -> str:
    """A page made for some roles only."""
    mine = [r for r in Role.values if r in user_roles(user)]
    if not mine:
        return _no_role()
    return _("此页面仅限%(roles)s使用；您当前的角色（%(mine)s）不能打开。"
             "如需访问，请联系系统管理员。") % {
        "roles": _role_names(r for r in Role.values if r in set(roles)), "mine": _role_names(mine)}


def missing_right(user, model, action: str = VIEW) -> str:
    """The right on a kind of record that the user's roles do not hold."""
    mine = [r for r in Role.values if r in user_roles(user)]
    if not mine:
        return _no_role()
    allowed = roles_with(model, action)
    return _("%(what)s的%(right)s权限仅限%(roles)s；您当前的角色（%(mine)s）没有此权限。"
             "如需访问，请联系系统管理员。") % {
        "what": model._meta.verbose_name_plural, "right": RIGHTS.get(action, action),
        "roles": _role_names(allowed) if allowed else ROLE_SHORT[Role.ADMIN], "mine": _role_names(mine)}
