"""Talent pages: who reaches each one, what each does with good and bad input, and that personal data
only ever shows masked."""

import re

import pytest
from django.urls import reverse

from portal.choices import Role
from portal.models import AuditLog
from talent.models import BenefitApplication, PolicyItem, ProgressLookup, Talent
from tests.access import REFERENCE_DATA, AccessCase, case_id, run_access_case, url_of, users
from tests.homecards import counters

from .conftest import ID_A, ID_B, MOBILE_A

pytestmark = pytest.mark.django_db

# No business with talents' personal data: 403 on every talent or application page.
PERSONAL_OUTSIDERS = ("bank_officer", "insurer_officer", "cadre", "admin")
# No business with the programme at all.
OUTSIDERS = ("bank_officer", "insurer_officer", "admin")
TALENT_READERS = ("org_staff", "leader", "town_staff", "station", "enterprise_user")
PROGRAMME_READERS = ("org_staff", "leader", "town_staff", "station", "enterprise_user", "cadre")
NOT_STAFF = ("town_staff", "station", "enterprise_user", "leader", "cadre", *OUTSIDERS)
OTHER_SCOPE = ("town_staff_b", "station_b_user", "enterprise_b_user", "park_station_user")


# The city's programme: staff, stations and cadres read all of it; an enterprise user reads the rows its
# own enterprise took part in (tried below with the other enterprise).
CITY_PROGRAMME = "the city's programme: staff, stations and cadres read all of it"


def staff_only(name, *attrs, method="get", data=None, ok=(200,), label=""):
    return AccessCase(name, url_of(name, *attrs), right=users("org_staff"), wrong=users(*NOT_STAFF), method=method,
                      data=data, ok=ok, label=label)


def staff_form_post(name, *attrs):
    """An empty submission: the organization department reaches the form and is told what is missing
    (400, nothing written); every other role is refused before the form is read."""
    return staff_only(name, *attrs, method="post", data=lambda w: {}, ok=(400,), label=f"POST {name} (empty)")


