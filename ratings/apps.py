from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("评星定级")

    def ready(self):
        from portal.access import VIEW, can, has_role
        from portal.choices import Role
        from portal.navigation import MENU, MenuEntry
        from portal.views.registry import ENTERPRISE_TABS, HOME_CARDS

        from .models import PartyOrganization, Rating
        from .views.home import home_card
        from .views.mine import enterprise_party_tab

        staff = (Role.ORG_STAFF, Role.TOWN_STAFF, Role.LEADER, Role.STATION_OPERATOR)
        MENU.extend([
            MenuEntry(_("星级评定"), "ratings:home", "star",
                      lambda u: has_role(u, *staff) and can(u, Rating, VIEW), group="ratings"),
            MenuEntry(_("党组织"), "ratings:organization_list", "flag",
                      lambda u: has_role(u, *staff) and can(u, PartyOrganization, VIEW), group="ratings"),
            MenuEntry(_("我的星级"), "ratings:mine", "star", lambda u: has_role(u, Role.ENTERPRISE_USER)),
        ])
        ENTERPRISE_TABS.append(("party", _("党组织与星级"), "ratings/enterprise_tab.html", enterprise_party_tab))
        HOME_CARDS.append(("ratings/home_card.html", home_card))
