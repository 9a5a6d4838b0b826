from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = _("第二重验证")

    def ready(self):
        from portal.access import has_role
        from portal.choices import Role
        from portal.navigation import MENU, USER_MENU, MenuEntry

        from . import checks  # noqa: F401  (registers the settings checks)

        # Everyone's own sign-in (the second factor, the password), after their files in the user menu.
        MENU.append(MenuEntry(_("账号安全"), "twofactor:security", "shield-lock", lambda u: True, group=USER_MENU))
        # The administrator's list of accounts, where a lost phone is reset.
        MENU.append(MenuEntry(_("账号第二重验证"), "twofactor:account_list", "shield-lock",
                              lambda u: has_role(u, Role.ADMIN), group="registry"))
