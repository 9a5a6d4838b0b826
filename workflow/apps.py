from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("办理流程与时限")

    def ready(self):
        from . import checks  # noqa: F401 - registers the holiday-schedule check
