from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    RATING_CERTIFICATE = "rating_certificate", _("评星证书")
    CREDIT_CERTIFICATE = "credit_certificate", _("党建增信证明")
    CERTIFICATE_BATCH = "certificate_batch", _("评星证书批量打包")
    EXPORT = "export", _("列表导出")
    WORK_REPORT = "work_report", _("工作报告")


class ReportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
