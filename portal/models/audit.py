import datetime
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import VIEW
from ..choices import Role


def audit_row_hash(row, prev_hash: str) -> str:
    """SHA-256 of an audit row's content and the previous row's hash, in a canonical form that reads
    back the same from the database (the time in UTC to the microsecond, JSON with sorted keys). A
    plain function of the row's attributes, so that the migration that chained the existing rows
    computes exactly what the application does."""
    at = row.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    content = [
        at, row.actor_id, row.actor_name, row.action, row.object_type, row.object_id,
        row.object_repr, row.before, row.after, str(row.ip) if row.ip else None, row.note, prev_hash,
    ]
    data = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode()).hexdigest()


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除。")

    def restrict(self, user, action=VIEW):
        from ..access import scope_q

        q = scope_q(self.model, user, action)
        return self.none() if q is None else self.filter(q)


class AuditLog(models.Model):
    """Append-only record of every write made through a service.

    The application refuses updates and deletes here, and on PostgreSQL a trigger refuses them too
    (migration 0002). Each row also carries the hash of the row before it (`prev_hash`) and its own
    (`row_hash`, over its content and `prev_hash`): an edit made around the trigger (by the table's
    owner, or in a restored dump) or a deleted row breaks the chain, and `manage.py audit_verify`
    names the first row where it breaks. Rows are chained by portal.audit.audit_append only.
    """

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("客户端地址"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    prev_hash = models.CharField(_("前一条的校验值"), max_length=64, blank=True, editable=False)
    row_hash = models.CharField(_("校验值"), max_length=64, blank=True, editable=False)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除。")

    def content_hash(self, prev_hash: str) -> str:
        return audit_row_hash(self, prev_hash)

    @classmethod
    def access_scope(cls, assignment, action):
        if action == VIEW and assignment.role in (Role.ADMIN, Role.ORG_STAFF):
            return models.Q()
        return None


class AuditArchive(models.Model):
    """A stretch of the audit log's oldest rows moved to a file (JSON lines, gzip) once they are past
    the retention period. The file's rows keep their hashes, so the chain runs on through the archives
    into the table: the first row left in the table names the last archived row's hash."""

    created_at = models.DateTimeField(_("归档时间"), default=timezone.now)
    created_by_name = models.CharField(_("归档人"), max_length=150, blank=True)
    file = models.FileField(_("归档文件"), upload_to="audit-archive/", max_length=300)
    sha256 = models.CharField(_("文件校验值"), max_length=64)
    rows = models.PositiveIntegerField(_("条数"))
    first_id = models.BigIntegerField(_("首条编号"))
    last_id = models.BigIntegerField(_("末条编号"))
    first_at = models.DateTimeField(_("首条时间"))
    last_at = models.DateTimeField(_("末条时间"))
    first_prev_hash = models.CharField(_("首条的前一条校验值"), max_length=64)
    last_hash = models.CharField(_("末条校验值"), max_length=64)

    class Meta:
        verbose_name = _("审计日志归档")
        verbose_name_plural = _("审计日志归档")
        ordering = ["last_id"]

    def __str__(self):
        return f"{self.first_at:%Y-%m-%d} – {self.last_at:%Y-%m-%d} ({self.rows})"
