"""A record of each signed-in session: who, from where, on what, since when, and how it ended.

The session key is the bearer secret of a signed-in browser. It is kept here only while the session
lives (ending it needs the key, to delete the session from the store) and erased when the session
ends; no page, export, audit row or admin screen shows it: the pages address a session by this
record's own id, which is worth nothing without the owner's login."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import EndReason


class UserSession(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器标识"), max_length=500, blank=True)
    device = models.CharField(_("设备"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("登录时间"), default=timezone.now)
    last_seen = models.DateTimeField(_("最近活动时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("结束人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    end_reason = models.CharField(_("结束方式"), max_length=16, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        ordering = ["-last_seen", "-pk"]
        indexes = [
            # The page of one user's open sessions, and the sweep over every open one.
            models.Index(fields=["user", "-last_seen"], condition=Q(ended_at__isnull=True),
                         name="logins_open_by_user"),
        ]
        constraints = [
            # An ended session keeps no key, and an open one always has one.
            models.CheckConstraint(condition=Q(ended_at__isnull=True, session_key__isnull=False)
                                   | Q(ended_at__isnull=False, session_key__isnull=True),
                                   name="logins_key_only_while_open"),
        ]

    def __str__(self):
        return f"{self.device or '—'} · {self.ip or '—'}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
