"""Every read of co-building (组织共建), already limited to what the user may see.

A pairing is current on a day when it has begun and has not ended before that day; an exchange the
same. The figures are counted by the database, a fixed number of queries whatever the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from portal.access import VIEW
from portal.choices import InstitutionKind
from portal.models import Institution

from .choices import ExchangeDirection
from .models import CadreExchange, CoBuildingPair


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def current_q(today: datetime.date) -> Q:
    """Rows whose period covers `today` (an open end runs on)."""
    return Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))


# --- pairings ----------------------------------------------------------------------------------

def pair_list(*, user, action: str = VIEW):
    return (CoBuildingPair.objects.restrict(user, action)
            .select_related("bank", "branch", "park", "region__parent")
            .annotate(activity_count=Count("activities"))
            # The Count() groups the query, and Django then drops the model's default ordering.
            .order_by(*CoBuildingPair._meta.ordering))


def access_pair(*, user, pk, action: str = VIEW) -> CoBuildingPair:
    try:
        return pair_list(user=user, action=action).get(pk=pk)
    except (CoBuildingPair.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def pair_activities(pair: CoBuildingPair):
    return pair.activities.order_by("-held_on", "-pk")


def pair_history(pair: CoBuildingPair, *, user):
    """The other pairings, past and present, of the same bank and partner."""
    partner = {"park_id": pair.park_id} if pair.park_id else {"region_id": pair.region_id}
    return (CoBuildingPair.objects.restrict(user, VIEW).filter(bank_id=pair.bank_id, **partner)
            .exclude(pk=pair.pk).order_by("-started_on"))


@dataclass(frozen=True)
class BankPairing:
    bank: Institution
    current: int  # current pairings
    parks: int  # of them, with a park
    villages: int  # of them, with a village or community
    ended: int
    activities: int  # of all its pairings, ever


def pairs_by_bank(*, user, today: datetime.date | None = None) -> list[BankPairing]:
    """Every bank with its pairings (a bank with none shows as such), in the banks' order."""
    today = _today(today)
    now = current_q(today)
    rows = (CoBuildingPair.objects.restrict(user, VIEW).order_by().values("bank").annotate(
        current=Count("pk", filter=now, distinct=True),
        parks=Count("pk", filter=now & Q(park__isnull=False), distinct=True),
        villages=Count("pk", filter=now & Q(region__isnull=False), distinct=True),
        ended=Count("pk", filter=Q(ended_on__lt=today), distinct=True),
        activities=Count("activities"),
    ))
    by_bank = {row["bank"]: row for row in rows}
    empty = {"current": 0, "parks": 0, "villages": 0, "ended": 0, "activities": 0}
    result = []
    for bank in Institution.objects.restrict(user, VIEW).filter(kind=InstitutionKind.BANK).order_by("code"):
        row = by_bank.get(bank.pk, empty)
        result.append(BankPairing(bank=bank, current=row["current"], parks=row["parks"], villages=row["villages"],
                                  ended=row["ended"], activities=row["activities"]))
    return result


# --- cadre exchanges ---------------------------------------------------------------------------

def exchange_list(*, user, action: str = VIEW):
    return CadreExchange.objects.restrict(user, action).select_related("bank")


def exchanges_not_over(*, user, today: datetime.date | None = None):
    """Exchanges under way, and those agreed that have not begun yet (a badge tells them apart)."""
    return exchange_list(user=user).filter(ended_on__gte=_today(today)).order_by("started_on", "pk")


def exchanges_past(*, user, today: datetime.date | None = None):
    return exchange_list(user=user).filter(ended_on__lt=_today(today)).order_by("-ended_on", "pk")


def exchanges_by_direction(*, user, today: datetime.date | None = None) -> list[tuple[str, str, int]]:
    """(direction, its label, current exchanges) for both directions, a direction with none as 0."""
    counts = dict(exchange_list(user=user).filter(current_q(_today(today))).order_by()
                  .values("direction").annotate(n=Count("pk")).values_list("direction", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in ExchangeDirection.choices]
