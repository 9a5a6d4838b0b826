from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    CITY = "city", _("市")
    TOWN = "town", _("镇（街道）")
    VILLAGE = "village", _("村（社区）")


class RegionKind(models.TextChoices):
    CITY = "city", _("市")
    TOWN = "town", _("镇")
    STREET = "street", _("街道")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")


class InstitutionKind(models.TextChoices):
    BANK = "bank", _("银行")
    INSURER = "insurer", _("保险公司")


class StationLevel(models.TextChoices):
    CITY = "city", _("市级")
    TOWN = "town", _("镇级")
    VILLAGE = "village", _("村级")


class StationHost(models.TextChoices):
    SERVICE_CENTRE = "centre", _("党群服务中心")
    PARK = "park", _("工业园区")


class EnterpriseKind(models.TextChoices):
    PRIVATE = "private", _("民营企业")
    COOPERATIVE = "coop", _("农民专业合作社")
    FAMILY_FARM = "farm", _("家庭农场")


class PersonLink(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal", _("法定代表人")
    ENTREPRENEUR = "entrepreneur", _("企业家")
    CONTACT = "contact", _("联系人")


class Role(models.TextChoices):
    ORG_STAFF = "org_staff", _("组织部（两新工委）工作人员")
    TOWN_STAFF = "town_staff", _("镇（街道）党委工作人员")
    STATION_OPERATOR = "station_operator", _("金融服务站工作人员")
    BANK_OFFICER = "bank_officer", _("银行客户经理")
    INSURER_OFFICER = "insurer_officer", _("保险公司业务员")
    ENTERPRISE_USER = "enterprise_user", _("企业用户")
    CADRE = "cadre", _("联系领导")
    LEADER = "leader", _("市领导")
    ADMIN = "admin", _("系统管理员")


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    PARSING = "parsing", _("校验中")
    PREVIEW = "preview", _("待确认")
    COMMITTING = "committing", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    CANCELLED = "cancelled", _("已取消")


class ImportRowFate(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("更新")
    UNCHANGED = "unchanged", _("无变化")
    ERROR = "error", _("有错误")


class Industry(models.TextChoices):
    """Sections of the national industry classification (GB/T 4754-2017)."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
