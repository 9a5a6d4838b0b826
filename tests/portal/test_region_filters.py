"""Filters offer only what the reader may see: a town's staff (and a town station's operator) is offered
its own town and its villages in every list's region filter, not the whole city; an appeal's 承办人
filter lists only the people handling the appeals the reader sees."""

import pytest
from django.urls import reverse

from liaison.models import Department
from liaison.services import appeals as appeal_services
from portal.filtersets import regions_for_filter

pytestmark = pytest.mark.django_db

# Lists with a region filter, and the rows they show (their own model's name field is not needed).
REGION_LISTS = ["enterprise_list", "station_list", "ratings:list", "ratings:organization_list", "liaison:appeal_list"]


def region_options(client, user, url_name) -> list[str]:
    client.force_login(user)
    form = client.get(reverse(url_name)).context["filter"].form
    return [str(label) for value, label in form.fields["region"].choices if value != ""]


@pytest.mark.parametrize("url_name", REGION_LISTS)
def test_a_towns_staff_is_offered_its_own_town_and_villages(client, world, url_name):
    assert region_options(client, world.town_staff, url_name) == ["东湖镇", "东湖村"]


@pytest.mark.parametrize("url_name", REGION_LISTS)
def test_the_organization_department_is_offered_the_city_and_its_towns(client, world, url_name):
    assert region_options(client, world.org_staff, url_name) == [world.city.name, "东湖镇", "西山街道"]


@pytest.mark.parametrize(("who", "expected"), [
    ("town_staff", ["东湖镇", "东湖村"]), ("station", ["东湖镇", "东湖村"]), ("town_staff_b", ["西山街道", "西山社区"]),
    ("leader", ["星湖市", "东湖镇", "西山街道"]), ("park_station_user", ["星湖市", "东湖镇", "西山街道"]),
])
def test_the_regions_each_reader_is_offered(world, who, expected):
    names = [r.name for r in regions_for_filter(getattr(world, who))]
    assert names == [world.city.name if n == "星湖市" else n for n in expected]


def test_a_region_outside_the_readers_area_is_refused_not_used(client, world):
    client.force_login(world.town_staff)
    response = client.get(reverse("enterprise_list"), {"region": world.town_b.pk})
    assert list(response.context["object_list"]) == []
    assert "region" in response.context["filter"].form.errors
    inside = client.get(reverse("enterprise_list"), {"region": world.village_a.pk})
    assert [e.name for e in inside.context["object_list"]] == ["东湖精密机械有限公司"]


def test_the_appeal_assignee_filter_lists_only_the_people_of_appeals_the_reader_sees(client, world):
    # given an appeal of each town, handled by a member of the department
    department = Department.objects.create(name="星湖市地方金融工作局", short_name="金融工作局")
    department.members.add(world.town_staff, world.town_staff_b)
    for user, enterprise, assignee in ((world.enterprise_user, world.ent_a, world.town_staff),
                                       (world.enterprise_b_user, world.ent_b, world.town_staff_b)):
        appeal = appeal_services.appeal_create(acting_user=user, enterprise=enterprise, category="financing",
                                               title="流动资金周转困难申请增信贷款",
                                               description="受原材料涨价影响，货款回笼慢，希望对接党建增信贷款。")
        appeal_services.appeal_transition(appeal=appeal, action="assign", acting_user=world.org_staff,
                                          version=appeal.version, department=department, assignee=assignee)

    def assignees(user):
        client.force_login(user)
        form = client.get(reverse("liaison:appeal_list")).context["filter"].form
        return [value.value for value, _label in form.fields["assignee"].choices if value != ""]

    # then each town's staff is offered its own town's assignee, the organization department both
    assert assignees(world.town_staff) == [world.town_staff.pk]
    assert assignees(world.town_staff_b) == [world.town_staff_b.pk]
    assert sorted(assignees(world.org_staff)) == sorted([world.town_staff.pk, world.town_staff_b.pk])
