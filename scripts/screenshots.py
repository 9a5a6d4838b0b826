"""Screenshots of the header, the station desk and the public notice at the widths people use, taken
from a running portal with the demo data (`manage.py seed_demo`), for docs/screenshots/.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 [--out docs/screenshots]

It drives Debian's chromium through Playwright (never a downloaded browser) and signs in with the
demo password, and where the account asks for it, with the code of the demo authenticator (the published
demo secret, as a phone would compute it); it only reads pages, so it may run against any demo set-up."""

from __future__ import annotations

import argparse
import shutil
import time
from base64 import b32decode
from pathlib import Path

from django_otp.oath import totp
from playwright.sync_api import sync_playwright

PASSWORD = "Demo-2026-portal"  # noqa: S105 - the published password of the demo accounts
# The published authenticator secret of the demo accounts that must pass the second factor
# (portal.demo.accounts.DEMO_TOTP_SECRET).
TOTP_SECRET = "XINGHUPORTALDEMOTOTPSECRET234567"  # noqa: S105
CODE_PAGE = "/accounts/two-factor/verify/"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
HEADER_HEIGHT = 420  # enough for the bar and an opened user menu


class Portal:
    def __init__(self, browser, base: str, out: Path):
        self.browser, self.base, self.out = browser, base.rstrip("/"), out
        # One sign-in per account, its cookies reused by the account's later windows: a code of the
        # authenticator works once, so signing in again within its 30 seconds would be refused.
        self.signed_in: dict[str, dict] = {}

    def session(self, username: str | None, language: str = "zh-hans", width: int = 1366, height: int = 900):
        state = self.signed_in.get(username) if username else None
        context = self.browser.new_context(locale="zh-CN", viewport={"width": width, "height": height},
                                           device_scale_factor=1, storage_state=state)
        if language != "zh-hans":
            context.add_cookies([{"name": "django_language", "value": language, "url": self.base}])
        page = context.new_page()
        page.set_default_timeout(20000)
        if username and state is None:
            page.goto(f"{self.base}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.locator("main form button[type=submit], main form button:not([type])").first.click()
            page.wait_for_load_state()
            pass_second_factor(page)
            page.wait_for_url(f"{self.base}/")
            self.signed_in[username] = context.storage_state()
        elif username:
            page.goto(f"{self.base}/")
        return context, page

    def shot(self, page, name: str, *, full_page: bool = False, height: int | None = None):
        path = self.out / f"{name}.png"
        if height:
            width = page.viewport_size["width"]
            page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": width, "height": height})
        else:
            page.screenshot(path=str(path), full_page=full_page)
        print(path)

    def open_user_menu(self, page):
        page.locator("#usermenu").click()
        page.locator(".portal-usermenu .dropdown-menu").wait_for(state="visible")


def demo_code() -> str:
    """The 6 digits the demo authenticator shows now."""
    return f"{totp(b32decode(TOTP_SECRET)):06d}"


def pass_second_factor(page) -> None:
    """On the code page after the password, type the demo authenticator's code. A code works once: if
    this one was just used (another run signed in as the account), wait for the next."""
    for _attempt in range(2):
        if CODE_PAGE not in page.url:
            return
        page.fill("#id_code", demo_code())
        page.locator("main form:has(#id_code) button").click()
        page.wait_for_load_state()
        if CODE_PAGE in page.url:
            page.wait_for_timeout((31 - int(time.time()) % 30) * 1000)
    if CODE_PAGE in page.url:
        raise RuntimeError("the demo authenticator's code was refused twice: is the account's secret the demo one?")


def header(portal: Portal, username: str):
    for language, width in (("zh-hans", 1366), ("en", 1366), ("en", 1920)):
        context, page = portal.session(username, language, width)
        portal.open_user_menu(page)
        portal.shot(page, f"header-{width}-{'zh' if language == 'zh-hans' else language}", height=HEADER_HEIGHT)
        context.close()
    context, page = portal.session(username, "zh-hans", 1024, 768)
    portal.shot(page, "header-1024-collapsed", height=HEADER_HEIGHT)
    page.locator(".navbar-toggler").click()
    page.locator("#mainnav.show").wait_for()
    page.wait_for_timeout(400)  # the collapse animation
    page.locator("#mainnav .dropdown-toggle").nth(1).click()
    portal.shot(page, "header-1024-opened")
    context.close()
    context, page = portal.session(username, "zh-hans", 390, 844)
    portal.shot(page, "header-390", height=300)
    page.locator(".navbar-toggler").click()
    page.locator("#mainnav.show").wait_for()
    page.wait_for_timeout(400)
    portal.open_user_menu(page)
    page.locator("#mainnav").evaluate("e => e.scrollTop = e.scrollHeight")
    portal.shot(page, "header-390-opened")
    context.close()


def station_desk(portal: Portal):
    # the phone's window is drawn taller than a phone's so that the filters and the first cards show
    for width, height in ((1366, 900), (390, 1600)):
        context, page = portal.session("station", "zh-hans", width, height)
        page.goto(f"{portal.base}/finance/desk/")
        portal.shot(page, f"station-desk-{width}")
        context.close()


def public_notice(portal: Portal):
    context, page = portal.session(None, "zh-hans", 390, 1600)
    page.goto(f"{portal.base}/notice/")
    portal.shot(page, "public-notice-390")
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="the running portal, e.g. http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"))
    parser.add_argument("--user", default="station", help="whose header to show (the station's menu is the widest)")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            portal = Portal(browser, options.base_url, out)
            header(portal, options.user)
            station_desk(portal)
            public_notice(portal)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