ACCESS_CASES = [
    AccessCase("talent:overview", url_of("talent:overview"), right=users("org_staff", "leader", "town_staff"),
               wrong=users("station", "enterprise_user", "cadre", *OUTSIDERS),
               why_no_other_scope="the programme's overview: counts, no record named"),
    AccessCase("talent:policy_item_list", url_of("talent:policy_item_list"), right=users(*PROGRAMME_READERS),
               wrong=users(*OUTSIDERS), marker=lambda w: "C、D类人才购房补贴", why_no_other_scope=REFERENCE_DATA),
    AccessCase("talent:policy_item_detail", url_of("talent:policy_item_detail", "items.housing.pk"),
               right=users(*PROGRAMME_READERS), wrong=users(*OUTSIDERS), marker=lambda w: "签订3年以上服务协议",
               why_no_other_scope=REFERENCE_DATA),
    staff_only("talent:policy_item_create"),
    staff_only("talent:policy_item_create", method="post", ok=(302,), label="POST talent:policy_item_create",
               data=lambda w: {"name": "人才公寓", "category": "housing", "levels": ["A", "B"], "amount": "",
                               "conditions": "三年内免租入住", "is_active": "on"}),
    staff_only("talent:policy_item_update", "items.housing.pk"),
    staff_form_post("talent:policy_item_update", "items.housing.pk"),
    AccessCase("talent:talent_list", url_of("talent:talent_list"), right=users(*TALENT_READERS),
               wrong=users(*PERSONAL_OUTSIDERS), other_scope=users(*OTHER_SCOPE), other_status=(200,),
               marker=lambda w: "周星湖"),
    staff_only("talent:talent_create"),
    staff_only("talent:talent_create", method="post", ok=(302,), label="POST talent:talent_create",
               data=lambda w: {"name": "吴青年", "id_number": "510121197505179317", "mobile": "13612345678",
                               "employer": w.ent_b.uscc, "level": "E", "field": "digital", "source": "park",
                               "source_institution": "三星湖智能传感产业园", "introduced_on": "2024-01-01"}),
    AccessCase("talent:talent_detail", url_of("talent:talent_detail", "talent_a.pk"), right=users(*TALENT_READERS),
               wrong=users(*PERSONAL_OUTSIDERS), other_scope=users(*OTHER_SCOPE), marker=lambda w: "510***********4047"),
    staff_only("talent:talent_update", "talent_a.pk"),
    staff_only("talent:talent_update", "talent_a.pk", method="post", ok=(302,), label="POST talent:talent_update",
               data=lambda w: {"name": "周星湖", "id_number": "", "mobile": "", "employer": w.ent_a.uscc, "level": "B",
                               "field": "sensing", "source": "university", "source_institution": "电子科技大学",
                               "introduced_on": "2022-03-01"}),
    AccessCase("talent:benefit_create", url_of("talent:benefit_create", "talent_a.pk"),
               right=users("station", "enterprise_user"),
               wrong=users("org_staff", "leader", "town_staff", *PERSONAL_OUTSIDERS),
               other_scope=users("station_b_user", "enterprise_b_user", "park_station_user")),
    # The employer's own user and the station of its area apply (one application per talent and item:
    # a case each).
    *[AccessCase("talent:benefit_create", url_of("talent:benefit_create", "talent_a.pk"), method="post", ok=(302,),
                 data=lambda w: {"item": w.items.school.pk, "amount_requested": "", "reason": "子女随迁需办理入学"},
                 right=users(applicant), wrong=users("org_staff", "leader", "town_staff", *PERSONAL_OUTSIDERS),
                 other_scope=users("station_b_user", "enterprise_b_user", "park_station_user"),
                 tried_elsewhere=(elsewhere,), label=f"POST talent:benefit_create ({applicant})")
      for applicant, elsewhere in (("enterprise_user", Role.STATION_OPERATOR), ("station", Role.ENTERPRISE_USER))],
    AccessCase("talent:benefit_list", url_of("talent:benefit_list"), right=users(*TALENT_READERS),
               wrong=users(*PERSONAL_OUTSIDERS), other_scope=users(*OTHER_SCOPE), other_status=(200,),
               marker=lambda w: w.app_a.reference),
    AccessCase("talent:benefit_detail", url_of("talent:benefit_detail", "app_a.pk"), right=users(*TALENT_READERS),
               wrong=users(*PERSONAL_OUTSIDERS), other_scope=users(*OTHER_SCOPE), marker=lambda w: "已在本市购买首套住房"),
    AccessCase("talent:benefit_action", url_of("talent:benefit_action", "app_a.pk", action="approve"), method="post",
               data=lambda w: {"version": w.app_a.version, "amount": "150000"}, ok=(302,), right=users("org_staff"),
               wrong=users("leader", "town_staff", "station", "enterprise_user", *PERSONAL_OUTSIDERS)),
    AccessCase("talent:benefit_action", url_of("talent:benefit_action", "app_a.pk", action="withdraw"), method="post",
               data=lambda w: {"version": w.app_a.version}, ok=(302,), right=users("enterprise_user"),
               wrong=users("org_staff", "leader", "town_staff", *PERSONAL_OUTSIDERS),
               other_scope=users("enterprise_b_user", "station_b_user"), label="POST talent:benefit_action withdraw"),
    AccessCase("talent:base_list", url_of("talent:base_list"), right=users(*PROGRAMME_READERS), wrong=users(*OUTSIDERS),
               marker=lambda w: "星湖市驻上海人才孵化基地", why_no_other_scope=REFERENCE_DATA),
    AccessCase("talent:base_detail", url_of("talent:base_detail", "base_sz.pk"), right=users(*PROGRAMME_READERS),
               wrong=users(*OUTSIDERS), marker=lambda w: "深圳湾星创孵化器", why_no_other_scope=REFERENCE_DATA),
    staff_only("talent:base_create"),
    staff_form_post("talent:base_create"),
    staff_only("talent:base_update", "base_sz.pk"),
    staff_form_post("talent:base_update", "base_sz.pk"),
    AccessCase("talent:project_list", url_of("talent:project_list"), right=users(*PROGRAMME_READERS),
               wrong=users(*OUTSIDERS), other_scope=users("enterprise_b_user"), other_status=(200,),
               marker=lambda w: "电子科大三星湖传感技术产业研究院", why_no_other_scope=CITY_PROGRAMME),
    AccessCase("talent:project_detail", url_of("talent:project_detail", "project.pk"), right=users(*PROGRAMME_READERS),
               wrong=users(*OUTSIDERS), other_scope=users("enterprise_b_user"), marker=lambda w: "传感器成果转化", why_no_other_scope=CITY_PROGRAMME),
    staff_only("talent:project_create"),
    staff_form_post("talent:project_create"),
    staff_only("talent:project_update", "project.pk"),
    staff_form_post("talent:project_update", "project.pk"),
    AccessCase("talent:ip_action_list", url_of("talent:ip_action_list"), right=users(*PROGRAMME_READERS),
               wrong=users(*OUTSIDERS), other_scope=users("enterprise_b_user"), other_status=(200,),
               marker=lambda w: "专利导航进园区", why_no_other_scope=CITY_PROGRAMME),
    AccessCase("talent:ip_action_detail", url_of("talent:ip_action_detail", "ip_action.pk"),
               right=users(*PROGRAMME_READERS), wrong=users(*OUTSIDERS), other_scope=users("enterprise_b_user"),
               marker=lambda w: "省知识产权服务中心", why_no_other_scope=CITY_PROGRAMME),
    staff_only("talent:ip_action_create"),
    staff_form_post("talent:ip_action_create"),
    staff_only("talent:ip_action_update", "ip_action.pk"),
    staff_form_post("talent:ip_action_update", "ip_action.pk"),
    AccessCase("talent:training_list", url_of("talent:training_list"),
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_b_user", "cadre"),
               wrong=users(*OUTSIDERS), other_scope=users("enterprise_user"), other_status=(200,),
               marker=lambda w: "数控车床操作", why_no_other_scope=CITY_PROGRAMME),
    AccessCase("talent:training_detail", url_of("talent:training_detail", "training_b.pk"),
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_b_user", "cadre"),
               wrong=users(*OUTSIDERS), other_scope=users("enterprise_user"), marker=lambda w: "星湖技师学院", why_no_other_scope=CITY_PROGRAMME),
    staff_only("talent:training_create"),
    staff_only("talent:training_create", method="post", ok=(302,), label="POST talent:training_create",
               data=lambda w: {"school": "星湖技师学院", "topic": "焊接技术（氩弧焊）", "held_on": "2025-11-20",
                               "trainees": "24", "enterprises": w.ent_a.uscc}),
    staff_only("talent:training_update", "training.pk"),
    staff_form_post("talent:training_update", "training.pk"),
    AccessCase("talent:registration_list", url_of("talent:registration_list"), right=users(*PROGRAMME_READERS),
               wrong=users(*OUTSIDERS), other_scope=users("enterprise_b_user"), other_status=(200,),
               marker=lambda w: w.ent_a.name, why_no_other_scope=CITY_PROGRAMME),
    staff_only("talent:registration_create"),
    staff_form_post("talent:registration_create"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, tw):
    run_access_case(case, tw)


def body(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params).content.decode()


def no_whole_personal_data(text):
    for whole in (ID_A, ID_B, MOBILE_A, "13987654321", "51072219950517096X"):
        assert whole not in text


# --- personal data stays masked ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "args"), [
    ("talent:talent_list", ()), ("talent:talent_detail", ("talent_a",)), ("talent:benefit_detail", ("app_a",)),
    ("talent:benefit_list", ()), ("talent:base_detail", ("base_sz",)), ("talent:talent_update", ("talent_a",)),
])
def test_personal_data_shows_masked_only(client, tw, name, args):
    text = body(client, tw.org_staff, name, *[getattr(tw, a).pk for a in args])
    no_whole_personal_data(text)
    if name in ("talent:talent_list", "talent:talent_detail", "talent:talent_update"):
        assert "510***********4047" in text
        assert "138****5678" in text


