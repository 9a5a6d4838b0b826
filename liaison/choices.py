from django.db import models
from django.utils.translation import gettext_lazy as _


class CadreLevel(models.TextChoices):
    """Where a cadre stands in the liaison mechanism. Only county-level leaders are held to the
    pairing range; the city Party secretary leads the mechanism."""

    SECRETARY = "secretary", _("市委书记（领衔）")
    COUNTY = "county", _("县级领导干部")
    SECTION = "section", _("科级干部")
    STAFF = "staff", _("一般干部")


class PairingKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("重点民企")
    ENTREPRENEUR = "entrepreneur", _("企业家")


class ContactKind(models.TextChoices):
    VISIT = "visit", _("实地走访")
    MEETING = "meeting", _("座谈会")
    PHONE = "phone", _("电话联系")
    ONLINE = "online", _("线上沟通")
