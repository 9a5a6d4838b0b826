from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiKeysConfig(AppConfig):
    name = "apikeys"
    verbose_name = _("机构接口密钥")

    def ready(self):
        from portal.navigation import MENU, USER_MENU, MenuEntry

        from . import schema  # noqa: F401 - registers the key scheme with drf-spectacular
        from .selectors import can_manage_keys

        # In the menu on the user's name: the key administrators are bank and insurer officers whose
        # menus are their business areas; the keys are their own institution's housekeeping.
        MENU.append(MenuEntry(_("接口密钥"), "apikeys:list", "key", can_manage_keys, group=USER_MENU))
