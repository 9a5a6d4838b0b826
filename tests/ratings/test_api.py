"""The ratings API (/api/v1/ratings/, /api/v1/party-organizations/): access by role and scope, the
fields returned, every filter, the history of an organization, malformed filters, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.api.urls import ratings_router
from ratings import services
from ratings.choices import OrgKind, RatingAction, RatingStatus
from ratings.models import OrgCoverage, PartyOrganization
from tests.access import AccessCase, case_id, run_access_case
from tests.factories import EnterpriseFactory, PersonFactory

from .api_helpers import _client, _cycle, _ids, _rating
from .conftest import advance, sheet

S = RatingStatus
ORG_A = "东湖精密机械有限公司党支部"
ORG_B = "西山食品有限公司党支部"


# --- who is who ---------------------------------------------------------------------------------


def sees_org_a(w):
    """Roles whose scope reaches org_a (in a village of town A, covering enterprise A)."""
    return [w.org_staff, w.leader, w.town_staff, w.station, w.enterprise_user]


def no_rating_right(w):
    return [w.bank_officer, w.insurer_officer, w.cadre, w.admin]


def other_scope_of_org_a(w):
    return [w.town_staff_b, w.station_b_user, w.park_station_user, w.enterprise_b_user]


def api_url(name, *args):
    return lambda w: reverse(f"api:{name}", args=[a(w) for a in args])


def org_a_name(w):
    return ORG_A


ACCESS_CASES = [
    AccessCase("api:rating-list", api_url("rating-list"), right=sees_org_a, wrong=no_rating_right,
               other_scope=other_scope_of_org_a, other_status=(200,), api=True, marker=org_a_name),
    AccessCase("api:rating-detail", api_url("rating-detail", lambda w: w.rating_a.pk), right=sees_org_a,
               wrong=no_rating_right, other_scope=other_scope_of_org_a, api=True, marker=org_a_name),
    AccessCase("api:party-organization-list", api_url("party-organization-list"), right=sees_org_a,
               wrong=no_rating_right, other_scope=other_scope_of_org_a, other_status=(200,), api=True,
               marker=org_a_name),
    AccessCase("api:party-organization-detail", api_url("party-organization-detail", lambda w: w.org_a.pk),
               right=sees_org_a, wrong=no_rating_right, other_scope=other_scope_of_org_a, api=True, marker=org_a_name),
    AccessCase("api:party-organization-ratings", api_url("party-organization-ratings", lambda w: w.org_a.pk),
               right=sees_org_a, wrong=no_rating_right, other_scope=other_scope_of_org_a, api=True,
               marker=lambda w: "2026 年度星级评定"),
]


@pytest.fixture
def rating_world(world, cycle, org_a, org_b, rating_a):
    """The `world` with one rating in each town: org_a's (the cases' rows) and org_b's."""
    world.cycle, world.org_a, world.org_b, world.rating_a = cycle, org_a, org_b, rating_a
    world.rating_b = services.rating_start(acting_user=world.enterprise_b_user, cycle=cycle, organization=org_b)
    return world


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, rating_world):
    run_access_case(case, rating_world)


def test_every_ratings_route_and_method_has_an_access_case():
    offered = set()
    for pattern in ratings_router.urls:
        for method in set(pattern.callback.actions) - {"head"}:
            offered.add((f"api:{pattern.name}", method))

    assert {(case.name, case.method) for case in ACCESS_CASES} == offered



# --- ratings: fields --------------------------------------------------------------------------------


