from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("服务质效")

    def ready(self):
        from django.db.models.signals import post_migrate

        from portal.access import VIEW, can
        from portal.navigation import MENU, MenuEntry
        from portal.views.registry import HOME_CARDS

        from . import receivers  # noqa: F401  (connects the listener of workflow.signals.case_changed)
        from .models import FollowUp, Survey
        from .selectors import can_see_figures
        from .services import followup_limit_ensure
        from .views import home_card

        # After every migrate, and after a flush (which sends the same signal): the follow-up's limit.
        post_migrate.connect(followup_limit_ensure, sender=self, dispatch_uid="quality.followup_limit")

        if not any(entry.url_name == "quality:survey_list" for entry in MENU):
            MENU.extend([
                MenuEntry(_("满意度回访"), "quality:survey_list", "chat-square-heart",
                          lambda u: can(u, Survey, VIEW), group="liaison"),
                MenuEntry(_("回访整改"), "quality:followup_list", "arrow-repeat",
                          lambda u: can(u, FollowUp, VIEW), group="liaison"),
                MenuEntry(_("服务质效"), "quality:figures", "clipboard-data", can_see_figures, group="liaison"),
            ])
            HOME_CARDS.append(("quality/home_card.html", home_card))
