"""The ratings API's filters: every filter with exact ids, the region including its sub-regions,
scope kept, and malformed values answering 400 at their field."""


import pytest
from django.urls import reverse

from ratings.models import PartyOrganization, Rating

from .api_helpers import _client, _ids

pytestmark = pytest.mark.django_db


# --- ratings: filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ({}, ["a_2025", "b_2025", "c_2025", "a_2026", "b_2026"]),
    ({"q": "东湖"}, ["a_2025", "c_2025", "a_2026"]),
    ({"q": "  食品 "}, ["b_2025", "b_2026"]),
    ({"year": "2025"}, ["a_2025", "b_2025", "c_2025"]),
    ({"year": "2026"}, ["a_2026", "b_2026"]),
    ({"year": "2019"}, []),
    ({"stars": "5"}, ["a_2025"]),
    ({"stars": "4"}, ["c_2025", "b_2026"]),
    ({"stars": "1"}, []),
    ({"status": "published"}, ["a_2025", "b_2025"]),
    ({"status": "revoked"}, ["c_2025"]),
    ({"status": "self"}, ["a_2026"]),
    ({"high": "true"}, ["a_2025", "c_2025", "b_2026"]),
    ({"high": "false"}, ["b_2025", "a_2026"]),  # no stars yet counts as not high
    ({"year": "2026", "high": "true"}, ["b_2026"]),
    ({"q": "东湖", "status": "published"}, ["a_2025"]),
])
def test_rating_filters(world, ratings, query, expected):
    response = _client(world.org_staff).get(reverse("api:rating-list"), query)

    assert _ids(response) == sorted(ratings[k].pk for k in expected)


def test_lists_come_in_the_models_order_newest_cycle_first(world, ratings):
    client = _client(world.org_staff)

    rating_rows = client.get(reverse("api:rating-list")).json()["results"]
    org_rows = client.get(reverse("api:party-organization-list")).json()["results"]

    # the database's collation orders the Chinese names, so the expectation asks it too
    assert [r["id"] for r in rating_rows] == list(Rating.objects.order_by("-cycle__year", "organization__name", "pk")
                                                  .values_list("pk", flat=True))
    assert [r["cycle"]["year"] for r in rating_rows] == [2026, 2026, 2025, 2025, 2025]
    assert [r["id"] for r in org_rows] == list(PartyOrganization.objects.order_by("name", "pk")
                                               .values_list("pk", flat=True))


def test_rating_filter_by_cycle(world, ratings):
    response = _client(world.org_staff).get(reverse("api:rating-list"), {"cycle": ratings["cycle_2025"].pk})

    assert _ids(response) == sorted(ratings[k].pk for k in ("a_2025", "b_2025", "c_2025"))


@pytest.mark.parametrize(("region", "expected"), [
    ("town_a", ["a_2025", "c_2025", "a_2026"]),
    ("town_b", ["b_2025", "b_2026"]),
    ("city", ["a_2025", "b_2025", "c_2025", "a_2026", "b_2026"]),
])
def test_rating_region_filter_includes_sub_regions(world, ratings, region, expected):
    response = _client(world.org_staff).get(reverse("api:rating-list"), {"region": getattr(world, region).pk})

    assert _ids(response) == sorted(ratings[k].pk for k in expected)


def test_rating_filters_stay_within_the_scope(world, ratings):
    response = _client(world.town_staff_b).get(reverse("api:rating-list"), {"region": world.town_a.pk})

    assert _ids(response) == []


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"stars": "9"}, "stars", "选择一个有效的选项。 9 不在可用的选项中。"),
    ({"stars": "五"}, "stars", "选择一个有效的选项。 五 不在可用的选项中。"),
    ({"year": "abc"}, "year", "输入整数。"),
    ({"year": "2025.5"}, "year", "输入整数。"),
    ({"year": "0"}, "year", "确保该值大于或等于1。"),
    ({"status": "approved"}, "status", "选择一个有效的选项。 approved 不在可用的选项中。"),
    ({"cycle": "abc"}, "cycle", "选择一个有效的选项： 该选择不在可用的选项中。"),
    ({"region": "999999"}, "region", "选择一个有效的选项： 该选择不在可用的选项中。"),
    ({"q": "\x00"}, "q", "不允许是用空字符串。"),  # sic: Django's own translation
])
def test_malformed_rating_filters_answer_400_at_their_field(world, ratings, query, field, message):
    response = _client(world.org_staff).get(reverse("api:rating-list"), query)

    assert response.status_code == 400
    assert response.json() == {"detail": "筛选条件有误。", "code": "invalid", "errors": {field: [message]}}


def test_a_village_is_not_a_region_filter(world, ratings):
    # villages are left out of the choice, as on the enterprise list: filter by town or city
    response = _client(world.org_staff).get(reverse("api:rating-list"), {"region": world.village_a.pk})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]



@pytest.mark.parametrize(("query", "expected"), [
    ({}, ["org_a", "org_b", "org_c"]),
    ({"q": "东湖"}, ["org_a", "org_c"]),
    ({"q": "联合"}, ["org_c"]),
    ({"kind": "branch"}, ["org_a", "org_b"]),
    ({"kind": "joint"}, ["org_c"]),
    ({"kind": "committee"}, []),
    ({"active": "true"}, ["org_a", "org_b"]),
    ({"active": "false"}, ["org_c"]),
    ({"q": "东湖", "active": "true"}, ["org_a"]),
])
def test_organization_filters(world, ratings, org_a, org_b, query, expected):
    orgs = {"org_a": org_a, "org_b": org_b, "org_c": ratings["org_c"]}

    response = _client(world.org_staff).get(reverse("api:party-organization-list"), query)

    assert _ids(response) == sorted(orgs[k].pk for k in expected)


@pytest.mark.parametrize(("region", "expected"), [
    ("town_a", ["org_a", "org_c"]),
    ("town_b", ["org_b"]),
    ("city", ["org_a", "org_b", "org_c"]),
])
def test_organization_region_filter_includes_sub_regions(world, ratings, org_a, org_b, region, expected):
    orgs = {"org_a": org_a, "org_b": org_b, "org_c": ratings["org_c"]}

    response = _client(world.org_staff).get(reverse("api:party-organization-list"),
                                            {"region": getattr(world, region).pk})

    assert _ids(response) == sorted(orgs[k].pk for k in expected)


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"kind": "cell"}, "kind", "选择一个有效的选项。 cell 不在可用的选项中。"),
    ({"region": "abc"}, "region", "选择一个有效的选项： 该选择不在可用的选项中。"),
])
def test_malformed_organization_filters_answer_400_at_their_field(world, org_a, query, field, message):
    response = _client(world.org_staff).get(reverse("api:party-organization-list"), query)

    assert response.status_code == 400
    assert response.json() == {"detail": "筛选条件有误。", "code": "invalid", "errors": {field: [message]}}


