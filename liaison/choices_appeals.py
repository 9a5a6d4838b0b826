"""Choices of the appeals part (问题诉求). Kept apart from liaison/choices.py, which the pairings part
owns, so that each part edits only its own files."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealCategory(models.TextChoices):
    FINANCING = "financing", _("融资")
    TALENT = "talent", _("人才")
    LAND = "land", _("用地")
    PERMITS = "permits", _("审批许可")
    LEGAL = "legal", _("法律")
    POLICY = "policy", _("政策")
    OTHER = "other", _("其他")


class AppealPlatform(models.TextChoices):
    """The four direct platforms (四大直通平台) an appeal may come through."""

    GUIDANCE = "guidance", _("党建引领")
    POLICY = "policy", _("政策服务")
    APPEAL = "appeal", _("问题诉求")
    CARE = "care", _("关心关爱")


class AppealChannel(models.TextChoices):
    ONLINE = "online", _("企业线上提交")
    STATION = "station", _("金融服务站代办")
    VISIT = "visit", _("领导走访")
    PHONE = "phone", _("电话")
    WINDOW = "window", _("窗口")


class AppealStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已销号")
    WITHDRAWN = "withdrawn", _("已撤回")
    DISMISSED = "dismissed", _("不予受理")


class AppealAction(models.TextChoices):
    SUBMIT = "submit", _("提交诉求")
    ASSIGN = "assign", _("交办")
    REASSIGN = "reassign", _("改派")
    START = "start", _("开始办理")
    RESOLVE = "resolve", _("办结")
    CLOSE = "close", _("销号")
    REOPEN = "reopen", _("重新办理")
    WITHDRAW = "withdraw", _("撤回")
    DISMISS = "dismiss", _("不予受理")
    RATE = "rate", _("满意度评价")
    ESCALATE = "escalate", _("超期督办")
    ATTACH = "attach", _("上传附件")
    # What a leader the appeal was escalated to does with it (the status stays as it is).
    COMMENT = "comment", _("领导意见")
    INSTRUCT = "instruct", _("领导批示")
    PRESS = "press", _("催办")


class EscalationReason(models.TextChoices):
    OVERDUE = "overdue", _("超过办理期限")
    UNASSIGNED = "unassigned", _("受理后未按时交办")
