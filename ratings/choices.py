from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general", _("党总支")
    BRANCH = "branch", _("党支部")
    JOINT_BRANCH = "joint", _("联合党支部")


class CheckMethod(models.TextChoices):
    DOCUMENTS = "documents", _("查阅资料")
    LEDGERS = "ledgers", _("查看台账")
    ON_SITE = "on_site", _("实地查看")


class RubricStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Stage(models.TextChoices):
    """Who scored: the organization itself, the town, the organization department."""

    SELF = "self", _("自评")
    TOWN = "town", _("镇街初评")
    DEPT = "dept", _("组织部复核")


class RatingStatus(models.TextChoices):
    SELF = "self", _("自评中")
    TOWN = "town", _("待镇街初评")
    DEPT = "dept", _("待组织部复核")
    NOTICE = "notice", _("公示中")
    PUBLISHED = "published", _("已命名")
    REJECTED = "rejected", _("未通过")
    REVOKED = "revoked", _("已撤销")


class RatingAction(models.TextChoices):
    START = "start", _("开始自评")
    SAVE = "save", _("保存评分")
    SUBMIT = "submit", _("提交自评")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回")
    REJECT = "reject", _("不予通过")
    OBJECTION = "objection", _("公示异议")
    OBJECTION_UPHELD = "objection_upheld", _("异议成立")
    OBJECTION_DISMISSED = "objection_dismissed", _("异议不成立")
    PUBLISH = "publish", _("命名")
    SUPERSEDE = "supersede", _("被新一轮评定取代")
    DOWNGRADE = "downgrade", _("降级")
    REVOKE = "revoke", _("撤销")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Standing(models.TextChoices):
    """What a rating selector answers for an enterprise on a day: one valid rating, or why none."""

    VALID = "valid", _("有效")
    NO_ORGANIZATION = "no_organization", _("未建立党组织")
    NOT_RATED = "not_rated", _("未评定星级")
    UNDER_NOTICE = "under_notice", _("评定结果公示中")
    EXPIRED = "expired", _("星级已过有效期")
    REVOKED = "revoked", _("星级已被撤销")