def test_the_enterprise_tab_shows_its_talents_masked_and_what_it_took_part_in(client, tw):
    text = body(client, tw.enterprise_user, "enterprise_tab", tw.ent_a.pk, "talent")
    no_whole_personal_data(text)
    assert "周星湖" in text
    assert "510***********4047" in text
    assert tw.app_a.reference in text
    assert "智能传感器装调工" in text
    assert "数控车床操作" not in text
    assert "专利导航进园区" in text
    assert "电子科大三星湖传感技术产业研究院" in text


def test_the_enterprise_tab_is_not_offered_to_a_bank(client, tw):
    client.force_login(tw.bank_officer)
    # the bank may not open the enterprise page at all; a cadre may not see talents
    assert client.get(reverse("enterprise_tab", args=[tw.ent_a.pk, "talent"])).status_code in (302, 403, 404)


# --- forms: errors at the field, nothing written ------------------------------------------------------------

def test_creating_a_talent_with_bad_input_answers_at_each_field(client, tw):
    client.force_login(tw.org_staff)
    response = client.post(reverse("talent:talent_create"), {
        "name": "吴青年", "id_number": "510121197505179318", "mobile": "12345", "employer": "91110108551385082X",
        "level": "B", "field": "sensing", "source": "university", "source_institution": "", "introduced_on": "2024-01-01"})
    assert response.status_code == 400
    assert 'data-field="employer">统一社会信用代码校验位错误：第 18 位应为“Q”，实为“X”。' in response.content.decode()
    assert Talent.objects.count() == 3
    # the form is valid but the service refuses: its messages land at the fields too
    response = client.post(reverse("talent:talent_create"), {
        "name": "吴青年", "id_number": "510121197505179318", "mobile": "12345", "employer": tw.ent_a.uscc,
        "level": "B", "field": "sensing", "source": "university", "source_institution": "", "introduced_on": "2024-01-01"})
    text = response.content.decode()
    assert 'data-field="id_number">身份证号校验码错误：第 18 位应为“7”。' in text
    assert 'data-field="mobile">手机号应为以 1 开头的 11 位数字。' in text
    assert 'data-field="source_institution">请填写来源单位。' in text
    assert Talent.objects.count() == 3


