from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("党建+科创")

    def ready(self):
        from portal.access import VIEW, can
        from portal.navigation import MENU, MenuEntry
        from portal.views.registry import ENTERPRISE_TABS, HOME_CARDS

        from .models import (
            BenefitApplication,
            IncubationBase,
            InnovationProject,
            IPServiceAction,
            PlatformRegistration,
            PolicyItem,
            Talent,
            TrainingSession,
        )
        from .views.overview import can_see_overview, enterprise_tab, home_card

        def reads(model):
            return lambda u: can(u, model, VIEW)

        MENU.extend([
            MenuEntry(_("科创总览"), "talent:overview", "speedometer2", can_see_overview, group="talent"),
            MenuEntry(_("人才政策"), "talent:policy_item_list", "journal-bookmark", reads(PolicyItem), group="talent"),
            MenuEntry(_("人才"), "talent:talent_list", "person-badge", reads(Talent), group="talent"),
            MenuEntry(_("待遇申请"), "talent:benefit_list", "clipboard-check", reads(BenefitApplication),
                      group="talent"),
            MenuEntry(_("孵化基地"), "talent:base_list", "building", reads(IncubationBase), group="talent"),
            MenuEntry(_("科创项目"), "talent:project_list", "cpu", reads(InnovationProject), group="talent"),
            MenuEntry(_("知识产权服务"), "talent:ip_action_list", "award", reads(IPServiceAction), group="talent"),
            MenuEntry(_("科创中国"), "talent:registration_list", "globe2", reads(PlatformRegistration),
                      group="talent"),
            MenuEntry(_("订单式培训"), "talent:training_list", "mortarboard", reads(TrainingSession), group="talent"),
        ])
        ENTERPRISE_TABS.append(("talent", _("人才科创"), "talent/enterprise_tab.html", enterprise_tab))
        HOME_CARDS.append(("talent/home_card.html", home_card))
