"""The pairings API (read-only): cadres with their counts and range state, and pairings with their
filters; personal data masked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from liaison.choices import CadreLevel
from liaison.models import Cadre
from tests.access import AccessCase, case_id, run_access_case, url_of, users

from .fixtures_pairings import D, entrepreneur, key_enterprise, pair

pytestmark = pytest.mark.django_db

OUTSIDERS = ("bank_officer", "insurer_officer", "admin", "station")

ACCESS_CASES = [
    AccessCase("api:cadre-list", url_of("api:cadre-list"), api=True, right=users("org_staff", "leader", "town_staff"),
               wrong=users("enterprise_user", *OUTSIDERS), other_scope=users("cadre"), other_status=(200,),
               why_no_other_scope="the city's cadres: the staff of every town see them all",
               marker=lambda w: "郑明远"),
    AccessCase("api:cadre-detail", url_of("api:cadre-detail", "cadre_b_obj.pk"), api=True,
               right=users("org_staff", "leader", "town_staff", "cadre_b"), wrong=users("enterprise_user", *OUTSIDERS),
               other_scope=users("cadre"), marker=lambda w: "郑明远",
               why_no_other_scope="the city's cadres: the staff of every town see them all"),
    AccessCase("api:liaison-pairing-list", url_of("api:liaison-pairing-list"), api=True,
               right=users("org_staff", "leader", "town_staff_b", "cadre_b", "enterprise_b_user"),
               wrong=users(*OUTSIDERS), other_scope=users("town_staff", "cadre", "enterprise_user"),
               other_status=(200,), marker=lambda w: "西山食品有限公司"),
    AccessCase("api:liaison-pairing-detail", url_of("api:liaison-pairing-detail", "pairing_b.pk"), api=True,
               right=users("org_staff", "leader", "town_staff_b", "cadre_b", "enterprise_b_user"),
               wrong=users(*OUTSIDERS), other_scope=users("town_staff", "cadre", "enterprise_user"),
               marker=lambda w: "西山食品有限公司"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, lworld):
    run_access_case(case, lworld)


def get(user, name, *args, status=200, **query):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == status, response.content
    return response.json()


def test_a_cadre_comes_with_its_counts_and_states(lworld):
    w = lworld
    data = get(w.org_staff, "api:cadre-detail", w.cadre_b_obj.pk)
    assert data == {
        "id": w.cadre_b_obj.pk, "name": "郑明远", "post": "副市长", "unit": "星湖市人民政府", "level": "county",
        "level_display": "县级领导干部", "order": 100, "is_active": True, "has_account": True,
        "enterprise_count": 1, "entrepreneur_count": 0, "enterprise_state": "ok", "entrepreneur_state": "under",
        "range_state": "under", "last_visit": None,
    }
    secretary = get(w.leader, "api:cadre-detail", w.secretary.pk)
    assert (secretary["has_account"], secretary["range_state"], secretary["enterprise_state"]) == (False, "", "")


def test_cadres_are_filtered_by_state_level_and_text(lworld):
    w = lworld
    for n in range(3):
        pair(w.cadre_a_obj, key_enterprise(w, f"旧台账企业{n}"), started_on=D(2018, 5, 1))

    def names(**query):
        return [c["name"] for c in get(w.org_staff, "api:cadre-list", **query)["results"]]

    assert names() == ["周立新", "吴国平", "郑明远"]
    assert names(range_state="over") == ["吴国平"]
    assert names(range_state="under") == ["郑明远"]
    assert names(range_state="ok") == []
    assert names(level=CadreLevel.SECRETARY) == ["周立新"]
    assert names(q="政府") == ["郑明远"]
    assert names(is_active="false") == []
    error = get(w.org_staff, "api:cadre-list", status=400, range_state="many")
    assert list(error["errors"]) == ["range_state"]


def test_pairings_are_filtered(lworld):
    w = lworld
    old = pair(w.cadre_b_obj, key_enterprise(w, "西山旧联系企业", w.village_b), started_on=D(2022, 1, 1),
               ended_on=D(2024, 1, 1))
    person = entrepreneur(w, "赵企业家")
    with_person = pair(w.cadre_b_obj, person)

    def ids(**query):
        return sorted(p["id"] for p in get(w.leader, "api:liaison-pairing-list", **query)["results"])

    everything = sorted([w.pairing_a.pk, w.pairing_a_person.pk, w.pairing_b.pk, old.pk, with_person.pk])
    assert ids() == everything
    assert ids(cadre=w.cadre_b_obj.pk) == sorted([w.pairing_b.pk, old.pk, with_person.pk])
    assert ids(kind="entrepreneur") == sorted([w.pairing_a_person.pk, with_person.pk])
    assert ids(current="false") == [old.pk]
    assert ids(current="true") == sorted([w.pairing_a.pk, w.pairing_a_person.pk, w.pairing_b.pk, with_person.pk])
    assert ids(enterprise=w.ent_a.pk) == [w.pairing_a.pk]
    assert ids(q="赵企业家") == [with_person.pk]
    assert ids(q="郑明远", current="true", kind="enterprise") == [w.pairing_b.pk]
    assert ids(cadre=999999) == []
    error = get(w.leader, "api:liaison-pairing-list", status=400, cadre="x")
    assert list(error["errors"]) == ["cadre"]


def test_a_pairing_shows_personal_data_masked_only(lworld):
    w = lworld
    data = get(w.org_staff, "api:liaison-pairing-detail", w.pairing_a_person.pk)
    mobile = w.person_a.mobile
    assert data["person_name"] == "李东湖"
    assert data["person_mobile"] == mobile[:3] + "****" + mobile[-4:]
    assert mobile not in str(data)
    assert w.person_a.id_number not in str(data)
    assert (data["kind"], data["enterprise"], data["enterprise_name"], data["is_current"]) == (
        "entrepreneur", None, None, True)
    data = get(w.org_staff, "api:liaison-pairing-detail", w.pairing_a.pk)
    assert (data["cadre_name"], data["cadre_post"], data["enterprise_name"], data["enterprise_uscc"],
            data["person"], data["started_on"]) == ("吴国平", "市委常委、组织部部长", "东湖精密机械有限公司",
                                                    w.ent_a.uscc, None, "2026-01-05")


def test_list_queries_do_not_grow_with_rows(lworld):
    w = lworld

    def count(name):
        client = APIClient()
        client.force_authenticate(w.org_staff)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    names = ("api:cadre-list", "api:liaison-pairing-list")
    for name in names:  # the first request also reads the user's roles, once
        count(name)
    few = {name: count(name) for name in names}
    for n in range(8):
        cadre = Cadre.objects.create(name=f"测试领导{n}", post="副市长")
        pair(cadre, key_enterprise(w, f"测试重点民企{n}"))
        pair(cadre, entrepreneur(w, f"测试企业家{n}"))
    assert {name: count(name) for name in few} == few
