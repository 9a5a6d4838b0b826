import os

from celery import Celery, Task
from celery.result import EagerResult

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")


class PortalTask(Task):
    """A task that, in the embedded set-up (PORTAL_TASKS_IN_THREAD, no broker), runs in this process's
    background thread (portal.background) instead of inside the request, so long jobs show progress."""

    def apply_async(self, args=None, kwargs=None, task_id=None, **options):
        from django.conf import settings

        if getattr(settings, "PORTAL_TASKS_IN_THREAD", False):
            from portal import background

            return EagerResult(background.submit(self, args, kwargs), None, "PENDING")
        return super().apply_async(args=args, kwargs=kwargs, task_id=task_id, **options)


app = Celery("portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
