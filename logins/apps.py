from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginsConfig(AppConfig):
    name = "logins"
    verbose_name = _("登录与会话")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_save

        from portal.navigation import MENU, USER_MENU, MenuEntry

        from . import receivers

        user_logged_in.connect(receivers.on_logged_in, dispatch_uid="logins.logged_in")
        user_logged_out.connect(receivers.on_logged_out, dispatch_uid="logins.logged_out")
        user_login_failed.connect(receivers.on_login_failed, dispatch_uid="logins.login_failed")
        user_locked_out.connect(receivers.on_locked_out, dispatch_uid="logins.locked_out")
        post_save.connect(receivers.on_user_saved, sender=get_user_model(), dispatch_uid="logins.user_saved")

        if not any(entry.url_name == "logins:list" for entry in MENU):
            MENU.append(MenuEntry(_("登录设备"), "logins:list", "laptop", lambda user: True, group=USER_MENU))
