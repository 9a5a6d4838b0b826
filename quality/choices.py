from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    """The kinds of case whose end asks the enterprise for its satisfaction: the workflow's key."""

    LOAN = "loan", _("贷款申请")
    BENEFIT = "benefit", _("人才待遇申请")
    APPEAL = "appeal", _("问题诉求")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    CLOSED = "closed", _("已办结")


class FollowUpAction(models.TextChoices):
    OPEN = "open", _("发起回访整改")
    START = "start", _("开始整改")
    CLOSE = "close", _("办结")


class SurveyState(models.TextChoices):
    PENDING = "pending", _("待评价")
    ANSWERED = "answered", _("已评价")
