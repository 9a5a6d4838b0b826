"""The menu each role sees. A later app adds its entries by appending to `MENU` in its AppConfig
`ready()`; an entry shows when its `visible(user)` is true, so the menu never offers a page the
user would be refused.

An entry's `group` says where the navbar puts it: an area of `GROUPS` (a dropdown), `USER_MENU`
(the dropdown on the user's name, beside the language and log-out), or "" (a plain link, kept for
the page a role works from all day: home, the station desk, the enterprise's own rating, the
dashboards). Grouping every area, even one with a single entry, keeps the header to one row at
1366 px in both languages for the richest menus, and puts an area at the same place for everyone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .access import IMPORT, VIEW, can, has_role
from .choices import Role


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    icon: str
    visible: Callable[[object], bool]
    group: str = ""


def _can(model_path: str, action: str = VIEW):
    def check(user):
        from django.apps import apps

        return can(user, apps.get_model(model_path), action)

    return check


MENU: list[MenuEntry] = [
    MenuEntry(_("首页"), "home", "house", lambda u: True),
    MenuEntry(_("市场主体"), "enterprise_list", "buildings", _can("portal.Enterprise"), group="registry"),
    MenuEntry(_("人员"), "person_list", "people", _can("portal.Person"), group="registry"),
    MenuEntry(_("金融服务站"), "station_list", "shop", _can("portal.ServiceStation"), group="registry"),
    MenuEntry(_("行政区划"), "region_list", "map", lambda u: has_role(u, Role.ORG_STAFF, Role.TOWN_STAFF), group="registry"),
    MenuEntry(_("金融机构"), "institution_list", "bank", _can("portal.Institution"), group="registry"),
    MenuEntry(_("登记导入"), "import_list", "upload", _can("portal.ImportBatch", IMPORT), group="registry"),
    MenuEntry(_("审计日志"), "audit_list", "journal-text", _can("portal.AuditLog"), group="registry"),
]

USER_MENU = "user"


# The menu's groups; an entry names its group with `group=`. The labels carry the context "menu" so
# that English can use a short word ("Finance") where the area's full name would push the header
# onto a second row; the Chinese stays the area's own name.
GROUPS = {
    "registry": (pgettext_lazy("menu", "登记"), "buildings"),
    "ratings": (pgettext_lazy("menu", "评星定级"), "star"),
    "finance": (pgettext_lazy("menu", "党建+金融"), "bank"),
    "insurance": (pgettext_lazy("menu", "党建+保险"), "shield-check"),
    "talent": (pgettext_lazy("menu", "党建+科创"), "lightbulb"),
    "liaison": (pgettext_lazy("menu", "政企联系"), "people"),
}


def menu_for(user) -> list[dict]:
    if user is None or not user.is_authenticated:
        return []
    items = []
    for entry in MENU:
        if entry.visible(user):
            items.append({"label": entry.label, "url": reverse(entry.url_name), "icon": entry.icon,
                          "name": entry.url_name, "group": entry.group})
    return items


def menu_tree(items: list[dict]) -> list[dict]:
    """The navbar: each area becomes a dropdown, even with a single entry, at the place of its first
    entry; an entry without a group stays a plain link. The user menu's entries are left out (see
    `user_menu`)."""
    tree, dropdowns = [], {}
    for item in items:
        group = item["group"]
        if group == USER_MENU:
            continue
        if not group:
            tree.append(item)
            continue
        if group not in dropdowns:
            label, icon = GROUPS.get(group, (group, "folder"))
            dropdowns[group] = {"label": label, "icon": icon, "group": group, "children": []}
            tree.append(dropdowns[group])
        dropdowns[group]["children"].append(item)
    return tree


def user_menu(items: list[dict]) -> list[dict]:
    """The entries shown in the dropdown on the user's name, above the language and log-out."""
    return [item for item in items if item["group"] == USER_MENU]
