"""Innovation (科创): co-built projects, IP service actions, 科创中国 registrations, and the
order-based training run with vocational schools."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import RestrictedQuerySet

from ..choices import ProjectKind, ProjectStatus, RegistrationKind
from .access import programme_scope, took_part_q


class InnovationProject(models.Model):
    """A project co-built with a university or institute (清华大学乡村振兴工作站 …) or a high-tech
    industrial project that lands in the city."""

    name = models.CharField(_("项目名称"), max_length=100, unique=True)
    partner = models.CharField(_("合作方"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=ProjectKind.choices)
    status = models.CharField(_("进展"), max_length=12, choices=ProjectStatus.choices, db_index=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    landed_on = models.DateField(_("落地日期"), null=True, blank=True,
                                 help_text=_("已落地项目为实际落地日期，其余为计划落地日期"))
    base = models.ForeignKey("talent.IncubationBase", verbose_name=_("孵化基地"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="projects")
    enterprises = models.ManyToManyField("portal.Enterprise", verbose_name=_("参与企业"), blank=True,
                                         related_name="innovation_projects")
    description = models.TextField(_("简介"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("科创合作项目")
        verbose_name_plural = _("科创合作项目")
        ordering = ["-landed_on", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(status=ProjectStatus.LANDED) | Q(landed_on__isnull=False),
                                   name="innovation_project_landed_has_date"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def access_scope(cls, assignment, action):
        return programme_scope(assignment, action, own_q=lambda pk: took_part_q(cls, pk))


class IPServiceAction(models.Model):
    """A day of the 知识产权"惠企入园" action: a partner (the patent office's examination centre, the
    provincial IP service centre) brings patent and IP services to the enterprises of a park."""

    held_on = models.DateField(_("日期"), db_index=True)
    partner = models.CharField(_("合作单位"), max_length=100)
    title = models.CharField(_("活动名称"), max_length=120)
    enterprises = models.ManyToManyField("portal.Enterprise", verbose_name=_("服务企业"), blank=True,
                                         related_name="ip_actions")
    patents = models.PositiveIntegerField(_("专利服务（件）"), default=0)
    consultations = models.PositiveIntegerField(_("咨询（人次）"), default=0)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("知识产权惠企入园活动")
        verbose_name_plural = _("知识产权惠企入园活动")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title

    @classmethod
    def access_scope(cls, assignment, action):
        return programme_scope(assignment, action, own_q=lambda pk: took_part_q(cls, pk))


class PlatformRegistration(models.Model):
    """Registrations on the online platform 科创中国: a unit (one row per enterprise) or a batch of its
    technical talents registered on one day (`count` of them). Totals are sums of these rows."""

    kind = models.CharField(_("入驻类型"), max_length=12, choices=RegistrationKind.choices)
    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="platform_registrations")
    registered_on = models.DateField(_("入驻日期"), db_index=True)
    count = models.PositiveIntegerField(_("人数/户数"), default=1)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("科创中国入驻")
        verbose_name_plural = _("科创中国入驻")
        ordering = ["-registered_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="platform_registration_count_positive"),
            models.CheckConstraint(
                condition=~Q(kind=RegistrationKind.ENTERPRISE) | Q(enterprise__isnull=False, count=1),
                name="platform_registration_unit_is_one_enterprise"),
            models.UniqueConstraint(fields=["enterprise"], condition=Q(kind=RegistrationKind.ENTERPRISE),
                                    name="platform_registration_enterprise_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.registered_on}"

    @classmethod
    def access_scope(cls, assignment, action):
        return programme_scope(assignment, action, own_q=lambda pk: Q(enterprise_id=pk))


class TrainingSession(models.Model):
    """A session of order-based skills training (订单式培训) run with a local vocational school for the
    technical staff of the enterprises that ordered it."""

    school = models.CharField(_("职业院校"), max_length=60, db_index=True)
    topic = models.CharField(_("培训主题"), max_length=120)
    held_on = models.DateField(_("日期"), db_index=True)
    enterprises = models.ManyToManyField("portal.Enterprise", verbose_name=_("参训企业"), blank=True,
                                         related_name="training_sessions")
    trainees = models.PositiveIntegerField(_("参训人数"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("订单式培训")
        verbose_name_plural = _("订单式培训")
        ordering = ["-held_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(trainees__gte=1), name="training_session_has_trainees")]

    def __str__(self):
        return f"{self.held_on} {self.topic}"

    @classmethod
    def access_scope(cls, assignment, action):
        return programme_scope(assignment, action, own_q=lambda pk: took_part_q(cls, pk))