def test_creating_a_talent_from_the_page(client, tw):
    client.force_login(tw.org_staff)
    response = client.post(reverse("talent:talent_create"), {
        "name": "吴青年", "id_number": "510121197505179317", "mobile": "13612345678", "employer": tw.ent_b.uscc,
        "level": "E", "field": "digital", "source": "park", "source_institution": "三星湖智能传感产业园",
        "introduced_on": "2024-01-01", "base": tw.base_sh.pk})
    talent = Talent.objects.get(person__name="吴青年")
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:talent_detail", args=[talent.pk])
    assert (talent.employer, talent.base, talent.level) == (tw.ent_b, tw.base_sh, "E")


def test_editing_a_talent_keeps_the_id_number_when_left_empty(client, tw):
    client.force_login(tw.org_staff)
    page = client.get(reverse("talent:talent_update", args=[tw.talent_a.pk])).content.decode()
    assert "当前：510***********4047；不修改请留空" in page
    assert ID_A not in page
    response = client.post(reverse("talent:talent_update", args=[tw.talent_a.pk]), {
        "name": "周星湖", "id_number": "", "mobile": "", "employer": tw.ent_a.uscc, "level": "B", "field": "sensing",
        "source": "university", "source_institution": "电子科技大学", "introduced_on": "2022-03-01"})
    assert response.status_code == 302
    talent = Talent.objects.select_related("person").get(pk=tw.talent_a.pk)
    assert (talent.level, talent.person.id_number, talent.person.mobile, talent.base) == ("B", ID_A, MOBILE_A, None)


def test_a_bad_policy_item_answers_at_its_fields(client, tw):
    client.force_login(tw.org_staff)
    response = client.post(reverse("talent:policy_item_create"), {"name": "", "category": "housing", "amount": "-1",
                                                                  "conditions": "条件"})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-field="name">请填写项目名称。' in text
    assert 'data-field="levels">请至少选择一个适用的人才类别。' in text
    assert 'data-field="amount">标准金额不能为负数。' in text
    assert PolicyItem.objects.count() == 3


def test_applying_from_the_page_with_bad_input_then_good(client, tw):
    client.force_login(tw.enterprise_user)
    url = reverse("talent:benefit_create", args=[tw.talent_a.pk])
    response = client.post(url, {"item": tw.items.top.pk, "amount_requested": "600000", "reason": "购房"})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-field="item">该政策项目仅适用于A类人才，该人才为C类，不符合申请条件。' in text
    assert 'data-field="reason">请写明申请理由（不少于 5 个字）。' in text
    response = client.post(url, {"item": tw.items.school.pk, "amount_requested": "", "reason": "子女随迁需办理入学"})
    application = BenefitApplication.objects.get(talent=tw.talent_a, item=tw.items.school)
    assert response["Location"] == reverse("talent:benefit_detail", args=[application.pk])


