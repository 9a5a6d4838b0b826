from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = _("第二重验证")

    def ready(self):
        from portal.access import has_role
        from portal.choices import Role
        from portal.navigation import MENU, MenuEntry

        from . import checks  # noqa: F401  (registers the settings checks)

        # The administrator's list of accounts, where a lost phone is reset.
        MENU.append(MenuEntry(_("账号第二重验证"), "twofactor:account_list", "shield-lock",
                              lambda u: has_role(u, Role.ADMIN), group="registry"))
