"""The registry's REST API (/api/v1/): access by role and scope, token authentication, masking and
unmasking of personal data, validation through the services, filters, pagination, query count."""

import random
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal.api.urls import router
from portal.identifiers import make_id_number, make_uscc
from portal.models import AuditLog, Enterprise, Person
from tests.access import REFERENCE_DATA, AccessCase, case_id, run_access_case

_rng = random.Random(20261127)

GOOD_USCC = "91510799MA62X7K5LA"
BAD_CHECK_USCC = "91510799MA62X7K5LB"  # the check character should be A
BAD_CHECK_MESSAGE = "统一社会信用代码校验位错误：第 18 位应为“A”，实为“B”。"


# --- who is who in the `world` fixture ------------------------------------------------------------


def everyone(w):
    return [w.org_staff, w.town_staff, w.station, w.park_station_user, w.bank_officer, w.insurer_officer,
            w.enterprise_user, w.cadre, w.leader, w.admin]


def sees_ent_a(w):
    """Roles whose scope reaches enterprise A (in a village of town A) and its legal representative."""
    return [w.org_staff, w.town_staff, w.station, w.enterprise_user, w.leader]


def no_enterprise_right(w):
    """Roles refused the lists outright. (A cadre reads its paired enterprises: in this world it has
    none, so it answers 200 with an empty list or 404, as another scope does.)"""
    return [w.bank_officer, w.insurer_officer, w.admin]


def other_scope_of_ent_a(w):
    return [w.town_staff_b, w.station_b_user, w.park_station_user, w.enterprise_b_user, w.cadre]


def registry_editors(w):
    return [w.org_staff]


def not_registry_editors(w):
    return [w.town_staff, w.station, w.enterprise_user, w.leader, w.bank_officer, w.cadre, w.admin]


def may_unmask_person_a(w):
    return [w.org_staff, w.town_staff, w.station]


def may_not_unmask(w):
    """They may see person A (or nobody at all) but hold no right to see personal data whole."""
    return [w.enterprise_user, w.leader, w.bank_officer, w.cadre, w.admin]


API_DESCRIPTION = "the description of the API holds no data"


def api_url(name, *args):
    """A function of the world giving the URL; `args` are functions of the world too."""
    return lambda w: reverse(f"api:{name}", args=[a(w) for a in args])


def new_enterprise(w):
    return {"uscc": make_uscc(_rng), "name": "东湖新材料有限公司", "region": w.village_a.pk}


