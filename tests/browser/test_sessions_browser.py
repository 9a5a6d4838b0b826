"""Signed-in devices in the browser: one window ends the other's session, and the other lands on the
login page; the page fits a phone and a laptop in Chinese and in English (its screenshots are written to
the folder named by LOGINS_SCREENSHOTS, else to the test's temporary folder)."""

import os

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

from .conftest import login, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_AGENT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/17.5 Mobile/15E148 Safari/604.1")


def _window(browser, **options):
    context = browser.new_context(locale="zh-CN", **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_one_window_ends_the_others_session_and_the_other_lands_on_the_login_page(world, live_server, browser):
    desk_context, desk = _window(browser, viewport={"width": 1366, "height": 900})
    phone_context, phone = _window(browser, viewport={"width": 390, "height": 844}, user_agent=PHONE_AGENT)
    try:
        # given the same user signed in at a desk and on a phone
        login(desk, live_server, "t_station", TEST_PASSWORD)
        login(phone, live_server, "t_station", TEST_PASSWORD)
        # when the desk opens its signed-in devices from the user menu
        desk.click("#usermenu")
        desk.click(".portal-usermenu a:has-text('登录设备')")
        desk.wait_for_url(f"{live_server.url}{reverse('logins:list')}")
        rows = desk.locator(".logins-sessions li")
        assert rows.count() == 2
        assert "本设备" in rows.nth(0).inner_text()
        assert "Safari 17 · iPhone" in rows.nth(1).inner_text()
        # and ends the phone's session, confirming the question
        questions = []
        desk.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
        rows.nth(1).locator("button:has-text('结束会话')").click()
        desk.wait_for_selector(".alert:has-text('已结束 Safari 17 · iPhone 上的会话')")
        assert questions == ["确定结束该设备上的会话？该设备需要重新登录。"]
        assert desk.locator(".logins-sessions li").count() == 1
        # then the phone's next page is the login page
        phone.goto(f"{live_server.url}{reverse('home')}")
        assert phone.url.startswith(f"{live_server.url}{reverse('login')}")
        assert phone.locator("#id_password").is_visible()
        # and the desk is still signed in
        desk.goto(f"{live_server.url}{reverse('home')}")
        assert desk.url == f"{live_server.url}/"
    finally:
        desk_context.close()
        phone_context.close()


def test_cancelling_the_question_ends_nothing(world, live_server, browser):
    desk_context, desk = _window(browser, viewport={"width": 1366, "height": 900})
    phone_context, phone = _window(browser, viewport={"width": 390, "height": 844}, user_agent=PHONE_AGENT)
    try:
        login(desk, live_server, "t_cadre", TEST_PASSWORD)
        login(phone, live_server, "t_cadre", TEST_PASSWORD)
        desk.goto(f"{live_server.url}{reverse('logins:list')}")
        desk.on("dialog", lambda dialog: dialog.dismiss())
        desk.click("button:has-text('结束其他所有会话')")
        assert desk.locator(".logins-sessions li").count() == 2
        phone.goto(f"{live_server.url}{reverse('logins:list')}")
        assert phone.url == f"{live_server.url}{reverse('logins:list')}"
    finally:
        desk_context.close()
        phone_context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_fits_a_phone_and_a_laptop(world, live_server, browser, language, tmp_path):
    # given the user signed in on a phone, and signed in and out again on another computer
    phone_context, phone = _window(browser, viewport={"width": 390, "height": 844}, user_agent=PHONE_AGENT)
    login(phone, live_server, "t_enterprise", TEST_PASSWORD)
    phone_context.close()
    other_context, other = _window(browser, viewport={"width": 1366, "height": 800})
    login(other, live_server, "t_enterprise", TEST_PASSWORD)
    sign_out(other)
    other.wait_for_url(f"{live_server.url}{reverse('login')}")
    other_context.close()
    context, page = _window(browser, viewport={"width": 1366, "height": 800})
    try:
        # (a script or style the content-security policy blocks is a console error in chromium)
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        login(page, live_server, "t_enterprise", TEST_PASSWORD)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto(f"{live_server.url}{reverse('logins:list')}")
        heading = {"zh-hans": "登录设备", "en": "Signed-in devices"}[language]
        assert page.locator("h1").inner_text() == heading
        assert page.locator(".logins-sessions li").count() == 2
        assert page.locator(".logins-ended li").count() == 1
        shots = os.environ.get("LOGINS_SCREENSHOTS") or str(tmp_path)
        for width, height in ((1366, 800), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
            # the end button stays on the screen, and big enough for a thumb on the phone
            box = page.locator(".logins-sessions button").bounding_box()
            assert box["x"] + box["width"] <= width
            assert box["height"] >= 30
            page.screenshot(path=f"{shots}/logins-{language}-{width}.png", full_page=True)
        assert errors == []
    finally:
        context.close()
