"""/ratings/coverage/ stays small whatever the data: the instructors are shown a page at a time (each
row carries its own form), the region table is one aggregate query, and the page costs the same number
of queries with 120 instructors as with 5."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from ratings.models import InstructorAssignment
from ratings.views.organizations import INSTRUCTORS_PER_PAGE
from tests.factories import EnterpriseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def instructors(world, count, start=0):
    for n in range(start, start + count):
        InstructorAssignment.objects.create(instructor=PersonFactory(name=f"指导员{n:03d}"),
                                            enterprise=EnterpriseFactory(name=f"覆盖测试{n:03d}有限公司",
                                                                         region=world.village_a),
                                            started_on=datetime.date(2026, 1, 1))


def get(user, url):
    request = RequestFactory().get(url, SERVER_NAME="localhost")
    request.user = user
    match = resolve(request.path_info)
    request.resolver_match = match
    return match.func(request, *match.args, **match.kwargs)


def queries_and_size(user, url):
    get(user, url)  # the user's role assignments, once per request
    with CaptureQueriesContext(connection) as captured:
        response = get(user, url)
    assert response.status_code == 200
    return len(captured), response


def test_the_page_costs_the_same_queries_and_shows_one_page_of_instructors(world):
    instructors(world, 5)
    few, small = queries_and_size(world.org_staff, reverse("ratings:coverage"))
    instructors(world, 115, start=5)
    many, first = queries_and_size(world.org_staff, reverse("ratings:coverage"))
    assert many == few
    body = first.content.decode()
    assert body.count("/ratings/instructors/") - small.content.decode().count("/ratings/instructors/") \
        == INSTRUCTORS_PER_PAGE - 5
    assert "覆盖测试000有限公司" in body
    assert "覆盖测试050有限公司" not in body
    last = get(world.org_staff, reverse("ratings:coverage") + "?page=3").content.decode()
    assert "覆盖测试119有限公司" in last
    assert "覆盖测试000有限公司" not in last
    # The region table still counts every enterprise: 120 in town A with work coverage.
    assert "page=3" in body


def test_town_staff_page_through_their_own_instructors_only(world):
    instructors(world, 3)
    InstructorAssignment.objects.create(instructor=PersonFactory(name="西山指导员"),
                                        enterprise=EnterpriseFactory(name="西山覆盖有限公司", region=world.village_b),
                                        started_on=datetime.date(2026, 1, 1))
    body = get(world.town_staff, reverse("ratings:coverage")).content.decode()
    assert "覆盖测试000有限公司" in body
    assert "西山覆盖有限公司" not in body
    assert "西山覆盖有限公司" in get(world.town_staff_b, reverse("ratings:coverage")).content.decode()



def test_the_areas_are_shown_fifty_at_a_time_and_the_totals_count_them_all(world):
    from tests.factories import town, village

    for n in range(3, 58):  # 55 more towns, 57 in all, one enterprise each besides the world's
        EnterpriseFactory(name=f"分页测试{n:02d}有限公司", region=village(town(n, f"测试{n:02d}镇"), 1))
    first = get(world.org_staff, reverse("ratings:coverage")).content.decode()
    assert 'id="area-pages"' in first
    assert "测试50镇" in first
    assert "测试57镇" not in first
    second = get(world.org_staff, reverse("ratings:coverage") + "?areas=2").content.decode()
    assert "测试57镇" in second
    assert "测试03镇" not in second
    # The totals row counts every enterprise on every page: the world's three and the 55.
    for body in (first, second):
        assert '<th class="text-end">58</th>' in body
