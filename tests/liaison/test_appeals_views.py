# ruff: noqa: F811  (`aworld` is a pytest fixture imported from fixtures_appeals; tests name it as a parameter)
"""The appeals pages: who reaches each one, what each shows, and refusals at their fields."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.models import Appeal, AppealAttachment, Department
from liaison.services.appeals import appeal_escalate_overdue
from portal.choices import Role
from tests.access import AccessCase, case_id, run_access_case, url_of, users
from tests.documents import pdf_bytes
from tests.homecards import counters

from .fixtures_appeals import (  # noqa: F401  (aworld is a fixture)
    DESCRIPTION_A,
    RESOLUTION,
    TITLE_A,
    TITLE_B,
    aworld,
    create,
    pdf,
    step,
    today,
)

pytestmark = pytest.mark.django_db
OUTSIDERS = ("bank_officer", "insurer_officer", "admin")
SEE_A = ("org_staff", "town_staff", "station", "enterprise_user", "cadre", "leader")
OTHERS_OF_A = ("town_staff_b", "station_b_user", "enterprise_b_user", "cadre_b")
CITY_DEPARTMENTS = "the city's departments: staff of every town assign appeals to them"

ACCESS_CASES = [
    AccessCase("liaison:appeal_list", url_of("liaison:appeal_list"), right=users(*SEE_A), wrong=users(*OUTSIDERS),
               other_scope=users(*OTHERS_OF_A), other_status=(200,), marker=lambda w: TITLE_A),
    AccessCase("liaison:appeal_queue", url_of("liaison:appeal_queue"),
               right=users("org_staff", "town_staff", "cadre", "leader"),
               wrong=users("station", "enterprise_user", *OUTSIDERS),
               other_scope=users("town_staff_b", "cadre_b"), other_status=(200,), marker=lambda w: w.overdue_a.number),
    AccessCase("liaison:appeal_create", url_of("liaison:appeal_create"),
               right=users("org_staff", "town_staff", "station", "enterprise_user", "cadre"),
               wrong=users("leader", *OUTSIDERS),
               why_no_other_scope="a blank form: the enterprise it names is checked on submission (below)"),
    # Staff, the station and the paired cadre name enterprise A; the enterprise user's form names none
    # (the field is ignored: it raises its own). Another town, station or cadre may not name A.
    AccessCase("liaison:appeal_create", url_of("liaison:appeal_create"), method="post", ok=(302,),
               data=lambda w: {"enterprise": w.ent_a.pk, "category": "policy", "platform": "policy",
                               "channel": "window", "title": "惠企政策申报渠道不清楚",
                               "description": "不清楚今年新出台惠企政策的申报条件和渠道，希望上门宣讲。"},
               right=users("org_staff", "town_staff", "station", "enterprise_user", "cadre"),
               wrong=users("leader", *OUTSIDERS), other_scope=users("town_staff_b", "station_b_user", "cadre_b"),
               other_status=(400,),
               why_no_other_scope="an enterprise user raises appeals for its own enterprise only: its form names none"),
    AccessCase("liaison:appeal_detail", url_of("liaison:appeal_detail", "appeal_a.pk"), right=users(*SEE_A),
               wrong=users(*OUTSIDERS), other_scope=users(*OTHERS_OF_A), marker=lambda w: DESCRIPTION_A),
    AccessCase("liaison:appeal_action", url_of("liaison:appeal_action", "appeal_a.pk", action="assign"),
               method="post", ok=(302,), data=lambda w: {"version": 1, "department": w.dept.pk},
               right=users("town_staff"),
               wrong=users("enterprise_user", "station", "cadre", "leader", *OUTSIDERS),
               other_scope=users("town_staff_b", "cadre_b", "enterprise_b_user"), tried_elsewhere=(Role.ORG_STAFF,)),
    # The organization department assigns too (the appeal can be assigned once: a case of its own).
    AccessCase("liaison:appeal_action", url_of("liaison:appeal_action", "appeal_a.pk", action="assign"),
               method="post", ok=(302,), data=lambda w: {"version": 1, "department": w.dept.pk},
               right=users("org_staff"), wrong=users("enterprise_user", "station", "cadre", "leader", *OUTSIDERS),
               tried_elsewhere=(Role.TOWN_STAFF,), label="POST liaison:appeal_action (organization department)"),
    AccessCase("liaison:appeal_rate", url_of("liaison:appeal_rate", "resolved_a.pk"), method="post", ok=(302,),
               data=lambda w: {"score": "5", "comment": "办理及时"}, right=users("enterprise_user"),
               wrong=users("org_staff", "town_staff", "cadre", "leader", *OUTSIDERS),
               other_scope=users("enterprise_b_user", "station_b_user")),
    AccessCase("liaison:appeal_attach", url_of("liaison:appeal_attach", "appeal_a.pk"), method="post", ok=(302,),
               data=lambda w: {"file": pdf("补充材料.pdf")},
               # the paired cadre follows the enterprise's own appeal without adding to it
               right=users("enterprise_user", "station", "town_staff", "org_staff"),
               wrong=users("cadre", "leader", *OUTSIDERS), other_scope=users(*OTHERS_OF_A)),
    AccessCase("liaison:appeal_attachment", url_of("liaison:appeal_attachment", "attachment_a.pk"),
               right=users(*SEE_A), wrong=users(*OUTSIDERS), other_scope=users(*OTHERS_OF_A)),
    AccessCase("liaison:department_list", url_of("liaison:department_list"),
               right=users("org_staff", "town_staff", "leader"),
               wrong=users("station", "enterprise_user", "cadre", *OUTSIDERS), marker=lambda w: "星湖市地方金融工作局",
               why_no_other_scope=CITY_DEPARTMENTS),
    AccessCase("liaison:department_create", url_of("liaison:department_create"), method="post", ok=(302,),
               data=lambda w: {"name": "星湖市司法局", "short_name": "司法局"}, right=users("org_staff"),
               wrong=users("town_staff", "leader", "station", "enterprise_user", "cadre", *OUTSIDERS)),
    AccessCase("liaison:department_toggle", url_of("liaison:department_toggle", "dept2.pk"), method="post",
               ok=(302,), right=users("org_staff"),
               wrong=users("town_staff", "leader", "station", "enterprise_user", "cadre", *OUTSIDERS)),
    AccessCase("liaison:department_members", url_of("liaison:department_members", "dept2.pk"), right=users("org_staff"),
               wrong=users("town_staff", "leader", "station", "enterprise_user", "cadre", *OUTSIDERS)),
    AccessCase("liaison:department_members", url_of("liaison:department_members", "dept2.pk"), method="post",
               ok=(302,), data=lambda w: {"members": [w.town_staff.pk]}, right=users("org_staff"),
               wrong=users("town_staff", "leader", "station", "enterprise_user", "cadre", *OUTSIDERS)),
    # The overdue appeal is escalated (as the night run does) to its paired cadre, who may press it.
    AccessCase("liaison:appeal_lead", url_of("liaison:appeal_lead", "overdue_a.pk"), method="post", ok=(302,),
               data=lambda w: (appeal_escalate_overdue(today=today()), {"action": "press", "note": ""})[1],
               right=users("cadre"), wrong=users("org_staff", "town_staff", "leader", "station", "enterprise_user"),
               other_scope=users("cadre_b", "town_staff_b")),
    # Opened with GET the address only leads back to the appeal's page (for the roles that see appeals at
    # all): that page checks who may see this one (liaison:appeal_detail above).
    AccessCase("liaison:appeal_lead", url_of("liaison:appeal_lead", "overdue_a.pk"), ok=(302,),
               right=users(*SEE_A), wrong=users(*OUTSIDERS),
               why_no_other_scope="a redirect to the appeal's page, which holds the scope"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, aworld):
    run_access_case(case, aworld)


def body(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_the_summary_and_highlights_overdue_ones(client, aworld):
    w = aworld
    page = body(client, w.org_staff, reverse("liaison:appeal_list"))
    assert f'data-overdue="1" data-appeal="{w.overdue_a.number}"' in page
    assert f'data-appeal="{w.appeal_a.number}"' in page
    assert 'data-total>4<' in page
    assert 'data-open>3<' in page
    assert 'data-overdue>1<' in page
    assert 'data-rate>25.0%<' in page
    page = body(client, w.enterprise_b_user, reverse("liaison:appeal_list"))
    assert 'data-total>1<' in page
    assert TITLE_B in page
    assert TITLE_A not in page


@pytest.mark.parametrize(("params", "numbers"), [
    ({"status": "received"}, ["appeal_a", "appeal_b"]),
    ({"category": "land"}, ["appeal_b"]),
    ({"channel": "station"}, ["resolved_a"]),
    ({"overdue": "true"}, ["overdue_a"]),
    ({"department": "dept2"}, ["overdue_a"]),
    ({"q": "环评"}, ["overdue_a"]),
    ({"q": "西山食品"}, ["appeal_b"]),
    ({"enterprise": "ent_b"}, ["appeal_b"]),
    ({"year": "1999"}, []),
])
def test_the_list_filters(client, aworld, params, numbers):
    w = aworld
    resolved = {k: str(getattr(w, v).pk) if k in ("department", "enterprise") else v for k, v in params.items()}
    page = body(client, w.org_staff, reverse("liaison:appeal_list"), **resolved)
    shown = [n for n in ("appeal_a", "appeal_b", "resolved_a", "overdue_a")
             if f'data-appeal="{getattr(w, n).number}"' in page]
    assert shown == sorted(numbers, key=["appeal_a", "appeal_b", "resolved_a", "overdue_a"].index)


def test_the_list_makes_the_same_number_of_queries_for_more_rows(client, aworld):
    w = aworld
    client.force_login(w.org_staff)
    client.get(reverse("liaison:appeal_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("liaison:appeal_list"))
    for n in range(6):
        appeal = create(w.station, w.ent_a, title=f"新增诉求第{n}件标题")
        step(appeal, "assign", w.org_staff, department=w.dept, assignee=w.cadre)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("liaison:appeal_list"))
    assert len(many) == len(few)


def test_the_queue_lists_overdue_and_unassigned_ones_for_staff(client, aworld):
    w = aworld
    Appeal.objects.filter(pk=w.appeal_b.pk).update(received_at=w.appeal_b.received_at - datetime.timedelta(days=5))
    page = body(client, w.town_staff_b, reverse("liaison:appeal_queue"))
    assert f'data-appeal="{w.appeal_b.number}"' in page
    assert w.overdue_a.number not in page
    page = body(client, w.org_staff, reverse("liaison:appeal_queue"))
    assert w.overdue_a.number in page
    assert w.appeal_b.number in page
    assert w.appeal_a.number not in page


def test_the_create_form_answers_at_its_fields(client, aworld):
    w = aworld
    client.force_login(w.enterprise_user)
    page = client.get(reverse("liaison:appeal_create")).content.decode()
    assert 'name="enterprise"' not in page
    assert 'name="channel"' not in page
    response = client.post(reverse("liaison:appeal_create"), {"category": "", "platform": "appeal", "title": "贷款",
                                                              "description": "缺钱"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="category">请选择诉求类别。' in page
    assert Appeal.objects.count() == 4
    response = client.post(reverse("liaison:appeal_create"), {"category": "policy", "platform": "appeal",
                                                              "title": "贷款", "description": "缺钱"})
    page = response.content.decode()
    assert 'data-field="title">请用一句话概括诉求（不少于 4 个字）。' in page
    assert 'data-field="description">请具体描述遇到的问题和诉求（不少于 10 个字）。' in page
    response = client.post(reverse("liaison:appeal_create"), {
        "category": "policy", "platform": "policy", "title": "惠企政策申报渠道不清楚",
        "description": "不清楚今年新出台惠企政策的申报条件和渠道，希望上门宣讲。"})
    appeal = Appeal.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:appeal_detail", args=[appeal.pk])
    assert (appeal.enterprise_id, appeal.channel, appeal.platform) == (w.ent_a.pk, "online", "policy")


def test_a_station_names_the_enterprise_by_drop_down_within_its_area(client, aworld):
    w = aworld
    client.force_login(w.station)
    page = client.get(reverse("liaison:appeal_create"), {"enterprise": w.ent_a.pk}).content.decode()
    assert f'<option value="{w.ent_a.pk}" selected>' in page
    assert f'value="{w.ent_b.pk}"' not in page
    response = client.post(reverse("liaison:appeal_create"), {
        "enterprise": w.ent_b.pk, "category": "other", "platform": "appeal", "title": "园区道路破损",
        "description": "园区道路多处破损，雨天积水严重，货车通行困难。"})
    assert response.status_code == 400
    assert 'data-field="enterprise">' in response.content.decode()
    client.force_login(w.org_staff)
    page = client.get(reverse("liaison:appeal_create")).content.decode()
    assert 'name="channel"' in page
    assert '<option value="window">' in page


def test_staff_assign_from_the_page_and_errors_show_at_the_fields(client, aworld):
    w = aworld
    client.force_login(w.org_staff)
    url = reverse("liaison:appeal_action", args=[w.appeal_a.pk, "assign"])
    response = client.post(url, {"version": 1, "department": "", "deadline": "2000-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="department">请选择承办部门。' in page
    assert f'data-field="deadline">办理期限不能早于今天（{today().isoformat()}）。' in page
    assert Appeal.objects.get(pk=w.appeal_a.pk).status == "received"
    response = client.post(url, {"version": 1, "department": w.dept.pk, "assignee": w.cadre.pk})
    assert response.status_code == 302
    page = body(client, w.cadre, reverse("liaison:appeal_detail", args=[w.appeal_a.pk]))
    assert 'data-step="start"' in page
    assert 'id="status" data-status="assigned"' in page


def test_a_stale_or_refused_step_is_told_at_the_top(client, aworld):
    w = aworld
    client.force_login(w.org_staff)
    url = reverse("liaison:appeal_action", args=[w.appeal_a.pk, "withdraw"])
    response = client.post(url, {"version": 7}, follow=True)
    assert "该诉求已被他人处理（现为「已受理」），请刷新后重试。" in response.content.decode()
    response = client.post(reverse("liaison:appeal_action", args=[w.resolved_a.pk, "reopen"]),
                           {"reopen-version": w.resolved_a.version, "reopen-note": "太短"})
    assert response.status_code == 400
    assert 'data-field="note">请说明重新办理的理由（不少于 5 个字）。' in response.content.decode()
    assert client.post(reverse("liaison:appeal_action", args=[w.appeal_a.pk, "approve"]), {"version": 1}).status_code == 404


def test_the_enterprise_rates_with_stars_and_errors_show_at_the_field(client, aworld):
    w = aworld
    client.force_login(w.enterprise_user)
    page = client.get(reverse("liaison:appeal_detail", args=[w.resolved_a.pk])).content.decode()
    assert 'id="rate-form"' in page
    assert 'value="5"' in page
    response = client.post(reverse("liaison:appeal_rate", args=[w.resolved_a.pk]), {"score": "1", "comment": ""})
    assert response.status_code == 400
    assert 'data-field="comment">不满意时请写明原因（不少于 5 个字），以便改进。' in response.content.decode()
    response = client.post(reverse("liaison:appeal_rate", args=[w.resolved_a.pk]), {"comment": "好"})
    assert 'data-field="score">满意度须为 1 至 5 星。' in response.content.decode()
    assert client.post(reverse("liaison:appeal_rate", args=[w.resolved_a.pk]), {"score": "4"}).status_code == 302
    page = client.get(reverse("liaison:appeal_detail", args=[w.resolved_a.pk])).content.decode()
    assert 'id="satisfaction" data-score="4"' in page
    assert 'id="rate-form"' not in page
    response = client.post(reverse("liaison:appeal_rate", args=[w.appeal_a.pk]), {"score": "4"}, follow=True)
    assert "诉求办结后才能评价满意度（当前为「已受理」）。" in response.content.decode()


def test_an_attachment_of_the_wrong_kind_is_refused_at_the_field(client, aworld):
    w = aworld
    client.force_login(w.enterprise_user)
    fake = pdf("说明.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(reverse("liaison:appeal_attach", args=[w.appeal_a.pk]), {"file": fake})
    assert response.status_code == 400
    assert 'data-field="file">文件内容与扩展名 .pdf 不符。' in response.content.decode()
    assert AppealAttachment.objects.count() == 1
    response = client.get(reverse("liaison:appeal_attachment", args=[w.attachment_a.pk]))
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_the_detail_shows_the_timeline_and_escalations(client, aworld):
    from liaison.services.appeals import appeal_escalate_overdue

    w = aworld
    appeal_escalate_overdue(today=today())
    page = body(client, w.cadre, reverse("liaison:appeal_detail", args=[w.overdue_a.pk]))
    assert 'id="overdue"' in page
    assert 'id="escalation-level"' in page
    assert 'data-level="1"' in page
    assert "吴国平、" in page
    assert page.index('data-action="submit"') < page.index('data-action="assign"') < page.index(
        'data-action="escalate"')
    assert 'id="appeal-actions"' not in page  # the cadre is not its assignee


def test_departments_are_added_with_errors_at_the_field(client, aworld):
    w = aworld
    client.force_login(w.org_staff)
    response = client.post(reverse("liaison:department_create"), {"name": "星湖市地方金融工作局"})
    assert response.status_code == 400
    assert 'data-field="name">已有名为“星湖市地方金融工作局”的部门。' in response.content.decode()
    assert Department.objects.count() == 2
    client.post(reverse("liaison:department_toggle", args=[w.dept.pk]))
    assert Department.objects.get(pk=w.dept.pk).is_active is False


def test_the_enterprise_tab(client, aworld):
    w = aworld
    page = body(client, w.cadre, reverse("enterprise_tab", args=[w.ent_a.pk, "appeals"]))
    assert w.appeal_a.number in page
    assert w.appeal_b.number not in page
    assert f"{reverse('liaison:appeal_create')}?enterprise={w.ent_a.pk}" in page
    page = body(client, w.leader, reverse("enterprise_tab", args=[w.ent_b.pk, "appeals"]))
    assert w.appeal_b.number in page
    assert "?enterprise=" in page
    assert reverse("liaison:appeal_create") not in page


def appeal_card(page) -> str:
    """The appeal card of a home page, up to the card after it."""
    return page.split('id="appeal-card"')[1].split('<div class="card" id="')[0]


def test_the_home_cards(client, aworld):
    from liaison.services.appeals import appeal_escalate_overdue

    w = aworld
    appeal_escalate_overdue(today=today())
    page = body(client, w.enterprise_user, reverse("home"))
    assert 'id="appeal-card-enterprise"' in page
    assert counters(appeal_card(page)) == {"办理中": 2, "待您评价": 1}
    assert w.resolved_a.number in page
    page = body(client, w.cadre, reverse("home"))
    assert counters(appeal_card(page))["督办给您"] == 1
    assert w.overdue_a.number in page
    page = body(client, w.cadre_b, reverse("home"))
    assert counters(appeal_card(page))["督办给您"] == 0
    page = body(client, w.town_staff, reverse("home"))
    assert counters(appeal_card(page)) == {"待交办": 1, "已超期": 1}
    page = body(client, w.leader, reverse("home"))
    assert 'id="appeal-card"' not in page


def test_the_menu_shows_what_each_may_open(client, aworld):
    w = aworld
    page = body(client, w.org_staff, reverse("home"))
    assert reverse("liaison:department_list") in page
    assert reverse("liaison:appeal_queue") in page
    page = body(client, w.enterprise_user, reverse("home"))
    assert reverse("liaison:appeal_list") in page
    assert reverse("liaison:department_list") not in page
    assert reverse("liaison:appeal_queue") not in page
    page = body(client, w.bank_officer, reverse("home"))
    assert reverse("liaison:appeal_list") not in page
