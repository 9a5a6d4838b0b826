"""The finance API: the eligibility lookup the banks' and insurers' systems call, and loan
applications with their steps."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from finance.models import LoanApplication
from finance.services.lookups import eligibility_lookups_flush
from portal.choices import Role
from portal.models import AuditLog
from tests.access import AccessCase, case_id, run_access_case, url_of, users

pytestmark = pytest.mark.django_db


# Banks and insurers look up any enterprise by the code it gave them (each look is audited): no other bank
# or insurer is refused. The registry's roles look up what they see, and other scopes are tried.
ANY_ENTERPRISE = "banks and insurers look up any enterprise by its code, every look audited"


# The API reads the body's enterprise among those the user sees before the service checks the role: a
# bank or insurer officer, who sees none in the registry, is told "no such enterprise" (400) and can
# submit nothing (the page refuses them with 403 up front).
REFUSED_BEFORE_ROLE = (400, 403, 404)


def api(name, *attrs, **fixed):
    return url_of(f"api:{name}", *attrs, **fixed)


ACCESS_CASES = [
    AccessCase("api:eligibility", url_of("api:eligibility", "ent_a.uscc"), api=True,
               right=users("bank_officer", "bank2_officer", "insurer_officer", "insurer2_officer", "station",
                           "org_staff", "leader", "town_staff", "enterprise_user"),
               wrong=users("cadre", "admin"),
               other_scope=users("station_b_user", "park_station_user", "town_staff_b", "enterprise_b_user"),
               marker=lambda w: w.ent_a.uscc, why_no_other_scope=ANY_ENTERPRISE),
    # The batch answers 200 to a user whose scope does not reach ent_a too, with the code under not_found:
    # the enterprise's name (only in a result) is what must not show.
    AccessCase("api:eligibility-batch", api("eligibility-batch"), api=True, method="post",
               data=lambda w: {"uscc": [w.ent_a.uscc]},
               right=users("bank_officer", "bank2_officer", "insurer_officer", "insurer2_officer", "station",
                           "org_staff", "leader", "town_staff", "enterprise_user"),
               wrong=users("cadre", "admin"),
               other_scope=users("station_b_user", "park_station_user", "town_staff_b", "enterprise_b_user"),
               other_status=(200,), marker=lambda w: w.ent_a.name, why_no_other_scope=ANY_ENTERPRISE),
    AccessCase("api:loan-application-list", api("loan-application-list"), api=True,
               right=users("bank_officer", "station", "enterprise_user", "org_staff", "leader", "town_staff"),
               wrong=users("insurer_officer", "cadre", "admin"),
               other_scope=users("bank2_officer", "station_b_user", "enterprise_b_user", "town_staff_b"),
               other_status=(200,),
               marker=lambda w: "购置生产设备"),
    AccessCase("api:loan-application-list", api("loan-application-list"), api=True, method="post", ok=(201,),
               data=lambda w: {"enterprise": w.ent_a.uscc, "bank": w.bank2.pk, "product": w.product2.pk,
                               "amount": "1000000", "purpose": "扩大生产"},
               right=users("station"),
               wrong=users("bank_officer", "insurer_officer", "org_staff", "town_staff", "leader", "cadre", "admin"),
               # Another station names an enterprise outside its area: "no such enterprise".
               other_scope=users("station_b_user"), other_status=(400,), tried_elsewhere=(Role.ENTERPRISE_USER,),
               refused=REFUSED_BEFORE_ROLE, label="POST api:loan-application-list (station)"),
    AccessCase("api:loan-application-list", api("loan-application-list"), api=True, method="post", ok=(201,),
               data=lambda w: {"bank": w.bank2.pk, "product": w.product2.pk, "amount": "1000000", "purpose": "扩大生产"},
               right=users("enterprise_user"), wrong=users("bank_officer", "org_staff", "cadre", "admin"),
               why_no_other_scope="an enterprise user applies for its own enterprise: the body names none",
               tried_elsewhere=(Role.STATION_OPERATOR,), refused=REFUSED_BEFORE_ROLE,
               label="POST api:loan-application-list (enterprise)"),
    AccessCase("api:loan-application-detail", api("loan-application-detail", "app_a.pk"), api=True,
               right=users("bank_officer", "station", "enterprise_user", "org_staff", "leader", "town_staff"),
               wrong=users("insurer_officer", "cadre", "admin"),
               other_scope=users("bank2_officer", "station_b_user", "enterprise_b_user", "town_staff_b"),
               marker=lambda w: "购置生产设备"),
    AccessCase("api:loan-application-step", api("loan-application-step", "app_a.pk", step="accept"), api=True,
               method="post", data=lambda w: {}, right=users("bank_officer"),
               wrong=users("enterprise_user", "station", "org_staff", "insurer_officer", "cadre"),
               other_scope=users("bank2_officer")),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, fworld):
    run_access_case(case, fworld)


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_eligibility_answers_in_the_agreed_shape(fworld):
    response = client_for(fworld.bank_officer).get(reverse("api:eligibility", args=[fworld.ent_a.uscc]))
    assert response.status_code == 200
    data = response.json()
    assert data["uscc"] == fworld.ent_a.uscc
    assert data["enterprise"] == fworld.ent_a.name
    assert data["eligible"] is True
    assert data["reasons"] == []
    assert data["rating"] == {"stars": 5, "cycle": 2026, "valid_from": fworld.rated_a.valid_from.isoformat(),
                              "valid_to": fworld.rated_a.valid_to.isoformat()}
    assert data["loan"] == {"quota": "5000000.00", "used": "0.00", "available": "5000000.00"}
    assert isinstance(data["insurance"], list)
    eligibility_lookups_flush()  # a no-op where the lookup went into the chain at once (no Redis)
    assert AuditLog.objects.filter(action="eligibility.lookup", object_id=str(fworld.ent_a.pk)).count() == 1


def test_eligibility_explains_a_refusal(fworld):
    data = client_for(fworld.bank_officer).get(reverse("api:eligibility", args=[fworld.ent_park.uscc])).json()
    assert (data["eligible"], data["rating"], data["loan"]["quota"]) == (False, None, "0.00")
    assert data["reasons"] == [{"code": "no_organization", "message": "未建立党组织"}]


def test_eligibility_refuses_a_malformed_code_and_an_unknown_one(fworld):
    client = client_for(fworld.bank_officer)
    response = client.get(reverse("api:eligibility", args=["91110108551385082X"]))
    assert response.status_code == 400
    assert response.json()["errors"] == {"uscc": ["统一社会信用代码校验位错误：第 18 位应为“Q”，实为“X”。"]}
    assert client.get(reverse("api:eligibility", args=["12345"])).status_code == 400
    assert client.get(reverse("api:eligibility", args=["91110108551385082Q"])).status_code == 404


def test_a_station_submits_and_the_bank_walks_the_steps(fworld):
    station, bank = client_for(fworld.station), client_for(fworld.bank2_officer)
    response = station.post(reverse("api:loan-application-list"), {
        "enterprise": fworld.ent_a.uscc, "bank": fworld.bank2.pk, "product": fworld.product2.pk,
        "amount": "2000000.00", "purpose": "扩建厂房"}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "submitted"
    for step, body, status in [("accept", {}, "accepted"), ("approve", {"amount": "1800000"}, "approved"),
                               ("disburse", {}, "disbursed"), ("repay", {}, "repaid")]:
        response = bank.post(reverse("api:loan-application-step", args=[pk, step]), body, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == status
    data = response.json()
    assert (data["approved_amount"], data["quota"], data["stars"]) == ("1800000.00", "5000000.00", 5)
    assert [e["action"] for e in data["events"]] == ["submit", "accept", "approve", "disburse", "repay"]


@pytest.mark.parametrize(("step", "body", "status", "code"), [
    ("approve", {"amount": "1000"}, 400, "not_allowed"),  # not accepted yet
    ("disburse", {}, 400, "not_allowed"),
    ("withdraw", {}, 403, "permission_denied"),  # the bank does not withdraw for the enterprise
])
def test_a_step_not_allowed_gets_a_clear_4xx(fworld, step, body, status, code):
    response = client_for(fworld.bank_officer).post(
        reverse("api:loan-application-step", args=[fworld.app_a.pk, step]), body, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert LoanApplication.objects.get(pk=fworld.app_a.pk).status == "submitted"


@pytest.mark.parametrize(("body", "fields"), [
    ({"amount": "12.345"}, {"amount"}), ({"amount": "abc"}, {"amount"}), ({"amount": "-1"}, {"amount"}),
    ({"amount": "99999999"}, {"amount"}), ({"purpose": ""}, {"purpose"}), ({"bank": 999999}, {"bank"}), ({"product": 999999}, {"product"}),
])
def test_bad_submissions_answer_400_at_their_fields(fworld, body, fields):
    data = {"bank": fworld.bank2.pk, "product": fworld.product2.pk, "amount": "100000", "purpose": "扩建厂房", **body}
    response = client_for(fworld.enterprise_user).post(reverse("api:loan-application-list"), data, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= fields
    assert LoanApplication.objects.count() == 2


def test_an_enterprise_cannot_submit_for_another(fworld):
    response = client_for(fworld.enterprise_user).post(reverse("api:loan-application-list"), {
        "enterprise": fworld.ent_b.uscc, "bank": fworld.bank.pk, "product": fworld.product.pk, "amount": "1000",
        "purpose": "扩建厂房"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"enterprise": [f"没有找到信用代码为 {fworld.ent_b.uscc} 的企业。"]}


def test_a_bank_lists_only_its_own_applications(fworld):
    ids = [row["id"] for row in client_for(fworld.bank2_officer).get(reverse("api:loan-application-list")).json()["results"]]
    assert ids == [fworld.app_b.pk]
    response = client_for(fworld.bank2_officer).get(reverse("api:loan-application-list"), {"status": "nope"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
