"""Appeals (问题诉求): an enterprise's problem, raised online, through a station, on a cadre's visit or
by phone/window; handed to a functional department; worked on, resolved, closed; escalated when
overdue; rated by the enterprise. Numbers come from a per-year counter row locked by the service."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access import ADD, CHANGE, VIEW, RestrictedQuerySet
from portal.choices import Role
from portal.models.enterprises import Enterprise, _enterprise_scope

from ..choices_appeals import (
    AppealAction,
    AppealCategory,
    AppealChannel,
    AppealPlatform,
    AppealStatus,
    EscalationReason,
)
from ..rules import appeals as rules

__all__ = ["Appeal", "AppealAttachment", "AppealCounter", "AppealEscalation", "AppealEvent", "Department"]

S = AppealStatus


def _q(prefix: str, **lookups) -> Q:
    return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})


def _or(*parts: Q | None) -> Q | None:
    """The union of the parts that are not None; Q() (everything) wins."""
    result = None
    for part in parts:
        if part is None:
            continue
        if not part:
            return Q()
        result = part if result is None else result | part
    return result


def _assignee_q(assignment, prefix: str) -> Q | None:
    return _q(prefix, assignee_id=assignment.user_id) if assignment.role in rules.ASSIGNEE_ROLES else None


def appeal_lead_scope(assignment, prefix: str = "") -> Q | None:
    """The appeals escalated to the cadre this account stands for (超期督办): it may comment on them,
    give an instruction (批示) and press the department (催办)."""
    if assignment.role != Role.CADRE:
        return None
    escalated = AppealEscalation.objects.filter(cadres__user_id=assignment.user_id).values("appeal_id")
    return Q(**{f"{prefix}pk__in": escalated})


def _view_scope(assignment, prefix: str = "") -> Q | None:
    """The appeals one role assignment sees: those of the enterprises it sees (the cadre's are its
    paired ones), those assigned to it, and a cadre's those escalated to it (the city Party secretary
    is not paired with the enterprises whose appeals reach it at the second level)."""
    role = assignment.role
    if role in (Role.ORG_STAFF, Role.LEADER):
        return Q()
    if role == Role.CADRE:
        escalated = AppealEscalation.objects.filter(cadres__user_id=assignment.user_id).order_by().values("appeal_id")
        return _view_scope_of_area(assignment, prefix, escalated=escalated)
    return _view_scope_of_area(assignment, prefix)


def _view_scope_of_area(assignment, prefix: str = "", escalated=None) -> Q | None:
    """The appeals of the enterprises the assignment sees and those assigned to it (and `escalated`, the
    ids of appeals escalated to a cadre)."""
    role = assignment.role
    if role in (Role.TOWN_STAFF, Role.STATION_OPERATOR, Role.ENTERPRISE_USER, Role.CADRE):
        assigned = _assignee_q(assignment, prefix)
        enterprises = _enterprise_scope(assignment, VIEW, "")
        if assigned is not None and enterprises:
            # One list of keys, the union of the appeals of the area's enterprises (by the enterprise
            # index), those assigned to it (by the assignee index) and those escalated to it: the page
            # and its count then read only these appeals by key. ORed together, the conditions made the
            # database test every appeal of a province (a town's or a cadre's list cost two to three
            # times the department's at 20,000 appeals).
            ids = Appeal.objects.filter(enterprise__in=Enterprise.objects.filter(enterprises).order_by().values("pk"))
            ids = ids.order_by().values("pk").union(
                Appeal.objects.filter(assignee_id=assignment.user_id).order_by().values("pk"),
                *([escalated] if escalated is not None else []), all=True)
            return Q(**{f"{prefix}pk__in": ids})
        return _or(_enterprise_scope(assignment, VIEW, f"{prefix}enterprise__"), assigned,
                   Q(**{f"{prefix}pk__in": escalated}) if escalated is not None else None)
    return None


def appeal_action_scope(assignment, action: str, prefix: str = "") -> Q | None:
    """The appeals on which one role assignment may take `action` (the state is the rules' business)."""
    role, parts = assignment.role, []
    if role in rules.ACTORS.get(action, ()):
        if role == Role.ORG_STAFF:
            return Q()
        if role == Role.TOWN_STAFF:
            parts.append(_enterprise_scope(assignment, VIEW, f"{prefix}enterprise__"))
        elif role == Role.ENTERPRISE_USER and assignment.enterprise_id:
            parts.append(_q(prefix, enterprise_id=assignment.enterprise_id))
        elif role == Role.STATION_OPERATOR and assignment.station_id:
            # What was raised through its own station.
            parts.append(_q(prefix, station_id=assignment.station_id, channel=AppealChannel.STATION))
        elif role == Role.CADRE:
            parts.append(_q(prefix, created_by_id=assignment.user_id))
    if action in rules.ASSIGNEE_ACTIONS:
        parts.append(_assignee_q(assignment, prefix))
    return _or(*parts)


def _appeal_scope(assignment, action, prefix: str = "") -> Q | None:
    if action == VIEW:
        return _view_scope(assignment, prefix)
    if action == ADD:
        if assignment.role in rules.CREATOR_CHANNELS:
            return _enterprise_scope(assignment, VIEW, f"{prefix}enterprise__")
        return None
    if action == CHANGE:
        return _or(*(appeal_action_scope(assignment, a, prefix) for a in rules.ACTORS))
    return None


def appeal_attach_scope(assignment, prefix: str = "") -> Q | None:
    """Who may add files to an appeal: whoever may raise one for its enterprise, and its assignee. A
    cadre follows its paired enterprises' appeals without speaking for them: it adds files to the
    appeals it raised itself (from a visit) or handles, not to those the enterprise raised."""
    if assignment.role == Role.CADRE:
        return _or(_q(prefix, created_by_id=assignment.user_id), _assignee_q(assignment, prefix))
    return _or(_appeal_scope(assignment, ADD, prefix), _assignee_q(assignment, prefix))


class Department(models.Model):
    """A functional department of the city government (职能部门) that appeals are handed to."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    short_name = models.CharField(_("简称"), max_length=20)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Who handles the department's appeals (承办人员): an appeal handed to the department may name one of
    # them as its assignee, and no one else.
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("承办人员"), blank=True,
                                     related_name="appeal_departments")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        ordering = ["-is_active", "name", "pk"]

    def __str__(self):
        return self.name

    @classmethod
    def access_scope(cls, assignment, action):
        if action == VIEW:
            return Q() if assignment.role in (Role.ORG_STAFF, Role.TOWN_STAFF, Role.LEADER) else None
        if action == CHANGE:
            return Q() if assignment.role == Role.ORG_STAFF else None
        return None


class AppealCounter(models.Model):
    """The last number given in a year. The service locks the year's row (SELECT … FOR UPDATE) in the
    transaction that inserts the appeal, so numbers are unique and, since a rolled-back creation
    rolls the counter back with it, without gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("诉求编号计数")
        verbose_name_plural = _("诉求编号计数")

    def __str__(self):
        return f"{self.year}: {self.last}"


class Appeal(models.Model):
    number = models.CharField(_("诉求编号"), max_length=16, unique=True)
    enterprise = models.ForeignKey("portal.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="appeals")
    category = models.CharField(_("诉求类别"), max_length=10, choices=AppealCategory.choices)
    platform = models.CharField(_("直通平台"), max_length=10, choices=AppealPlatform.choices,
                                default=AppealPlatform.APPEAL)
    channel = models.CharField(_("反映渠道"), max_length=8, choices=AppealChannel.choices)
    station = models.ForeignKey("portal.ServiceStation", verbose_name=_("代办服务站"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="appeals")
    visit = models.ForeignKey("liaison.Visit", verbose_name=_("走访记录"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="appeals")
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("诉求内容"))
    status = models.CharField(_("状态"), max_length=12, choices=AppealStatus.choices, default=S.RECEIVED)
    department = models.ForeignKey(Department, verbose_name=_("承办部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="appeals")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="assigned_appeals")
    deadline = models.DateField(_("办理期限"))
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号/撤回时间"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    satisfaction_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    escalation_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    escalated_at = models.DateTimeField(_("最近督办时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # Service-time limit (workflow.limits): when the step the case waits in is due, None when nobody
    # is waiting; the working days left of steps whose clock is paused while the case is back with
    # the applicant (state → days).
    due_on = models.DateField(_("办结时限"), null=True, blank=True, db_index=True)
    clock_days_left = models.JSONField(_("暂停计时剩余工作日"), default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题诉求")
        verbose_name_plural = _("问题诉求")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                                   name="appeal_satisfaction_1_to_5"),
            models.CheckConstraint(condition=Q(satisfaction__isnull=True) | Q(rated_at__isnull=False),
                                   name="appeal_rating_has_time"),
            models.CheckConstraint(condition=~Q(status__in=rules.DONE_STATUSES) | ~Q(resolution=""),
                                   name="appeal_resolved_has_resolution"),
            models.CheckConstraint(condition=Q(escalation_level__lte=rules.MAX_LEVEL),
                                   name="appeal_escalation_level_range"),
            models.CheckConstraint(condition=~Q(channel=AppealChannel.STATION) | Q(station__isnull=False),
                                   name="appeal_station_channel_has_station"),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["enterprise", "status"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["category", "status"]),
            # The list's own order, for its first page: 20,000 appeals at province scale were read and sorted whole.
            models.Index(fields=["-received_at", "-id"], name="liaison_appeal_latest_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def assignee_name(self) -> str:
        """The assignee's name in Chinese order (family name first), or its username."""
        from portal.context_processors import display_name

        return display_name(self.assignee) if self.assignee_id else ""

    @property
    def received_on(self):
        return timezone.localdate(self.received_at)

    def is_overdue(self, today=None) -> bool:
        return rules.is_overdue(self.status, self.deadline, today or timezone.localdate())

    @classmethod
    def access_scope(cls, assignment, action):
        return _appeal_scope(assignment, action)


class AppealEvent(models.Model):
    """A step of an appeal's history: who did what, when, from which status to which."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=AppealAction.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=AppealStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=AppealStatus.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.appeal_id} · {self.get_action_display()}"


def attachment_path(instance, filename):
    return f"liaison/appeals/{instance.appeal_id}/{filename}"


class AppealAttachment(models.Model):
    """A file attached to an appeal (checked by extension and first bytes, ≤ 10 MB)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name

    @classmethod
    def access_scope(cls, assignment, action):
        # Whoever sees the appeal sees its files; whoever may add appeals for it may add files.
        if action == VIEW:
            return _view_scope(assignment, "appeal__")
        if action in (ADD, CHANGE):
            return appeal_attach_scope(assignment, "appeal__")
        return None


class AppealEscalation(models.Model):
    """An escalation of an overdue appeal (超期督办) at a level, to the enterprise's paired cadres of
    the day and the organization department. One row per appeal and level: the unique constraint
    keeps a second run (or two at once) from escalating twice."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("督办级别"))
    reason = models.CharField(_("督办原因"), max_length=12, choices=EscalationReason.choices)
    escalated_on = models.DateField(_("督办日期"))
    escalated_at = models.DateTimeField(_("督办时间"), default=timezone.now)
    days_overdue = models.PositiveIntegerField(_("超期天数"))
    cadres = models.ManyToManyField("liaison.Cadre", verbose_name=_("督办领导"), blank=True,
                                    related_name="appeal_escalations")
    to_org_department = models.BooleanField(_("报组织部（两新工委）"), default=True)

    class Meta:
        verbose_name = _("超期督办")
        verbose_name_plural = _("超期督办")
        ordering = ["escalated_at", "level", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "level"], name="appeal_escalation_once_per_level"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=rules.MAX_LEVEL),
                                   name="appeal_escalation_level_1_to_max"),
        ]

    def __str__(self):
        return f"{self.appeal_id} · L{self.level}"
