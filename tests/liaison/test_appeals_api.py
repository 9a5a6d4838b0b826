# ruff: noqa: F811  (`aworld` is a pytest fixture imported from fixtures_appeals; tests name it as a parameter)
"""The appeals API: who reaches each endpoint, the whole way through the steps, errors in the API's one
shape (400 with fields, not_allowed, stale; 403 permission_denied; 404 out of scope), and filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from liaison.models import Appeal
from portal.choices import Role
from tests.access import AccessCase, case_id, run_access_case, url_of, users

from .fixtures_appeals import (  # noqa: F401  (aworld is a fixture)
    DESCRIPTION_A,
    RESOLUTION,
    TITLE_A,
    aworld,
    create,
    step,
    today,
)

pytestmark = pytest.mark.django_db
OUTSIDERS = ("bank_officer", "insurer_officer", "admin")
SEE_A = ("org_staff", "town_staff", "station", "enterprise_user", "cadre", "leader")
OTHERS_OF_A = ("town_staff_b", "station_b_user", "enterprise_b_user", "cadre_b")


def api(name, *attrs, **fixed):
    return url_of(f"api:{name}", *attrs, **fixed)


def new_appeal(w):
    return {"enterprise": w.ent_a.uscc, "category": "policy", "title": "惠企政策申报渠道不清楚",
            "description": "不清楚今年新出台惠企政策的申报条件和渠道，希望上门宣讲。"}


ACCESS_CASES = [
    AccessCase("api:appeal-list", api("appeal-list"), api=True, right=users(*SEE_A), wrong=users(*OUTSIDERS),
               other_scope=users(*OTHERS_OF_A), other_status=(200,), marker=lambda w: TITLE_A),
    AccessCase("api:appeal-list", api("appeal-list"), api=True, method="post", data=new_appeal, ok=(201,),
               right=users("enterprise_user", "station", "cadre", "town_staff", "org_staff"),
               wrong=users("leader", *OUTSIDERS), other_scope=users(*OTHERS_OF_A), other_status=(400,),
               label="POST api:appeal-list"),
    AccessCase("api:appeal-detail", api("appeal-detail", "appeal_a.pk"), api=True, right=users(*SEE_A),
               wrong=users(*OUTSIDERS), other_scope=users(*OTHERS_OF_A), marker=lambda w: DESCRIPTION_A),
    AccessCase("api:appeal-transition", api("appeal-transition", "appeal_a.pk", step="assign"), api=True,
               method="post", data=lambda w: {"version": 1, "department": w.dept.pk}, right=users("town_staff"),
               wrong=users("enterprise_user", "station", "cadre", "leader", *OUTSIDERS),
               other_scope=users("town_staff_b", "cadre_b", "enterprise_b_user"), tried_elsewhere=(Role.ORG_STAFF,)),
    # The organization department assigns too (the appeal can be assigned once: a case of its own).
    AccessCase("api:appeal-transition", api("appeal-transition", "appeal_a.pk", step="assign"), api=True,
               method="post", data=lambda w: {"version": 1, "department": w.dept.pk}, right=users("org_staff"),
               wrong=users("enterprise_user", "station", "cadre", "leader", *OUTSIDERS),
               tried_elsewhere=(Role.TOWN_STAFF,), label="POST api:appeal-transition (organization department)"),
    AccessCase("api:appeal-rate", api("appeal-rate", "resolved_a.pk"), api=True, method="post",
               data=lambda w: {"score": "5"}, right=users("enterprise_user"),
               wrong=users("org_staff", "town_staff", "cadre", "leader", *OUTSIDERS),
               other_scope=users("enterprise_b_user", "station_b_user")),
    AccessCase("api:appeal-department-list", api("appeal-department-list"), api=True,
               right=users("org_staff", "town_staff", "leader"),
               wrong=users("station", "enterprise_user", "cadre", *OUTSIDERS), marker=lambda w: "星湖市地方金融工作局",
               why_no_other_scope="the city's departments: staff of every town assign appeals to them"),
    AccessCase("api:appeal-department-detail", api("appeal-department-detail", "dept.pk"), api=True,
               right=users("org_staff", "town_staff", "leader"),
               wrong=users("station", "enterprise_user", "cadre", *OUTSIDERS), marker=lambda w: "星湖市地方金融工作局",
               why_no_other_scope="the city's departments: staff of every town assign appeals to them"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, aworld):
    run_access_case(case, aworld)


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def post_step(client, pk, step_name, body):
    return client.post(reverse("api:appeal-transition", args=[pk, step_name]), body, format="json")


def test_an_enterprise_raises_and_staff_walk_the_steps(aworld):
    # given the enterprise's own client and the town staff's
    w = aworld
    enterprise, staff, cadre = client_for(w.enterprise_user), client_for(w.town_staff), client_for(w.cadre)
    # when the enterprise raises an appeal (no credit code needed for its own)
    response = enterprise.post(reverse("api:appeal-list"), {
        "category": "financing", "platform": "appeal", "title": "到期贷款续贷衔接困难",
        "description": "一笔流动资金贷款下月到期，希望协调银行办理无还本续贷。"}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    pk, version = data["id"], data["version"]
    assert (data["number"], data["status"], data["channel"], data["enterprise"]["uscc"], data["actions"]) == (
        f"SQ{today().year}-000005", "received", "online", w.ent_a.uscc, ["withdraw"])
    # then staff assign it to the cadre, who starts and resolves it; the enterprise rates; staff close
    response = post_step(staff, pk, "assign", {"version": version, "department": w.dept.pk, "assignee": w.cadre.pk,
                                              "note": "请上门对接"})
    assert response.status_code == 200, response.json()
    assert (response.json()["department"], response.json()["assignee"]["id"]) == (
        {"id": w.dept.pk, "name": "星湖市地方金融工作局"}, w.cadre.pk)
    version = response.json()["version"]
    for who, step_name, body in [(cadre, "start", {}), (cadre, "resolve", {"resolution": RESOLUTION})]:
        response = post_step(who, pk, step_name, {"version": version, **body})
        assert response.status_code == 200, response.json()
        version = response.json()["version"]
    response = enterprise.post(reverse("api:appeal-rate", args=[pk]), {"score": "5", "comment": "办得好"},
                               format="json")
    assert (response.status_code, response.json()["satisfaction"]) == (200, 5)
    response = post_step(staff, pk, "close", {"version": response.json()["version"]})
    data = response.json()
    assert (response.status_code, data["status"], data["resolution"], data["satisfaction_comment"]) == (
        200, "closed", RESOLUTION, "办得好")
    assert [e["action"] for e in data["events"]] == ["submit", "assign", "start", "resolve", "rate", "close"]


@pytest.mark.parametrize(("who", "setup", "step_name", "body", "status", "code"), [
    ("org_staff", "appeal_a", "resolve", {"resolution": RESOLUTION}, 400, "not_allowed"),
    ("org_staff", "resolved_a", "assign", {"department": "dept"}, 400, "not_allowed"),
    ("org_staff", "appeal_a", "assign", {"version": 99, "department": "dept"}, 400, "stale"),
    ("enterprise_user", "appeal_a", "assign", {"department": "dept"}, 403, "permission_denied"),
    ("cadre", "overdue_a", "start", {}, 403, "permission_denied"),
])
def test_a_step_refused_gets_a_clear_4xx(aworld, who, setup, step_name, body, status, code):
    w = aworld
    appeal = getattr(w, setup)
    body = {"version": appeal.version, **body}
    if body.get("department") == "dept":
        body["department"] = w.dept.pk
    response = post_step(client_for(getattr(w, who)), appeal.pk, step_name, body)
    assert (response.status_code, response.json()["code"]) == (status, code), response.json()
    assert response.json()["detail"]
    assert Appeal.objects.get(pk=appeal.pk).version == appeal.version


def test_not_allowed_names_the_status(aworld):
    response = post_step(client_for(aworld.org_staff), aworld.appeal_a.pk, "resolve",
                         {"version": 1, "resolution": RESOLUTION})
    assert response.json()["detail"] == "诉求当前为「已受理」，不能办结。"


@pytest.mark.parametrize(("body", "errors"), [
    ({}, {"version": ["该字段是必填项。"]}),
    ({"version": 1}, {"department": ["请选择承办部门。"]}),
    ({"version": 1, "department": 999999}, {"department": ["没有编号为 999999 的职能部门。"]}),
    ({"version": 1, "department": "dept", "deadline": "2001-01-01"},
     {"deadline": ["办理期限不能早于今天（{today}）。"]}),
    ({"version": 1, "department": "dept", "assignee": "bank_officer"},
     {"assignee": ["承办人须为组织部、镇街工作人员或联系领导的有效账号。"]}),
])
def test_a_bad_assignment_answers_400_at_its_fields(aworld, body, errors):
    w = aworld
    body = {k: (getattr(w, v).pk if k in ("department", "assignee") and isinstance(v, str) else v)
            for k, v in body.items()}
    response = post_step(client_for(w.org_staff), w.appeal_a.pk, "assign", body)
    assert response.status_code == 400
    expected = {k: [m.format(today=today().isoformat()) for m in v] for k, v in errors.items()}
    assert response.json()["errors"] == expected


@pytest.mark.parametrize(("user", "body", "errors"), [
    ("enterprise_user", {"category": "money", "title": "x", "description": "y"},
     {"category": ["“money” 不是合法选项。"]}),
    ("enterprise_user", {"category": "land", "title": "贷款", "description": "缺钱"},
     {"title": ["请用一句话概括诉求（不少于 4 个字）。"], "description": ["请具体描述遇到的问题和诉求（不少于 10 个字）。"]}),
    ("station", {"category": "land", "title": "扩建厂房用地", "description": "厂房满负荷需要扩建十五亩用地"},
     {"enterprise": ["统一社会信用代码不能为空。"]}),
    ("cadre", {"enterprise": "ent_b", "category": "land", "title": "扩建厂房用地",
               "description": "厂房满负荷需要扩建十五亩用地"}, {"enterprise": ["信用代码为 {uscc} 的企业不在您可以代为提交诉求的范围内。"]}),
    ("cadre", {"enterprise": "ent_a", "visit": 999999, "category": "land", "title": "扩建厂房用地",
               "description": "厂房满负荷需要扩建十五亩用地"}, {"visit": ["只能关联您本人的走访记录。"]}),
    ("org_staff", {"enterprise": "ent_a", "channel": "online", "category": "land", "title": "扩建厂房用地",
                   "description": "厂房满负荷需要扩建十五亩用地"}, {"channel": ["您提交的诉求渠道只能是：电话、窗口。"]}),
])
def test_bad_creations_answer_400_at_their_fields(aworld, user, body, errors):
    w = aworld
    body = {k: (getattr(w, v).uscc if k == "enterprise" else v) for k, v in body.items()}
    response = client_for(getattr(w, user)).post(reverse("api:appeal-list"), body, format="json")
    assert response.status_code == 400, response.json()
    uscc = body.get("enterprise", "")
    got = response.json()["errors"]
    assert {k: got.get(k) for k in errors} == {k: [m.format(uscc=uscc) for m in v] for k, v in errors.items()}
    assert Appeal.objects.count() == 4


def test_rating_twice_or_too_early_is_refused(aworld):
    w = aworld
    client = client_for(w.enterprise_user)
    response = client.post(reverse("api:appeal-rate", args=[w.appeal_a.pk]), {"score": "5"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "not_allowed")
    response = client.post(reverse("api:appeal-rate", args=[w.resolved_a.pk]), {"score": "9"}, format="json")
    assert response.json()["errors"] == {"score": ["满意度须为 1 至 5 星。"]}
    assert client.post(reverse("api:appeal-rate", args=[w.resolved_a.pk]), {"score": "3"},
                       format="json").status_code == 200
    response = client.post(reverse("api:appeal-rate", args=[w.resolved_a.pk]), {"score": "5"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "already_rated")


@pytest.mark.parametrize(("params", "expected"), [
    ({"status": "received"}, ["appeal_a", "appeal_b"]),
    ({"category": "talent"}, ["resolved_a"]),
    ({"channel": "phone"}, ["overdue_a"]),
    ({"overdue": "true"}, ["overdue_a"]),
    ({"overdue": "false"}, ["appeal_a", "appeal_b", "resolved_a"]),
    ({"escalated": "true"}, []),
    ({"platform": "appeal"}, ["appeal_a", "appeal_b", "resolved_a", "overdue_a"]),
    ({"q": "东湖精密"}, ["appeal_a", "resolved_a", "overdue_a"]),
    ({"year": str(today().year)}, ["appeal_a", "appeal_b", "resolved_a", "overdue_a"]),
])
def test_filters(aworld, params, expected):
    w = aworld
    response = client_for(w.leader).get(reverse("api:appeal-list"), params)
    assert response.status_code == 200
    numbers = {r["number"] for r in response.json()["results"]}
    assert numbers == {getattr(w, n).number for n in expected}


def test_a_bad_filter_answers_in_the_error_shape(aworld):
    response = client_for(aworld.org_staff).get(reverse("api:appeal-list"), {"status": "nope"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]


def test_the_list_is_scoped_and_its_queries_do_not_grow_with_rows(aworld):
    w = aworld
    assert [r["number"] for r in client_for(w.cadre_b).get(reverse("api:appeal-list")).json()["results"]] == [
        w.appeal_b.number]
    client = client_for(w.org_staff)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api:appeal-list"))
    for n in range(5):
        step(create(w.station, w.ent_a, title=f"新增诉求第{n}件标题"), "assign", w.org_staff, department=w.dept,
             assignee=w.town_staff)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("api:appeal-list"))
    assert len(many) == len(few)
