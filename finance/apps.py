from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("党建+金融")

    def ready(self):
        from portal.access import VIEW, can, has_role
        from portal.choices import Role
        from portal.navigation import MENU, MenuEntry
        from portal.views.registry import ENTERPRISE_TABS, HOME_CARDS

        from .models import LoanApplication, QuotaTable
        from .selectors import can_look_up
        from .views.cobuilding import register_menu as register_cobuilding_menu
        from .views.home import home_card
        from .views.loans import enterprise_credit_tab

        MENU.extend([
            MenuEntry(_("服务台"), "finance:desk", "shop-window", lambda u: has_role(u, Role.STATION_OPERATOR)),
            MenuEntry(_("增信查询"), "finance:lookup", "search",
                      lambda u: can_look_up(u) and not has_role(u, Role.ENTERPRISE_USER), group="finance"),
            MenuEntry(_("贷款申请"), "finance:application_list", "cash-coin", lambda u: can(u, LoanApplication, VIEW),
                      group="finance"),
            MenuEntry(_("增信政策"), "finance:policies", "sliders",
                      lambda u: has_role(u, Role.ORG_STAFF, Role.LEADER, Role.BANK_OFFICER) and can(u, QuotaTable, VIEW),
                      group="finance"),
        ])
        ENTERPRISE_TABS.append(("credit", _("党建增信"), "finance/enterprise_tab.html", enterprise_credit_tab))
        HOME_CARDS.append(("finance/home_card.html", home_card))
        register_cobuilding_menu()
