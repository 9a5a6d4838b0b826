"""Money on the finance and insurance pages carries thousands separators: no amount of a thousand
yuan or more is ever written as a bare 1200000.00, on any page of either app, for any role."""

import html
import re

import pytest
from django.urls import reverse

from finance import services
from tests.insurance.conftest import products, table  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
BARE_AMOUNT = re.compile(r"(?<![\d,.])\d{4,}\.\d{2}(?!\d)")


def bare_amounts(response) -> list[str]:
    """Amounts written without separators in the text a person reads (tags and attributes aside)."""
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return BARE_AMOUNT.findall(text)


@pytest.fixture
def money_world(fworld, table, products):  # noqa: F811
    """fworld with an approved loan (approved and used amounts) and a quote and a policy of the insurer."""
    from insurance import services as insurance_services

    w = fworld
    app = services.loan_application_act(acting_user=w.bank_officer, application=w.app_a, action="accept")
    w.app_a = services.loan_application_act(acting_user=w.bank_officer, application=app, action="approve",
                                            amount="1150000.50")
    w.quote = insurance_services.quote_create(acting_user=w.insurer_officer, enterprise=w.ent_a, product=w.p1,
                                              base_premium="12345.67")
    w.policy = insurance_services.policy_issue(acting_user=w.insurer_officer,
                                               quote=insurance_services.quote_create(
                                                   acting_user=w.insurer_officer, enterprise=w.ent_a, product=w.p1,
                                                   base_premium="8000"))
    return w


PAGES = [
    ("bank_officer", lambda w: reverse("finance:lookup") + f"?q={w.ent_a.uscc}"),
    ("bank_officer", lambda w: reverse("finance:application_list")),
    ("bank_officer", lambda w: reverse("finance:application_detail", args=[w.app_a.pk])),
    ("bank2_officer", lambda w: reverse("finance:application_detail", args=[w.app_b.pk])),
    ("org_staff", lambda w: reverse("finance:policies")),
    ("station", lambda w: reverse("finance:desk")),
    ("enterprise_user", lambda w: reverse("enterprise_tab", args=[w.ent_a.pk, "credit"])),
    ("enterprise_user", lambda w: reverse("enterprise_tab", args=[w.ent_a.pk, "insurance"])),
    ("insurer_officer", lambda w: reverse("insurance:quote_list")),
    ("insurer_officer", lambda w: reverse("insurance:quote_detail", args=[w.quote.pk])),
    ("insurer_officer", lambda w: reverse("insurance:policy_list")),
    ("insurer_officer", lambda w: reverse("insurance:policy_detail", args=[w.policy.pk])),
    ("org_staff", lambda w: reverse("insurance:product_list")),
    ("org_staff", lambda w: reverse("insurance:discount_table_list")),
]


@pytest.mark.parametrize(("who", "url"), PAGES, ids=[f"{who}-{i}" for i, (who, _url) in enumerate(PAGES)])
def test_money_is_written_with_thousands_separators(client, money_world, who, url):
    client.force_login(getattr(money_world, who))
    assert bare_amounts(client.get(url(money_world))) == []


def test_the_quote_preview_writes_money_with_separators(client, money_world):
    w = money_world
    client.force_login(w.insurer_officer)
    response = client.post(reverse("insurance:quote_create"), {
        "enterprise": w.ent_a.uscc, "product": w.p1.pk, "base_premium": "123456.78", "action": "preview"})
    assert bare_amounts(response) == []
    assert "123,456.78" in response.content.decode()


def test_the_detector_sees_a_bare_amount():
    class Page:
        status_code = 200
        content = "<td>申请金额 1200000.00 元</td><td>1,200,000.00</td><input value=\"1200000.00\">".encode()

    assert bare_amounts(Page()) == ["1200000.00"]


def test_loans_and_quota_rows_name_their_money_with_separators(money_world):
    assert str(money_world.app_a).endswith(" · 1,200,000.00")
    assert str(money_world.quota_table.rows.get(stars=5)) == "5★ 5,000,000.00"
