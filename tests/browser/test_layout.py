"""The layout at the widths people use, in Debian's chromium.

The header: one row on a laptop (1366 and 1920 px) in Chinese and in English for every role, with the
language and log-out in the menu on the user's name; folded behind the menu button on a station's
tablet (1024 px) and a phone (390 px). The everyday pages of the enterprise, the public notice,
certificate verification and the station desk: no sideways scrolling of the page, no table cell
squeezed until its words stand a character per line, buttons and fields a thumb can hit.

Page loads are kept few: a session is handed to the browser instead of signing in on the login page,
and a page is measured at both widths by resizing the window, not by loading it again."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from portal.choices import Role
from ratings import services as rating_services
from ratings.choices import RatingStatus
from reports import services as report_services
from reports.choices import ReportKind
from tests.factories import EnterpriseFactory, user_with_role
from tests.finance.conftest import product, quota_table, submit  # noqa: F401  (fixtures)
from tests.insurance.conftest import iworld, products, rated, table  # noqa: F401  (fixtures)
from tests.liaison.fixtures_appeals import create as appeal_create
from tests.ratings.conftest import advance, cycle, org_a, org_b, organization_for, rubric  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOPS = (1920, 1366)
FOLDED = (1024, 390)
ONE_ROW = 70  # px: the bar is 56-58 px high when its content is one row
# A deduction note or a description with a pasted address: one word of 90 characters.
LONG_URL = "https://www.xinghu.gov.cn/zwgk/tzgg/2026/12/attachments/" + "a1b2c3d4e5" * 4


def signed_in(browser, live_server, user, **options):
    """A browser window with `user` already signed in (the session made by Django's test client)."""
    options.setdefault("viewport", {"width": 1366, "height": 800})
    # Bootstrap drops its folding animations for a reduced motion: no waiting for them
    context = browser.new_context(locale="zh-CN", reduced_motion="reduce", **options)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


# --- the header ------------------------------------------------------------------------------------------

HEADER = """() => {
  const bar = document.querySelector('nav.portal-navbar');
  const items = [...document.querySelectorAll('#mainnav > ul > li')].filter(li => li.offsetParent);
  const tops = items.map(li => Math.round(li.getBoundingClientRect().top));
  const toggler = document.querySelector('.navbar-toggler');
  return {
    height: bar.getBoundingClientRect().height,
    rows: new Set(tops.map(t => Math.round(t / 10))).size,
    items: items.length,
    folded: getComputedStyle(toggler).display !== 'none' && !document.querySelector('#mainnav').offsetParent,
    pageWidth: document.documentElement.scrollWidth,
    userRight: document.querySelector('#usermenu').getBoundingClientRect().right,
  };
}"""


def within_window(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"])


def user_menu_reachable(page):
    """Open the menu on the user's name: the two language buttons and log-out show inside the window."""
    page.click("#usermenu")
    menu = page.locator(".portal-usermenu .dropdown-menu")
    menu.wait_for(state="visible")
    controls = [menu.locator("button[name=language][value='zh-hans']"), menu.locator("button[name=language][value=en]"),
                menu.locator("form[action='/accounts/logout/'] button")]
    for control in controls:
        control.scroll_into_view_if_needed()
    reachable = [within_window(page, control) for control in controls]
    page.keyboard.press("Escape")
    return reachable


def header_problems(page):
    """What is wrong with the header at each width, in the page's current language."""
    problems = []
    for width in LAPTOPS:
        page.set_viewport_size({"width": width, "height": 800})
        header = page.evaluate(HEADER)
        if header["rows"] != 1 or header["folded"] or header["height"] >= ONE_ROW:
            problems.append(f"{width}: not one row {header}")
        if header["pageWidth"] > width or header["userRight"] > width:
            problems.append(f"{width}: wider than the window {header}")
        if width == 1366 and user_menu_reachable(page) != [True, True, True]:
            problems.append(f"{width}: language or log-out out of reach")
    for width in FOLDED:
        page.set_viewport_size({"width": width, "height": 800})
        header = page.evaluate(HEADER)
        if not header["folded"] or header["height"] >= ONE_ROW or header["pageWidth"] > width:
            problems.append(f"{width}: not folded into one bar {header}")
    # opened on the phone, the menu lists its entries and still leads to the language and log-out
    page.click(".navbar-toggler")
    page.locator("#mainnav.show").wait_for()
    if page.evaluate(HEADER)["items"] < 3 or user_menu_reachable(page) != [True, True, True]:
        problems.append("390: the opened menu does not lead to the language and log-out")
    page.set_viewport_size({"width": 1366, "height": 800})
    return problems


ROLES_WITH_A_MENU = ("org_staff", "town_staff", "station", "admin", "leader", "bank_officer", "insurer_officer",
                     "enterprise_user", "cadre")


def test_the_header_is_one_row_on_a_laptop_and_folds_on_a_tablet_and_a_phone(world, live_server, browser):
    found = {}
    for role in ROLES_WITH_A_MENU:
        # given a person of the role, signed in, in Chinese, on a light page every role may open (the
        # header is the same on every page)
        context, page = signed_in(browser, live_server, getattr(world, role))
        try:
            page.goto(f"{live_server.url}/reports/")
            assert page.get_attribute("html", "lang") == "zh-hans"
            found[role, "zh-hans"] = header_problems(page)
            # when they press "English" in the menu on their name, they stay on the page, now in English
            page.click("#usermenu")
            page.click(".portal-usermenu button[name=language][value=en]")
            page.wait_for_function("() => document.documentElement.lang === 'en'")
            assert page.url == f"{live_server.url}/reports/"
            found[role, "en"] = header_problems(page)
        finally:
            context.close()
    # then the header holds for everyone, in both languages, at every width
    assert found == {(role, language): [] for role in ROLES_WITH_A_MENU for language in ("zh-hans", "en")}


def test_the_skip_link_comes_first_and_the_header_shows_where_the_focus_is(world, live_server, browser):
    context, page = signed_in(browser, live_server, world.station)
    try:
        page.goto(f"{live_server.url}/finance/desk/")
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        assert skip.evaluate("e => e === document.activeElement")
        assert skip.inner_text() == "跳到主要内容"
        assert within_window(page, skip)
        page.keyboard.press("Tab")
        ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [document.activeElement.className, s.outlineStyle, s.outlineWidth, s.outlineColor]; }""")
        assert ring == ["navbar-brand fw-semibold", "solid", "3px", "rgb(255, 213, 79)"]
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        context.close()


# --- the everyday pages on a phone and a tablet --------------------------------------------------------------

@pytest.fixture
def layout_world(iworld, quota_table, product, monkeypatch):  # noqa: F811
    """iworld (ent_a rated five stars, its quotes and a policy) with a loan application and appeals of
    ent_a (one titled with a long pasted address), a rating under public notice with long names, and
    a rating certificate of ent_a (with a stand-in PDF: only its verification page is looked at)."""
    w = iworld
    w.application = submit(w, w.enterprise_user, product, amount="3000000", purpose=f"购置数控机床，报价单见 {LONG_URL}")
    appeal_create(w.enterprise_user, w.ent_a, title=f"附件地址{LONG_URL}"[:100], description=LONG_URL)
    appeal_create(w.enterprise_user, w.ent_a, category="talent", title="急需引进数控高级技工",
                  description="新上数控加工生产线，急需编程和设备维护方面的高级技工。")
    ent_n = EnterpriseFactory(name="星湖市东湖高新技术产业园区精密智能装备制造股份有限公司", region=w.village_a)
    ent_n_user = user_with_role("t_enterprise_n", Role.ENTERPRISE_USER, enterprise=ent_n)
    org_n = organization_for(w, "星湖市东湖高新技术产业园区精密智能装备制造股份有限公司联合党支部", w.village_a, ent_n)
    # reviewed today, so that its notice runs today
    w.rating_n = advance(w, rating_services.rating_start(acting_user=ent_n_user, cycle=w.rating_a.cycle,
                                                         organization=org_n),
                         RatingStatus.NOTICE, self_user=ent_n_user,
                         today_=datetime.date.today() + datetime.timedelta(days=10))
    monkeypatch.setattr("reports.documents.certificates.render_pdf", lambda template, context: b"%PDF-1.7 stand-in")
    report = report_services.report_request(kind=ReportKind.RATING_CERTIFICATE, params={"rating": w.rating_a.pk},
                                            acting_user=w.enterprise_user)
    report_services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    w.code = report.certificate.code
    return w


FIT = """() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) problems.push(`page ${document.documentElement.scrollWidth} wide`);
  for (const cell of document.querySelectorAll('main td, main th')) {
    if (!cell.offsetParent) continue;
    const s = getComputedStyle(cell), size = parseFloat(s.fontSize);
    const text = cell.innerText.replace(/\\s+/g, '');
    const inner = cell.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    const high = cell.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
    // fewer than three characters a line, on more than two lines
    if (text.length >= 3 && inner < 2.5 * size && high > 2.2 * size) problems.push(`squeezed cell "${text.slice(0, 12)}" ${inner}px`);
  }
  // a thumb's size on a phone or a touch screen
  const thumb = width < 768 || matchMedia('(pointer: coarse)').matches;
  for (const control of document.querySelectorAll('main .btn, main .form-control, main .form-select, main .page-link')) {
    const box = control.getBoundingClientRect();
    if (thumb && control.offsetParent && box.height < 43.5) problems.push(`small target "${control.innerText.trim().slice(0, 12)}" ${box.height}px`);
    if (control.offsetParent && box.right > width + 0.5) problems.push(`off screen "${control.innerText.trim().slice(0, 12)}"`);
  }
  return problems;
}"""


def fits(page, live_server, path):
    """The page at the phone's and the tablet's width: what does not fit (the page loaded once)."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{path}")
    found = {}
    for width in (390, 1024):
        page.set_viewport_size({"width": width, "height": 844})
        found[width] = page.evaluate(FIT)
    return found


