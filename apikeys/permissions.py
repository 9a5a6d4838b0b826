"""Whether an institution API key may call this endpoint: the view declares the scope it needs
(`key_scope`, see apikeys.scopes) and the key must hold it. A view that declares none is closed to
keys. Sessions and legacy tokens pass: their limits are the user's role, as before."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from .models import InstitutionAPIKey
from .scopes import required_scope, scope_label


class HasKeyScope(BasePermission):
    message = None

    def has_permission(self, request, view):
        key = getattr(request, "auth", None)
        if not isinstance(key, InstitutionAPIKey):
            return True
        needed = required_scope(view, request.method)
        if needed is None:
            self.message = _("此接口不对机构接口密钥开放。")
            return False
        if needed not in key.scopes:
            self.message = _("此接口密钥没有“%(label)s”（%(code)s）的权限范围。请本机构的密钥管理员为密钥加上此范围。") % {
                "label": scope_label(needed), "code": needed}
            return False
        return True
