"""Notifications: one row per person and event (the in-portal channel is the row itself), and each
person's choice of further channels per kind of event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import Channel, Kind


class NotificationQuerySet(models.QuerySet):
    def of(self, user):
        """The user's own: nobody else's notification is ever read, counted or marked through this."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("类别"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=120)
    body = models.CharField(_("内容"), max_length=500, blank=True)
    # What the title and the body were made from (services.notification_create): shown in the reader's language.
    title_msgid = models.CharField(max_length=200, blank=True)
    body_msgid = models.CharField(max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # A path inside the portal that the recipient may open when it was written; empty when none.
    url = models.CharField(_("链接"), max_length=200, blank=True)
    workflow = models.CharField(_("业务"), max_length=16, blank=True)
    case_pk = models.PositiveBigIntegerField(_("事项编号"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # When the other channels delivered it: a task run twice (a retry, a redelivery) sends once.
    emailed_at = models.DateTimeField(null=True, blank=True)
    texted_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell's count on every page: a partial index holds only the unread rows.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            # The list, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_latest_idx"),
        ]

    def __str__(self):
        return f"{self.recipient_id} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def _shown(self, msgid: str, stored: str) -> str:
        """The text in the active language: the source translated and filled in, each value translated
        too where it is a label of the catalogue (a coded reason); the stored text where that fails."""
        if not msgid:
            return stored
        try:
            values = {k: gettext(v) if isinstance(v, str) and v else v for k, v in self.params.items()}
            return gettext(msgid) % values
        except (KeyError, ValueError, TypeError):
            return stored

    @property
    def shown_title(self) -> str:
        return self._shown(self.title_msgid, self.title)

    @property
    def shown_body(self) -> str:
        return self._shown(self.body_msgid, self.body)


class NotificationPreference(models.Model):
    """A channel a user turned on for a kind of event (no row: off). The in-portal channel needs no row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("类别"), max_length=24, choices=Kind.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    enabled = models.BooleanField(_("开启"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通知渠道设置")
        verbose_name_plural = _("通知渠道设置")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notification_preference_unique"),
            models.CheckConstraint(condition=~Q(channel=Channel.PORTAL), name="notification_preference_not_portal"),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.kind} · {self.channel}"
