import pytest

from tests.factories import TEST_PASSWORD

from .conftest import login, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_org_staff_searches_the_registry_and_reveals_a_person(world, live_server, page):
    # given org staff logged in through the form
    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    # when searching for an enterprise by part of its credit code
    nav(page, "市场主体")
    page.fill("#id_q", world.ent_b.uscc[:12])
    page.click("button:has-text('查询')")
    # then only that enterprise is listed, and its page shows the legal representative masked
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert world.ent_b.name in rows.first.inner_text()
    page.click(f"text={world.ent_b.name}")
    page.click(f"text={world.person_b.name}")
    assert page.inner_text("#id-number") == world.person_b.id_number_masked
    # when revealing, the whole number shows and the look is audited
    page.click("button:has-text('查看完整信息')")
    assert page.inner_text("#id-number") == world.person_b.id_number
    from portal.models import AuditLog

    assert AuditLog.objects.filter(action="person.unmask", object_id=str(world.person_b.pk)).count() == 1


def test_enterprise_form_shows_the_credit_code_error_at_the_field(world, live_server, page):
    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    page.goto(f"{live_server.url}/enterprises/new/")
    page.fill("#id_uscc", "91110108551385082X")
    page.fill("#id_name", "错误代码测试公司")
    page.select_option("#id_region", str(world.village_a.pk))
    page.click("button:has-text('保存')")
    feedback = page.locator("[data-field=uscc]")
    assert feedback.inner_text() == "统一社会信用代码校验位错误：第 18 位应为“Q”，实为“X”。"


def test_enterprise_user_cannot_open_another_enterprise(world, live_server, page):
    login(page, live_server, "t_enterprise", TEST_PASSWORD)
    response = page.goto(f"{live_server.url}/enterprises/{world.ent_b.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/enterprises/{world.ent_a.pk}/")
    assert response.status == 200
    assert world.ent_a.uscc in page.content()
