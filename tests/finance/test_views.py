"""Finance pages: who reaches each one, and what each does with good and bad input."""

import pytest
from django.urls import reverse

from finance.models import LoanApplication, QuotaTable
from portal.choices import Role
from portal.models import AuditLog
from tests.access import REFERENCE_DATA, AccessCase, case_id, everyone, run_access_case, url_of, users
from tests.homecards import counters

pytestmark = pytest.mark.django_db
OUTSIDERS = ("cadre", "admin")

ACCESS_CASES = [
    AccessCase("finance:lookup", lambda w: reverse("finance:lookup") + f"?q={w.ent_a.uscc}",
               right=users("bank_officer", "bank2_officer", "insurer_officer", "station", "org_staff", "leader",
                           "town_staff", "enterprise_user"),
               wrong=users(*OUTSIDERS),
               other_scope=users("station_b_user", "park_station_user", "town_staff_b", "enterprise_b_user"),
               other_status=(200,), marker=lambda w: w.ent_a.name, label="GET finance:lookup",
               why_no_other_scope="banks and insurers look up any enterprise by its code, every look audited"),
    AccessCase("finance:desk", url_of("finance:desk"), right=users("station"),
               wrong=users("bank_officer", "org_staff", "enterprise_user", *OUTSIDERS),
               other_scope=users("station_b_user"), other_status=(200,), marker=lambda w: w.ent_a.uscc),
    AccessCase("finance:application_list", url_of("finance:application_list"),
               right=users("bank_officer", "station", "enterprise_user", "org_staff", "leader", "town_staff"),
               wrong=users("insurer_officer", *OUTSIDERS),
               other_scope=users("bank2_officer", "station_b_user", "enterprise_b_user", "town_staff_b"),
               other_status=(200,),
               marker=lambda w: f"#{w.app_a.pk}<"),
    AccessCase("finance:application_create", url_of("finance:application_create"),
               right=users("station", "enterprise_user"),
               wrong=users("bank_officer", "org_staff", "insurer_officer", "leader", *OUTSIDERS),
               why_no_other_scope="a blank form: the enterprise a station names is checked on submission (below)"),
    AccessCase("finance:application_create", url_of("finance:application_create"), method="post", ok=(302,),
               data=lambda w: {"enterprise": w.ent_a.uscc, "bank": w.bank2.pk, "product": w.product2.pk,
                               "amount": "1000000", "purpose": "扩大生产"},
               right=users("station"), wrong=users("bank_officer", "org_staff", "town_staff", "leader", *OUTSIDERS),
               # Another station names an enterprise outside its area: the form refuses it.
               other_scope=users("station_b_user"), other_status=(400,), tried_elsewhere=(Role.ENTERPRISE_USER,),
               label="POST finance:application_create (station)"),
    AccessCase("finance:application_create", url_of("finance:application_create"), method="post", ok=(302,),
               data=lambda w: {"bank": w.bank2.pk, "product": w.product2.pk, "amount": "1000000", "purpose": "扩大生产"},
               right=users("enterprise_user"), wrong=users("insurer_officer", "org_staff", "leader", *OUTSIDERS),
               why_no_other_scope="an enterprise user applies for its own enterprise: the form names none",
               tried_elsewhere=(Role.STATION_OPERATOR,), label="POST finance:application_create (enterprise)"),
    AccessCase("finance:application_detail", url_of("finance:application_detail", "app_a.pk"),
               right=users("bank_officer", "station", "enterprise_user", "org_staff", "leader", "town_staff"),
               wrong=users("insurer_officer", *OUTSIDERS),
               other_scope=users("bank2_officer", "station_b_user", "enterprise_b_user", "town_staff_b"),
               marker=lambda w: "购置生产设备"),
    AccessCase("finance:application_action", url_of("finance:application_action", "app_a.pk", action="accept"),
               method="post", data=lambda w: {"version": w.app_a.version}, ok=(302,), right=users("bank_officer"),
               wrong=users("enterprise_user", "station", "org_staff", "leader", "insurer_officer", *OUTSIDERS),
               other_scope=users("bank2_officer")),
    AccessCase("finance:policies", url_of("finance:policies"), right=everyone, marker=lambda w: "党建惠企贷",
               why_no_other_scope=REFERENCE_DATA),
    AccessCase("finance:quota_table_create", url_of("finance:quota_table_create"), method="post", ok=(302,),
               data=lambda w: {"effective_from": "2031-01-01", "stars_1": "1000000", "stars_2": "2000000",
                               "stars_3": "3000000", "stars_4": "4000000", "stars_5": "5000000"},
               right=users("org_staff"), wrong=users("bank_officer", "leader", "town_staff", "station", *OUTSIDERS)),
    AccessCase("finance:product_toggle", url_of("finance:product_toggle", "product.pk"), method="post", ok=(302,),
               right=users("org_staff"), wrong=users("bank_officer", "leader", "town_staff", "station", *OUTSIDERS)),
    AccessCase("finance:product_create", url_of("finance:product_create"), method="post", ok=(302,),
               data=lambda w: {"bank": w.bank.pk, "name": "新产品", "annual_rate": "3.3", "term_months": "12",
                               "is_active": "on"},
               right=users("org_staff"), wrong=users("bank_officer", "leader", "town_staff", "station", *OUTSIDERS)),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, fworld):
    run_access_case(case, fworld)


