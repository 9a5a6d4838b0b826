"""Browser tests: Debian's chromium driven by Playwright (never a downloaded browser)."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the fixtures are
# still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run scripts/install-system-packages.sh as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{live_server.url}/")


def sign_out(page):
    """Log out through the menu on the user's name, which also holds the language."""
    page.click("#usermenu")
    page.click(".portal-usermenu button:has-text('退出')")


def nav(page, label):
    """Click a menu entry, opening its group's dropdown first when it sits in one."""
    top = page.locator("nav a.nav-link:not(.dropdown-toggle)", has_text=label)
    if top.count():
        top.first.click()
        return
    group = page.locator("nav li.dropdown").filter(has=page.locator("a.dropdown-item", has_text=label))
    group.locator(".dropdown-toggle").click()
    group.locator("a.dropdown-item", has_text=label).first.click()