def test_rating_detail_has_the_documented_fields_history_and_stage_results(world, rating_a):
    # given org_a's rating walked to publication (self 91, town 85, department 82) and then revoked
    rating = advance(world, rating_a, S.TOWN)
    rating = advance(world, rating, S.DEPT, scores=sheet(a1="42", a2="27", b1="16"))
    rating = advance(world, rating, S.PUBLISHED, scores=sheet(a1="40", a2="26", b1="16", vetoes=["V2"]))
    rating = services.rating_revoke(acting_user=world.org_staff, rating=rating, expected_version=rating.version,
                                    reason="主要出资人发生严重违法行为", today=rating.valid_from)
    rating.refresh_from_db()

    # when the organization department reads it
    response = _client(world.org_staff).get(reverse("api:rating-detail", args=[rating.pk]))

    # then every documented field is there, the events in the order they happened
    assert response.status_code == 200
    body = response.json()
    events = list(rating.events.order_by("at", "pk"))
    assert body == {
        "id": rating.pk,
        "cycle": {"id": rating.cycle_id, "year": 2026, "name": "2026 年度星级评定"},
        "organization": {"id": world.ent_a.org_coverages.get().organization_id, "name": ORG_A, "kind": "branch",
                         "kind_display": "党支部", "region": world.village_a.pk,
                         "region_code": world.village_a.code, "region_name": "东湖村"},
        "status": "revoked",
        "status_display": "已撤销",
        "score": "82.0",
        "stars": 2,
        "vetoes": ["V2"],
        "notice_starts_on": rating.notice_starts_on.isoformat(),
        "notice_ends_on": (rating.notice_starts_on + datetime.timedelta(days=4)).isoformat(),
        "valid_from": rating.valid_from.isoformat(),
        "valid_to": rating.valid_to.isoformat(),
        "revoked_on": rating.valid_from.isoformat(),
        "revoke_reason": "主要出资人发生严重违法行为",
        "due_on": None,
        "overdue": False,
        "version": 7,
        "stage_results": [
            {"stage": "self", "stage_display": "自评", "total": "91.0", "stars": 5, "vetoes": []},
            {"stage": "town", "stage_display": "镇街初评", "total": "85.0", "stars": 4, "vetoes": []},
            {"stage": "dept", "stage_display": "组织部复核", "total": "82.0", "stars": 2, "vetoes": ["V2"]},
        ],
        "events": [
            {"action": action, "action_display": action_display, "from_status": from_status,
             "from_status_display": from_display, "to_status": to_status, "to_status_display": to_display,
             "actor_name": actor, "at": timezone.localtime(event.at).isoformat(), "comment": comment}
            for event, (action, action_display, from_status, from_display, to_status, to_display, actor, comment)
            in zip(events, [
                ("start", "开始自评", "", "", "self", "自评中", "t_enterprise", ""),
                ("submit", "提交自评", "self", "自评中", "town", "待镇街初评", "t_enterprise", ""),
                ("approve", "审核通过", "town", "待镇街初评", "dept", "待组织部复核", "t_townstaff", ""),
                ("approve", "审核通过", "dept", "待组织部复核", "notice", "公示中", "t_orgstaff", ""),
                ("publish", "命名", "notice", "公示中", "published", "已命名", "t_orgstaff", ""),
                ("revoke", "撤销", "published", "已命名", "revoked", "已撤销", "t_orgstaff",
                 "主要出资人发生严重违法行为"),
            ], strict=True)
        ],
    }


def test_rating_list_rows_carry_the_list_fields_only(world, ratings):
    response = _client(world.org_staff).get(reverse("api:rating-list"), {"q": "西山", "year": 2025})

    assert response.json()["results"] == [{
        "id": ratings["b_2025"].pk,
        "cycle": {"id": ratings["cycle_2025"].pk, "year": 2025, "name": "2025 年度星级评定"},
        "organization": {"id": ratings["b_2025"].organization_id, "name": ORG_B, "kind": "branch",
                         "kind_display": "党支部", "region": world.village_b.pk, "region_code": world.village_b.code,
                         "region_name": "西山社区"},
        "status": "published",
        "status_display": "已命名",
        "score": "75.5",
        "stars": 3,
        "vetoes": [],
        "notice_starts_on": None,
        "notice_ends_on": None,
        "valid_from": "2025-06-01",
        "valid_to": "2026-06-01",
        "revoked_on": None,
        "revoke_reason": "",
        "due_on": None,
        "overdue": False,
        "version": 1,
    }]


def test_a_rating_not_yet_scored_has_no_score(world, rating_a):
    body = _client(world.enterprise_user).get(reverse("api:rating-detail", args=[rating_a.pk])).json()

    assert (body["status"], body["score"], body["stars"], body["stage_results"]) == ("self", None, None, [])
    assert [e["action"] for e in body["events"]] == [RatingAction.START]


# --- ratings: scope -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("user", "expected"), [
    ("org_staff", ["a_2025", "b_2025", "c_2025", "a_2026", "b_2026"]),
    ("leader", ["a_2025", "b_2025", "c_2025", "a_2026", "b_2026"]),
    ("town_staff", ["a_2025", "c_2025", "a_2026"]),
    ("town_staff_b", ["b_2025", "b_2026"]),
    ("station", ["a_2025", "a_2026"]),  # it serves enterprises; org_c covers none
    ("enterprise_user", ["a_2025", "a_2026"]),
    ("enterprise_b_user", ["b_2025", "b_2026"]),
    ("park_station_user", []),
])
def test_rating_list_is_limited_to_the_users_scope(world, ratings, user, expected):
    response = _client(getattr(world, user)).get(reverse("api:rating-list"))

    assert _ids(response) == sorted(ratings[k].pk for k in expected)


