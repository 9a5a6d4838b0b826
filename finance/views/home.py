"""The credit scheme's card on the home page: a bank's applications at each step, what a station or an
enterprise has under way. Each counter is the length of the application list it opens (portal.homecards)."""

from __future__ import annotations

from portal.access import has_role
from portal.choices import Role
from portal.homecards import list_counter

from .. import selectors
from ..choices import LoanStatus
from ..filtersets import LoanApplicationFilterSet

S = LoanStatus
# A bank works each step; a station and an enterprise follow what is under way.
BANK_STEPS = (S.SUBMITTED, S.ACCEPTED, S.APPROVED, S.DISBURSED)
FOLLOWED_STEPS = (S.SUBMITTED, S.ACCEPTED, S.APPROVED)
# What waits for the bank to act: the rest is for information.
BANK_WAITING = (S.SUBMITTED, S.ACCEPTED, S.APPROVED)


def home_card(request) -> dict | None:
    user = request.user
    if not has_role(user, Role.BANK_OFFICER, Role.STATION_OPERATOR, Role.ENTERPRISE_USER):
        return None
    applications = selectors.loan_application_list(user=user)
    is_bank = has_role(user, Role.BANK_OFFICER)
    steps = BANK_STEPS if is_bank else FOLLOWED_STEPS
    counters = [list_counter(request, label=S(s).label, url_name="finance:application_list", queryset=applications,
                             filterset_class=LoanApplicationFilterSet, params={"status": s},
                             tone="warning" if is_bank and s in BANK_WAITING else "secondary")
                for s in steps]
    return {"counters": counters, "is_station": has_role(user, Role.STATION_OPERATOR)}
