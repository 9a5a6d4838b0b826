"""The insurance pages: who reaches each one (the shared access helper) and what each does with good
and bad input — every refusal shown at its field, nothing written."""

from decimal import Decimal

import pytest
from django.urls import reverse

from insurance.models import DiscountTable, InsuranceProduct, Policy, Quote
from tests.access import REFERENCE_DATA, AccessCase, case_id, everyone, run_access_case, url_of, users

from .conftest import today

pytestmark = pytest.mark.django_db
D = Decimal

NO_INSURANCE = ("bank_officer", "cadre", "admin")
SEES_QUOTE_A = ("insurer_officer", "enterprise_user", "station", "town_staff", "org_staff", "leader")
OTHER_THAN_QUOTE_A = ("insurer2_officer", "enterprise_b_user", "station_b_user", "town_staff_b", "park_station_user")
NOT_ORG_STAFF = ("insurer_officer", "station", "leader", "town_staff", "enterprise_user", "bank_officer")
EVERYONE = ("org_staff", "insurer_officer", "station", "leader", "town_staff", "enterprise_user", "bank_officer",
            "cadre")


def quote_a_number(w):
    return w.quote_a.number


def policy_number(w):
    return w.policy_a.policy_number


ACCESS_CASES = [
    AccessCase("insurance:quote_list", url_of("insurance:quote_list"), right=users(*SEES_QUOTE_A),
               wrong=users(*NO_INSURANCE), other_scope=users(*OTHER_THAN_QUOTE_A), other_status=(200,),
               marker=quote_a_number),
    AccessCase("insurance:quote_create", url_of("insurance:quote_create"),
               right=users("insurer_officer", "insurer2_officer", "station", "station_b_user"),
               wrong=users("org_staff", "leader", "town_staff", "enterprise_user", *NO_INSURANCE),
               why_no_other_scope="a blank form: the enterprise and the product are checked on submission (below)"),
    AccessCase("insurance:quote_create", url_of("insurance:quote_create"), method="post", ok=(302,),
               data=lambda w: {"enterprise": w.ent_b.uscc, "product": w.p1.pk, "base_premium": "1000",
                               "action": "create"},
               right=users("insurer_officer", "station_b_user"),
               wrong=users("org_staff", "leader", "town_staff", "enterprise_b_user", *NO_INSURANCE),
               # Another insurer quotes the first one's product, a station an enterprise outside its area.
               other_scope=users("insurer2_officer", "station", "park_station_user"), other_status=(400,),
               label="POST insurance:quote_create"),
    AccessCase("insurance:quote_detail", url_of("insurance:quote_detail", "quote_a.pk"), right=users(*SEES_QUOTE_A),
               wrong=users(*NO_INSURANCE), other_scope=users(*OTHER_THAN_QUOTE_A), marker=quote_a_number),
    AccessCase("insurance:policy_issue", url_of("insurance:policy_issue", "quote_a.pk"), method="post", ok=(302,),
               data=lambda w: {}, right=users("insurer_officer"),
               wrong=users("station", "enterprise_user", "org_staff", "leader", *NO_INSURANCE),
               other_scope=users("insurer2_officer")),
    AccessCase("insurance:policy_list", url_of("insurance:policy_list"), right=users(*SEES_QUOTE_A),
               wrong=users(*NO_INSURANCE), other_scope=users(*OTHER_THAN_QUOTE_A), other_status=(200,),
               marker=policy_number),
    AccessCase("insurance:policy_detail", url_of("insurance:policy_detail", "policy_a.pk"), right=users(*SEES_QUOTE_A),
               wrong=users(*NO_INSURANCE), other_scope=users(*OTHER_THAN_QUOTE_A), marker=policy_number),
    AccessCase("insurance:product_list", url_of("insurance:product_list"), right=everyone,
               marker=lambda w: w.p1.name, why_no_other_scope=REFERENCE_DATA),
    AccessCase("insurance:product_create", url_of("insurance:product_create"), right=users("org_staff"),
               wrong=users(*NOT_ORG_STAFF)),
    AccessCase("insurance:product_create", url_of("insurance:product_create"), method="post", ok=(302,),
               data=lambda w: {"insurer": w.insurer.pk, "name": "党建惠企团体意外险", "category": "safety",
                               "is_active": "on"},
               right=users("org_staff"), wrong=users(*NOT_ORG_STAFF)),
    AccessCase("insurance:product_update", url_of("insurance:product_update", "p1.pk"), right=users("org_staff"),
               wrong=users(*NOT_ORG_STAFF)),
    AccessCase("insurance:product_update", url_of("insurance:product_update", "p1.pk"), method="post", ok=(302,),
               data=lambda w: {"insurer": w.insurer.pk, "name": w.p1.name, "category": "safety", "is_active": "on"},
               right=users("org_staff"), wrong=users(*NOT_ORG_STAFF)),
    AccessCase("insurance:discount_table_list", url_of("insurance:discount_table_list"), right=everyone,
               marker=lambda w: "2019-01-01", why_no_other_scope=REFERENCE_DATA),
    AccessCase("insurance:discount_table_create", url_of("insurance:discount_table_create"), right=users("org_staff"),
               wrong=users(*NOT_ORG_STAFF)),
    AccessCase("insurance:discount_table_create", url_of("insurance:discount_table_create"), method="post", ok=(302,),
               data=lambda w: {"effective_from": "2031-01-01", "note": "", "rate_1": "10", "rate_2": "15",
                               "rate_3": "20", "rate_4": "25", "rate_5": "30"},
               right=users("org_staff"), wrong=users(*NOT_ORG_STAFF)),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, iworld):
    run_access_case(case, iworld)


