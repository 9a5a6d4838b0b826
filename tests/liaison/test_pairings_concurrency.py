"""The range under fire: two staff add a third and a fourth key enterprise to the same county-level
leader at the same moment, each in its own thread and PostgreSQL transaction. The cadre's row lock
makes them take turns, so the second counts the first's pairing and is refused."""

import pytest
from django.db import connection

from liaison.choices import PairingKind
from liaison.models import Pairing
from liaison.services import pairings as services
from portal.choices import Role
from tests.factories import user_with_role
from tests.threads import race

from .fixtures_pairings import key_enterprise, today

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")]


def test_two_staff_adding_a_third_and_a_fourth_enterprise_at_once_leave_three(lworld):
    # given 郑明远 with two current key enterprises, and two more key enterprises to pair
    w = lworld
    services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE, started_on=today(),
                            enterprise=key_enterprise(w, "西山第二重点民企", w.village_b), acting_user=w.org_staff)
    third, fourth = key_enterprise(w, "西山第三重点民企", w.village_b), key_enterprise(w, "西山第四重点民企", w.village_b)
    other_staff = user_with_role("t_orgstaff_2", Role.ORG_STAFF)

    # when two staff add them at the same moment
    results = race([
        lambda: services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE, enterprise=third,
                                        started_on=today(), acting_user=w.org_staff),
        lambda: services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE, enterprise=fourth,
                                        started_on=today(), acting_user=other_staff),
    ])

    # then exactly one succeeds, the other is told the range is full, and the leader has three
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    assert [r[1] for r in results if r[0] == "refused"] == ["over_range"]
    current = Pairing.objects.filter(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE, ended_on__isnull=True)
    assert current.count() == 3


def test_the_same_pairing_made_twice_at_once_is_made_once(lworld):
    w = lworld
    second = key_enterprise(w, "西山第二重点民企", w.village_b)
    other_staff = user_with_role("t_orgstaff_2", Role.ORG_STAFF)
    results = race([
        lambda u=user: services.pairing_create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE, enterprise=second,
                                               started_on=today(), acting_user=u)
        for user in (w.org_staff, other_staff)
    ])
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    assert [r[1] for r in results if r[0] == "refused"] == ["already_paired"]
    assert Pairing.objects.filter(cadre=w.cadre_b_obj, enterprise=second).count() == 1
