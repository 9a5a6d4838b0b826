from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductCategory(models.TextChoices):
    PROPERTY = "property", _("财产险")
    SAFETY_LIABILITY = "safety", _("安全生产责任险")
    EMPLOYER_LIABILITY = "employer", _("雇主责任险")
    GROUP_ACCIDENT = "accident", _("团体意外险")
    PUBLIC_LIABILITY = "public", _("公众责任险")
    AGRICULTURE = "agri", _("农业保险")


class QuoteStatus(models.TextChoices):
    QUOTED = "quoted", _("已报价")
    ISSUED = "issued", _("已出单")
    EXPIRED = "expired", _("已过期")


class QuoteChannel(models.TextChoices):
    """Who made the quote: the insurer's own officer, or a financial service station on the
    enterprise's behalf (the one-stop service)."""

    INSURER = "insurer", _("保险公司业务员")
    STATION = "station", _("金融服务站代办")
