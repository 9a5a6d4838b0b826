from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyCategory(models.TextChoices):
    """The five parts of the talent policy package (人才引进和培育实施办法)."""

    HOUSING = "housing", _("住房")
    MEDICAL = "medical", _("医疗")
    EDUCATION = "education", _("子女教育")
    SPOUSE = "spouse", _("配偶安置")
    FINANCE = "finance", _("金融服务")


class TalentLevel(models.TextChoices):
    A = "A", _("A类 · 顶尖人才")
    B = "B", _("B类 · 国家级领军人才")
    C = "C", _("C类 · 省级领军人才")
    D = "D", _("D类 · 市级高层次人才")
    E = "E", _("E类 · 青年英才")


class TalentField(models.TextChoices):
    ELECTRONICS = "electronics", _("电子信息")
    SENSING = "sensing", _("智能传感")
    EQUIPMENT = "equipment", _("装备制造")
    BIOMEDICINE = "biomed", _("生物医药")
    AGRICULTURE = "agriculture", _("现代农业")
    MATERIALS = "materials", _("新材料")
    DIGITAL = "digital", _("数字经济")
    OTHER = "other", _("其他")


class TalentSource(models.TextChoices):
    INSTITUTE = "institute", _("科研院所")
    UNIVERSITY = "university", _("高校")
    PARK = "park", _("园区")
    OTHER = "other", _("其他")


class BenefitStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class BenefitAction(models.TextChoices):
    SUBMIT = "submit", _("提交申请")
    APPROVE = "approve", _("批准")
    REJECT = "reject", _("不予批准")
    WITHDRAW = "withdraw", _("撤回")


class ProjectKind(models.TextChoices):
    WORKSTATION = "workstation", _("工作站")
    INSTITUTE = "institute", _("研究院")
    CENTRE = "centre", _("联合创新中心")
    INDUSTRIAL = "industrial", _("产业项目")


class ProjectStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("洽谈中")
    SIGNED = "signed", _("已签约")
    BUILDING = "building", _("建设中")
    LANDED = "landed", _("已落地")


class RegistrationKind(models.TextChoices):
    """Who registered on the 科创中国 platform: a unit (企事业单位) or its technical talents."""

    ENTERPRISE = "enterprise", _("企事业单位")
    TALENT = "talent", _("技术人才")
