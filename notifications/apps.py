from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The notification centre: who hears about each step of a case (recipients), through which
    channels (channels), sent after the step commits and never in its way."""

    name = "notifications"
    verbose_name = _("消息通知")

    def ready(self):
        from portal.navigation import MENU, MenuEntry

        from . import recipients  # noqa: F401  (connects the listener of workflow.signals.case_changed)

        MENU.append(MenuEntry(_("通知设置"), "notifications:preferences", "bell", lambda u: u.is_authenticated,
                              group="user"))
