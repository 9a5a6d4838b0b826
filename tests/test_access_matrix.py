"""Every role is tried on every address: the shared helper (tests/access.py) tries the roles a case names
(right, wrong, other scope) and then, once each, the world's user of every role it does not name, who
must get 403 or 404 and never the case's marker. These tests show that the helper does so, and that it
fails a case that leaves a role out, lets an unnamed role in, or tries no other scope for a scoped role.

The matrix itself (which roles each address was tried with, and how) is written by the helper when
ACCESS_MATRIX_FILE is set and summed up by tests/access_matrix.py."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.choices import Role
from tests import access
from tests.access import ROLE_USERS, SCOPED_ROLES, AccessCase, roles_of, run_access_case, url_of, users
from tests.access_matrix import summarize


def _tried(monkeypatch):
    """Record who the helper sends each request as (None: anonymous)."""
    seen = []
    real = access._request

    def recording(case, world, user):
        seen.append(user)
        return real(case, world, user)

    monkeypatch.setattr(access, "_request", recording)
    return seen


def test_the_world_has_a_user_of_every_role_for_the_automatic_pass(world):
    # given the roles of the portal and the world's user the helper takes for each
    assert set(ROLE_USERS) == set(Role.values)
    found = [getattr(world, attr) for attr in ROLE_USERS.values()]
    held = roles_of(found)
    # then each of those users holds exactly the role it stands for
    assert [held[user.pk] for user in found] == [{role} for role in ROLE_USERS]
    # and every role whose users see part of the records has its second user in the world
    assert set(SCOPED_ROLES) <= set(Role.values)
    for attr in ("town_staff_b", "station_b_user", "park_station_user", "bank2_officer", "insurer2_officer",
                 "enterprise_b_user"):
        assert getattr(world, attr) is not None


def test_every_role_is_tried_once_with_one_request_each(world, monkeypatch):
    # given a case that names the organization department and the administrator as right, a town as wrong
    seen = _tried(monkeypatch)
    case = AccessCase("audit_list", url_of("audit_list"), right=users("org_staff", "admin"), wrong=users("town_staff"))

    # when the helper runs it
    run_access_case(case, world)

    # then it asked as anonymous, the wrong user, each of the six roles named nowhere once, and the right users
    assert seen[0] is None
    assert seen[1] == world.town_staff
    assert seen[2:8] == [world.station, world.bank_officer, world.insurer_officer, world.enterprise_user,
                         world.cadre, world.leader]
    assert seen[8:] == [world.org_staff, world.admin]
    held = roles_of([u for u in seen if u is not None])
    assert set().union(*held.values()) == set(Role.values)


def test_a_role_the_case_does_not_name_and_that_gets_in_fails_the_case(world):
    # given a case that forgets the administrator, who reads the audit log
    case = AccessCase("audit_list", url_of("audit_list"), right=users("org_staff"), wrong=users("town_staff"))

    # then the automatic pass finds the administrator let in, and says how to fix the table
    with pytest.raises(AssertionError) as failed:
        run_access_case(case, world)
    assert "role admin (t_admin), named by no user of the case, answered 200" in str(failed.value)
    assert "list it under `right`" in str(failed.value)


def test_an_unnamed_role_that_sees_the_marker_fails_the_case(world):
    # given a case on enterprise A's page that leaves the leaders out (they read every enterprise)
    case = AccessCase("enterprise_detail", url_of("enterprise_detail", "ent_a.pk"),
                      right=users("org_staff", "town_staff", "station", "enterprise_user"),
                      wrong=users("bank_officer", "insurer_officer", "cadre", "admin"),
                      other_scope=users("town_staff_b", "station_b_user", "enterprise_b_user"),
                      marker=lambda w: w.ent_a.uscc)

    with pytest.raises(AssertionError) as failed:
        run_access_case(case, world)
    assert f"role leader (t_leader), named by no user of the case, saw {world.ent_a.uscc!r}" in str(failed.value)


def test_a_scoped_right_role_without_another_scope_fails_the_case(world):
    # given a case where town A's staff may open enterprise A, but no other town's staff is tried
    case = AccessCase("enterprise_detail", url_of("enterprise_detail", "ent_a.pk"),
                      right=users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
                      wrong=users("bank_officer", "insurer_officer", "cadre", "admin"),
                      other_scope=users("station_b_user", "enterprise_b_user"))

    with pytest.raises(AssertionError) as failed:
        run_access_case(case, world)
    message = str(failed.value)
    assert "right role(s) town_staff see part of the records" in message
    assert "w.town_staff_b" in message
    assert "why_no_other_scope" in message


def test_a_reason_stands_in_for_the_other_scope(world):
    case = AccessCase("region_list", url_of("region_list"), right=access.everyone,
                      why_no_other_scope=access.REFERENCE_DATA)
    run_access_case(case, world)


def test_a_list_that_other_scopes_may_open_needs_a_marker(world):
    case = AccessCase("enterprise_list", url_of("enterprise_list"),
                      right=users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
                      wrong=users("bank_officer", "insurer_officer", "admin"),
                      other_scope=users("town_staff_b", "station_b_user", "enterprise_b_user", "cadre"),
                      other_status=(200,))

    with pytest.raises(AssertionError) as failed:
        run_access_case(case, world)
    assert "no `marker` says what they must not see" in str(failed.value)


def test_a_wrong_list_that_names_nobody_fails_the_case(world):
    case = AccessCase("audit_list", url_of("audit_list"), right=users("org_staff", "admin"), wrong=lambda w: [])

    with pytest.raises(AssertionError) as failed:
        run_access_case(case, world)
    assert "`wrong` names nobody" in str(failed.value)


def test_the_matrix_names_the_roles_no_case_tried():
    # given two cases' lines as the helper writes them
    lines = [
        {"case": "GET a", "name": "a", "method": "get", "requests": 10, "right": ["org_staff"], "wrong": ["admin"],
         "other_scope": [], "auto": ["town_staff", "station_operator", "bank_officer", "insurer_officer",
                                     "enterprise_user", "cadre", "leader"]},
        {"case": "POST b", "name": "b", "method": "post", "requests": 3, "right": ["org_staff"], "wrong": ["admin"],
         "other_scope": ["town_staff"], "auto": []},
    ]

    summary = summarize(lines)

    # then the first address was tried with every role, the second misses six, and the requests add up
    assert summary["untried"] == {("b", "post"): ["bank_officer", "cadre", "enterprise_user", "insurer_officer",
                                                  "leader", "station_operator"]}
    assert summary["rows"][("a", "get")]["auto_only"] == ["bank_officer", "cadre", "enterprise_user",
                                                           "insurer_officer", "leader", "station_operator",
                                                           "town_staff"]
    assert (summary["names"], summary["cases"], summary["requests"], summary["auto_requests"]) == (2, 2, 13, 7)


def test_anonymous_is_sent_to_sign_in_on_a_page_and_refused_on_the_api(world, monkeypatch):
    seen = _tried(monkeypatch)
    page = AccessCase("audit_list", url_of("audit_list"), right=users("org_staff", "admin"),
                      wrong=users("town_staff", "station", "bank_officer", "insurer_officer", "enterprise_user",
                                  "cadre", "leader"))
    api = AccessCase("api:audit-log-list", lambda w: reverse("api:audit-log-list"), api=True,
                     right=users("org_staff", "admin"),
                     wrong=users("town_staff", "station", "bank_officer", "insurer_officer", "enterprise_user",
                                 "cadre", "leader"))
    run_access_case(page, world)
    run_access_case(api, world)
    # nine roles named by each case: no automatic request, one anonymous request each
    assert len(seen) == 2 * (1 + 7 + 2)


ADMIN_PAGES = ("/admin/", "/admin/portal/auditlog/", "/admin/auth/user/", "/admin/ratings/rating/")


def test_the_admin_site_turns_away_every_role_without_staff_status(world):
    # given the world's user of each role: none of them is staff (the admin site is Django's own, outside
    # the matrix above, behind its staff check and the second factor)
    for attr in ROLE_USERS.values():
        user = getattr(world, attr)
        assert not user.is_staff
        client = Client()
        client.force_login(user)
        # then no admin page opens for them
        for path in ADMIN_PAGES:
            response = client.get(path)
            assert response.status_code == 302, (attr, path, response.status_code)
            assert "/login/" in response["Location"], (attr, path, response["Location"])


def test_the_admin_site_opens_for_staff(world):
    # the check above can fail: the same pages open once the account has staff status and the rights
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.force_login(world.admin)
    assert [client.get(path).status_code for path in ADMIN_PAGES] == [200] * len(ADMIN_PAGES)
