"""The transactional outbox's messages (portal.outbox): background work asked for in a transaction,
kept in the database until the broker took it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import OutboxState


class OutboxMessage(models.Model):
    """A task for the broker, written in the same transaction as what it is about (a transactional
    outbox): a report asked for while Redis is down is committed with its message, and the message is
    sent after the commit — or, when that fails, by the relay once the broker is back (portal.outbox).
    Delivery is at least once; the tasks are idempotent."""

    task = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    # What the message is about ("report:12"): at most one message per key waits to be sent.
    key = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=8, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # From when a sender may take it: a sender holds it for a short lease while it talks to the broker.
    available_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("任务发件箱")
        verbose_name_plural = _("任务发件箱")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(state=OutboxState.PENDING) & ~Q(key=""),
                                    name="outbox_one_pending_per_key"),
        ]
        indexes = [
            models.Index(fields=["available_at"], condition=Q(state=OutboxState.PENDING), name="outbox_pending"),
            models.Index(fields=["key", "created_at"], name="outbox_key_created"),
        ]

    def __str__(self):
        return f"{self.task}{self.args} {self.state}"
