"""Institution API keys, the service account a key acts as, who administers an institution's keys,
and the cut-off date of DRF's legacy tokens.

A key is stored as djangorestframework-api-key stores it: the 8-character prefix in clear (to find
the row) and a SHA-512 hash of the whole key; the key itself is shown once, when it is made. The
primary key the library builds is "prefix.hash", so it is never put in a URL or the audit log: the
prefix names a key there."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey


class KeyState(models.TextChoices):
    ACTIVE = "active", _("有效")
    ROTATING = "rotating", _("轮换过渡中")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")


class InstitutionAPIKey(AbstractAPIKey):
    institution = models.ForeignKey(
        "portal.Institution", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(_("名称"), max_length=50, help_text=_("用途或对接的系统，如“信贷系统生产环境”。"))
    # Required here (the library allows none): every key ends.
    expiry_date = models.DateTimeField(_("有效期至"), help_text=_("此时刻起密钥失效。"))
    scopes = models.JSONField(_("权限范围"), default=list)
    allowed_networks = models.JSONField(_("允许的来源地址"), default=list, blank=True,
                                        help_text=_("为空时不限来源地址。"))
    rate_limit = models.PositiveIntegerField(_("每分钟请求上限"), null=True, blank=True,
                                             help_text=_("为空时使用系统默认值。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("最近使用地址"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    # Set on the old key when it is rotated; it stays valid until its (shortened) expiry.
    replaced_by = models.ForeignKey("self", verbose_name=_("替换为"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaces")
    rotated_at = models.DateTimeField(_("轮换时间"), null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("机构接口密钥")
        verbose_name_plural = _("机构接口密钥")
        ordering = ["institution", "-created"]

    def __str__(self):
        return f"{self.name} · {self.prefix}"

    def state(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.revoked:
            return KeyState.REVOKED
        if self.expiry_date <= now:
            return KeyState.EXPIRED
        if self.replaced_by_id:
            return KeyState.ROTATING
        return KeyState.ACTIVE

    @property
    def state_label(self) -> str:
        return KeyState(self.state()).label

    @property
    def expires_on(self) -> datetime.date:
        """The last day the key works (it is valid through the end of that day, Beijing time)."""
        return timezone.localtime(self.expiry_date - datetime.timedelta(microseconds=1)).date()

    @property
    def is_usable(self) -> bool:
        return self.state() in (KeyState.ACTIVE, KeyState.ROTATING)


# The attribute on a service account's user object that names the key it acts through in this request
# (set by apikeys.authentication on the object it loads afresh for each request).
KEY_ATTR = "_api_key"


class ServiceUser(get_user_model()):
    """A service account's user, as a key's request acts as it. Its username as the audit log writes it
    (`audit_record` takes `get_username()`) names the key too, `api-b01/key:AbCd1234`, so the rows of
    two keys of one bank are told apart; everywhere else it is the account's own."""

    class Meta:
        proxy = True
        verbose_name = _("接口服务账号")
        verbose_name_plural = _("接口服务账号")

    def get_username(self):
        key = getattr(self, KEY_ATTR, None)
        return f"{self.username}/key:{key.prefix}" if key is not None else self.username


class ServiceAccount(models.Model):
    """The portal user an institution's keys act as: a bank (or insurer) officer of that institution
    with no usable password, so every scope rule of the role applies to a key unchanged and nobody
    can sign in as it. Made by `service_account_ensure` when the institution's first key is."""

    institution = models.OneToOneField("portal.Institution", verbose_name=_("机构"), on_delete=models.PROTECT,
                                       related_name="api_service_account")
    user = models.OneToOneField(ServiceUser, verbose_name=_("账号"), on_delete=models.PROTECT,
                                related_name="api_service_account")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接口服务账号")
        verbose_name_plural = _("接口服务账号")

    def __str__(self):
        return self.user.get_username()


class KeyAdministrator(models.Model):
    """A person who manages an institution's keys in the portal. Assigned by the system
    administrator (Django admin); the person must be an officer of that institution."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE,
                             related_name="api_key_administrations")
    institution = models.ForeignKey("portal.Institution", verbose_name=_("机构"), on_delete=models.CASCADE,
                                    related_name="api_key_administrators")
    created_at = models.DateTimeField(_("指定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("密钥管理员")
        verbose_name_plural = _("密钥管理员")
        constraints = [models.UniqueConstraint(fields=["user", "institution"], name="key_administrator_once")]

    def __str__(self):
        return f"{self.user} · {self.institution}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from portal.choices import Role
        from portal.models import RoleAssignment

        if not self.user_id or not self.institution_id:
            return
        if ServiceAccount.objects.filter(user_id=self.user_id).exists():
            raise ValidationError({"user": _("接口服务账号不能担任密钥管理员。")})
        officer = RoleAssignment.objects.filter(
            user_id=self.user_id, institution_id=self.institution_id,
            role__in=[Role.BANK_OFFICER, Role.INSURER_OFFICER]).exists()
        if not officer:
            raise ValidationError({"user": _("密钥管理员须是该机构的银行客户经理或保险公司业务员。")})


class LegacyTokenPolicy(models.Model):
    """One row: from `cutoff` on (00:00 Beijing time) DRF's legacy tokens are refused. Until then
    they keep working, and every answer to one carries Deprecation and Sunset headers."""

    cutoff = models.DateField(_("旧式令牌停用日期"), null=True, blank=True,
                              help_text=_("自该日零时（北京时间）起，旧式令牌一律拒绝；为空表示尚未定停用日期。"))
    deprecated_since = models.DateTimeField(_("弃用起始"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("旧式令牌停用设置")
        verbose_name_plural = _("旧式令牌停用设置")

    def __str__(self):
        return str(_("旧式令牌停用设置"))

    @classmethod
    def current(cls) -> LegacyTokenPolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy

    def cutoff_at(self) -> datetime.datetime | None:
        if self.cutoff is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.cutoff, datetime.time.min))

    def refuses(self, now: datetime.datetime | None = None) -> bool:
        at = self.cutoff_at()
        return at is not None and (now or timezone.now()) >= at
