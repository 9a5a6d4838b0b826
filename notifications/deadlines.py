"""The reminder that a case's due date is near (限时办结): each morning, whoever holds an open case due
within the next two working days hears of it, once per case and due date (a second run, or a due date
that has not moved, writes nothing more; a new due date after a return is reminded again)."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.utils import timezone

from workflow.calendar import add_working_days

from .choices import Kind
from .models import Notification
from .recipients import ROUTES, notify_deadline

WITHIN_WORKING_DAYS = 2
# The states in which each workflow waits on a person with a due date (workflow declarations' `waiting`).
WAITING = {
    "loan": ("submitted", "accepted"),
    "benefit": ("pending",),
    "appeal": ("received", "assigned", "in_progress"),
    "rating": ("town", "dept"),
}


def deadline_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the holders of every case due from today up to two working days ahead; the number of
    cases reminded."""
    today = today or timezone.localdate()
    last = add_working_days(today, WITHIN_WORKING_DAYS)
    reminded = 0
    for key, route in ROUTES.items():
        model = apps.get_model(route.model)
        if not any(f.name == "due_on" for f in model._meta.concrete_fields):
            continue
        due = model.objects.filter(status__in=WAITING[key], due_on__gte=today, due_on__lte=last).values_list(
            "pk", "due_on")
        for pk, due_on in due.order_by("due_on", "pk").iterator():
            done = Notification.objects.filter(kind=Kind.DEADLINE_NEAR, workflow=key, case_pk=pk,
                                               params__d=due_on.isoformat()).exists()
            if not done and notify_deadline(workflow=key, pk=pk):
                reminded += 1
    return reminded
