"""Co-building pages: who reaches each one, and what each does with good and bad input."""


import pytest
from django.urls import reverse

from finance.models import CadreExchange, CoBuildingPair
from finance.views.cobuilding import register_menu, url_name
from portal import navigation
from tests.access import REFERENCE_DATA, AccessCase, case_id, everyone, run_access_case, users

from .cobuilding_fixtures import NOT_WRITERS, D, written

pytestmark = pytest.mark.django_db


# --- the pages ---------------------------------------------------------------------------------

def _url(name, *attrs):
    def build(w):
        return reverse(url_name(name), args=[getattr(w, a).pk for a in attrs])
    return build


def _ns(name):
    return url_name(name)


ACCESS_CASES = [
    # Published like the policies: every role reads the pairings and exchanges (READERS of cobuilding_fixtures
    # is who the menu offers them to).
    AccessCase(_ns("cobuilding_overview"), _url("cobuilding_overview"), right=everyone,
               marker=lambda w: "周明远", why_no_other_scope=REFERENCE_DATA),
    AccessCase(_ns("cobuilding_pair_detail"), _url("cobuilding_pair_detail", "pair"), right=everyone,
               marker=lambda w: "支部联建、整村授信", why_no_other_scope=REFERENCE_DATA),
    AccessCase(_ns("cobuilding_pair_create"), _url("cobuilding_pair_create"), right=users("org_staff"),
               wrong=users(*NOT_WRITERS)),
    AccessCase(_ns("cobuilding_pair_create"), _url("cobuilding_pair_create"), method="post", ok=(302,),
               data=lambda w: {"bank": w.bank.pk, "region": w.village_b.pk, "started_on": "2025-01-01"},
               right=users("org_staff"), wrong=users(*NOT_WRITERS), label="POST cobuilding_pair_create"),
    AccessCase(_ns("cobuilding_pair_end"), _url("cobuilding_pair_end", "pair"), method="post", ok=(302,),
               data=lambda w: {"ended_on": "2025-12-31"}, right=users("org_staff"), wrong=users(*NOT_WRITERS)),
    AccessCase(_ns("cobuilding_activity_add"), _url("cobuilding_activity_add", "pair"), method="post", ok=(302,),
               data=lambda w: {"held_on": "2025-01-10", "title": "整村授信宣讲", "participants": "30"},
               right=users("org_staff"), wrong=users(*NOT_WRITERS)),
    AccessCase(_ns("cobuilding_exchange_create"), _url("cobuilding_exchange_create"), right=users("org_staff"),
               wrong=users(*NOT_WRITERS)),
    AccessCase(_ns("cobuilding_exchange_create"), _url("cobuilding_exchange_create"), method="post", ok=(302,),
               data=lambda w: {"person_name": "陈思远", "direction": "to_bank", "organ": "星湖市商务局",
                               "bank": w.bank2.pk, "post": "公司业务部副经理", "started_on": "2025-06-01",
                               "ended_on": "2026-05-31"},
               right=users("org_staff"), wrong=users(*NOT_WRITERS), label="POST cobuilding_exchange_create"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, cb):
    run_access_case(case, cb)


def path(name, *args):
    return reverse(url_name(name), args=args)


def page(client, user, name, *args, **query):
    client.force_login(user)
    response = client.get(reverse(url_name(name), args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_overview_lists_pairings_with_their_activity_counts_and_filters_them(client, cb):
    w = cb
    body = page(client, w.leader, "cobuilding_overview")
    for text in ("东湖村", "星湖高新技术产业园区", "西山社区", "星湖农商银行东湖支行"):
        assert text in body
    assert f'href="{path("cobuilding_pair_create")}"' not in body  # the leader only reads
    # only the park
    body = page(client, w.leader, "cobuilding_overview", partner="park")
    assert "星湖高新技术产业园区" in body
    assert "东湖村" not in body
    # only the villages of 建设银行
    body = page(client, w.leader, "cobuilding_overview", partner="village", bank=w.bank2.pk)
    assert "西山社区" in body
    assert "东湖村" not in body
    assert "星湖高新技术产业园区</a>" not in body
    # current only: the ended pairing drops out
    body = page(client, w.leader, "cobuilding_overview", current="true")
    assert "东湖村" in body
    assert "西山社区" not in body
    body = page(client, w.leader, "cobuilding_overview", current="false")
    assert "西山社区" in body
    assert "东湖村" not in body


def test_the_overview_shows_the_figures_and_the_exchanges_current_and_past(client, cb):
    w = cb
    body = page(client, w.org_staff, "cobuilding_overview")
    assert f'href="{path("cobuilding_pair_create")}"' in body
    assert f'href="{path("cobuilding_exchange_create")}"' in body
    # pairings by bank: 农商银行 one current village pairing with one activity; 建设银行 the park, one ended
    bank_row = body.split('data-bank="B01">')[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in bank_row.split("</td>")[:-1]] == ["农商银行", "1", "0", "1", "0", "1"]
    bank2_row = body.split('data-bank="B02">')[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in bank2_row.split("</td>")[:-1]] == ["建设银行", "1", "1", "0", "1", "0"]
    # current exchanges by direction
    assert 'data-direction="to_bank"><span>机关干部到银行挂职</span><span class="fw-semibold">1 人' in body
    assert 'data-direction="to_gov"><span>银行干部到机关挂职</span><span class="fw-semibold">0 人' in body
    current = body.split('id="exchanges-current"')[1].split("</table>")[0]
    past = body.split('id="exchanges-past"')[1].split("</table>")[0]
    assert "周明远" in current
    assert "郑雅琴" not in current
    assert "郑雅琴" in past
    assert "2021-01-01 ~ 2021-12-31" in past


def test_the_pairing_page_shows_its_activities_and_the_forms_to_staff_only(client, cb):
    w = cb
    body = page(client, w.org_staff, "cobuilding_pair_detail", w.pair.pk)
    assert "金融知识进村" in body
    assert "2022-06-18" in body
    assert 'id="activity-form"' in body
    assert 'id="end-form"' in body
    body = page(client, w.bank_officer, "cobuilding_pair_detail", w.pair.pk)
    assert "金融知识进村" in body
    assert 'id="activity-form"' not in body
    assert 'id="end-form"' not in body
    client.force_login(w.org_staff)
    assert client.get(reverse(url_name("cobuilding_pair_detail"), args=[999999])).status_code == 404


def test_creating_a_pairing_from_the_form(client, cb):
    w = cb
    client.force_login(w.org_staff)
    url = reverse(url_name("cobuilding_pair_create"))
    assert "结对村（社区）" in client.get(url).content.decode()
    # bad input: both a park and a village, a branch of the other bank
    before = written()
    response = client.post(url, {"bank": w.bank.pk, "branch": w.branch2.pk, "park": w.park.pk,
                                 "region": w.village_b.pk, "started_on": "2024-05-04"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="region">一项结对只能对应一个园区或一个村（社区），不能同时选择两者。' in body
    assert 'data-field="branch">网点“建设银行西山分理处”不属于星湖农商银行。' in body
    # a town is not offered, and the form says so at the field
    response = client.post(url, {"bank": w.bank.pk, "region": w.town_a.pk, "started_on": "2024-05-04"})
    assert 'data-field="region">请选择一个村（社区）。' in response.content.decode()
    # a second current pairing, refused by the service at the partner
    response = client.post(url, {"bank": w.bank.pk, "region": w.village_a.pk, "started_on": "2024-05-04"})
    assert 'data-field="region">农商银行与“东湖村”已有当前结对' in response.content.decode()
    response = client.post(url, {"started_on": ""})
    body = response.content.decode()
    assert 'data-field="bank">请选择一家银行。' in body
    assert written() == before
    # good input
    response = client.post(url, {"bank": w.bank.pk, "branch": w.branch.pk, "region": w.village_b.pk,
                                 "started_on": "2024-05-04", "note": "信用村创建"})
    pair = CoBuildingPair.objects.get(bank=w.bank, region=w.village_b)
    assert response.status_code == 302
    assert response["Location"] == reverse(url_name("cobuilding_pair_detail"), args=[pair.pk])
    assert (pair.branch, pair.started_on, pair.note) == (w.branch, D(2024, 5, 4), "信用村创建")


def test_adding_an_activity_and_ending_the_pairing_from_its_page(client, cb):
    w = cb
    client.force_login(w.org_staff)
    add = reverse(url_name("cobuilding_activity_add"), args=[w.pair.pk])
    end = reverse(url_name("cobuilding_pair_end"), args=[w.pair.pk])
    before = written()
    response = client.post(add, {"held_on": "2021-02-01", "title": "", "participants": "-3"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="title">请填写活动名称。' in body
    # the form's own refusal first; the service's date and count refusals once the title is there
    response = client.post(add, {"held_on": "2021-02-01", "title": "金融夜校", "participants": "-3"})
    body = response.content.decode()
    assert 'data-field="held_on">活动日期不能早于结对日期 2021-03-01。' in body
    assert 'data-field="participants">参加人数不能为负数。' in body
    assert 'value="金融夜校"' in body  # what was typed stays
    response = client.post(end, {"ended_on": "2022-01-01"})
    assert response.status_code == 400
    assert ('data-field="ended_on">该结对在 2022-06-18 还有共建活动，结束日期不能早于这一天。'
            in response.content.decode())
    assert written() == before

    response = client.post(add, {"held_on": "2024-07-01", "title": "金融夜校", "participants": "25"})
    assert response.status_code == 302
    assert w.pair.activities.filter(title="金融夜校", participants=25).exists()
    response = client.post(end, {"ended_on": "2024-12-31"})
    assert response.status_code == 302
    w.pair.refresh_from_db()
    assert w.pair.ended_on == D(2024, 12, 31)
    body = client.get(reverse(url_name("cobuilding_pair_detail"), args=[w.pair.pk])).content.decode()
    assert 'id="end-form"' not in body
    assert "已结束" in body
    # ending it again (say, from a page opened before) says why
    response = client.post(end, {"ended_on": "2025-01-31"}, follow=True)
    assert response.redirect_chain == [(reverse(url_name("cobuilding_pair_detail"), args=[w.pair.pk]), 302)]
    assert "该结对已于 2024-12-31 结束。" in response.content.decode()
    w.pair.refresh_from_db()
    assert w.pair.ended_on == D(2024, 12, 31)


def test_creating_an_exchange_from_the_form(client, cb):
    w = cb
    client.force_login(w.org_staff)
    url = reverse(url_name("cobuilding_exchange_create"))
    data = {"person_name": "陈思远", "direction": "to_bank", "organ": "星湖市商务局", "bank": w.bank2.pk,
            "post": "公司业务部副经理", "started_on": "2025-06-01", "ended_on": "2025-05-31"}
    before = written()
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'data-field="ended_on">结束日期不能早于开始日期 2025-06-01。' in response.content.decode()
    response = client.post(url, data | {"person_name": "", "organ": "", "post": ""})
    body = response.content.decode()
    assert 'data-field="person_name">请填写挂职干部姓名。' in body
    assert 'data-field="organ">请填写机关单位。' in body
    assert 'data-field="post">请填写挂职岗位。' in body
    assert written() == before
    response = client.post(url, data | {"ended_on": "2026-05-31"})
    assert response.status_code == 302
    assert response["Location"] == reverse(url_name("cobuilding_overview"))
    assert CadreExchange.objects.get(person_name="陈思远").ended_on == D(2026, 5, 31)


@pytest.fixture
def menu(monkeypatch):
    monkeypatch.setattr(navigation, "MENU", list(navigation.MENU))
    register_menu()
    register_menu()


def test_the_menu_offers_co_building_to_every_reader_once(client, cb, menu):
    w = cb
    assert sum(entry.url_name == url_name("cobuilding_overview") for entry in navigation.MENU) == 1
    for user in (w.org_staff, w.leader, w.town_staff, w.bank_officer):
        items = [i for i in navigation.menu_for(user) if i["name"] == url_name("cobuilding_overview")]
        assert [(str(i["label"]), i["url"]) for i in items] == [("组织共建", path("cobuilding_overview"))]
    assert navigation.menu_for(None) == []
    body = page(client, w.leader, "cobuilding_overview")
    assert (f'class="dropdown-item active" aria-current="page" href="{path("cobuilding_overview")}">'
            '<i class="bi bi-diagram-3" aria-hidden="true"></i> 组织共建') in body
