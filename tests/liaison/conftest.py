"""Fixtures of the liaison tests: `lworld` is `world` with two county-level cadres, each paired with
one key enterprise of its own town, so that a cadre's "other scope" is the other cadre."""

import datetime

import pytest

from liaison.choices import CadreLevel, PairingKind
from liaison.models import Cadre, Pairing
from portal.choices import Role
from tests.factories import user_with_role


@pytest.fixture
def lworld(world):
    w = world
    w.ent_b.is_key = True
    w.ent_b.save(update_fields=["is_key"])
    w.cadre_b = user_with_role("t_cadre_b", Role.CADRE)
    w.cadre_a_obj = Cadre.objects.create(name="吴国平", post="市委常委、组织部部长", unit="中共星湖市委组织部",
                                         level=CadreLevel.COUNTY, user=w.cadre)
    w.cadre_b_obj = Cadre.objects.create(name="郑明远", post="副市长", unit="星湖市人民政府",
                                         level=CadreLevel.COUNTY, user=w.cadre_b)
    w.secretary = Cadre.objects.create(name="周立新", post="市委书记", unit="中共星湖市委",
                                       level=CadreLevel.SECRETARY)
    start = datetime.date(2026, 1, 5)
    w.pairing_a = Pairing.objects.create(cadre=w.cadre_a_obj, kind=PairingKind.ENTERPRISE, enterprise=w.ent_a,
                                         started_on=start)
    w.pairing_b = Pairing.objects.create(cadre=w.cadre_b_obj, kind=PairingKind.ENTERPRISE, enterprise=w.ent_b,
                                         started_on=start)
    w.pairing_a_person = Pairing.objects.create(cadre=w.cadre_a_obj, kind=PairingKind.ENTREPRENEUR,
                                                person=w.person_a, started_on=start)
    return w
