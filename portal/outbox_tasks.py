"""The outbox relay (portal.outbox): beat runs it every `PORTAL_OUTBOX_RELAY_SECONDS`, and every worker
asks for it as it starts, so that work asked for while Redis was down goes out once it is back."""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.db import connections

from .outbox import outbox_dispatch, outbox_purge

logger = logging.getLogger(__name__)


@shared_task(name="portal.outbox_relay")
def outbox_relay_task() -> dict:
    """Send every pending message and forget those sent long ago (a second run finds nothing to do)."""
    return {"sent": outbox_dispatch(), "purged": outbox_purge()}


def ask_at_worker_start(task) -> None:
    """Ask for `task` now, from a worker that is starting (after a crash, a deploy, the broker's return),
    instead of leaving it to the next beat."""
    try:
        task.apply_async()
    except Exception:  # noqa: BLE001  (a worker that cannot send does not refuse to start: beat asks later)
        logger.warning("%s not asked for at worker start", task.name, exc_info=True)
    finally:
        # Run in place (eager settings), the task opened a connection in the worker's main process: the
        # pool's processes forked later must not share it.
        connections.close_all()


@worker_ready.connect
def relay_on_worker_start(sender=None, **kwargs):
    ask_at_worker_start(outbox_relay_task)