def body(response) -> str:
    return response.content.decode()


# --- the quote form ---------------------------------------------------------------------------------

def quote_post(w, **changes):
    return {"enterprise": w.ent_a.uscc, "product": w.p1.pk, "base_premium": "12,345.67", "action": "create",
            **changes}


def test_the_preview_shows_the_discount_and_writes_nothing(client, rated):
    client.force_login(rated.insurer_officer)
    response = client.post(reverse("insurance:quote_create"), quote_post(rated, action="preview"))
    assert response.status_code == 200
    page = body(response)
    assert 'data-value="base">12,345.67' in page
    assert 'data-value="rate">30.00%' in page
    assert 'data-value="discount">−3,703.70' in page
    assert 'data-value="net">8,641.97' in page
    assert not Quote.objects.exists()


def test_making_a_quote_from_the_form(client, rated):
    client.force_login(rated.insurer_officer)
    response = client.post(reverse("insurance:quote_create"), quote_post(rated))
    quote = Quote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("insurance:quote_detail", args=[quote.pk])
    assert (quote.discount_amount, quote.net_premium) == (D("3703.70"), D("8641.97"))
    page = body(client.get(response["Location"]))
    assert 'data-value="net">8,641.97' in page
    assert "出具保单" in page  # the insurer's own officer may issue it


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"base_premium": "12,3a"}, "base_premium", "基础保费“123a”不是有效的数字。"),
    ({"base_premium": "-1"}, "base_premium", "基础保费不能为负数。"),
    ({"base_premium": "1.234"}, "base_premium", "基础保费最多精确到分（两位小数）。"),
    ({"base_premium": ""}, "base_premium", "请填写基础保费。"),
    ({"enterprise": ""}, "enterprise", "请填写企业名称或统一社会信用代码。"),
    ({"enterprise": lambda w: w.ent_a.uscc[:17] + ("1" if w.ent_a.uscc[-1] != "1" else "2")}, "enterprise",
     "统一社会信用代码校验位错误：第 18 位应为"),
    ({"enterprise": "123"}, "enterprise", "统一社会信用代码应为 18 位，当前为 3 位。"),
    ({"product": "999999"}, "product", ""),
    ({"product": "abc"}, "product", ""),
])
def test_bad_quote_input_is_shown_at_its_field_and_nothing_is_written(client, rated, changes, field, message):
    client.force_login(rated.insurer_officer)
    changes = {k: v(rated) if callable(v) else v for k, v in changes.items()}
    response = client.post(reverse("insurance:quote_create"), quote_post(rated, **changes))
    assert response.status_code == 400
    assert f'data-field="{field}">{message}' in body(response)
    assert not Quote.objects.exists()


def test_the_form_offers_an_officer_only_its_own_insurers_products(client, rated):
    client.force_login(rated.insurer2_officer)
    page = body(client.get(reverse("insurance:quote_create")))
    assert rated.p2.name in page
    assert rated.p1.name not in page
    response = client.post(reverse("insurance:quote_create"), quote_post(rated))  # p1 is the insurer's
    assert response.status_code == 400
    assert 'data-field="product"' in body(response)
    assert not Quote.objects.exists()


def test_an_enterprise_with_no_valid_rating_is_refused_at_the_field(client, rated):
    client.force_login(rated.park_station_user)
    response = client.post(reverse("insurance:quote_create"), quote_post(rated, enterprise=rated.ent_park.uscc))
    assert response.status_code == 400
    assert 'data-field="enterprise">星湖传感科技有限公司 暂不能享受党建保险优惠：未建立党组织。' in body(response)
    # and a station cannot find an enterprise outside its area at all
    client.force_login(rated.station_b_user)
    response = client.post(reverse("insurance:quote_create"), quote_post(rated))
    assert f'data-field="enterprise">没有找到信用代码为 {rated.ent_a.uscc} 的企业，或您不能为其报价。' in body(response)
    assert not Quote.objects.exists()


def test_the_station_desk_link_fills_the_code_in(client, rated):
    client.force_login(rated.station)
    page = body(client.get(reverse("insurance:quote_create") + f"?enterprise={rated.ent_a.uscc}"))
    assert f'value="{rated.ent_a.uscc}"' in page
    response = client.post(reverse("insurance:quote_create"), quote_post(rated, product=rated.p2.pk))
    assert response.status_code == 302
    assert Quote.objects.get().station == rated.station_a


