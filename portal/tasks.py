"""Celery's autodiscovery looks for `portal.tasks`; the registry's tasks live with their features."""

from .audit_tasks import audit_archive_task
from .imports.tasks import import_batch_commit_task, import_batch_parse_task
from .outbox_tasks import outbox_relay_task

__all__ = ["audit_archive_task", "import_batch_commit_task", "import_batch_parse_task", "outbox_relay_task"]
