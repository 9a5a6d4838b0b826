from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "insurance"
    verbose_name = _("党建+保险")

    def ready(self):
        from portal.access import VIEW, can
        from portal.navigation import MENU, MenuEntry
        from portal.views.registry import ENTERPRISE_TABS, HOME_CARDS

        from .models import Quote
        from .views.home import home_card
        from .views.quotes import enterprise_insurance_tab

        # One entry: policies, products and discount tables are tabs of the same pages (the menu of
        # the organization department is long enough as it is).
        MENU.append(MenuEntry(_("保险优惠"), "insurance:quote_list", "shield-check", lambda u: can(u, Quote, VIEW),
                              group="insurance"))
        ENTERPRISE_TABS.append(("insurance", _("保险优惠"), "insurance/enterprise_tab.html", enterprise_insurance_tab))
        HOME_CARDS.append(("insurance/home_card.html", home_card))
