"""The registry API's filters, paging, query counts and docs (split from test_api.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EnterpriseFactory, PersonFactory

from .test_api import _client, _names

# --- the audit log --------------------------------------------------------------------------------


def test_audit_log_filters_by_action(world):
    _client(world.town_staff).post(reverse("api:person-unmask", args=[world.person_a.pk]))
    _client(world.org_staff).patch(reverse("api:enterprise-detail", args=[world.ent_a.pk]), {"employees": 9},
                                   format="json")

    response = _client(world.admin).get(reverse("api:audit-log-list"), {"action": "person."})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert (body["results"][0]["action"], body["results"][0]["actor_name"]) == ("person.unmask", "t_townstaff")


# --- filters and pagination -----------------------------------------------------------------------


def test_enterprise_q_matches_the_name(world):
    response = _client(world.org_staff).get(reverse("api:enterprise-list"), {"q": "精密"})

    assert _names(response) == ["东湖精密机械有限公司"]


def test_enterprise_q_matches_a_credit_code_prefix_in_any_case(world):
    EnterpriseFactory(name="东湖果蔬专业合作社", kind="coop", uscc="93510799MA62X7K5L4", region=world.village_a)

    response = _client(world.org_staff).get(reverse("api:enterprise-list"), {"q": "93510799ma"})

    assert _names(response) == ["东湖果蔬专业合作社"]


@pytest.mark.parametrize(("region", "expected"), [
    ("town_a", ["东湖精密机械有限公司"]),
    ("town_b", ["西山食品有限公司"]),
    ("city", ["东湖精密机械有限公司", "西山食品有限公司", "星湖传感科技有限公司"]),
])
def test_enterprise_region_filter_includes_sub_regions(world, region, expected):
    response = _client(world.org_staff).get(reverse("api:enterprise-list"), {"region": getattr(world, region).pk})

    assert sorted(_names(response)) == sorted(expected)


def test_enterprise_filters_stay_within_the_scope(world):
    response = _client(world.town_staff_b).get(reverse("api:enterprise-list"), {"region": world.town_a.pk})

    assert response.status_code == 200
    assert _names(response) == []


def test_invalid_filter_input_answers_400_in_the_error_shape(world):
    response = _client(world.org_staff).get(reverse("api:enterprise-list"), {"kind": "bank"})

    assert response.status_code == 400
    assert response.json()["detail"] == "筛选条件有误。"
    assert list(response.json()["errors"]) == ["kind"]


def test_region_filters_by_level_and_parent(world):
    client = _client(world.town_staff)

    towns = client.get(reverse("api:region-list"), {"level": "town"})
    children = client.get(reverse("api:region-list"), {"parent": world.town_a.pk})

    assert _names(towns) == ["东湖镇", "西山街道"]
    assert _names(children) == ["东湖村"]


def test_institution_filter_by_kind(world):
    response = _client(world.insurer_officer).get(reverse("api:institution-list"), {"kind": "insurer"})

    assert _names(response) == ["人保财险星湖支公司", "平安财险星湖支公司"]


def test_station_filter_by_region(world):
    response = _client(world.station).get(reverse("api:station-list"), {"region": world.town_b.pk})

    assert _names(response) == ["西山街道金融服务站"]


def test_page_size_can_be_asked_for(world):
    response = _client(world.org_staff).get(reverse("api:enterprise-list"), {"page_size": 2})

    body = response.json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"].endswith("page=2&page_size=2")


def test_enterprise_list_query_count_does_not_grow_with_rows(world):
    # given enterprises with a park and a legal representative each
    client = _client(world.org_staff)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("api:enterprise-list"))
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    EnterpriseFactory.create_batch(2, region=world.village_a, park=world.park, legal_representative=PersonFactory())
    few = count_queries()
    EnterpriseFactory.create_batch(45, region=world.village_b, park=world.park, contact=PersonFactory())
    many = count_queries()

    # then the same number of queries serves 5 rows and 50 (a full page)
    assert (few[1], many[1]) == (5, 50)
    assert few[0] == many[0], (few, many)


# --- the description of the API -------------------------------------------------------------------


def test_docs_are_served_from_the_app_itself(world):
    response = _client(world.bank_officer).get(reverse("api_docs"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html