def test_lookup_explains_and_is_audited_for_banks(client, fworld):
    client.force_login(fworld.bank_officer)
    body = client.get(reverse("finance:lookup"), {"q": fworld.ent_a.uscc}).content.decode()
    assert 'data-quota>5,000,000.00<' in body
    assert 'data-available>5,000,000.00<' in body
    assert AuditLog.objects.filter(action="eligibility.lookup", actor=fworld.bank_officer).count() == 1
    body = client.get(reverse("finance:lookup"), {"q": fworld.ent_park.uscc}).content.decode()
    assert 'data-reason="no_organization">未建立党组织<' in body
    body = client.get(reverse("finance:lookup"), {"q": "x"}).content.decode()
    assert 'data-field="q">请至少输入两个字符。' in body


def test_the_station_desk_lists_its_area_with_eligibility(client, fworld):
    client.force_login(fworld.station)
    body = client.get(reverse("finance:desk")).content.decode()
    assert f'data-uscc="{fworld.ent_a.uscc}"' in body
    assert f'data-uscc="{fworld.ent_b.uscc}"' not in body
    assert f'data-open-application="{fworld.app_a.pk}"' in body  # under way: followed up, not applied for again


def test_a_station_submits_with_bad_input_and_sees_it_at_the_fields(client, fworld):
    client.force_login(fworld.station)
    response = client.post(reverse("finance:application_create"), {
        "enterprise": fworld.ent_a.uscc, "bank": fworld.bank2.pk, "product": fworld.product2.pk,
        "amount": "5000000.01", "purpose": "购置设备"})
    assert response.status_code == 400
    assert ('data-field="amount">金额 5,000,000.01 元超过可用额度 5,000,000.00 元（授信额度 5,000,000.00 元，'
            '已用 0.00 元）。') in response.content.decode()
    assert LoanApplication.objects.count() == 2
    response = client.post(reverse("finance:application_create"), {
        "enterprise": "91110108551385082X", "bank": fworld.bank2.pk, "product": fworld.product2.pk,
        "amount": "1000", "purpose": "购置设备"})
    assert 'data-field="enterprise">统一社会信用代码校验位错误' in response.content.decode()


def test_a_bank_approves_from_the_page_and_the_form_answers_at_the_amount(client, fworld):
    client.force_login(fworld.bank_officer)
    url = reverse("finance:application_action", args=[fworld.app_a.pk, "accept"])
    assert client.post(url, {"version": fworld.app_a.version}).status_code == 302
    app = LoanApplication.objects.get(pk=fworld.app_a.pk)
    response = client.post(reverse("finance:application_action", args=[app.pk, "approve"]),
                           {"version": app.version, "amount": "1200000.5x"})
    assert response.status_code == 400
    assert 'data-field="amount">批准金额“1200000.5x”不是有效的数字。' in response.content.decode()
    response = client.post(reverse("finance:application_action", args=[app.pk, "approve"]),
                           {"version": app.version, "amount": "1,000,000"})
    assert response.status_code == 302
    body = client.get(reverse("finance:application_detail", args=[app.pk])).content.decode()
    assert 'id="approved">1,000,000.00' in body


def test_a_rejection_without_a_reason_answers_at_the_field(client, fworld):
    client.force_login(fworld.bank2_officer)
    response = client.post(reverse("finance:application_action", args=[fworld.app_b.pk, "reject"]),
                           {"version": fworld.app_b.version, "reason": ""})
    assert response.status_code == 400
    assert 'data-field="reason">请选择不予批准的原因。' in response.content.decode()
    assert LoanApplication.objects.get(pk=fworld.app_b.pk).status == "accepted"


