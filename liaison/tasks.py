"""Celery tasks of the liaison app: each takes ids (or nothing), calls one service, and is safe to
run twice."""

from celery import shared_task
from django.utils import timezone

from .services.appeals import appeal_escalate_overdue


@shared_task(name="liaison.escalate_overdue")
def appeal_escalate_overdue_task() -> dict:
    """Escalate the appeals overdue today (问题诉求超期督办). Safe to run twice: an appeal already at the
    level due is left alone."""
    return appeal_escalate_overdue(today=timezone.localdate())
