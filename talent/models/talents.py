"""Talents and the incubation bases (人才孵化基地) that hold some of them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.access import RestrictedQuerySet
from portal.punctuation import parens

from ..choices import TalentField, TalentLevel, TalentSource
from .access import personal_scope, programme_scope


class IncubationBase(models.Model):
    """A base in a big city (深圳, 上海) where talents and projects are incubated for 星湖市."""

    name = models.CharField(_("基地名称"), max_length=80, unique=True)
    city = models.CharField(_("所在城市"), max_length=20)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opened_on = models.DateField(_("设立日期"))
    partner = models.CharField(_("合作单位"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("运行中"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才孵化基地")
        verbose_name_plural = _("人才孵化基地")
        ordering = ["opened_on", "pk"]

    def __str__(self):
        return self.name

    @classmethod
    def access_scope(cls, assignment, action):
        return programme_scope(assignment, action)


class Talent(models.Model):
    """A talent brought in or grown under the policy package. The person's ID number and mobile are
    personal data: they live on portal.Person and are shown masked, as everywhere in the portal."""

    person = models.OneToOneField("portal.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                                  related_name="talent")
    level = models.CharField(_("人才类别"), max_length=1, choices=TalentLevel.choices, db_index=True)
    field = models.CharField(_("领域"), max_length=12, choices=TalentField.choices, db_index=True)
    employer = models.ForeignKey("portal.Enterprise", verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                 related_name="talents")
    source = models.CharField(_("引进渠道"), max_length=12, choices=TalentSource.choices)
    source_institution = models.CharField(_("来源单位"), max_length=100, blank=True)
    introduced_on = models.DateField(_("引进日期"), db_index=True)
    base = models.ForeignKey(IncubationBase, verbose_name=_("孵化基地"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="talents")
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才")
        verbose_name_plural = _("人才")
        ordering = ["-introduced_on", "-pk"]
        indexes = [models.Index(fields=["employer", "level"])]

    def __str__(self):
        return self.person.name + parens(_("%(l)s类") % {"l": self.level})

    @classmethod
    def access_scope(cls, assignment, action):
        return personal_scope(assignment, action, "employer__")
