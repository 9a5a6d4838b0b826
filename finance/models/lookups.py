"""The banks' and insurers' eligibility lookups on their way into the audit log.

Every API lookup must be audited ("who looked up which enterprise when"), but the audit log is a hash
chain with one writer at a time (portal.audit): a chained row per call would queue every bank's call
behind one advisory lock. A lookup is therefore written here first, by one plain INSERT that takes no
lock and reads nothing, committed before the answer leaves; `eligibility_lookups_flush` (every few
seconds, finance.tasks) moves the rows into the chain in bulk and deletes them in the same
transaction, so a row is either still here or in the chain, never in neither nor in both."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EligibilityLookup(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    enterprise_id = models.BigIntegerField(_("企业编号"))
    enterprise_name = models.CharField(_("企业"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("客户端地址"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("待记入审计日志的资格查询")
        verbose_name_plural = _("待记入审计日志的资格查询")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.enterprise_id}"
