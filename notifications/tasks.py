"""The delivery task: takes ids, calls the service; safe to run twice (a sent notification is left
alone). A channel that fails (a mail server or an SMS gateway away) is tried again with a growing pause;
after the last try the task gives up with a warning in the log and ends without an error: the person
still has the notification in the portal, and nothing that asked for it is ever failed by it."""

import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from . import services

logger = logging.getLogger(__name__)

MAX_RETRIES = 6
BACKOFF_FACTOR = 30  # seconds: 30, 60, 120 … up to BACKOFF_MAX, with jitter
BACKOFF_MAX = 30 * 60


@shared_task(bind=True, name="notifications.deliver", acks_late=True, reject_on_worker_lost=True,
             max_retries=MAX_RETRIES)
def notification_deliver_task(self, notification_id: int, channel: str) -> bool:
    try:
        return services.notification_deliver(notification_id=notification_id, channel=channel)
    except Exception as exc:  # noqa: BLE001  (whatever the mail server's or the gateway's client raises)
        # Run in place (no broker: the embedded set-up, the tests) there is no later to try again in.
        if self.request.retries >= MAX_RETRIES or self.request.is_eager:
            logger.warning("notification %s not delivered by %s after %d tries: %s", notification_id, channel,
                           self.request.retries + 1, exc)
            return False
        countdown = get_exponential_backoff_interval(BACKOFF_FACTOR, self.request.retries, BACKOFF_MAX,
                                                     full_jitter=True)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(name="notifications.remind_deadlines")
def deadline_reminders_task() -> int:
    """Each morning: the holders of the cases due within two working days hear of it (once per due date)."""
    from .deadlines import deadline_reminders_send

    return deadline_reminders_send()