@pytest.mark.parametrize("user", ["bank_officer", "insurer_officer", "cadre", "admin"])
def test_roles_without_a_right_on_ratings_are_refused(world, rating_a, user):
    client = _client(getattr(world, user))

    assert client.get(reverse("api:rating-list")).status_code == 403
    assert client.get(reverse("api:rating-detail", args=[rating_a.pk])).status_code == 403


@pytest.mark.parametrize("user", ["town_staff_b", "enterprise_b_user", "station_b_user"])
def test_out_of_scope_details_answer_404_like_missing_ones(world, rating_a, user):
    client = _client(getattr(world, user))
    org = rating_a.organization

    for url in (reverse("api:rating-detail", args=[rating_a.pk]), reverse("api:rating-detail", args=[999999]),
                reverse("api:party-organization-detail", args=[org.pk]),
                reverse("api:party-organization-ratings", args=[org.pk]),
                reverse("api:party-organization-ratings", args=[999999])):
        response = client.get(url)
        assert response.status_code == 404, url
        assert ORG_A not in response.content.decode()


def test_a_detail_ignores_list_filters(world, rating_a):
    # the detail is found by its id, not through the list's filters
    response = _client(world.org_staff).get(reverse("api:rating-detail", args=[rating_a.pk]), {"stars": "5"})

    assert (response.status_code, response.json()["id"]) == (200, rating_a.pk)


# --- party organizations ---------------------------------------------------------------------------


def test_organization_detail_has_the_documented_fields_and_no_personal_data(world, org_a):
    # given a branch under a committee, with a secretary whose ID number and mobile are on file
    secretary = PersonFactory(name="张书记", mobile="13912345678")
    committee = services.organization_create(acting_user=world.org_staff, name="东湖镇非公企业综合党委",
                                             kind=OrgKind.COMMITTEE, region=world.town_a)
    org = services.organization_update(acting_user=world.org_staff, organization=org_a, superior=committee,
                                       secretary=secretary, founded_on=datetime.date(2018, 7, 1))

    response = _client(world.town_staff).get(reverse("api:party-organization-detail", args=[org.pk]))

    assert response.status_code == 200
    assert response.json() == {
        "id": org.pk, "name": ORG_A, "kind": "branch", "kind_display": "党支部", "region": world.village_a.pk,
        "region_code": world.village_a.code, "region_name": "东湖村", "superior": committee.pk,
        "superior_name": "东湖镇非公企业综合党委", "secretary_name": "张书记", "member_count": 12,
        "founded_on": "2018-07-01", "dissolved_on": None,
        "enterprises": [{"id": world.ent_a.pk, "uscc": world.ent_a.uscc, "name": "东湖精密机械有限公司"}],
    }
    assert secretary.id_number not in response.content.decode()
    assert "13912345678" not in response.content.decode()


def test_organization_lists_current_enterprises_only(world, org_a):
    # given enterprise A moved away from org_a, and another enterprise covered since
    coverage = OrgCoverage.objects.get(organization=org_a, enterprise=world.ent_a)
    services.coverage_end(acting_user=world.org_staff, coverage=coverage, ended_on=datetime.date(2024, 12, 31))
    newcomer = EnterpriseFactory(name="东湖新材料有限公司", region=world.village_a)
    services.coverage_start(acting_user=world.org_staff, organization=org_a, enterprise=newcomer,
                            started_on=datetime.date(2025, 1, 1))

    response = _client(world.org_staff).get(reverse("api:party-organization-detail", args=[org_a.pk]))

    assert response.json()["enterprises"] == [{"id": newcomer.pk, "uscc": newcomer.uscc, "name": "东湖新材料有限公司"}]


@pytest.mark.parametrize(("user", "expected"), [
    ("org_staff", ["东湖精密机械有限公司", "西山食品有限公司"]),
    ("town_staff", ["东湖精密机械有限公司"]),
    ("enterprise_user", ["东湖精密机械有限公司"]),
])
def test_a_joint_branch_shows_only_the_enterprises_the_user_may_see(world, user, expected):
    # given a joint branch in town A covering an enterprise of each town
    joint = services.organization_create(acting_user=world.org_staff, name="东湖西山联合党支部",
                                         kind=OrgKind.JOINT_BRANCH, region=world.town_a)
    for enterprise in (world.ent_a, world.ent_b):
        services.coverage_start(acting_user=world.org_staff, organization=joint, enterprise=enterprise,
                                started_on=datetime.date(2023, 1, 1))
    client = _client(getattr(world, user))

    detail = client.get(reverse("api:party-organization-detail", args=[joint.pk])).json()
    listed = client.get(reverse("api:party-organization-list")).json()["results"]

    assert sorted(e["name"] for e in detail["enterprises"]) == sorted(expected)
    assert [sorted(e["name"] for e in row["enterprises"]) for row in listed] == [sorted(expected)]


