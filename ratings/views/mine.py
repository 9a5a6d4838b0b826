"""The enterprise user's own rating: standing, breakdown, history, and the self-assessment."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.access import VIEW, can
from portal.errors import DomainError
from portal.views.base import RoleRequiredMixin

from .. import selectors, services
from ..models import OrgCoverage, PartyOrganization, Rating
from .common import own_enterprise, refuse


def _organization_of(enterprise):
    coverage = OrgCoverage.objects.filter(enterprise=enterprise, ended_on__isnull=True).select_related("organization").first()
    return coverage.organization if coverage else None


class MyRatingView(RoleRequiredMixin, View):
    model = Rating

    def get(self, request):
        enterprise = own_enterprise(request.user)
        if enterprise is None:
            raise Http404
        organization = _organization_of(enterprise)
        cycle = selectors.current_cycle()
        today = timezone.localdate()
        current = Rating.objects.filter(cycle=cycle, organization=organization).first() if organization and cycle else None
        latest = None
        if organization is not None:
            latest = (organization.ratings.filter(status__in=("published", "revoked"))
                      .select_related("cycle__rubric").order_by("-cycle__year").first())
        return render(request, "ratings/mine.html", {
            "enterprise": enterprise,
            "organization": organization,
            "answer": selectors.enterprise_rating(enterprise),
            "cycle": cycle,
            "cycle_open": cycle is not None and cycle.opens_on <= today <= cycle.closes_on,
            "current": current,
            "can_self_assess": current is not None and services.can_act_on_rating(request.user, current),
            "latest": latest,
            "breakdown": selectors.rating_item_rows(latest) if latest else None,
            "history": selectors.organization_history(organization) if organization else [],
            "stages": [("self", _("自评")), ("town", _("镇街初评")), ("dept", _("组织部复核"))],
        })


class MyRatingStartView(RoleRequiredMixin, View):
    model = Rating
    http_method_names = ["post"]

    def post(self, request):
        enterprise = own_enterprise(request.user)
        organization = _organization_of(enterprise) if enterprise else None
        cycle = selectors.current_cycle()
        if organization is None or cycle is None:
            return refuse(request, DomainError(_("没有可以开始的自评。")), "ratings:mine")
        try:
            rating = services.rating_start(acting_user=request.user, cycle=cycle, organization=organization)
        except DomainError as error:
            return refuse(request, error, "ratings:mine")
        messages.success(request, _("已开始 %(c)s 的自评。") % {"c": cycle})
        return redirect("ratings:score", pk=rating.pk)


def enterprise_party_tab(request, enterprise):
    """The enterprise page's tab: its organizations over time, instructors, and its standing today."""
    answer = selectors.enterprise_rating(enterprise)
    # A reader who may see the enterprise but not its rating or organization (a cadre, a bank) gets the
    # names without links that would only answer 403.
    rating = answer.rating
    return {
        "party_coverages": selectors.enterprise_organizations(enterprise),
        "party_instructors": selectors.enterprise_instructors(enterprise),
        "party_answer": answer,
        "party_rating_link": bool(rating) and Rating.objects.restrict(request.user).filter(pk=rating.pk).exists(),
        "party_organization_links": can(request.user, PartyOrganization, VIEW),
    }