def in_english(context, live_server, language="en"):
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


def test_the_enterprise_pages_fit_a_phone_and_a_tablet(layout_world, live_server, browser):
    w = layout_world
    # given the enterprise's clerk on a touch screen
    context, page = signed_in(browser, live_server, w.enterprise_user, has_touch=True)
    try:
        page.goto(f"{live_server.url}/")
        assert page.evaluate("matchMedia('(pointer: coarse)').matches")
        paths = ["/", "/ratings/mine/", "/finance/applications/", f"/finance/applications/{w.application.pk}/",
                 "/liaison/appeals/", "/insurance/", "/insurance/policies/", f"/enterprises/{w.ent_a.pk}/credit/",
                 f"/enterprises/{w.ent_a.pk}/insurance/", f"/enterprises/{w.ent_a.pk}/appeals/"]
        # then every page fits both widths, in Chinese and (the lists, with their longer words) in English
        assert {path: fits(page, live_server, path) for path in paths} == {path: {390: [], 1024: []} for path in paths}
        in_english(context, live_server)
        english = ["/ratings/mine/", "/liaison/appeals/", "/insurance/policies/"]
        assert {path: fits(page, live_server, path) for path in english} == {path: {390: [], 1024: []} for path in english}
        in_english(context, live_server, "zh-hans")
        # and on the phone a list is a card per row, each value beside its column's name
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/liaison/appeals/")
        row = page.locator("#appeals tbody tr").first
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        label = row.locator("td[data-label]").nth(2).evaluate("c => getComputedStyle(c, '::before').content")
        assert label == '"企业"'
        assert page.locator("#appeals thead").is_hidden()
        # the filters wait behind their button on the phone, and are open on the tablet
        assert page.locator("#appeal-filters").is_hidden()
        page.click("button[data-bs-target='#appeal-filters']")
        page.locator("#appeal-filters.show").wait_for()
        page.set_viewport_size({"width": 1024, "height": 844})
        page.goto(f"{live_server.url}/liaison/appeals/")
        assert page.locator("#appeal-filters").is_visible()
        assert page.locator("button[data-bs-target='#appeal-filters']").is_hidden()
    finally:
        context.close()


