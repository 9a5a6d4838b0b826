"""Steps a user takes in the browser, shared by the liaison and talent browser tests: sign out and in
again as another user, a second window signed in as someone else, the menu entry by its exact label, the
flash message after an action; and days counted from today."""

import contextlib
import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD

from .conftest import login, sign_out


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def logout(page):
    sign_out(page)


def relogin(page, live_server, username):
    """Sign out, and sign in as someone else on the login page the sign-out leads to (one page load
    fewer than conftest's login(), which opens that page itself)."""
    logout(page)
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{live_server.url}/")


def nav_exact(page, label):
    """Click the menu entry whose text is exactly `label` (conftest's nav() matches by substring, so
    "人才" would open "人才政策", the first entry of the same group)."""
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    group = page.locator("nav li.dropdown").filter(has=page.locator("a.dropdown-item", has_text=exact))
    group.locator(".dropdown-toggle").click()
    group.locator("a.dropdown-item", has_text=exact).click()


@contextlib.contextmanager
def second_window(browser, live_server, username):
    """Another person at another computer, signed in while the first keeps its page open."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        other = context.new_page()
        other.set_default_timeout(15000)
        login(other, live_server, username, TEST_PASSWORD)
        yield other
    finally:
        context.close()


def message(page, text):
    """Wait for the message at the top of the page that contains `text` (the page before a click may
    still be showing when the click returns: Playwright's expect retries, a plain read does not)."""
    expect(page.locator("main .alert", has_text=text)).to_have_count(1)
