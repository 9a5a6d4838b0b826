"""The talent API (read-only): who reaches each endpoint, the shared filters, and personal data only
masked."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.access import AccessCase, case_id, run_access_case, url_of, users

from .conftest import ID_A, ID_B, ID_PARK, MOBILE_A, MOBILE_B

pytestmark = pytest.mark.django_db

PERSONAL_OUTSIDERS = ("bank_officer", "insurer_officer", "cadre", "admin")
OUTSIDERS = ("bank_officer", "insurer_officer", "admin")
TALENT_READERS = ("org_staff", "leader", "town_staff", "station", "enterprise_user")
OTHER_SCOPE = ("town_staff_b", "station_b_user", "enterprise_b_user", "park_station_user")


def api(name, *attrs):
    return url_of(f"api:{name}", *attrs)


ACCESS_CASES = [
    AccessCase("api:talent-list", api("talent-list"), api=True, right=users(*TALENT_READERS),
               wrong=users(*PERSONAL_OUTSIDERS), other_scope=users(*OTHER_SCOPE), other_status=(200,),
               marker=lambda w: "周星湖"),
    AccessCase("api:talent-detail", api("talent-detail", "talent_a.pk"), api=True, right=users(*TALENT_READERS),
               wrong=users(*PERSONAL_OUTSIDERS), other_scope=users(*OTHER_SCOPE), marker=lambda w: "510***********4047"),
    AccessCase("api:benefit-application-list", api("benefit-application-list"), api=True,
               right=users(*TALENT_READERS), wrong=users(*PERSONAL_OUTSIDERS), other_scope=users(*OTHER_SCOPE),
               other_status=(200,), marker=lambda w: w.app_a.reference),
    AccessCase("api:benefit-application-detail", api("benefit-application-detail", "app_a.pk"), api=True,
               right=users(*TALENT_READERS), wrong=users(*PERSONAL_OUTSIDERS), other_scope=users(*OTHER_SCOPE),
               marker=lambda w: "已在本市购买首套住房"),
    AccessCase("api:innovation-project-list", api("innovation-project-list"), api=True,
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_user", "cadre"),
               wrong=users(*OUTSIDERS), other_scope=users("enterprise_b_user"), other_status=(200,),
               marker=lambda w: "电子科大三星湖传感技术产业研究院",
               why_no_other_scope="the city's programme: staff, stations and cadres read all of it"),
    AccessCase("api:innovation-project-detail", api("innovation-project-detail", "project.pk"), api=True,
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_user", "cadre"),
               wrong=users(*OUTSIDERS), other_scope=users("enterprise_b_user"), marker=lambda w: "传感器成果转化",
               why_no_other_scope="the city's programme: staff, stations and cadres read all of it"),
    AccessCase("api:training-session-list", api("training-session-list"), api=True,
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_b_user", "cadre"),
               wrong=users(*OUTSIDERS), other_scope=users("enterprise_user"), other_status=(200,),
               marker=lambda w: "数控车床操作",
               why_no_other_scope="the city's programme: staff, stations and cadres read all of it"),
    AccessCase("api:training-session-detail", api("training-session-detail", "training_b.pk"), api=True,
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_b_user", "cadre"),
               wrong=users(*OUTSIDERS), other_scope=users("enterprise_user"), marker=lambda w: "星湖技师学院",
               why_no_other_scope="the city's programme: staff, stations and cadres read all of it"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, tw):
    run_access_case(case, tw)


def get(user, name, *args, **params):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(reverse(f"api:{name}", args=args), params)


def test_a_talent_comes_out_masked_in_the_agreed_shape(tw):
    response = get(tw.org_staff, "talent-detail", tw.talent_a.pk)
    assert response.status_code == 200
    data = response.json()
    assert data == {
        "id": tw.talent_a.pk,
        "person": {"name": "周星湖", "id_number_masked": "510***********4047", "mobile_masked": "138****5678"},
        "level": "C", "level_display": "C类 · 省级领军人才", "field": "sensing", "field_display": "智能传感",
        "source": "university", "source_display": "高校", "source_institution": "电子科技大学",
        "introduced_on": "2022-03-01",
        "employer": {"id": tw.ent_a.pk, "uscc": tw.ent_a.uscc, "name": tw.ent_a.name},
        "base": {"id": tw.base_sz.pk, "name": "星湖市驻深圳人才孵化基地", "city": "深圳"},
    }


@pytest.mark.parametrize("name", ["talent-list", "benefit-application-list"])
def test_no_whole_id_number_or_mobile_anywhere_in_the_api(tw, name):
    text = json.dumps(get(tw.org_staff, name).json(), ensure_ascii=False)
    for whole in (ID_A, ID_B, ID_PARK, MOBILE_A, MOBILE_B):
        assert whole not in text


def test_an_application_with_its_history(tw):
    data = get(tw.enterprise_user, "benefit-application-detail", tw.app_a.pk).json()
    assert (data["reference"], data["status"], data["status_display"]) == (tw.app_a.reference, "pending", "待审核")
    assert (data["item_amount"], data["amount_requested"], data["amount_approved"]) == ("150000.00", "150000.00", None)
    assert data["talent"] == {"id": tw.talent_a.pk, "name": "周星湖", "id_number_masked": "510***********4047"}
    assert data["item"]["category"] == "housing"
    assert [(e["action"], e["to_status"]) for e in data["events"]] == [("submit", "pending")]


@pytest.mark.parametrize(("params", "expected"), [
    ({"level": "C"}, ["周星湖"]),
    ({"level": "D"}, ["钱西山"]),
    ({"field": "electronics"}, ["孙园区"]),
    ({"q": "西山"}, ["钱西山"]),
    ({"q": "电子科技大学", "level": "E"}, ["孙园区"]),
    ({"introduced_year": "2022", "level": "A"}, []),
])
def test_talent_filters(tw, params, expected):
    data = get(tw.org_staff, "talent-list", **params).json()
    assert sorted(r["person"]["name"] for r in data["results"]) == sorted(expected)


def test_talent_filter_by_base(tw):
    data = get(tw.org_staff, "talent-list", base=tw.base_sz.pk).json()
    assert [r["person"]["name"] for r in data["results"]] == ["周星湖"]


def test_a_bad_filter_is_a_400_at_its_field(tw):
    response = get(tw.org_staff, "talent-list", level="Z")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["level"]
    response = get(tw.org_staff, "training-session-list", year="2024.5")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]


@pytest.mark.parametrize(("params", "count"), [
    ({"status": "pending"}, 2), ({"status": "approved"}, 0), ({"category": "education"}, 1), ({"q": "钱西山"}, 1),
])
def test_application_filters(tw, params, count):
    assert get(tw.org_staff, "benefit-application-list", **params).json()["count"] == count


def test_application_filter_by_reference_and_scope(tw):
    data = get(tw.org_staff, "benefit-application-list", q=tw.app_b.reference).json()
    assert [r["id"] for r in data["results"]] == [tw.app_b.pk]
    assert get(tw.enterprise_user, "benefit-application-list", q=tw.app_b.reference).json()["count"] == 0


@pytest.mark.parametrize(("params", "names"), [
    ({"status": "landed"}, ["清华大学星湖乡村振兴工作站", "电子科大三星湖传感技术产业研究院"]),
    ({"kind": "workstation"}, ["清华大学星湖乡村振兴工作站"]),
    ({"q": "电子科技"}, ["电子科大三星湖传感技术产业研究院"]),
    ({"status": "building"}, []),
])
def test_project_filters(tw, params, names):
    data = get(tw.leader, "innovation-project-list", **params).json()
    assert sorted(r["name"] for r in data["results"]) == sorted(names)


def test_training_filters_and_counts(tw):
    data = get(tw.leader, "training-session-list", year="2024").json()
    assert [(r["topic"], r["trainees"], r["enterprise_count"]) for r in data["results"]] == [("智能传感器装调工", 30, 2)]
    assert get(tw.leader, "training-session-list", q="技师").json()["count"] == 1


def test_the_api_is_read_only(tw):
    client = APIClient()
    client.force_authenticate(tw.org_staff)
    assert client.post(reverse("api:talent-list"), {}, format="json").status_code == 405
    assert client.delete(reverse("api:benefit-application-detail", args=[tw.app_a.pk])).status_code == 405
