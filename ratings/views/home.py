"""The rating's card on the portal's home page: what waits for this user, or the enterprise's stars.

Each counter is the length of the list it opens (portal.homecards): a reviewer's queue is counted by
the queue's own selector, its overdue part by the queue's "overdue" filter. The organization
department also watches the town reviews of the whole city: that is the list of all ratings at that
step, labelled as such, not its own queue (which holds only the organizations directly under the city)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.access import user_assignments
from portal.choices import Role
from portal.homecards import list_counter

from .. import rules, selectors
from ..choices import RatingStatus
from ..filtersets import RatingFilterSet
from .common import own_enterprise

S = RatingStatus


def _queue_counters(request, status: str, label: str) -> list:
    queue = selectors.rating_queue(user=request.user, status=status)
    return [
        list_counter(request, label=label, url_name="ratings:queue", args=[status], queryset=queue,
                     filterset_class=RatingFilterSet, tone="warning"),
        list_counter(request, label=_("%(q)s · 审核逾期") % {"q": label}, url_name="ratings:queue", args=[status], queryset=queue,
                     filterset_class=RatingFilterSet, params={"overdue": "true"}),
    ]


def home_card(request) -> dict | None:
    user = request.user
    roles = {a.role for a in user_assignments(user)}
    if Role.ENTERPRISE_USER in roles:
        enterprise = own_enterprise(user)
        if enterprise is not None:
            return {"answer": selectors.enterprise_rating(enterprise), "enterprise": enterprise}
    counters = []
    if rules.reviewer_role(S.TOWN, "town") in roles:
        counters += _queue_counters(request, S.TOWN, _("待镇街初评"))
    if Role.ORG_STAFF in roles:
        if rules.reviewer_role(S.TOWN, "city") in roles:  # the first review of organizations directly under the city
            counters += _queue_counters(request, S.TOWN, _("待初评（市直党组织）"))
        counters += _queue_counters(request, S.DEPT, _("待组织部复核"))
        counters.append(list_counter(request, label=_("公示期满待命名"), url_name="ratings:publish_due",
                                     queryset=selectors.due_for_publication(user=user), tone="success"))
        cycle = selectors.current_cycle()
        if cycle is not None:
            counters.append(list_counter(
                request, label=_("全市镇街初评中"), url_name="ratings:list", queryset=selectors.rating_list(user=user),
                filterset_class=RatingFilterSet, params={"cycle": cycle.pk, "status": S.TOWN}, tone="secondary"))
    if not counters:
        return None
    return {"counters": counters}
