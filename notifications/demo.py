"""Demo data of the notification centre: what the people of the demo city would have heard of the
steps the other apps' demo made (those write their histories in bulk, so no step told anyone). The
latest steps of each workflow, and those of the cases each demo account sees, are run through the
same routing as a live step; the deadline reminders of the demo day follow. Everyone's older
notifications are read, the newest few are not."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from portal.access import VIEW
from portal.demo import SeedContext, register_step
from portal.demo.accounts import DEMO_USERNAMES

from .models import Notification
from .recipients import notify_step

# workflow: (its history model, the history row's key to the case)
HISTORIES = {
    "loan": ("finance.LoanEvent", "application_id"),
    "benefit": ("talent.BenefitEvent", "application_id"),
    "appeal": ("liaison.AppealEvent", "appeal_id"),
    "rating": ("ratings.RatingEvent", "rating_id"),
}
CASE_MODELS = {"loan": "finance.LoanApplication", "benefit": "talent.BenefitApplication",
               "appeal": "liaison.Appeal", "rating": "ratings.Rating"}
LATEST_STEPS = 40  # of each workflow, across the city
STEPS_PER_ACCOUNT = 15  # of each workflow, among the cases a demo account sees
UNREAD_KEPT = 3  # each person's newest notifications left unread


def _steps(workflow: str, case_ids=None, limit: int = LATEST_STEPS) -> list:
    model_path, parent = HISTORIES[workflow]
    rows = apps.get_model(model_path).objects.all()
    if case_ids is not None:
        rows = rows.filter(**{f"{parent}__in": case_ids})
    return list(rows.order_by("-pk").values("pk", parent, "action", "from_status", "to_status", "actor_id")[:limit])


@register_step(name="notifications.heard", label="消息通知")
def seed_notifications(ctx: SeedContext) -> None:
    steps: dict[str, dict[int, dict]] = {key: {} for key in HISTORIES}
    for key in HISTORIES:
        steps[key].update({s["pk"]: s for s in _steps(key)})
    for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES):
        stations = list(user.role_assignments.filter(station__isnull=False).values_list("station_id", flat=True))
        for key, model_path in CASE_MODELS.items():
            model = apps.get_model(model_path)
            seen = list(model.objects.restrict(user, VIEW).order_by("-pk").values_list(
                "pk", flat=True)[:STEPS_PER_ACCOUNT])
            if stations and any(f.name == "station" for f in model._meta.concrete_fields):
                # A station hears of the cases it brought in: the latest of those, wherever they are.
                seen += list(model.objects.filter(station_id__in=stations).order_by("-pk").values_list(
                    "pk", flat=True)[:STEPS_PER_ACCOUNT])
            steps[key].update({s["pk"]: s for s in _steps(key, seen, STEPS_PER_ACCOUNT * 6)})
    for key, found in steps.items():
        _, parent = HISTORIES[key]
        for step in sorted(found.values(), key=lambda s: s["pk"]):
            notify_step(workflow=key, pk=step[parent], action=step["action"], from_status=step["from_status"],
                        to_status=step["to_status"], actor_id=step["actor_id"])
    from .deadlines import deadline_reminders_send

    deadline_reminders_send()
    _mark_older_read()
    # What the demo's other steps announce after the commit (the demo day's escalations) is heard then,
    # after this step: their older ones are read too, once they are there.
    transaction.on_commit(_mark_older_read, robust=True)
    ctx.count("消息通知", Notification.objects.count())


def _mark_older_read() -> None:
    ranked = Notification.objects.annotate(rank=Window(RowNumber(), partition_by=[F("recipient_id")],
                                                       order_by=[F("created_at").desc(), F("pk").desc()]))
    older = [row.pk for row in ranked.filter(read_at__isnull=True) if row.rank > UNREAD_KEPT]
    Notification.objects.filter(pk__in=older).update(read_at=timezone.now())
