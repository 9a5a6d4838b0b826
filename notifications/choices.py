from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What happened, as the person who hears it sees it; each user chooses channels per kind."""

    RATING_RETURNED = "rating_returned", _("星级评定被退回")
    RATING_PUBLISHED = "rating_published", _("星级评定结果已命名")
    RATING_DECIDED = "rating_decided", _("星级评定有新结果")
    OBJECTION_LODGED = "objection_lodged", _("收到公示异议")
    APPLICATION_ACCEPTED = "application_accepted", _("申请已受理")
    APPLICATION_APPROVED = "application_approved", _("申请已批准")
    APPLICATION_REJECTED = "application_rejected", _("申请未获批准")
    APPLICATION_RETURNED = "application_returned", _("申请被退回补充材料")
    APPLICATION_DISBURSED = "application_disbursed", _("贷款已放款")
    CASE_WITHDRAWN = "case_withdrawn", _("申请人已撤回")
    CASE_ASSIGNED = "case_assigned", _("有新的待办")
    DEADLINE_NEAR = "deadline_near", _("办理期限还剩两天")
    CASE_ESCALATED = "case_escalated", _("事项已被督办")
    APPEAL_ANSWERED = "appeal_answered", _("诉求已答复")
    # The satisfaction follow-up's (quality.notify).
    SURVEY_ASKED = "survey_asked", _("请评价服务")
    FOLLOWUP_OPENED = "followup_opened", _("有回访整改待办")
    FOLLOWUP_CLOSED = "followup_closed", _("回访整改已办结")


class Channel(models.TextChoices):
    PORTAL = "portal", _("站内通知")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


# The channels a user may turn on per kind; the portal's own is always on.
OPTIONAL_CHANNELS = (Channel.EMAIL, Channel.SMS)