ACCESS_CASES = [
    # Reference data: every role reads it.
    AccessCase("api:region-list", api_url("region-list"), right=everyone, why_no_other_scope=REFERENCE_DATA, api=True, marker=lambda w: "东湖镇"),
    AccessCase("api:region-detail", api_url("region-detail", lambda w: w.town_a.pk), right=everyone, why_no_other_scope=REFERENCE_DATA, api=True,
               marker=lambda w: "东湖镇"),
    AccessCase("api:park-list", api_url("park-list"), right=everyone, why_no_other_scope=REFERENCE_DATA, api=True, marker=lambda w: w.park.name),
    AccessCase("api:park-detail", api_url("park-detail", lambda w: w.park.pk), right=everyone, why_no_other_scope=REFERENCE_DATA, api=True,
               marker=lambda w: w.park.name),
    AccessCase("api:institution-list", api_url("institution-list"), right=everyone, why_no_other_scope=REFERENCE_DATA, api=True,
               marker=lambda w: "星湖农商银行"),
    AccessCase("api:institution-detail", api_url("institution-detail", lambda w: w.bank.pk), right=everyone, why_no_other_scope=REFERENCE_DATA,
               api=True, marker=lambda w: "星湖农商银行"),
    AccessCase("api:station-list", api_url("station-list"), right=everyone, why_no_other_scope=REFERENCE_DATA, api=True,
               marker=lambda w: "东湖镇金融服务站"),
    AccessCase("api:station-detail", api_url("station-detail", lambda w: w.station_a.pk), right=everyone, why_no_other_scope=REFERENCE_DATA,
               api=True, marker=lambda w: "东湖镇金融服务站"),
    # Enterprises: read within the scope, written by the organization department only.
    AccessCase("api:enterprise-list", api_url("enterprise-list"), right=sees_ent_a, wrong=no_enterprise_right,
               other_scope=other_scope_of_ent_a, other_status=(200,), api=True,
               marker=lambda w: "东湖精密机械有限公司"),
    AccessCase("api:enterprise-detail", api_url("enterprise-detail", lambda w: w.ent_a.pk), right=sees_ent_a,
               wrong=no_enterprise_right, other_scope=other_scope_of_ent_a, api=True,
               marker=lambda w: "东湖精密机械有限公司"),
    AccessCase("api:enterprise-by-uscc", api_url("enterprise-by-uscc", lambda w: w.ent_a.uscc), right=sees_ent_a,
               wrong=no_enterprise_right, other_scope=other_scope_of_ent_a, api=True,
               marker=lambda w: "东湖精密机械有限公司"),
    AccessCase("api:enterprise-list", api_url("enterprise-list"), method="post", data=new_enterprise,
               right=registry_editors, wrong=not_registry_editors, api=True, ok=(201,),
               label="POST api:enterprise-list (create)"),
    AccessCase("api:enterprise-detail", api_url("enterprise-detail", lambda w: w.ent_a.pk), method="patch",
               data=lambda w: {"employees": 60}, right=registry_editors, wrong=not_registry_editors, api=True,
               label="PATCH api:enterprise-detail"),
    # People: read within the scope, personal data masked; unmasking is a right of its own.
    AccessCase("api:person-list", api_url("person-list"), right=sees_ent_a, wrong=no_enterprise_right,
               other_scope=other_scope_of_ent_a, other_status=(200,), api=True, marker=lambda w: "李东湖"),
    AccessCase("api:person-detail", api_url("person-detail", lambda w: w.person_a.pk), right=sees_ent_a,
               wrong=no_enterprise_right, other_scope=other_scope_of_ent_a, api=True, marker=lambda w: "李东湖"),
    AccessCase("api:person-list", api_url("person-list"), method="post",
               data=lambda w: {"name": "赵新", "id_number": make_id_number(_rng)}, right=registry_editors,
               wrong=not_registry_editors, api=True, ok=(201,), label="POST api:person-list (create)"),
    AccessCase("api:person-detail", api_url("person-detail", lambda w: w.person_a.pk), method="patch",
               data=lambda w: {"is_new_generation": True}, right=registry_editors, wrong=not_registry_editors,
               api=True, label="PATCH api:person-detail"),
    AccessCase("api:person-unmask", api_url("person-unmask", lambda w: w.person_a.pk), method="post",
               right=may_unmask_person_a, wrong=may_not_unmask,
               other_scope=lambda w: [w.town_staff_b, w.station_b_user, w.park_station_user], api=True,
               marker=lambda w: w.person_a.id_number),
    # The audit log: the organization department and the system administrator.
    AccessCase("api:audit-log-list", api_url("audit-log-list"), right=lambda w: [w.org_staff, w.admin],
               wrong=lambda w: [w.town_staff, w.station, w.bank_officer, w.insurer_officer, w.enterprise_user,
                                w.cadre, w.leader], api=True),
    # The description of the API: any signed-in user, nobody anonymous.
    AccessCase("api_schema", lambda w: reverse("api_schema"), right=everyone, api=True,
               marker=lambda w: "/api/v1/enterprises/by-uscc/{uscc}/", why_no_other_scope=API_DESCRIPTION),
    AccessCase("api_docs", lambda w: reverse("api_docs"), right=everyone, api=True,
               marker=lambda w: "swagger-ui", why_no_other_scope=API_DESCRIPTION),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, world):
    run_access_case(case, world)


