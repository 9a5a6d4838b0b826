"""The monthly archiving of the audit log's rows past the retention period (celery beat)."""

import datetime

from celery import shared_task
from django.utils import timezone

from .audit_archive import audit_archive, retention_days


@shared_task(name="portal.audit_archive")
def audit_archive_task() -> int:
    record = audit_archive(before=timezone.now() - datetime.timedelta(days=retention_days()))
    return record.rows if record else 0