def test_the_public_pages_and_the_station_desk_fit_a_phone_and_a_tablet(layout_world, live_server, browser):
    w = layout_world
    context, page = signed_in(browser, live_server, None, has_touch=True)
    try:
        page.goto(f"{live_server.url}/notice/")
        paths = ["/notice/", f"/notice/{w.rating_n.pk}/", "/verify/", f"/verify/{w.code}/", "/verify/NO-SUCH-CODE/"]
        assert {path: fits(page, live_server, path) for path in paths} == {path: {390: [], 1024: []} for path in paths}
        assert page.locator("#verify-result").get_attribute("data-result") == "unknown"
    finally:
        context.close()
    context, page = signed_in(browser, live_server, w.station, has_touch=True)
    try:
        page.goto(f"{live_server.url}/")
        assert fits(page, live_server, "/finance/desk/") == {390: [], 1024: []}
        in_english(context, live_server)
        assert fits(page, live_server, "/finance/desk/") == {390: [], 1024: []}
        assert fits(page, live_server, "/notice/") == {390: [], 1024: []}
        in_english(context, live_server, "zh-hans")
        page.goto(f"{live_server.url}/finance/desk/")
        # at the tablet's width the desk stays a table, its amounts whole on one line
        amount = page.locator(f"#desk tr[data-uscc='{w.ent_a.uscc}'] td.text-end").first
        assert amount.inner_text() == "5,000,000.00"
        lines = "c => { const r = document.createRange(); r.selectNodeContents(c); return r.getClientRects().length; }"
        assert amount.evaluate(lines) == 1
    finally:
        context.close()


def test_a_long_pasted_address_wraps_inside_its_cell(layout_world, live_server, browser):
    """A staff member's list at a laptop's width: the appeal titled with an address keeps its table
    within the page and the other columns readable."""
    w = layout_world
    context, page = signed_in(browser, live_server, w.org_staff, viewport={"width": 1366, "height": 800})
    try:
        page.goto(f"{live_server.url}/liaison/appeals/")
        assert page.evaluate(FIT) == []
        # the address breaks over lines inside its cell, and the table needs no scrolling
        cell = page.locator("#appeals td", has_text="附件地址")
        assert cell.evaluate("c => c.clientHeight > 3 * parseFloat(getComputedStyle(c).fontSize)")
        assert page.evaluate("(t => t.scrollWidth <= t.parentElement.clientWidth)(document.querySelector('#appeals'))")
    finally:
        context.close()
