"""Whether an institution API key may call this endpoint: the view declares the scope it needs
(`key_scope`, see apikeys.scopes) and the key must hold it. A view that declares none is closed to
keys. Sessions and legacy tokens pass: their limits are the user's role, as before.

A refusal is kept as the authentication's are (apikeys.authentication.refused); not when DRF asks on its
own account (the browsable API's forms and OPTIONS ask for other methods than the call's)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from .authentication import refused
from .models import InstitutionAPIKey
from .scopes import required_scope, scope_label
from .services import AuthFailure


class HasKeyScope(BasePermission):
    message = None

    def has_permission(self, request, view):
        key = getattr(request, "auth", None)
        if not isinstance(key, InstitutionAPIKey):
            return True
        needed = required_scope(view, request.method)
        if needed is None:
            self.message = _("此接口不对机构接口密钥开放。")
            self._refused(request, AuthFailure.NOT_OPEN, key)
            return False
        if needed not in key.scopes:
            self._refused(request, AuthFailure.SCOPE, key, scope=needed)
            self.message = _("此接口密钥没有“%(label)s”（%(code)s）的权限范围。请本机构的密钥管理员为密钥加上此范围。") % {
                "label": scope_label(needed), "code": needed}
            return False
        return True

    @staticmethod
    def _refused(request, reason: str, key, scope: str | None = None) -> None:
        # DRF asks for the permission of another method on a copy of the request when it draws the
        # browsable API's forms and answers OPTIONS: that is no call of the caller's.
        if request.method != request._request.method:
            return
        refused(request, reason, key=key, scope=scope)