def test_approving_from_the_page_answers_at_the_amount(client, tw):
    client.force_login(tw.org_staff)
    url = reverse("talent:benefit_action", args=[tw.app_a.pk, "approve"])
    response = client.post(url, {"version": 1, "amount": "150000.5x"})
    assert response.status_code == 400
    assert 'data-field="amount">批准金额“150000.5x”不是有效的数字。' in response.content.decode()
    response = client.post(url, {"version": 1, "amount": "150,000"})
    assert response.status_code == 302
    text = body(client, tw.org_staff, "talent:benefit_detail", tw.app_a.pk)
    assert 'id="approved">150,000.00' in text
    # the same (now stale) form again: refused with a message, nothing changes
    client.post(url, {"version": 1, "amount": "100"})
    assert BenefitApplication.objects.get(pk=tw.app_a.pk).amount_approved == 150000
    assert AuditLog.objects.filter(action="talent.benefit.approve").count() == 1


def test_a_rejection_without_a_reason_answers_at_the_field(client, tw):
    client.force_login(tw.org_staff)
    response = client.post(reverse("talent:benefit_action", args=[tw.app_a.pk, "reject"]), {"version": 1, "note": ""})
    assert response.status_code == 400
    assert 'data-field="note">不予批准须写明理由（不少于 5 个字）。' in response.content.decode()
    assert BenefitApplication.objects.get(pk=tw.app_a.pk).status == "pending"


def test_the_detail_offers_each_role_its_own_steps(client, tw):
    assert 'id="approve-form"' in body(client, tw.org_staff, "talent:benefit_detail", tw.app_a.pk)
    text = body(client, tw.enterprise_user, "talent:benefit_detail", tw.app_a.pk)
    assert 'data-step="withdraw"' in text
    assert 'id="approve-form"' not in text
    text = body(client, tw.leader, "talent:benefit_detail", tw.app_a.pk)
    assert 'data-step="withdraw"' not in text
    assert 'id="approve-form"' not in text


def test_a_project_form_refuses_unknown_credit_codes(client, tw):
    client.force_login(tw.org_staff)
    response = client.post(reverse("talent:project_create"), {
        "name": "新材料中试平台", "partner": "西南星湖大学", "kind": "institute", "status": "building",
        "enterprises": f"{tw.ent_a.uscc}\n91110108551385082Q"})
    assert response.status_code == 400
    assert 'data-field="enterprises">没有找到信用代码为 91110108551385082Q 的企业。' in response.content.decode()


def test_a_training_form_sets_its_enterprises(client, tw):
    client.force_login(tw.org_staff)
    response = client.post(reverse("talent:training_create"), {
        "school": "星湖技师学院", "topic": "焊接技术（氩弧焊）", "held_on": "2025-11-20", "trainees": "24",
        "enterprises": f"{tw.ent_a.uscc}, {tw.ent_park.uscc.lower()}"})
    assert response.status_code == 302
    text = body(client, tw.org_staff, "talent:training_list", year="2025")
    assert '<tr data-year="2025"><td>2025</td><td class="text-end">2</td><td class="text-end">3</td>' \
           '<td class="text-end">42</td></tr>' in text


# --- what a reader sees of the enterprises a record names ------------------------------------------------------

def test_town_staff_see_the_enterprises_of_their_region_and_a_count_of_the_rest(client, tw):
    text = body(client, tw.town_staff, "talent:training_detail", tw.training.pk)
    assert tw.ent_a.name in text
    assert tw.ent_b.name not in text
    assert 'id="enterprises-hidden">另有 1 家企业不在您的查看范围内。' in text


# --- totals, overview, home card -----------------------------------------------------------------------------

