"""The public notice (公示): no login. Lists organizations under notice with their proposed stars and
takes objections. Shows no personal data: only organizations, enterprises and scores."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from portal.errors import DomainError
from portal.middleware import current_client_ip
from portal.views.base import apply_domain_error

from .. import selectors, services
from ..forms import ObjectionForm
from ..models import OrgCoverage


def _covered(ratings):
    by_org = {}
    for coverage in OrgCoverage.objects.filter(organization__in={r.organization_id for r in ratings},
                                               ended_on__isnull=True).select_related("enterprise"):
        by_org.setdefault(coverage.organization_id, []).append(coverage.enterprise.name)
    return by_org


class PublicNoticeListView(View):
    def get(self, request):
        ratings = list(selectors.notice_list()[:500])
        covered = _covered(ratings)
        for rating in ratings:
            rating.enterprise_names = covered.get(rating.organization_id, [])
        return render(request, "ratings/public_notice.html", {"ratings": ratings, "today": timezone.localdate()})


class PublicNoticeDetailView(View):
    def get(self, request, pk, form=None, status=200):
        rating = selectors.public_notice_rating(pk)
        rating.enterprise_names = _covered([rating]).get(rating.organization_id, [])
        return render(request, "ratings/public_notice_detail.html", {
            "rating": rating, "form": form or ObjectionForm(), "lodged": request.GET.get("lodged") == "1",
        }, status=status)

    def post(self, request, pk):
        rating = selectors.public_notice_rating(pk)
        form = ObjectionForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["website"]:
                return redirect(f"{request.path}?lodged=1")  # a robot: thank it and keep nothing
            try:
                services.objection_lodge(rating=rating, name=form.cleaned_data["name"],
                                         contact=form.cleaned_data["contact"], reason=form.cleaned_data["reason"],
                                         ip=current_client_ip())
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                return redirect(f"{request.path}?lodged=1")
        return self.get(request, pk, form=form, status=400)
