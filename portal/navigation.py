"""The menu each role sees. A later app adds its entries by appending to `MENU` in its AppConfig
`ready()`; an entry shows when its `visible(user)` is true, so the menu never offers a page the
user would be refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
    MenuEntry(_("审计日志"), "audit_list", "journal-text", _can("portal.AuditLog")),
]


# The menu's groups, in the order the navbar shows them; an entry names its group with `group=`.
GROUPS = {
    "registry": (_("登记"), "buildings"),
    "ratings": (_("评星定级"), "star"),
    "finance": (_("党建+金融"), "bank"),
    "insurance": (_("党建+保险"), "shield-check"),
    "talent": (_("党建+科创"), "lightbulb"),
    "liaison": (_("政企联系"), "people"),
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
    """The navbar: a group with two or more visible entries becomes a dropdown at the place of its
    first entry; a group with one entry stays a plain link, so short menus stay flat."""
    counts: dict[str, int] = {}
    for item in items:
        if item["group"]:
            counts[item["group"]] = counts.get(item["group"], 0) + 1
    tree, dropdowns = [], {}
    for item in items:
        group = item["group"]
        if not group or counts[group] < 2:
            tree.append(item)
            continue
        if group not in dropdowns:
            label, icon = GROUPS.get(group, (group, "folder"))
            dropdowns[group] = {"label": label, "icon": icon, "group": group, "children": []}
            tree.append(dropdowns[group])
        dropdowns[group]["children"].append(item)
    return tree