def test_every_api_route_and_method_has_an_access_case():
    # given every route of the v1 router with the methods it answers
    offered = set()
    for pattern in router.urls:
        for method in set(pattern.callback.actions) - {"head"}:
            offered.add((f"api:{pattern.name}", method))
    offered |= {("api_schema", "get"), ("api_docs", "get")}

    # then each one is tried as anonymous, wrong role, other scope and right role above
    assert {(case.name, case.method) for case in ACCESS_CASES} == offered


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def _names(response):
    return [row["name"] for row in response.json()["results"]]


# --- authentication -------------------------------------------------------------------------------


def test_anonymous_call_is_challenged_for_an_api_key(world):
    # the institutions' API keys are the scheme to use now (apikeys); legacy tokens still work until
    # their cut-off (tests/apikeys/test_legacy_tokens.py)
    response = APIClient().get(reverse("api:enterprise-list"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_token_authenticates_within_the_users_scope(world):
    # given a token issued to a town's staff member, as `manage.py drf_create_token` does
    token = Token.objects.create(user=world.town_staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    # when the town's system lists enterprises
    response = client.get(reverse("api:enterprise-list"))

    # then only the town's enterprise comes back
    assert response.status_code == 200
    assert _names(response) == ["东湖精密机械有限公司"]


def test_a_bank_token_reads_institutions_but_not_the_enterprise_registry(world):
    token = Token.objects.create(user=world.bank_officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert client.get(reverse("api:institution-list")).json()["count"] == 4
    assert client.get(reverse("api:enterprise-list")).status_code == 403


def test_an_unknown_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert client.get(reverse("api:region-list")).status_code == 401


# --- enterprises ----------------------------------------------------------------------------------


def test_enterprise_detail_has_the_documented_fields(world):
    world.ent_a.founded_on = "2015-06-01"
    world.ent_a.save()

    response = _client(world.town_staff).get(reverse("api:enterprise-detail", args=[world.ent_a.pk]))

    body = response.json()
    assert response.status_code == 200
    assert {k: v for k, v in body.items() if k not in ("created_at", "updated_at")} == {
        "id": world.ent_a.pk,
        "uscc": world.ent_a.uscc,
        "name": "东湖精密机械有限公司",
        "kind": "private",
        "kind_display": "民营企业",
        "industry": "C",
        "industry_display": "制造业",
        "region": world.village_a.pk,
        "region_name": "东湖村",
        "park": None,
        "park_name": None,
        "is_key": True,
        "employees": 50,
        "registered_capital": "1000000.00",
        "founded_on": "2015-06-01",
        "address": "",
        "legal_representative": world.person_a.pk,
        "contact": None,
    }


def test_create_enterprise_goes_through_the_service_and_is_audited(world):
    # given the organization department's staff
    client = _client(world.org_staff)

    # when they register an enterprise, credit code typed in lower case with blanks
    response = client.post(reverse("api:enterprise-list"), {
        "uscc": "91510799ma62x7k5la ", "name": " 星湖新能源有限公司 ", "kind": "private", "industry": "D",
        "region": world.village_b.pk, "park": None, "is_key": False, "employees": 12,
        "registered_capital": "2500000.5", "founded_on": "2020-03-15", "address": "西山社区工业路 8 号",
        "legal_representative": world.person_b.pk,
    }, format="json")

    # then it exists as normalized by the service, and the audit log says who did it
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["uscc"] == GOOD_USCC
    assert body["name"] == "星湖新能源有限公司"
    assert body["registered_capital"] == "2500000.50"
    assert body["region_name"] == "西山社区"
    assert body["industry_display"] == "电力、热力、燃气及水生产和供应业"
    enterprise = Enterprise.objects.get(uscc=GOOD_USCC)
    assert enterprise.registered_capital == Decimal("2500000.50")
    assert enterprise.legal_representative == world.person_b
    assert list(AuditLog.objects.filter(action="enterprise.create").values_list("object_id", "actor_name")) == [
        (str(enterprise.pk), "t_orgstaff")
    ]


@pytest.mark.parametrize(("uscc", "message"), [
    (BAD_CHECK_USCC, BAD_CHECK_MESSAGE),
    ("12345", "统一社会信用代码应为 18 位，当前为 5 位。"),
    ("", "统一社会信用代码不能为空。"),
])
def test_create_enterprise_with_a_bad_credit_code_writes_nothing(world, uscc, message):
    before = Enterprise.objects.count()

    response = _client(world.org_staff).post(
        reverse("api:enterprise-list"), {"uscc": uscc, "name": "星湖错码有限公司", "region": world.town_a.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "请更正标出的错误。", "code": "invalid", "errors": {"uscc": [message]}}
    assert Enterprise.objects.count() == before
    assert not AuditLog.objects.exists()


def test_create_enterprise_with_a_registered_credit_code_is_refused(world):
    response = _client(world.org_staff).post(
        reverse("api:enterprise-list"), {"uscc": world.ent_a.uscc, "name": "重复有限公司", "region": world.town_a.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"uscc": [f"统一社会信用代码 {world.ent_a.uscc} 已登记。"]}


def test_create_enterprise_with_wrong_types_answers_in_the_same_error_shape(world):
    response = _client(world.org_staff).post(reverse("api:enterprise-list"), {
        "uscc": GOOD_USCC, "name": "类型错误有限公司", "region": 999999, "employees": "许多",
        "registered_capital": "1.234", "kind": "bank",
    }, format="json")

    body = response.json()
    assert response.status_code == 400
    assert body["detail"] == "请更正标出的错误。"
    assert body["code"] == "invalid"
    assert sorted(body["errors"]) == ["employees", "kind", "region", "registered_capital"]
    assert not Enterprise.objects.filter(uscc=GOOD_USCC).exists()


def test_partial_update_changes_only_what_is_sent_and_is_audited(world):
    response = _client(world.org_staff).patch(
        reverse("api:enterprise-detail", args=[world.ent_a.pk]), {"employees": 75, "is_key": False}, format="json"
    )

    assert response.status_code == 200
    world.ent_a.refresh_from_db()
    assert (world.ent_a.name, world.ent_a.employees, world.ent_a.is_key) == ("东湖精密机械有限公司", 75, False)
    log = AuditLog.objects.get(action="enterprise.update")
    assert (log.before["employees"], log.after["employees"]) == (50, 75)


def test_partial_update_by_a_role_without_the_change_right_changes_nothing(world):
    response = _client(world.town_staff).patch(
        reverse("api:enterprise-detail", args=[world.ent_a.pk]), {"name": "改名有限公司"}, format="json"
    )

    assert response.status_code == 403
    world.ent_a.refresh_from_db()
    assert world.ent_a.name == "东湖精密机械有限公司"
    assert not AuditLog.objects.exists()


def test_put_is_not_offered(world):
    response = _client(world.org_staff).put(
        reverse("api:enterprise-detail", args=[world.ent_a.pk]), {"name": "整体替换"}, format="json"
    )

    assert response.status_code == 405


def test_by_uscc_finds_the_enterprise_in_lower_case_too(world):
    world.ent_a.uscc = GOOD_USCC
    world.ent_a.save()

    response = _client(world.station).get(reverse("api:enterprise-by-uscc", args=[GOOD_USCC.lower()]))

    assert response.status_code == 200
    assert response.json()["id"] == world.ent_a.pk


def test_by_uscc_with_a_malformed_code_answers_400_in_chinese(world):
    response = _client(world.org_staff).get(reverse("api:enterprise-by-uscc", args=[BAD_CHECK_USCC]))

    assert response.status_code == 400
    assert response.json() == {"detail": BAD_CHECK_MESSAGE, "code": "invalid", "errors": {"uscc": [BAD_CHECK_MESSAGE]}}


def test_by_uscc_with_an_unknown_code_answers_404(world):
    response = _client(world.org_staff).get(reverse("api:enterprise-by-uscc", args=[GOOD_USCC]))

    assert response.status_code == 404


# --- people: masked always, whole only through an audited unmask --------------------------------------


def _masked(number):
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def test_person_list_and_detail_never_show_whole_personal_data(world):
    person = world.person_a
    client = _client(world.org_staff)

    listing = client.get(reverse("api:person-list"))
    detail = client.get(reverse("api:person-detail", args=[person.pk]))

    for response in (listing, detail):
        assert response.status_code == 200
        assert person.id_number not in response.content.decode()
        assert person.mobile not in response.content.decode()
    row = next(r for r in listing.json()["results"] if r["id"] == person.pk)
    assert row["id_number_masked"] == _masked(person.id_number)
    assert row["mobile_masked"] == _masked(person.mobile)
    assert "id_number" not in detail.json()
    assert "mobile" not in detail.json()
    assert detail.json()["id_number_masked"] == _masked(person.id_number)


def test_person_create_answers_masked(world):
    number = make_id_number(_rng)

    response = _client(world.org_staff).post(
        reverse("api:person-list"), {"name": "赵新", "id_number": number, "mobile": "13812345678"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["id_number_masked"] == _masked(number)
    assert response.json()["mobile_masked"] == "138****5678"
    assert number not in response.content.decode()
    assert Person.objects.get(name="赵新").id_number == number


def test_person_create_with_a_bad_id_number_writes_nothing(world):
    before = Person.objects.count()

    response = _client(world.org_staff).post(
        reverse("api:person-list"), {"name": "钱错", "id_number": "12345"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"id_number": ["身份证号应为 18 位，当前为 5 位。"]}
    assert Person.objects.count() == before


def test_unmask_returns_whole_values_and_writes_one_audit_row(world):
    person = world.person_a

    response = _client(world.town_staff).post(reverse("api:person-unmask", args=[person.pk]))

    assert response.status_code == 200
    assert response.json() == {"id_number": person.id_number, "mobile": person.mobile}
    assert response["Cache-Control"] == "no-store"
    assert list(AuditLog.objects.values_list("action", "object_type", "object_id", "actor_name")) == [
        ("person.unmask", "portal.person", str(person.pk), "t_townstaff")
    ]


def test_unmask_can_ask_for_one_field_only(world):
    person = world.person_a

    response = _client(world.org_staff).post(
        reverse("api:person-unmask", args=[person.pk]), {"fields": ["mobile"]}, format="json"
    )

    assert response.json() == {"mobile": person.mobile}
    assert AuditLog.objects.get().note == "查看完整信息：手机号"


@pytest.mark.parametrize(("username", "status"), [
    ("enterprise_user", 403),  # sees the person, may not see personal data whole
    ("leader", 403),
    ("bank_officer", 403),
    ("town_staff_b", 404),  # may unmask, but not this person: not found
    ("station_b_user", 404),
])
def test_unmask_refused_leaves_no_audit_row(world, username, status):
    person = world.person_a

    response = _client(getattr(world, username)).post(reverse("api:person-unmask", args=[person.pk]))

    assert response.status_code == status
    assert person.id_number not in response.content.decode()
    assert not AuditLog.objects.filter(action="person.unmask").exists()


def test_person_update_keeps_personal_data_masked_in_the_audit_log(world):
    person = world.person_a
    old_number = person.id_number

    response = _client(world.org_staff).patch(
        reverse("api:person-detail", args=[person.pk]), {"mobile": "13900001111"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["mobile_masked"] == "139****1111"
    log = AuditLog.objects.get(action="person.update")
    assert (log.before["mobile"], log.after["mobile"]) == (_masked(person.mobile), "139****1111")
    assert log.after["id_number"] == _masked(old_number)
