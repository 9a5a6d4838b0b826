"""The insurer's quote form in the browser: typing part of a name suggests the enterprises it fits,
choosing one fills in its credit code, and the quote is priced for it."""

import pytest

from tests.factories import TEST_PASSWORD
from tests.insurance.conftest import products, rated, table  # noqa: F401  (fixtures)
from tests.ratings.conftest import cycle, org_a, org_b, rubric  # noqa: F401  (fixtures)

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_quote_form_suggests_enterprises_as_one_types(rated, live_server, page):  # noqa: F811
    login(page, live_server, "t_insurer", TEST_PASSWORD)
    page.goto(f"{live_server.url}/insurance/quotes/new/")
    page.locator("#id_enterprise").press_sequentially("西山", delay=50)
    # a function, not an expression: Playwright evaluates an expression with eval, which the CSP refuses
    page.wait_for_function("() => document.querySelectorAll('#enterprise-options option').length === 1")
    option = page.locator("#enterprise-options option")
    assert option.get_attribute("value") == rated.ent_b.uscc
    assert option.get_attribute("label") == "西山食品有限公司 · 西山社区"
    assert page.get_attribute("#id_enterprise", "aria-required") == "true"

    page.fill("#id_enterprise", rated.ent_b.uscc)  # what choosing the suggestion does
    page.select_option("#id_product", str(rated.p1.pk))
    page.fill("#id_base_premium", "12,345.67")
    page.click("button[value=preview]")
    assert "西山食品有限公司" in page.inner_text("#pricing")
    assert page.inner_text("[data-value=net]") == "8,641.97"
