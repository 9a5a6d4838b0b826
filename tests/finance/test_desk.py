"""The station desk: the enterprises of the station's area, filtered and sorted in the database,
the actionable ones first; an application under way is linked, never applied for twice."""

import re

import pytest
from django.urls import reverse

from finance import services
from portal.choices import Role, StationLevel
from tests.factories import EnterpriseFactory, StationFactory, user_with_role

pytestmark = pytest.mark.django_db


def desk(client, user, **params):
    client.force_login(user)
    return client.get(reverse("finance:desk"), params)


def rows(response) -> list[tuple[str, str]]:
    """(credit code, rank) of each row, in the page's order."""
    return re.findall(r'<tr data-uscc="([0-9A-Z]{18})" data-rank="(\d)">', response.content.decode())


def options(response, name) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', response.content.decode(), re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


@pytest.fixture
def city_desk(fworld):
    """A city-level station (its area: the whole city) with ent_a (5★, app_a under way), ent_b (3★, its
    application withdrawn: it may apply), ent_park (no organization) and a new unrated enterprise."""
    w = fworld
    w.city_station = StationFactory(name="星湖市金融服务站", region=w.city, level=StationLevel.CITY)
    w.city_operator = user_with_role("t_city_station", Role.STATION_OPERATOR, station=w.city_station)
    services.loan_application_act(acting_user=w.enterprise_b_user, application=w.app_b, action="withdraw")
    w.ent_new = EnterpriseFactory(name="东湖新办企业", region=w.village_a)
    return w


def test_the_desk_puts_who_can_apply_first_then_applications_under_way_then_the_rest(client, city_desk):
    w = city_desk
    found = rows(desk(client, w.city_operator))
    assert found[:2] == [(w.ent_b.uscc, "0"), (w.ent_a.uscc, "1")]
    assert sorted(found[2:]) == sorted([(w.ent_park.uscc, "3"), (w.ent_new.uscc, "3")])


def test_an_application_under_way_is_linked_instead_of_a_second_apply_button(client, city_desk):
    w = city_desk
    body = desk(client, w.city_operator).content.decode()
    apply = reverse("finance:application_create") + "?enterprise="
    assert f'data-open-application="{w.app_a.pk}"' in body
    assert f"{apply}{w.ent_a.uscc}" not in body
    assert f"{apply}{w.ent_b.uscc}" in body
    assert f"{apply}{w.ent_park.uscc}" not in body


@pytest.mark.parametrize(("params", "expected"), [
    ({"stars": "5"}, ["ent_a"]),
    ({"stars": "3"}, ["ent_b"]),
    ({"stars": "none"}, ["ent_new", "ent_park"]),
    ({"application": "none"}, ["ent_new", "ent_park"]),
    ({"application": "open"}, ["ent_a"]),
    ({"application": "withdrawn"}, ["ent_b"]),
    ({"application": "submitted"}, ["ent_a"]),
    ({"town": "town_a"}, ["ent_a", "ent_new"]),
    ({"village": "village_b"}, ["ent_b"]),
    ({"town": "town_a", "stars": "5"}, ["ent_a"]),
    ({"q": "东湖"}, ["ent_a", "ent_new"]),
])
def test_the_desk_filters_by_star_place_and_application(client, city_desk, params, expected):
    w = city_desk
    params = {k: str(getattr(w, v).pk) if k in ("town", "village") else v for k, v in params.items()}
    found = sorted(uscc for uscc, _rank in rows(desk(client, w.city_operator, **params)))
    assert found == sorted(getattr(w, name).uscc for name in expected)


def test_the_desk_sorts_as_asked(client, city_desk):
    w = city_desk
    by_stars = [uscc for uscc, _rank in rows(desk(client, w.city_operator, sort="stars"))]
    assert by_stars[:2] == [w.ent_a.uscc, w.ent_b.uscc]
    by_available = [uscc for uscc, _rank in rows(desk(client, w.city_operator, sort="available"))]
    assert by_available[:2] == [w.ent_a.uscc, w.ent_b.uscc]  # 5,000,000.00 before 3,000,000.00


def test_the_desk_offers_only_the_towns_and_villages_of_its_area(client, city_desk):
    w = city_desk
    response = desk(client, w.station)  # 东湖镇金融服务站
    assert options(response, "town") == ["全部", "东湖镇"]
    assert options(response, "village") == ["全部", "东湖镇 · 东湖村"]
    response = desk(client, w.city_operator)
    assert options(response, "town") == ["全部", "东湖镇", "西山街道"]


def test_a_place_outside_the_area_is_refused_at_its_field(client, city_desk):
    w = city_desk
    response = desk(client, w.station, town=w.town_b.pk)
    assert response.status_code == 400
    assert rows(response) == []
    assert "选择一个有效的选项" in response.content.decode()


def test_a_park_station_offers_the_places_of_the_parks_enterprises(client, city_desk):
    w = city_desk
    EnterpriseFactory(name="园区入驻企业", region=w.village_b, park=w.park)
    response = desk(client, w.park_station_user)
    assert options(response, "town") == ["全部", "西山街道"]
    assert options(response, "village") == ["全部", "西山街道 · 西山社区"]
