"""The insurance API (/api/v1/insurance-quotes/, /api/v1/insurance-policies/): access by role and
scope, the fields returned, making a quote, every bad input answered with a 400 and a Chinese
message at its field, writing nothing; filters; query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from insurance import services
from insurance.models import Quote
from portal.api.urls import insurance_router
from portal.models import AuditLog
from tests.access import AccessCase, case_id, run_access_case, users

from .conftest import quote, today
from .test_views import NO_INSURANCE, OTHER_THAN_QUOTE_A, SEES_QUOTE_A, policy_number, quote_a_number

pytestmark = pytest.mark.django_db


def api_url(name, *attrs):
    def build(w):
        return reverse(f"api:{name}", args=[getattr(w, a).pk for a in attrs])
    return build


def new_quote(w):
    return {"enterprise": w.ent_b.uscc, "product": w.p1.pk, "base_premium": "2000.00"}


ACCESS_CASES = [
    AccessCase("api:insurance-quote-list", api_url("insurance-quote-list"), right=users(*SEES_QUOTE_A),
               wrong=users(*NO_INSURANCE), other_scope=users(*OTHER_THAN_QUOTE_A), other_status=(200,), api=True,
               marker=quote_a_number),
    AccessCase("api:insurance-quote-list", api_url("insurance-quote-list"), method="post", data=new_quote, api=True,
               ok=(201,), right=users("insurer_officer", "station_b_user"),
               wrong=users("org_staff", "leader", "town_staff", "enterprise_user", *NO_INSURANCE),
               # Another insurer quotes the first one's product, a station an enterprise outside its area.
               other_scope=users("insurer2_officer", "station", "park_station_user"), other_status=(400,),
               label="POST api:insurance-quote-list"),
    AccessCase("api:insurance-quote-detail", api_url("insurance-quote-detail", "quote_a"), right=users(*SEES_QUOTE_A),
               wrong=users(*NO_INSURANCE), other_scope=users(*OTHER_THAN_QUOTE_A), api=True, marker=quote_a_number),
    AccessCase("api:insurance-policy-list", api_url("insurance-policy-list"), right=users(*SEES_QUOTE_A),
               wrong=users(*NO_INSURANCE), other_scope=users(*OTHER_THAN_QUOTE_A), other_status=(200,), api=True,
               marker=policy_number),
    AccessCase("api:insurance-policy-detail", api_url("insurance-policy-detail", "policy_a"),
               right=users(*SEES_QUOTE_A), wrong=users(*NO_INSURANCE), other_scope=users(*OTHER_THAN_QUOTE_A),
               api=True, marker=policy_number),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, iworld):
    run_access_case(case, iworld)


def test_the_cases_cover_every_route_of_the_insurance_router():
    names = {f"api:{p.name}" for p in insurance_router.urls}
    assert names == {c.name for c in ACCESS_CASES}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_quote_as_the_api_gives_it(iworld):
    w = iworld
    data = client_for(w.enterprise_user).get(reverse("api:insurance-quote-detail", args=[w.quote_a2.pk])).json()
    assert data == {
        "id": w.quote_a2.pk, "number": w.quote_a2.number,
        "enterprise": {"id": w.ent_a.pk, "uscc": w.ent_a.uscc, "name": "东湖精密机械有限公司"},
        "insurer": {"id": w.insurer.pk, "code": "I01", "short_name": "人保财险"},
        "product": {"id": w.p1.pk, "name": "党建惠企安全生产责任险", "category": "safety", "category_display": "安全生产责任险"},
        "base_premium": "8000.00", "stars": 5, "rating": w.rating_a.pk, "discount_table": w.table.pk,
        "discount_table_effective_from": "2019-01-01", "discount_percent": "30.00", "discount_amount": "2400.00",
        "net_premium": "5600.00", "channel": "insurer", "channel_display": "保险公司业务员", "station": None,
        "station_name": None, "status": "issued", "status_display": "已出单", "quoted_on": today().isoformat(),
        "valid_until": w.quote_a2.valid_until.isoformat(), "created_by_name": "t_insurer",
        "created_at": data["created_at"],
        "policy": {"id": w.policy_a.pk, "policy_number": "I01-2026-90000001", "starts_on": today().isoformat(),
                   "ends_on": w.policy_a.ends_on.isoformat(), "issued_at": data["policy"]["issued_at"]},
    }


def test_a_policy_as_the_api_gives_it(iworld):
    w = iworld
    data = client_for(w.insurer_officer).get(reverse("api:insurance-policy-list")).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert {k: row[k] for k in ("policy_number", "quote", "stars", "base_premium", "discount_percent",
                                "discount_amount", "net_premium", "issued_by_name")} == {
        "policy_number": "I01-2026-90000001", "quote": w.quote_a2.pk, "stars": 5, "base_premium": "8000.00",
        "discount_percent": "30.00", "discount_amount": "2400.00", "net_premium": "5600.00",
        "issued_by_name": "t_insurer"}
    assert row["enterprise"]["uscc"] == w.ent_a.uscc


def test_making_a_quote_through_the_api(iworld):
    w = iworld
    response = client_for(w.station).post(reverse("api:insurance-quote-list"),
                                          {"enterprise": w.ent_a.uscc, "product": w.p2.pk, "base_premium": "12,345.67"},
                                          format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["channel"], data["discount_amount"], data["net_premium"], data["status"]) == (
        "station", "3703.70", "8641.97", "quoted")
    assert Quote.objects.get(pk=data["id"]).station == w.station_a


@pytest.mark.parametrize(("body", "errors"), [
    ({"enterprise": "", "product": "x", "base_premium": "100"}, {"product": ["请填写合法的整数值。"]}),
    ({"product": 1, "base_premium": "100"}, {"enterprise": ["该字段是必填项。"]}),
    ({"enterprise": "ENT_A", "product": "P1", "base_premium": "abc"},
     {"base_premium": ["基础保费“abc”不是有效的数字。"]}),
    ({"enterprise": "ENT_A", "product": "P1", "base_premium": "-5"}, {"base_premium": ["基础保费不能为负数。"]}),
    ({"enterprise": "ENT_A", "product": "P1", "base_premium": "10.001"},
     {"base_premium": ["基础保费最多精确到分（两位小数）。"]}),
    ({"enterprise": "ENT_A", "product": "P1", "base_premium": 0.1 + 0.2},
     {"base_premium": ["基础保费最多精确到分（两位小数）。"]}),
    ({"enterprise": "ENT_A", "product": "P1", "base_premium": ""}, {"base_premium": ["请填写基础保费。"]}),
    ({"enterprise": "12345", "product": "P1", "base_premium": "100"},
     {"enterprise": ["统一社会信用代码应为 18 位，当前为 5 位。"]}),
    ({"enterprise": "ENT_A", "product": 999999, "base_premium": "100"}, {"product": ["没有编号为 999999 的保险产品。"]}),
    ({"enterprise": "ENT_A", "product": "P2", "base_premium": "100"}, {"product": ["只能为本公司（人保财险）的产品报价。"]}),
    ({"enterprise": "ENT_A", "product": "P1_OFF", "base_premium": "0,0"},
     {"product": ["“人保财险 · 旧版财产险”已停售，不能报价。"], "base_premium": ["基础保费须大于 0。"]}),
    ({"enterprise": "ENT_PARK", "product": "P1", "base_premium": "100"},
     {"enterprise": ["星湖传感科技有限公司 暂不能享受党建保险优惠：未建立党组织。"]}),
])
def test_bad_input_is_a_400_with_a_message_at_each_field_and_writes_nothing(iworld, body, errors):
    w = iworld
    names = {"ENT_A": w.ent_a.uscc, "ENT_PARK": w.ent_park.uscc, "P1": w.p1.pk, "P2": w.p2.pk, "P1_OFF": w.p1_off.pk}
    body = {k: names.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    quotes, entries = Quote.objects.count(), AuditLog.objects.count()
    response = client_for(w.insurer_officer).post(reverse("api:insurance-quote-list"), body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert (Quote.objects.count(), AuditLog.objects.count()) == (quotes, entries)


def test_the_lists_filter(iworld):
    w = iworld
    client = client_for(w.org_staff)
    url = reverse("api:insurance-quote-list")

    def ids(**params):
        return {row["id"] for row in client.get(url, params).json()["results"]}

    assert ids(status="issued") == {w.quote_a2.pk}
    assert ids(insurer=w.insurer2.pk) == {w.quote_s.pk, w.quote_b.pk}
    assert ids(channel="station") == {w.quote_s.pk}
    assert ids(q="西山") == {w.quote_b.pk}
    assert ids(category="accident", stars=5) == {w.quote_s.pk, w.quote_b.pk}
    assert ids(quoted_from=today().isoformat(), quoted_to=today().isoformat()) == {
        w.quote_a.pk, w.quote_a2.pk, w.quote_s.pk, w.quote_b.pk}
    response = client.get(url, {"status": "lost", "quoted_from": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "quoted_from"}
    policies = client.get(reverse("api:insurance-policy-list"), {"q": "i01-2026-90000001"}).json()
    assert [p["id"] for p in policies["results"]] == [w.policy_a.pk]
    policies = client.get(reverse("api:insurance-policy-list"), {"in_force_on": "2000-01-01"}).json()
    assert policies["count"] == 0


def test_the_list_costs_the_same_few_queries_for_many_quotes(iworld):
    w = iworld
    client = client_for(w.org_staff)
    url = reverse("api:insurance-quote-list")
    policies = reverse("api:insurance-policy-list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with CaptureQueriesContext(connection) as few_policies:
        client.get(policies)
    for n in range(10):
        made = quote(w, w.insurer_officer, w.ent_a, w.p1, f"{1000 + n}")
        services.policy_issue(acting_user=w.insurer_officer, quote=made)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).json()["count"] == 14
    with CaptureQueriesContext(connection) as many_policies:
        assert client.get(policies).json()["count"] == 11
    assert len(many) == len(few)
    assert len(many_policies) == len(few_policies)