# --- an organization's history ---------------------------------------------------------------------


def test_history_lists_the_organizations_ratings_newest_cycle_first(world, rubric, cycle, org_a, org_b, rating_a):
    # given org_a rated in 2024 and 2025 (rows written out of order) besides the running 2026 rating,
    # and org_b rated in 2025
    c2025, c2024 = _cycle(rubric, 2025), _cycle(rubric, 2024)
    r2025 = _rating(c2025, org_a, S.PUBLISHED, 4, "86.0")
    r2024 = _rating(c2024, org_a, S.REVOKED, 5, "92.5")
    _rating(c2025, org_b, S.PUBLISHED, 3, "71.0")

    # when the enterprise reads its organization's history
    response = _client(world.enterprise_user).get(reverse("api:party-organization-ratings", args=[org_a.pk]))

    # then it is a plain list (no paging), newest cycle first, with the list's fields
    body = response.json()
    assert response.status_code == 200
    assert [(r["id"], r["cycle"]["year"], r["status"], r["stars"], r["score"]) for r in body] == [
        (rating_a.pk, 2026, "self", None, None),
        (r2025.pk, 2025, "published", 4, "86.0"),
        (r2024.pk, 2024, "revoked", 5, "92.5"),
    ]
    assert set(body[0]) == set(_client(world.org_staff).get(reverse("api:rating-list")).json()["results"][0])


def test_history_of_an_organization_never_rated_is_empty(world, org_b):
    response = _client(world.town_staff_b).get(reverse("api:party-organization-ratings", args=[org_b.pk]))

    assert (response.status_code, response.json()) == (200, [])


# --- query counts -------------------------------------------------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    return len(queries), (body["count"] if isinstance(body, dict) else len(body))


def _more_organizations(world, n, start):
    """`n` organizations of town A, each covering an enterprise of its own, rated in the cycle given."""
    organizations = []
    for i in range(start, start + n):
        org = PartyOrganization.objects.create(name=f"东湖第{i}党支部", region=world.village_a,
                                               secretary=PersonFactory())
        OrgCoverage.objects.create(organization=org, started_on=datetime.date(2021, 1, 1),
                                   enterprise=EnterpriseFactory(region=world.village_a))
        organizations.append(org)
    return organizations


@pytest.mark.parametrize("user", ["org_staff", "town_staff", "station"])
def test_list_query_counts_do_not_grow_with_rows(world, cycle, user):
    client = _client(getattr(world, user))

    for org in _more_organizations(world, 2, 0):
        _rating(cycle, org, S.NOTICE, 4, "81.0")
    few = (_count_queries(client, reverse("api:rating-list")),
           _count_queries(client, reverse("api:party-organization-list")))
    for org in _more_organizations(world, 8, 2):
        _rating(cycle, org, S.NOTICE, 3, "71.0")
    many = (_count_queries(client, reverse("api:rating-list")),
            _count_queries(client, reverse("api:party-organization-list")))

    assert [rows for _, rows in few] == [2, 2]
    assert [rows for _, rows in many] == [10, 10]
    assert [queries for queries, _ in few] == [queries for queries, _ in many], (few, many)


def test_history_query_count_does_not_grow_with_cycles(world, rubric, org_a):
    client = _client(world.org_staff)
    url = reverse("api:party-organization-ratings", args=[org_a.pk])

    for year in (2020, 2021):
        _rating(_cycle(rubric, year), org_a, S.PUBLISHED, 3, "70.0")
    few = _count_queries(client, url)
    for year in range(2010, 2018):
        _rating(_cycle(rubric, year), org_a, S.PUBLISHED, 3, "70.0")
    many = _count_queries(client, url)

    assert (few[1], many[1]) == (2, 10)
    assert few[0] == many[0], (few, many)


def test_the_schema_describes_the_ratings_endpoints(world):
    schema = _client(world.org_staff).get(reverse("api_schema"), HTTP_ACCEPT="application/json").json()

    paths = schema["paths"]
    assert {"/api/v1/ratings/", "/api/v1/ratings/{id}/", "/api/v1/party-organizations/",
            "/api/v1/party-organizations/{id}/", "/api/v1/party-organizations/{id}/ratings/"} <= set(paths)
    history = paths["/api/v1/party-organizations/{id}/ratings/"]["get"]["responses"]["200"]
    assert history["content"]["application/json"]["schema"] == {
        "type": "array", "items": {"$ref": "#/components/schemas/Rating"}
    }
    assert {p["name"] for p in paths["/api/v1/ratings/"]["get"]["parameters"]} == {
        "q", "cycle", "year", "stars", "status", "region", "high", "overdue", "valid_on", "published_by", "due",
        "sort", "page", "page_size"
    }

