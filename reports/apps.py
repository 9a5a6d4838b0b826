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

        from .views import enterprise_certificates_tab

        MENU.append(MenuEntry(_("我的文件"), "reports:list", "file-earmark-pdf", lambda u: u.is_authenticated))
        ENTERPRISE_TABS.append(("certificates", _("证书"), "reports/enterprise_tab.html", enterprise_certificates_tab))
