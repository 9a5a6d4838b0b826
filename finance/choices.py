from django.db import models
from django.utils.translation import gettext_lazy as _


class LoanStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("银行已受理")
    APPROVED = "approved", _("已审批")
    DISBURSED = "disbursed", _("已放款")
    REPAID = "repaid", _("已结清")
    REJECTED = "rejected", _("未获批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class LoanAction(models.TextChoices):
    SUBMIT = "submit", _("提交申请")
    ACCEPT = "accept", _("受理")
    APPROVE = "approve", _("审批通过")
    REJECT = "reject", _("不予批准")
    DISBURSE = "disburse", _("放款")
    REPAY = "repay", _("结清")
    WITHDRAW = "withdraw", _("撤回")


class RejectReason(models.TextChoices):
    """Coded reasons the enterprise can read."""

    CASH_FLOW = "cash_flow", _("经营现金流不足以覆盖还款")
    CREDIT_RECORD = "credit_record", _("征信记录不良")
    DOCUMENTS = "documents", _("申请材料不全或不实")
    PURPOSE = "purpose", _("贷款用途不符合规定")
    NOT_ELIGIBLE = "not_eligible", _("不符合党建增信准入条件")
    OTHER = "other", _("其他原因（见说明）")


class Channel(models.TextChoices):
    STATION = "station", _("金融服务站代办")
    ONLINE = "online", _("企业自行申请")


class ExchangeDirection(models.TextChoices):
    TO_BANK = "to_bank", _("机关干部到银行挂职")
    TO_GOVERNMENT = "to_gov", _("银行干部到机关挂职")


class Eligibility(models.TextChoices):
    """Why an enterprise is not eligible: the rating's reasons, and the quota's."""

    NO_ORGANIZATION = "no_organization", _("未建立党组织")
    NOT_RATED = "not_rated", _("未评定星级")
    UNDER_NOTICE = "under_notice", _("评定结果公示中")
    EXPIRED = "expired", _("星级已过有效期")
    REVOKED = "revoked", _("星级已被撤销")
    NO_TABLE = "no_table", _("尚无生效的额度标准")
    QUOTA_USED_UP = "quota_used_up", _("授信额度已用完")
