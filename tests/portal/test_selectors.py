"""What each role sees of the registry: one table, checked through the selectors every view uses."""

import pytest

from portal import selectors
from portal.access import CHANGE, UNMASK
from portal.models import AuditLog, Enterprise, Person


def _names(qs):
    return sorted(e.name for e in qs)


@pytest.mark.parametrize(
    ("user_attr", "expected"),
    [
        ("org_staff", ["东湖精密机械有限公司", "星湖传感科技有限公司", "西山食品有限公司"]),
        ("leader", ["东湖精密机械有限公司", "星湖传感科技有限公司", "西山食品有限公司"]),
        ("town_staff", ["东湖精密机械有限公司"]),
        ("town_staff_b", ["西山食品有限公司"]),
        ("station", ["东湖精密机械有限公司"]),
        ("station_b_user", ["西山食品有限公司"]),
        ("park_station_user", ["星湖传感科技有限公司"]),
        ("enterprise_user", ["东湖精密机械有限公司"]),
        ("enterprise_b_user", ["西山食品有限公司"]),
        ("bank_officer", []),
        ("insurer_officer", []),
        ("cadre", []),
        ("admin", []),
    ],
)
def test_enterprise_list_is_scoped_by_role(world, user_attr, expected):
    # given a user of one role and scope
    user = getattr(world, user_attr)
    # when listing enterprises
    # then only those in the scope come back
    assert _names(selectors.enterprise_list(user=user)) == expected


def test_enterprise_list_of_anonymous_and_inactive_users_is_empty(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.enterprise_list(user=AnonymousUser())) == []
    world.org_staff.is_active = False
    world.org_staff.save()
    fresh = django_user_model.objects.get(pk=world.org_staff.pk)
    assert list(selectors.enterprise_list(user=fresh)) == []


def test_a_user_holding_two_roles_sees_the_union(world):
    # given town staff of town A who is also the operator of town B's station
    from portal.choices import Role
    from portal.models import RoleAssignment

    RoleAssignment.objects.create(user=world.town_staff, role=Role.STATION_OPERATOR, station=world.station_b)
    from portal.access import forget_assignments

    forget_assignments(world.town_staff)
    # then both towns' enterprises are visible, and nothing else
    assert _names(selectors.enterprise_list(user=world.town_staff)) == ["东湖精密机械有限公司", "西山食品有限公司"]


def test_only_org_staff_may_change_the_registry(world):
    changers = [u for u in ("org_staff", "town_staff", "station", "leader", "enterprise_user", "bank_officer",
                            "admin") if Enterprise.objects.restrict(getattr(world, u), CHANGE).exists()]
    assert changers == ["org_staff"]


def test_access_enterprise_outside_scope_is_404(world):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.access_enterprise(user=world.town_staff, pk=world.ent_b.pk)
    with pytest.raises(Http404):
        selectors.access_enterprise(user=world.town_staff, pk="not-a-number")
    assert selectors.access_enterprise(user=world.town_staff, pk=world.ent_a.pk) == world.ent_a


@pytest.mark.parametrize(
    ("user_attr", "expected"),
    [
        ("org_staff", ["李东湖", "王西山"]),
        ("town_staff", ["李东湖"]),
        ("station_b_user", ["王西山"]),
        ("enterprise_user", ["李东湖"]),
        ("bank_officer", []),
    ],
)
def test_person_list_follows_the_enterprises_in_scope(world, user_attr, expected):
    assert sorted(p.name for p in selectors.person_list(user=getattr(world, user_attr))) == expected


@pytest.mark.parametrize(
    ("user_attr", "may_unmask"),
    [
        ("org_staff", True), ("town_staff", True), ("station", True), ("town_staff_b", False),
        ("enterprise_user", False), ("leader", False), ("bank_officer", False), ("admin", False),
    ],
)
def test_unmasking_is_for_registry_staff_within_their_scope(world, user_attr, may_unmask):
    user = getattr(world, user_attr)
    assert Person.objects.restrict(user, UNMASK).filter(pk=world.person_a.pk).exists() is may_unmask


@pytest.mark.parametrize(
    ("user_attr", "sees"),
    [("admin", True), ("org_staff", True), ("town_staff", False), ("leader", False), ("bank_officer", False)],
)
def test_audit_log_is_for_administrators_and_org_staff(world, user_attr, sees):
    from portal.audit import audit_record

    audit_record(actor=world.org_staff, action="test.event", obj=world.ent_a)
    assert AuditLog.objects.restrict(getattr(world, user_attr)).exists() is sees
