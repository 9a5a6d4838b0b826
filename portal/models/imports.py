from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..access import IMPORT, VIEW, RestrictedQuerySet
from ..choices import ImportRowFate, ImportState, Role
from ..punctuation import parens


class ImportBatch(models.Model):
    """One upload of the enterprise registry: parsed into a preview, then committed all at once."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    state = models.CharField(_("状态"), max_length=12, choices=ImportState.choices, default=ImportState.UPLOADED)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    create_count = models.PositiveIntegerField(_("新增"), default=0)
    update_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("无变化"), default=0)
    error_count = models.PositiveIntegerField(_("错误"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name + parens(self.get_state_display())

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state in (ImportState.DONE, ImportState.PREVIEW) else 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))

    @classmethod
    def access_scope(cls, assignment, action):
        if action in (VIEW, IMPORT) and assignment.role == Role.ORG_STAFF:
            return Q()
        return None


class ImportRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("行号"))
    fate = models.CharField(_("处理结果"), max_length=10, choices=ImportRowFate.choices)
    uscc = models.CharField(_("统一社会信用代码"), max_length=32, blank=True)
    name = models.CharField(_("名称"), max_length=200, blank=True)
    data = models.JSONField(_("数据"), default=dict)
    errors = models.JSONField(_("错误"), default=dict)
    changes = models.JSONField(_("变更"), default=dict)

    class Meta:
        verbose_name = _("导入行")
        verbose_name_plural = _("导入行")
        ordering = ["batch", "row_number"]
        constraints = [models.UniqueConstraint(fields=["batch", "row_number"], name="import_row_unique")]
        indexes = [models.Index(fields=["batch", "fate"])]

    def __str__(self):
        return f"{self.batch_id}:{self.row_number} {self.get_fate_display()}"
