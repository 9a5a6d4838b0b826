"""The rating's card on the portal's home page: what waits for this user, or the enterprise's stars."""

from __future__ import annotations

from portal.access import user_assignments
from portal.choices import Role

from .. import selectors
from ..choices import RatingStatus
from .common import own_enterprise


def home_card(request) -> dict | None:
    user = request.user
    roles = {a.role for a in user_assignments(user)}
    if Role.ENTERPRISE_USER in roles:
        enterprise = own_enterprise(user)
        if enterprise is not None:
            return {"answer": selectors.enterprise_rating(enterprise), "enterprise": enterprise}
    queues = []
    if Role.TOWN_STAFF in roles:
        queues.append((RatingStatus.TOWN, selectors.rating_queue(user=user, status=RatingStatus.TOWN).count()))
    if Role.ORG_STAFF in roles:
        if Role.TOWN_STAFF not in roles:  # the first review of organizations directly under the city
            queues.append((RatingStatus.TOWN, selectors.rating_queue(user=user, status=RatingStatus.TOWN).count()))
        queues.append((RatingStatus.DEPT, selectors.rating_queue(user=user, status=RatingStatus.DEPT).count()))
    if not queues:
        return None
    return {"queues": [{"status": s, "label": RatingStatus(s).label, "count": n} for s, n in queues],
            "due": selectors.due_for_publication(user=user).count() if Role.ORG_STAFF in roles else None}
