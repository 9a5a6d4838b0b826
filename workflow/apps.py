from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("办理流程与时限")

    def ready(self):
        from django.db.models.signals import post_migrate

        from portal.navigation import MENU, MenuEntry

        from . import checks  # noqa: F401 - registers the holiday-schedule check

        # After every migrate, and after a flush (which sends the same signal): the default step limits.
        post_migrate.connect(_ensure_default_limits, sender=self, dispatch_uid="workflow.default_limits")

        # With the registry's reference pages: what each workflow's states and steps are, for staff.
        if not any(entry.url_name == "workflows:list" for entry in MENU):
            MENU.append(MenuEntry(_("办理流程"), "workflows:list", "diagram-2", _can_see_workflows, group="registry"))


def _ensure_default_limits(sender, using="default", **kwargs):
    from .limits import ensure_default_limits

    ensure_default_limits(using=using)


def _can_see_workflows(user) -> bool:
    from .diagram_views import can_see_workflows

    return can_see_workflows(user)
