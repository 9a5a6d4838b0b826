from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Documents made in the background: certificates, the leaders' work report, exports. Sits on top
    of every other app and reads them through their selectors."""

    name = "reports"
    verbose_name = _("报表与证书")

    def ready(self):
        from portal.navigation import MENU, MenuEntry
        from portal.views.registry import ENTERPRISE_TABS

        # Every kind of document registers when its module is imported (reports.kinds): the
        # certificates, the list exports that portal's list pages hand to the background, the work
        # report, and the certificate batch.
        from . import (  # noqa: F401
            batches,
            checks,  # noqa: F401  (registers the deployment checks)
            documents,
        )
        from .views import enterprise_certificates_tab

        # The files a user asked for are theirs: they sit in the menu on the user's name.
        MENU.append(MenuEntry(_("我的文件"), "reports:list", "file-earmark-pdf", lambda u: u.is_authenticated,
                              group="user"))
        ENTERPRISE_TABS.append(("certificates", _("证书"), "reports/enterprise_tab.html", enterprise_certificates_tab))
        register_dashboards(MENU, MenuEntry)


def register_dashboards(menu, entry) -> None:
    """The dashboards' menu entries, each shown only to the roles that may open it."""
    from .dashboards import can_see_bank_dashboard, can_see_leader_dashboard, can_see_station_dashboard

    menu.append(entry(_("数据看板"), "reports:dashboard", "bar-chart-line", can_see_leader_dashboard))
    menu.append(entry(_("本站看板"), "reports:station_dashboard", "bar-chart-line", can_see_station_dashboard))
    menu.append(entry(_("本行看板"), "reports:bank_dashboard", "bar-chart-line", can_see_bank_dashboard))
