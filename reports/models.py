"""A report record for every document made in the background, and the certificates anyone can verify."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import VIEW, RestrictedQuerySet
from portal.choices import Role

from .choices import ReportKind, ReportState


class Report(models.Model):
    """One document asked for by one user: what, with which parameters, where it stands, and the file.

    The same user asking for the same document again gets this row back (the partial unique
    constraint on the request key), not a second one; only a failed report may be asked for anew."""

    kind = models.CharField(_("类型"), max_length=24, choices=ReportKind.choices)
    params = models.JSONField(_("参数"), default=dict)
    key = models.CharField(max_length=64)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                     related_name="reports")
    title = models.CharField(_("名称"), max_length=200)
    state = models.CharField(_("状态"), max_length=8, choices=ReportState.choices, default=ReportState.QUEUED,
                             db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    file = models.FileField(_("文件"), upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), null=True, blank=True)
    checksum = models.CharField(_("SHA-256 校验值"), max_length=64, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    # The worker run that holds the report: a run finishing with another token has lost it.
    claim_token = models.CharField(max_length=32, blank=True)
    # Written by the holding run every few seconds while it works: a running report whose heartbeat
    # stopped was left by a worker that died, and is handed to another (reports.services).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报表文件")
        verbose_name_plural = _("报表文件")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["requested_by", "key"], condition=~Q(state=ReportState.FAILED),
                                    name="report_one_live_per_request"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_at_most_100"),
        ]

    def __str__(self):
        return self.title

    @property
    def certificate(self):
        """The certificate of a single-certificate report (None for others); reads a prefetch."""
        found = list(self.certificates.all())
        return found[0] if len(found) == 1 else None

    @property
    def is_finished(self) -> bool:
        return self.state in (ReportState.DONE, ReportState.FAILED)

    @classmethod
    def access_scope(cls, assignment, action):
        # Everyone sees the files they asked for; the organization department sees all of them.
        if action != VIEW:
            return None
        if assignment.role == Role.ORG_STAFF:
            return Q()
        return Q(requested_by_id=assignment.user_id)


class Certificate(models.Model):
    """What a certificate states, kept when it is issued, so that anyone holding the paper can check it
    against this record with its verification code — and see whether the rating still holds today."""

    code = models.CharField(_("验证码"), max_length=12, unique=True)
    kind = models.CharField(_("类型"), max_length=24, choices=ReportKind.choices)
    # The report that printed it: its own, or the batch of a whole cycle's certificates.
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="certificates")
    rating = models.ForeignKey("ratings.Rating", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="certificates")
    organization = models.ForeignKey("ratings.PartyOrganization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="certificates")
    enterprise = models.ForeignKey("portal.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="certificates")
    as_of = models.DateField(_("证明日期"))
    facts = models.JSONField(_("证明内容"), default=dict)
    issued_at = models.DateTimeField(_("出具时间"), auto_now_add=True)
    # A batch's certificate is stored as its own PDF the moment it is made (reports.batches), and the
    # batch's ZIP is put together from these files: a worker never holds more than one PDF at a time.
    file = models.FileField(_("文件"), upload_to="reports/certificates/", max_length=300, blank=True)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # A retried batch finds the certificates it already issued instead of issuing new codes.
            models.UniqueConstraint(fields=["report", "rating"], name="certificate_once_per_report_and_rating"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"


# --- figures for dashboards and reports -------------------------------------------------------------

class RatingFact(models.Model):
    """A narrow copy of a published (or revoked) rating: what the figures count of it. The ratings table
    is wide (scores, stage results); at a province's scale the leaders' dashboard reads this copy
    instead, and reads live only the ratings changed since it was refreshed (reports.figures.summary).
    Refreshed whole by a periodic task; never read for a user who does not see every rating."""

    rating = models.OneToOneField("ratings.Rating", primary_key=True, on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(max_length=12)  # the organization's region, for the area and the region filter
    cycle_year = models.PositiveSmallIntegerField()
    stars = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField()
    revoked_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("星级统计副本")
        verbose_name_plural = _("星级统计副本")

    def __str__(self):
        return f"{self.rating_id}: {self.stars}"


class SummaryRefresh(models.Model):
    """When a summary copy was last refreshed, and from which moment on changes must be read live."""

    name = models.CharField(max_length=40, primary_key=True)
    changes_from = models.DateTimeField()  # changes recorded from then on are read live, not from the copy
    refreshed_at = models.DateTimeField()
    rows = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("统计副本刷新")
        verbose_name_plural = _("统计副本刷新")

    def __str__(self):
        return f"{self.name} @ {self.refreshed_at:%Y-%m-%d %H:%M}"