def test_a_bad_quota_table_answers_at_its_fields(client, fworld):
    client.force_login(fworld.org_staff)
    response = client.post(reverse("finance:quota_table_create"), {
        "effective_from": "2031-01-01", "stars_1": "1000000", "stars_2": "-1", "stars_3": "", "stars_4": "4000000",
        "stars_5": "5000000"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="stars_2">2 星额度不能为负数。' in body
    assert 'data-field="stars_3">请填写3 星额度。' in body
    assert QuotaTable.objects.count() == 1


def test_the_enterprise_page_shows_its_credit_tab(client, fworld):
    client.force_login(fworld.enterprise_user)
    body = client.get(reverse("enterprise_tab", args=[fworld.ent_a.pk, "credit"])).content.decode()
    assert "5,000,000.00" in body
    assert f"#{fworld.app_a.pk}<" in body


def test_the_home_page_shows_what_waits_for_the_bank(client, fworld):
    client.force_login(fworld.bank_officer)
    body = client.get(reverse("home")).content.decode()
    assert 'id="loan-card"' in body
    assert counters(body.split('id="loan-card"')[1])["已提交"] == 1
    client.force_login(fworld.bank2_officer)
    body = client.get(reverse("home")).content.decode()
    assert counters(body.split('id="loan-card"')[1]) == {"已提交": 0, "银行已受理": 1, "已审批": 0, "已放款": 0}
    client.force_login(fworld.leader)
    assert 'id="loan-card"' not in client.get(reverse("home")).content.decode()


def test_a_product_taken_off_sale_cannot_be_applied_for(client, fworld):
    client.force_login(fworld.org_staff)
    client.post(reverse("finance:product_toggle", args=[fworld.product.pk]))
    fworld.product.refresh_from_db()
    assert fworld.product.is_active is False
    assert AuditLog.objects.filter(action="loan_product.update", object_id=str(fworld.product.pk)).count() == 1
    client.force_login(fworld.enterprise_b_user)
    response = client.post(reverse("finance:application_create"), {
        "bank": fworld.bank.pk, "product": fworld.product.pk, "amount": "1000", "purpose": "购置设备"})
    assert response.status_code == 400
    assert 'data-field="product"' in response.content.decode()


def test_application_list_and_desk_queries_do_not_grow_with_rows(client, fworld):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EnterpriseFactory

    def unrated_application(n):
        enterprise = EnterpriseFactory(region=fworld.village_a, name=f"东湖测试企业{n}")
        LoanApplication.objects.create(enterprise=enterprise, bank=fworld.bank, product=fworld.product,
                                       amount="1000.00", purpose="测试用途", channel="station")

    # An unrated enterprise's coverage is read in a second query (ratings.selectors.enterprise_ratings):
    # one is on the pages before the rows are added, so both counts take that path.
    unrated_application(0)
    client.force_login(fworld.station)
    with CaptureQueriesContext(connection) as few_list:
        client.get(reverse("finance:application_list"))
    with CaptureQueriesContext(connection) as few_desk:
        client.get(reverse("finance:desk"))
    for n in range(1, 7):
        unrated_application(n)
    with CaptureQueriesContext(connection) as many_list:
        client.get(reverse("finance:application_list"))
    with CaptureQueriesContext(connection) as many_desk:
        client.get(reverse("finance:desk"))
    assert len(many_list) == len(few_list)
    assert len(many_desk) == len(few_desk)


def four_million_used_elsewhere_and_app_a_accepted(fworld):
    """4,000,000 of ent_a's 5,000,000 approved at bank2, and app_a (1,200,000) accepted at bank."""
    from finance import services

    other = services.loan_application_submit(acting_user=fworld.enterprise_user, enterprise=fworld.ent_a,
                                             bank=fworld.bank2, product=fworld.product2, amount="4000000",
                                             purpose="新建厂房")
    other = services.loan_application_act(acting_user=fworld.bank2_officer, application=other, action="accept")
    services.loan_application_act(acting_user=fworld.bank2_officer, application=other, action="approve",
                                  amount="4000000")
    app = services.loan_application_act(acting_user=fworld.bank_officer, application=fworld.app_a, action="accept")
    return app


def test_the_approve_form_offers_the_quota_left_when_less_than_asked_and_that_approves(client, fworld):

    # given ent_a (5★, quota 5,000,000) with 4,000,000 approved at bank2, and app_a (1,200,000) accepted at bank
    app = four_million_used_elsewhere_and_app_a_accepted(fworld)
    client.force_login(fworld.bank_officer)
    # when the bank opens the application
    body = client.get(reverse("finance:application_detail", args=[app.pk])).content.decode()
    # then the approve form holds the 1,000,000.00 left, not the 1,200,000.00 asked, and approving it as is works
    assert 'name="amount" value="1,000,000.00"' in body
    response = client.post(reverse("finance:application_action", args=[app.pk, "approve"]),
                           {"version": app.version, "amount": "1,000,000.00"})
    assert response.status_code == 302
    assert LoanApplication.objects.get(pk=app.pk).approved_amount == 1000000


def test_the_approve_form_offers_the_amount_asked_when_enough_is_left(client, fworld):
    from finance import services

    app = services.loan_application_act(acting_user=fworld.bank_officer, application=fworld.app_a, action="accept")
    client.force_login(fworld.bank_officer)
    body = client.get(reverse("finance:application_detail", args=[app.pk])).content.decode()
    assert 'name="amount" value="1,200,000.00"' in body


def test_the_approve_address_opened_again_shows_the_form_prefilled_with_what_is_left(client, fworld):

    # given 4,000,000 of ent_a's 5,000,000 approved at bank2, and app_a (1,200,000) accepted at bank
    app = four_million_used_elsewhere_and_app_a_accepted(fworld)
    client.force_login(fworld.bank_officer)
    # when the officer refreshes the approve address (a GET on the action)
    response = client.get(reverse("finance:application_action", args=[app.pk, "approve"]))
    # then the form is there, holding the 1,000,000.00 left
    assert response.status_code == 200
    assert 'name="amount" value="1,000,000.00"' in response.content.decode()
