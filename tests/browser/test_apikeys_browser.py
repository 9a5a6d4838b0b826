"""In the browser: the bank's key administrator makes a key from the menu, copies it from the one page
that shows it, the bank's system calls the API with it, and the key is never shown again; revoking
asks first and stops the key."""

import json
import urllib.error
import urllib.request

import pytest

from apikeys.models import InstitutionAPIKey, KeyAdministrator
from tests.factories import TEST_PASSWORD

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):  # noqa: F811
    # the clipboard is granted, as a person's browser asks them once
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


def call(live_server, path, key):
    request = urllib.request.Request(  # noqa: S310 - the test server's http URL
        f"{live_server.url}{path}", headers={"Authorization": f"Api-Key {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the test server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_key_is_made_shown_once_copied_used_and_revoked(world, live_server, page):
    KeyAdministrator.objects.create(user=world.bank_officer, institution=world.bank)
    login(page, live_server, "t_bank", TEST_PASSWORD)
    # the key page from the menu on the user's name
    page.click("#usermenu")
    page.click(".portal-usermenu a.dropdown-item:has-text('接口密钥')")
    assert page.inner_text("h1").startswith("接口密钥")
    page.click("a:has-text('新建密钥')")
    page.fill("#id_name", "信贷系统测试环境")
    page.check("input[name=scopes][value='eligibility:read']")
    page.click("button:has-text('创建密钥')")
    # the full key, once, with a button that copies it
    key = page.input_value("#api-key-value")
    prefix = key.split(".")[0]
    assert InstitutionAPIKey.objects.get(prefix=prefix).name == "信贷系统测试环境"
    # the clipboard takes text only from the focused page: with other browsers busy on the same machine
    # (the suite's other worker) this page is brought to the front first
    page.bring_to_front()
    page.click("button[data-copy-target='api-key-value']")
    page.wait_for_selector("button[data-copy-target='api-key-value'].btn-success", timeout=5000)
    assert page.evaluate("() => navigator.clipboard.readText()") == key
    # the bank's system calls the API with it
    status, body = call(live_server, f"/api/v1/eligibility/{world.ent_a.uscc}/", key)
    assert (status, body["uscc"]) == (200, world.ent_a.uscc)
    # back on the list: the prefix, never the key
    page.click("a:has-text('我已保存，返回密钥列表')")
    row = page.locator(f"tr[data-prefix='{prefix}']")
    assert "查询党建增信资格" in row.inner_text()
    assert key.split(".")[1] not in page.content()
    # revoking asks first; cancelling changes nothing
    row.locator("a:has-text('撤销')").click()
    page.fill("#id_reason", "测试结束")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button:has-text('撤销密钥')")
    assert not InstitutionAPIKey.objects.get(prefix=prefix).revoked
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('撤销密钥')")
    page.wait_for_selector(f"tr[data-prefix='{prefix}'] .badge:has-text('已撤销')")
    assert call(live_server, f"/api/v1/eligibility/{world.ent_a.uscc}/", key)[0] == 401
    assert page.console_errors == []
