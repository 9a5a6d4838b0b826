"""The registry's own cards on the home page: the registry's figures for the staff who keep or watch it,
the enterprise's own record for an enterprise user, and the accounts and the audit log for the
administrator. Each role gets the cards of its own work; nobody is told how many stations the city
has when that is not what they do."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..access import has_role, user_assignments
from ..choices import Role
from ..filtersets import AuditLogFilterSet, EnterpriseFilterSet, StationFilterSet
from ..homecards import Counter, list_counter

# Who keeps or watches the registry, and so is shown its figures.
REGISTRY_ROLES = (Role.ORG_STAFF, Role.TOWN_STAFF, Role.STATION_OPERATOR, Role.LEADER)
RECENT_AUDIT_DAYS = 7


def registry_card(request) -> dict | None:
    user = request.user
    if has_role(user, Role.ENTERPRISE_USER) and not has_role(user, *REGISTRY_ROLES):
        own = [a.enterprise for a in user_assignments(user) if a.role == Role.ENTERPRISE_USER and a.enterprise_id]
        return {"own": own} if own else None
    if not has_role(user, *REGISTRY_ROLES):
        return None
    enterprises = selectors.enterprise_list(user=user)
    counters = [
        list_counter(request, label=_("市场主体"), url_name="enterprise_list", queryset=enterprises,
                     filterset_class=EnterpriseFilterSet, tone="secondary"),
        list_counter(request, label=_("其中重点民企"), url_name="enterprise_list", queryset=enterprises,
                     filterset_class=EnterpriseFilterSet, params={"is_key": "true"}, tone="secondary"),
    ]
    if has_role(user, Role.ORG_STAFF, Role.LEADER):
        counters.append(list_counter(request, label=_("金融服务站"), url_name="station_list",
                                     queryset=selectors.station_list(user=user), filterset_class=StationFilterSet,
                                     tone="secondary"))
    else:
        # Every station is reference data anyone may look up; a town's staff counts those of its town.
        towns = [a.region_id for a in user_assignments(user) if a.role == Role.TOWN_STAFF and a.region_id]
        if towns:
            counters.append(list_counter(request, label=_("本辖区金融服务站"), url_name="station_list",
                                         queryset=selectors.station_list(user=user), filterset_class=StationFilterSet,
                                         params={"region": towns[0]}, tone="secondary"))
    return {"counters": counters}


def locked_out_lookup(now: datetime.datetime | None = None) -> dict:
    """The lookups of the accounts locked now (django-axes: too many failed sign-ins within the
    cool-off), as the admin site's list takes them in its query string."""
    now = now or timezone.now()
    since = now - settings.AXES_COOLOFF_TIME
    return {"failures_since_start__gte": settings.AXES_FAILURE_LIMIT,
            "attempt_time__gte": since.strftime("%Y-%m-%d %H:%M:%S%z")}


def admin_card(request) -> dict | None:
    """Accounts, locked accounts and the recent audit log: the administrator's work."""
    from axes.models import AccessAttempt

    user = request.user
    if not has_role(user, Role.ADMIN):
        return None
    counters = []
    if user.has_perm("auth.view_user"):
        active = {"is_active__exact": "1"}
        counters.append(list_counter(request, label=_("在用账号"), url_name="admin:auth_user_changelist",
                                     queryset=get_user_model().objects.filter(is_active=True), params=active,
                                     tone="secondary"))
    if user.has_perm("axes.view_accessattempt"):
        lookup = locked_out_lookup()
        counters.append(list_counter(request, label=_("锁定账号"), url_name="admin:axes_accessattempt_changelist",
                                     queryset=AccessAttempt.objects.filter(**lookup), params=lookup))
    since = timezone.localdate() - datetime.timedelta(days=RECENT_AUDIT_DAYS - 1)
    counters.append(list_counter(request, label=_("近 %(n)d 日审计记录") % {"n": RECENT_AUDIT_DAYS},
                                 url_name="audit_list", queryset=selectors.audit_log_list(user=user),
                                 filterset_class=AuditLogFilterSet, params={"since": since.isoformat()},
                                 tone="secondary"))
    recent = list(selectors.audit_log_list(user=user).order_by("-at", "-pk")[:5])
    return {"counters": counters, "recent": recent}


__all__ = ["Counter", "admin_card", "locked_out_lookup", "registry_card"]
