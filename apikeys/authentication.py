"""How the API knows who calls: an institution API key (`Authorization: Api-Key <key>` or
`X-Api-Key: <key>`), or, until the cut-off date, a legacy DRF token.

A valid key makes `request.user` its institution's service account (an officer of that institution
with no password), so every existing scope rule applies unchanged, and `request.auth` the key. The
hash is checked before anything about the key is said: a caller who knows only a prefix learns
nothing about the key's state.

Every refusal is kept (apikeys.services.api_key_auth_failure_record): a WARNING each time, an audit row
at most once a minute per key or address and reason."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, TokenAuthentication

from portal.middleware import client_ip_of

from . import rules
from .models import KEY_ATTR, InstitutionAPIKey, KeyState, LegacyTokenPolicy
from .services import AuthFailure, api_key_auth_failure_record, api_key_mark_used

KEYWORD = "Api-Key"
HEADER = "HTTP_X_API_KEY"
# AbstractAPIKey's prefix column: anything longer is no key of ours.
PREFIX_LENGTH = 8


def _local(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def key_from(request) -> str | None:
    """The key the call carries, or None when it carries none (another scheme may then apply)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    keyword, _sep, value = header.partition(" ")
    if keyword.lower() == KEYWORD.lower():
        return value.strip()
    value = request.META.get(HEADER, "").strip()
    return value or None


def refused(request, reason: str, *, key=None, prefix: str | None = None, scope: str | None = None) -> None:
    """Keep a refusal of this call (see apikeys.services.api_key_auth_failure_record)."""
    api_key_auth_failure_record(reason=reason, address=client_ip_of(request), key=key, prefix=prefix,
                                method=request.method, path=request.path, scope=scope)


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate_header(self, request):
        return KEYWORD

    def authenticate(self, request):
        raw = key_from(request)
        if raw is None:
            return None
        prefix, dot, _secret = raw.partition(".")
        key = None
        if dot and 0 < len(prefix) <= PREFIX_LENGTH:
            # get(), not first(): no ORDER BY through the model's ordering, which costs more to compile than
            # the query takes to run.
            try:
                key = InstitutionAPIKey.objects.select_related(
                    "institution__api_service_account__user", "replaced_by").get(prefix=prefix)
            except InstitutionAPIKey.DoesNotExist:
                key = None
        if key is None or not key.is_valid(raw):
            # The prefix only as the caller sent it, and only when it was sent as one (before a dot).
            refused(request, AuthFailure.UNKNOWN if key is None else AuthFailure.WRONG_SECRET,
                    key=key, prefix=prefix if dot else None)
            raise exceptions.AuthenticationFailed(_("接口密钥无效：没有这个密钥，或密钥不完整。请核对密钥，或请本机构的密钥管理员新建一个。"))
        state = key.state()
        if state == KeyState.REVOKED:
            refused(request, AuthFailure.REVOKED, key=key)
            raise exceptions.AuthenticationFailed(
                _("此接口密钥已于 %(at)s 撤销，不能再使用。请向本机构的密钥管理员索取新密钥。") % {"at": _local(key.revoked_at)})
        if state == KeyState.EXPIRED:
            if key.replaced_by_id:
                refused(request, AuthFailure.ROTATED, key=key)
                raise exceptions.AuthenticationFailed(
                    _("此接口密钥已轮换，过渡期于 %(at)s 结束；请改用新密钥（前缀 %(p)s）。")
                    % {"at": _local(key.expiry_date), "p": key.replaced_by.prefix})
            refused(request, AuthFailure.EXPIRED, key=key)
            raise exceptions.AuthenticationFailed(
                _("此接口密钥已于 %(at)s 过期。请向本机构的密钥管理员索取新密钥。") % {"at": _local(key.expiry_date)})
        address = client_ip_of(request)
        if not rules.address_allowed(address, key.allowed_networks):
            refused(request, AuthFailure.ADDRESS, key=key)
            raise exceptions.PermissionDenied(
                _("此接口密钥不允许从地址 %(ip)s 调用。请在本机构的允许地址内调用，或请密钥管理员修改允许的来源地址。")
                % {"ip": address or "?"})
        account = getattr(key.institution, "api_service_account", None)
        user = account.user if account is not None else None
        if user is None or not user.is_active:
            refused(request, AuthFailure.ACCOUNT_INACTIVE, key=key)
            raise exceptions.AuthenticationFailed(_("此机构的接口服务账号已停用。请联系系统管理员。"))
        api_key_mark_used(key=key, ip=address)
        setattr(user, KEY_ATTR, key)
        return user, key


class LegacyTokenAuthentication(TokenAuthentication):
    """DRF's plain per-user tokens, until the cut-off date the system administrator sets
    (`LegacyTokenPolicy`). The answers carry Deprecation and Sunset headers
    (apikeys.middleware); after the cut-off the token is refused with a word on what to use."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        policy = LegacyTokenPolicy.current()
        # Read by LegacyTokenHeadersMiddleware, on the HttpRequest the middleware sees.
        request._request.apikeys_legacy_policy = policy
        if policy.refuses():
            raise exceptions.AuthenticationFailed(
                _("旧式令牌已于 %(d)s 停用。请改用机构接口密钥：请求头 Authorization: Api-Key <密钥>；"
                  "密钥由本机构的密钥管理员在门户“接口密钥”页面创建。") % {"d": policy.cutoff.isoformat()})
        return result
