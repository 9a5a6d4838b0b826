"""The programme at a glance for the organization department, town staff and leaders; and what the
talent programme adds to the home page and the enterprise page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views import View

from portal.access import VIEW, can, has_role
from portal.choices import Role
from portal.refusals import page_for_roles
from portal.views.base import RoleRequiredMixin

from .. import selectors
from ..choices import BenefitStatus
from ..models import BenefitApplication, IPServiceAction, Talent, TrainingSession

OVERVIEW_ROLES = (Role.ORG_STAFF, Role.LEADER, Role.TOWN_STAFF)


def can_see_overview(user) -> bool:
    return has_role(user, *OVERVIEW_ROLES)


class OverviewView(RoleRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_see_overview(request.user):
            raise PermissionDenied(page_for_roles(request.user, OVERVIEW_ROLES))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, "talent/overview.html", {
            **selectors.overview(user=request.user),
            # Talents and applications are counted within the reader's scope: say so when it is not the city.
            "scoped": not has_role(request.user, Role.ORG_STAFF, Role.LEADER),
        })


def home_card(request) -> dict | None:
    """Org staff: the applications waiting for a decision. Enterprise users and stations: theirs by
    state. Each counter is the length of the list it opens (portal.homecards)."""
    from portal.homecards import list_counter

    from ..filtersets import BenefitApplicationFilterSet

    user = request.user
    applications = selectors.benefit_application_list(user=user)

    def counter(status, label, tone):
        return list_counter(request, label=label, url_name="talent:benefit_list", queryset=applications,
                            filterset_class=BenefitApplicationFilterSet, params={"status": status}, tone=tone)

    if has_role(user, Role.ORG_STAFF):
        return {"counters": [counter(BenefitStatus.PENDING, BenefitStatus.PENDING.label, "warning")]}
    if has_role(user, Role.ENTERPRISE_USER, Role.STATION_OPERATOR):
        return {"counters": [counter(s, label, "secondary") for s, label in BenefitStatus.choices]}
    return None


def enterprise_tab(request, enterprise) -> dict | None:
    """The enterprise page's 人才科创 tab: what the reader may see of it, or no tab at all."""
    user = request.user
    sees_talents = can(user, Talent, VIEW)
    sees_applications = can(user, BenefitApplication, VIEW)
    sees_training = can(user, TrainingSession, VIEW)
    sees_ip = can(user, IPServiceAction, VIEW)
    if not (sees_talents or sees_applications or sees_training or sees_ip):
        return None
    return {
        "talent_tab": {
            "talents": selectors.talent_list(user=user).filter(employer=enterprise) if sees_talents else None,
            "applications": selectors.benefit_application_list(user=user).filter(enterprise=enterprise)[:50]
            if sees_applications else None,
            "training": selectors.training_session_list(user=user).filter(enterprises=enterprise)
            if sees_training else None,
            "ip_actions": selectors.ip_action_list(user=user).filter(enterprises=enterprise) if sees_ip else None,
            "projects": selectors.project_list(user=user).filter(enterprises=enterprise),
        },
    }
