"""Celery tasks of the workflow layer: each calls one service and is safe to run twice."""

from celery import shared_task
from django.utils import timezone

from .escalation import escalate_overdue


@shared_task(name="workflow.escalate_overdue")
def escalate_overdue_task() -> dict:
    """Escalate the loan, benefit and rating steps overdue today (超期督办). Safe to run twice: a step
    escalated for its due date is left alone."""
    return escalate_overdue(today=timezone.localdate())
