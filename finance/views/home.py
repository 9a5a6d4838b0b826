"""The credit scheme's card on the home page: what waits for a bank, what a station can do."""

from __future__ import annotations

from django.db.models import Count

from portal.access import has_role
from portal.choices import Role

from .. import selectors
from ..choices import LoanStatus


def home_card(request) -> dict | None:
    user = request.user
    if not has_role(user, Role.BANK_OFFICER, Role.STATION_OPERATOR, Role.ENTERPRISE_USER):
        return None
    counts = dict(selectors.loan_application_list(user=user).order_by().values_list("status")
                  .annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "waiting": [{"status": s, "label": LoanStatus(s).label, "count": counts.get(s, 0)}
                    for s in (LoanStatus.SUBMITTED, LoanStatus.ACCEPTED, LoanStatus.APPROVED)],
        "is_station": has_role(user, Role.STATION_OPERATOR),
    }
