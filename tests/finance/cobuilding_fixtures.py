"""Helpers of the co-building tests (tests/finance/test_cobuilding_*.py); their world is the `cb` fixture in conftest.py."""

import datetime

import pytest
from django.utils import timezone

from finance.models import CadreExchange, CoBuildingActivity, CoBuildingPair
from portal.errors import DomainError
from portal.models import AuditLog

D = datetime.date
READERS = ("org_staff", "leader", "town_staff", "bank_officer")
NOT_WRITERS = ("leader", "town_staff", "bank_officer", "station", "enterprise_user", "insurer_officer", "cadre",
               "admin")


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def written():
    """What a refused service must leave as it was."""
    return (CoBuildingPair.objects.count(), list(CoBuildingPair.objects.order_by("pk").values_list("ended_on")),
            CoBuildingActivity.objects.count(), CadreExchange.objects.count(), AuditLog.objects.count())


def refused(call) -> DomainError:
    before = written()
    with pytest.raises(DomainError) as caught:
        call()
    assert written() == before
    return caught.value