def test_training_totals_by_year_on_the_list(client, tw):
    text = body(client, tw.leader, "talent:training_list")
    rows = re.findall(r'<tr[^>]*data-year="(\w+)"><td>[^<]*</td><td class="text-end">(\d+)</td>'
                      r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>', text)
    assert rows == [("2025", "1", "1", "18"), ("2024", "1", "2", "30"), ("total", "2", "2", "48")]


def test_the_overview_in_plain_tables(client, tw):
    text = body(client, tw.org_staff, "talent:overview")
    assert 'id="talent-total">3<' in text
    assert '<tr data-code="C"><td>C类 · 省级领军人才</td><td class="text-end">1</td></tr>' in text
    assert '<tr data-code="pending"><td>待审核</td><td class="text-end">2</td><td class="text-end">150,000.00</td>' in text
    assert '<tr data-code="landed"><td>已落地</td><td class="text-end">2</td></tr>' in text
    assert '<tr data-year="2024"><td>2024</td><td class="text-end">0</td><td class="text-end">12</td>' in text
    assert 'id="scoped-note"' not in text
    text = body(client, tw.town_staff, "talent:overview")
    assert 'id="talent-total">1<' in text
    assert 'id="scoped-note"' in text


def test_the_home_card_shows_the_queue_to_staff_and_their_own_to_an_enterprise(client, tw):
    card = body(client, tw.org_staff, "home").split('id="talent-card"')[1].split('class="card"')[0]
    assert counters(card) == {"待审核": 2}
    text = body(client, tw.enterprise_user, "home")
    assert counters(text.split('id="talent-card"')[1].split('class="card"')[0])["待审核"] == 1
    assert 'id="talent-card"' not in body(client, tw.leader, "home")


def test_the_menu_offers_the_talent_group_to_who_may_open_it(client, tw):
    text = body(client, tw.cadre, "home")
    assert reverse("talent:project_list") in text
    assert reverse("talent:talent_list") not in text
    assert reverse("talent:talent_list") not in body(client, tw.bank_officer, "home")


# --- the public progress page ---------------------------------------------------------------------------------

def test_the_public_page_shows_only_state_item_and_dates(client, tw):
    response = client.post(reverse("talent:progress"), {"reference": tw.app_a.reference, "id_tail": "174047"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-status="pending"><strong>待审核</strong>' in text
    assert "C、D类人才购房补贴" in text
    for private in ("周星湖", tw.ent_a.name, "150,000", "150000", "已在本市购买首套住房", "510***********4047"):
        assert private not in text


def test_the_public_page_answers_every_wrong_combination_alike(client, tw):
    answers = set()
    for reference, tail in [(tw.app_a.reference, "174046"), (tw.app_b.reference, "174047"), ("RC2020-000001", "174047")]:
        text = client.post(reverse("talent:progress"), {"reference": reference, "id_tail": tail}).content.decode()
        answers.add(re.search(r'id="progress-not-found">([^<]*)<', text).group(1))
    assert answers == {"未查到与所填申请编号和身份证号后六位相符的申请，请核对后重试。"}


def test_the_public_page_asks_for_well_formed_input_without_counting_it(client, tw):
    response = client.post(reverse("talent:progress"), {"reference": "123", "id_tail": "12"})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-field="reference">请填写申请编号，格式如 RC2026-000123。' in text
    assert 'data-field="id_tail">请填写身份证号的后六位（最后一位可能为 X）。' in text
    assert ProgressLookup.objects.count() == 0


def test_the_public_page_limits_lookups_per_address(client, tw):
    for _ in range(10):
        client.post(reverse("talent:progress"), {"reference": "RC2020-000001", "id_tail": "174047"},
                    REMOTE_ADDR="203.0.113.9")
    response = client.post(reverse("talent:progress"), {"reference": tw.app_a.reference, "id_tail": "174047"},
                           REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    text = response.content.decode()
    assert "查询过于频繁：同一网络地址每小时最多查询 10 次，请稍后再试。" in text
    assert 'id="progress-result"' not in text
    other = client.post(reverse("talent:progress"), {"reference": tw.app_a.reference, "id_tail": "174047"},
                        REMOTE_ADDR="203.0.113.10")
    assert 'id="progress-result"' in other.content.decode()


def test_the_public_page_needs_no_login_and_a_robot_learns_nothing(client, tw):
    assert client.get(reverse("talent:progress")).status_code == 200
    text = client.post(reverse("talent:progress"), {"reference": tw.app_a.reference, "id_tail": "174047",
                                                    "website": "http://spam"}).content.decode()
    assert 'id="progress-not-found"' in text
    assert 'id="progress-result"' not in text
    assert ProgressLookup.objects.count() == 0


def test_staff_who_may_see_the_whole_numbers_get_a_link_to_the_registry(client, tw):
    assert 'id="person-link"' in body(client, tw.org_staff, "talent:talent_detail", tw.talent_a.pk)
    assert 'id="person-link"' not in body(client, tw.enterprise_user, "talent:talent_detail", tw.talent_a.pk)


def test_the_benefit_form_offers_only_items_the_talents_level_qualifies_for(client, tw):
    from talent.models import PolicyItem

    talent = tw.talent_a  # level C, employed by ent_a
    client.force_login(tw.enterprise_user)
    page = client.get(reverse("talent:benefit_create", args=[talent.pk])).content.decode()
    offered = [i for i in PolicyItem.objects.filter(is_active=True) if f'value="{i.pk}"' in page]
    assert offered
    assert all(talent.level in i.levels for i in offered)
    assert any(talent.level not in i.levels for i in PolicyItem.objects.filter(is_active=True))
