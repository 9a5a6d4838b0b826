"""Checks of the second factor's settings (`manage.py check`, and `--deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from portal.choices import Role


@checks.register(checks.Tags.security)
def check_required_roles(app_configs=None, **kwargs):
    """A role name mistyped in PORTAL_SECOND_FACTOR_ROLES would leave that role without the second
    factor, silently: refuse to start instead."""
    known = set(Role.values)
    unknown = sorted(set(settings.PORTAL_SECOND_FACTOR_ROLES) - known)
    if not unknown:
        return []
    return [checks.Error(
        f"PORTAL_SECOND_FACTOR_ROLES 含有未知的角色：{', '.join(unknown)}。",
        hint=f"可用的角色：{', '.join(sorted(known))}",
        id="twofactor.E001")]


@checks.register(checks.Tags.security, deploy=True)
def check_administrators_required(app_configs=None, **kwargs):
    """In production the administrators and the admin site's accounts pass the second factor."""
    problems = []
    if Role.ADMIN not in settings.PORTAL_SECOND_FACTOR_ROLES:
        problems.append(checks.Warning("系统管理员登录不要求第二重验证（PORTAL_SECOND_FACTOR_ROLES 中没有 admin）。",
                                       id="twofactor.W001"))
    if not settings.PORTAL_SECOND_FACTOR_FOR_STAFF:
        problems.append(checks.Warning("可进入管理后台的账号登录不要求第二重验证（PORTAL_SECOND_FACTOR_FOR_STAFF 为 False）。",
                                       id="twofactor.W002"))
    return problems
