"""Forms in the browser: after a refused submission the focus is on the error summary and its links lead
to the fields; the enterprise form finds a person as one types; an action refreshed after a refusal
shows its form again."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_focus_lands_on_the_summary_and_its_links_lead_to_the_fields(world, live_server, page):
    # given the organization department entering a person with a wrong ID number
    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('person_create')}")
    page.fill("#id_name", "赵错号")
    page.fill("#id_id_number", "110101199003071234")
    page.click("form button.btn-danger")
    # then the summary has the focus, and says what is wrong
    summary = page.locator("[data-error-summary]")
    # (the refused page is a new document: expect waits for its script to move the focus, not racing it)
    expect(summary).to_be_focused()
    assert summary.locator("h2").inner_text() == "请修正以下 1 处错误"
    # and its link puts the cursor in the field, which kept what was typed
    summary.locator("a[href='#id_id_number']").click()
    assert page.evaluate("document.activeElement.id") == "id_id_number"
    assert page.input_value("#id_id_number") == "110101199003071234"


def test_the_enterprise_form_finds_a_person_as_one_types(world, live_server, page):
    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('enterprise_update', args=[world.ent_b.pk])}")
    picker = page.locator("[data-person-picker='contact']")
    # when the clerk types part of a name into the contact's search box
    picker.locator("[data-person-search]").fill("东湖")
    choice = picker.locator("[data-person-results] button")
    choice.first.wait_for()
    # then the person is offered with a masked ID number, and choosing fills the picker
    assert choice.count() == 1
    assert choice.first.inner_text().startswith("李东湖")
    assert world.person_a.id_number not in choice.first.inner_text()
    choice.first.click()
    assert picker.locator("[data-person-chosen]").inner_text() == f"李东湖（{world.person_a.id_number_masked}）"
    page.click("form.enterprise-form button.btn-danger")
    page.wait_for_url(f"{live_server.url}{reverse('enterprise_detail', args=[world.ent_b.pk])}")
    world.ent_b.refresh_from_db()
    assert world.ent_b.contact == world.person_a


def test_the_organization_form_finds_its_secretary_as_one_types(world, live_server, page):
    from ratings.models import PartyOrganization

    organization = PartyOrganization.objects.create(name="东湖精密机械有限公司党支部", kind="branch",
                                                    region=world.town_a)
    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('ratings:organization_update', args=[organization.pk])}")
    # the label leads to the search box; typing offers the person, masked
    page.fill("#id_secretary_q", "李东")
    choice = page.locator("[data-person-results] button")
    choice.first.wait_for()
    assert world.person_a.id_number_masked in choice.first.inner_text()
    choice.first.click()
    page.click("form button.btn-danger")
    page.wait_for_url(f"{live_server.url}{reverse('ratings:organization_detail', args=[organization.pk])}")
    organization.refresh_from_db()
    assert organization.secretary == world.person_a