# --- issuing the policy --------------------------------------------------------------------------------

def test_issuing_from_the_page_once_and_refusing_the_second_time(client, iworld):
    w = iworld
    client.force_login(w.insurer_officer)
    url = reverse("insurance:policy_issue", args=[w.quote_a.pk])
    response = client.post(url, {"policy_number": "", "starts_on": "", "ends_on": ""})
    policy = Policy.objects.get(quote=w.quote_a)
    assert response["Location"] == reverse("insurance:policy_detail", args=[policy.pk])
    response = client.post(url, {"policy_number": "I01-2026-90000002"}, follow=True)
    page = body(response)
    assert "不能重复出具" in page
    assert policy.policy_number in page
    assert Policy.objects.filter(quote=w.quote_a).count() == 1
    assert "出具保单</button>" not in page  # the button is gone


def test_bad_policy_input_is_shown_at_its_field(client, iworld):
    client.force_login(iworld.insurer_officer)
    response = client.post(reverse("insurance:policy_issue", args=[iworld.quote_a.pk]),
                           {"policy_number": "I01-2026-90000001", "starts_on": "2000-01-01", "ends_on": "not a date"})
    assert response.status_code == 400
    page = body(response)
    assert 'data-field="ends_on"' in page
    response = client.post(reverse("insurance:policy_issue", args=[iworld.quote_a.pk]),
                           {"policy_number": "I01-2026-90000001", "starts_on": "2000-01-01"})
    page = body(response)
    assert 'data-field="policy_number">保单号 I01-2026-90000001 已被本公司其他保单使用。' in page
    assert f'data-field="starts_on">保险起期不能早于今天（{today().isoformat()}）。' in page
    assert not Policy.objects.filter(quote=iworld.quote_a).exists()


# --- the organization department's forms -----------------------------------------------------------------

def test_a_discount_table_with_a_missing_star_or_a_rate_out_of_range_is_refused_at_its_fields(client, world):
    client.force_login(world.org_staff)
    data = {"effective_from": today().isoformat(), "note": "", "rate_1": "10", "rate_2": "15", "rate_3": "",
            "rate_4": "-25", "rate_5": "130"}
    response = client.post(reverse("insurance:discount_table_create"), data)
    assert response.status_code == 400
    page = body(response)
    assert 'data-field="rate_3">缺少 3 星的优惠比例。' in page
    assert 'data-field="rate_4">4 星优惠比例须在 0% 至 100% 之间，当前为 -25%。' in page
    assert 'data-field="rate_5">5 星优惠比例须在 0% 至 100% 之间，当前为 130%。' in page
    assert not DiscountTable.objects.exists()
    data.update(rate_3="20", rate_4="25", rate_5="30%")
    response = client.post(reverse("insurance:discount_table_create"), data)
    assert response.status_code == 302
    assert DiscountTable.objects.get().rates()[5] == D("30.00")
    page = body(client.get(reverse("insurance:discount_table_list")))
    assert "现行" in page
    assert "30.00%" in page


def test_the_product_form(client, products):
    client.force_login(products.org_staff)
    response = client.post(reverse("insurance:product_create"), {"insurer": products.insurer.pk, "name": products.p1.name,
                                                                "category": "safety", "is_active": "on"})
    assert response.status_code == 400
    assert 'data-field="name">人保财险 已有名为“党建惠企安全生产责任险”的产品。' in body(response)
    response = client.post(reverse("insurance:product_update", args=[products.p1.pk]),
                           {"insurer": products.insurer.pk, "name": products.p1.name, "category": "safety"})
    assert response.status_code == 302
    assert InsuranceProduct.objects.get(pk=products.p1.pk).is_active is False


# --- the enterprise page and the menu -------------------------------------------------------------------

def test_the_enterprise_page_has_an_insurance_tab(client, iworld):
    client.force_login(iworld.enterprise_user)
    page = body(client.get(reverse("enterprise_tab", args=[iworld.ent_a.pk, "insurance"])))
    assert 'id="insurance-rate"' in page
    assert "30.00%" in page
    assert iworld.quote_a.number in page
    assert iworld.policy_a.policy_number in page
    assert "为该企业报价" not in page  # the enterprise does not quote for itself
    client.force_login(iworld.station)
    page = body(client.get(reverse("enterprise_tab", args=[iworld.ent_a.pk, "insurance"])))
    assert f"?enterprise={iworld.ent_a.uscc}" in page
    client.force_login(iworld.org_staff)
    page = body(client.get(reverse("enterprise_tab", args=[iworld.ent_park.pk, "insurance"])))
    assert "未建立党组织" in page


@pytest.mark.parametrize(("who", "sees"), [("insurer_officer", True), ("station", True), ("enterprise_user", True),
                                           ("org_staff", True), ("bank_officer", False), ("cadre", False)])
def test_the_menu_offers_insurance_to_those_who_may_see_it(client, world, who, sees):
    client.force_login(getattr(world, who))
    assert (reverse("insurance:quote_list") in body(client.get(reverse("home")))) is sees
