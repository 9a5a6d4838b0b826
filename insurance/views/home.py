"""The insurer's card on the home page: its quotes waiting to be issued, its policies in force, and the
discount table in force. Each counter is the length of the list it opens (portal.homecards)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import has_role
from portal.choices import Role
from portal.homecards import list_counter

from .. import selectors
from ..choices import QuoteStatus
from ..filtersets import PolicyFilterSet, QuoteFilterSet


def home_card(request) -> dict | None:
    user = request.user
    if not has_role(user, Role.INSURER_OFFICER):
        return None
    today = timezone.localdate()
    table = selectors.discount_table_in_force(today)
    return {
        "counters": [
            list_counter(request, label=_("待出单报价"), url_name="insurance:quote_list",
                         queryset=selectors.quote_list(user=user), filterset_class=QuoteFilterSet,
                         params={"status": QuoteStatus.QUOTED}, tone="warning"),
            list_counter(request, label=_("在保保单"), url_name="insurance:policy_list",
                         queryset=selectors.policy_list(user=user), filterset_class=PolicyFilterSet,
                         params={"in_force_on": today.isoformat()}, tone="secondary"),
        ],
        "table": table,
        "rates": sorted(table.rates().items()) if table is not None else [],
    }
