"""The transactional outbox: how the portal hands work to the broker without losing it.

A service that asks for background work writes an `OutboxMessage` in its own transaction
(`outbox_put`), so the request and its message are committed together or not at all. Once the
transaction commits, the message is sent to the broker at once (`outbox_dispatch`); if Redis is out of
reach the request still succeeds and the message stays pending. The relay task (`portal.outbox_relay`:
beat every `PORTAL_OUTBOX_RELAY_SECONDS`, and every worker as it starts) sends what is pending once the
broker is back. A message is marked sent only after the broker took it, so a sender that dies in between leaves it
pending: delivery is at least once, and the tasks behind it are idempotent.

Senders do not wait for one another: each takes the pending rows it sends under a short lease
(`available_at`), skipping rows another sender holds (`SELECT … FOR UPDATE SKIP LOCKED`), and the lease
runs out by itself if the sender dies."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .choices import OutboxState
from .models import OutboxMessage

logger = logging.getLogger(__name__)

# How long a sender holds the rows it took before another may take them (it dies, or hangs).
LEASE = datetime.timedelta(seconds=60)
# Sent messages are kept this long, for whoever looks into what was sent when.
SENT_KEPT = datetime.timedelta(days=7)
# One quick retry (a pooled connection that the broker's restart closed is opened anew), then give up:
# the relay tries again later, and a request never waits long for a broker that is down.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}


def outbox_put(*, task: str, args: list | tuple = (), kwargs: dict | None = None, key: str = "") -> OutboxMessage:
    """A message for `task`, written in the current transaction and sent once it commits. With a key,
    a message already waiting for that key is the one returned (and tried again), not a second."""
    message = None
    if key:
        message = OutboxMessage.objects.filter(key=key, state=OutboxState.PENDING).first()
    if message is None:
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(task=task, args=list(args), kwargs=dict(kwargs or {}), key=key)
        except IntegrityError:
            if not key:
                raise
            # The same key put a moment earlier by another transaction.
            message = OutboxMessage.objects.get(key=key, state=OutboxState.PENDING)
    # robust: a failure after the commit (the broker, the database) never turns the committed request
    # into an error page; the message waits for the relay.
    transaction.on_commit(partial(outbox_dispatch, ids=[message.pk]), robust=True)
    return message


def _task(name: str):
    from portal.celery import app

    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def _runs_inline() -> bool:
    """Whether apply_async runs the task here and now (the tests' eager mode) rather than sending it."""
    from portal.celery import app

    return bool(app.conf.task_always_eager) and not getattr(settings, "PORTAL_TASKS_IN_THREAD", False)


def _mark_sent(message_id: int) -> None:
    OutboxMessage.objects.filter(pk=message_id).update(state=OutboxState.SENT, sent_at=timezone.now(), last_error="",
                                                       attempts=F("attempts") + 1)


def outbox_dispatch(*, ids: list[int] | None = None, limit: int = 200) -> int:
    """Send the pending messages (those of `ids`, or all that are due) to the broker; the number sent.
    A message the broker refuses stays pending, and so do the ones after it (the broker is down: trying
    each would only wait for each)."""
    now = timezone.now()
    with transaction.atomic():
        due = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            state=OutboxState.PENDING, available_at__lte=now)
        if ids is not None:
            due = due.filter(pk__in=ids)
        taken = list(due.order_by("pk")[:limit])
        if not taken:
            return 0
        OutboxMessage.objects.filter(pk__in=[m.pk for m in taken]).update(available_at=now + LEASE)
    sent = 0
    for index, message in enumerate(taken):
        task = _task(message.task)
        if _runs_inline():
            # The task runs inside apply_async: it was delivered, whatever it does.
            _mark_sent(message.pk)
            task.apply_async(args=message.args, kwargs=message.kwargs)
            sent += 1
            continue
        try:
            task.apply_async(args=message.args, kwargs=message.kwargs, retry=True, retry_policy=PUBLISH_RETRY)
        except Exception as exc:  # noqa: BLE001  (whatever the broker's client raises, the message waits)
            logger.warning("outbox: %s not sent, %d left pending: %s", message, len(taken) - index, exc)
            OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1,
                                                               last_error=f"{type(exc).__name__}: {exc}"[:500])
            OutboxMessage.objects.filter(pk__in=[m.pk for m in taken[index:]], state=OutboxState.PENDING).update(
                available_at=timezone.now())
            break
        _mark_sent(message.pk)
        sent += 1
    return sent


def outbox_purge(*, now: datetime.datetime | None = None) -> int:
    """Forget the messages sent more than `SENT_KEPT` ago; the number removed."""
    before = (now or timezone.now()) - SENT_KEPT
    removed, _ = OutboxMessage.objects.filter(state=OutboxState.SENT, sent_at__lt=before).delete()
    return removed


def outbox_pending(*, key: str) -> bool:
    """Whether a message for `key` waits for the broker."""
    return OutboxMessage.objects.filter(key=key, state=OutboxState.PENDING).exists()
