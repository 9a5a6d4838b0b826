"""Accessibility of every role's main pages (GB/T 37668, WCAG 2.1 AA), in Debian's chromium:
axe-core (npm) finds no serious or critical violation on any of them; the keyboard alone reaches every
control of a page with a visible focus, and the dashboard's scrolling table; what a chart opens on a
click is also a link a keyboard reaches; text enlarged to 200% loses nothing."""

import datetime
import json

import pytest
from django.utils import timezone

from liaison.models import Cadre
from portal.choices import Role
from ratings.choices import RatingStatus
from ratings.services import rating_start
from tests.factories import TEST_PASSWORD, EnterpriseFactory, user_with_role
from tests.finance.conftest import product, product2, quota_table  # noqa: F401  (fixtures)
from tests.ratings.conftest import advance, cycle, organization_for, rubric  # noqa: F401  (fixtures)
from tests.reports.figures_world import hist  # noqa: F401  (fixture)

from .a11y import BLOCKING, PAGES, axe_violations, describe, open_page, roles_in_order, sign_in
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def a11y_world(hist, cycle):  # noqa: F811
    """The dashboards' world (`hist`: ratings, loans, quotes, appeals, pairings of both towns), with the
    test cadre signed in as the cadre paired with ent_a, and one rating on public notice today."""
    w = hist
    Cadre.objects.filter(pk=w.cadre1.pk).update(user=w.cadre)
    w.ent_n = EnterpriseFactory(name="东湖纺织有限公司", region=w.village_a)
    ent_n_user = user_with_role("t_enterprise_n", Role.ENTERPRISE_USER, enterprise=w.ent_n)
    org_n = organization_for(w, "东湖纺织有限公司党支部", w.village_a, w.ent_n)
    # reviewed today, so its five days of notice run from today
    today = timezone.localdate()
    w.rating_n = advance(w, rating_start(acting_user=ent_n_user, cycle=cycle, organization=org_n),
                         RatingStatus.NOTICE, self_user=ent_n_user, today_=today + datetime.timedelta(days=10))
    return w


def test_no_page_of_any_role_has_a_serious_or_critical_axe_violation(a11y_world, live_server, browser):
    checked, failures = [], []
    for role in roles_in_order():
        # bypass_csp: axe-core is injected as an inline script, which the portal's policy refuses; the
        # policy itself is walked page by page in test_csp_walk.py
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(15000)
        if role:
            sign_in(page, live_server.url, f"t_{role}", TEST_PASSWORD)
        for entry in (e for e in PAGES if e.role == role):
            url = open_page(page, live_server.url, entry)
            blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
            checked.append(url)
            if blocking:
                failures.append(f"[{role or 'public'}] " + describe(url, blocking))
        context.close()
    assert failures == [], "\n".join(failures)
    assert len(checked) == len(PAGES) == 44


# --- keyboard --------------------------------------------------------------------------------------

_MARK_CONTROLS = """() => {
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('[hidden], [inert]'); };
  const controls = [...document.querySelectorAll(
      'main a[href], main button, main input:not([type=hidden]), main select, main textarea, main summary, main [tabindex]')]
    .filter(el => !el.disabled && el.tabIndex >= 0 && visible(el));
  controls.forEach((el, i) => el.setAttribute('data-kbd', i));
  return controls.length;
}"""

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || !el.closest('main')) return 'out';
  if (!el.hasAttribute('data-kbd')) return null;
  const s = getComputedStyle(el);
  // a date field's calendar button has the focus inside the field (which then is not :focus): the
  // browser draws that button's ring itself
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'
    || !el.matches(':focus');
  return [el.getAttribute('data-kbd'), ring, el.outerHTML.slice(0, 120)];
}"""


def tab_through_main(page):
    """Press Tab from the top of the page body until the focus leaves it: the controls of <main>
    reached, and those that showed no focus ring when they were. (A date field takes several presses:
    year, month, day and its calendar button.)"""
    page.emulate_media(reduced_motion="reduce")  # no transitions: the ring is read the moment it shows
    total = page.evaluate(_MARK_CONTROLS)
    page.focus("#main")
    reached, unringed = set(), []
    for _ in range(5 * total + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused == "out":
            break
        if focused is None:
            continue
        index, ring, html = focused
        reached.add(int(index))
        if not ring:
            unringed.append(html)
    return total, reached, unringed


@pytest.mark.parametrize(("username", "path"), [
    ("t_station", "/finance/desk/"),        # the rows' actions
    ("t_orgstaff", "/liaison/appeals/"),    # the filters and the rows' links
    ("t_orgstaff", "/enterprises/new/"),    # a form with its person search
    ("t_leader", "/reports/dashboard/"),    # the figures, the tables beside the charts, the scroll box
])
def test_the_keyboard_alone_reaches_every_control_with_a_visible_focus(a11y_world, live_server, page, username, path):
    login(page, live_server, username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    total, reached, unringed = tab_through_main(page)
    assert total > 5
    missed = page.eval_on_selector_all(
        "main [data-kbd]", "(els, reached) => els.filter(e => !reached.includes(+e.dataset.kbd))"
                           ".map(e => e.outerHTML.slice(0, 120))", sorted(reached))
    assert missed == []
    assert unringed == []


def test_the_dashboards_scrolling_table_is_reached_and_scrolled_by_keyboard(a11y_world, live_server, browser):
    # at a tablet's width the table of stars by area scrolls both ways inside its box
    context = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 768})
    page = context.new_page()
    login(page, live_server, "t_leader", TEST_PASSWORD)
    page.goto(f"{live_server.url}/reports/dashboard/")
    box = page.locator("div:has(> #stars-by-area)")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth") is True
    assert (box.get_attribute("tabindex"), box.get_attribute("role"), box.get_attribute("aria-label")) == (
        "0", "region", "有效星级按区域")
    # Tab from the last link of the card before it lands on the box, which shows its focus
    page.focus("#high-trend tr:last-child a")
    page.keyboard.press("Tab")
    assert box.evaluate("b => b === document.activeElement") is True
    assert box.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"
    # and the arrow keys scroll it
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    context.close()


def test_what_a_dashboard_chart_opens_on_a_click_is_also_a_link_on_the_page(a11y_world, live_server, page):
    """A chart is drawn for the mouse (SVG); each list a bar, point or slice opens is also a link in the
    tables beside the charts, so the keyboard and a screen reader reach the same lists. Its series are
    told apart by pattern too, not by colour alone."""
    login(page, live_server, "t_leader", TEST_PASSWORD)
    page.goto(f"{live_server.url}/reports/dashboard/")
    charts = json.loads(page.inner_text("#dashboard-data"))
    links = set(page.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))"))
    opened = {url for spec in charts.values() for row in spec.get("links") or []
              for url in (row if isinstance(row, list) else [row]) if url}
    assert len(opened) > 20
    assert sorted(opened - links) == []
    # and the series of a chart differ by pattern as well as by colour (five star levels by area)
    page.wait_for_function("() => document.querySelector('[data-chart=areas] svg')")
    assert page.locator("[data-chart=areas] svg pattern").count() >= 5


# --- text enlarged to 200% -------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/enterprises/new/", "/enterprises/", "/finance/applications/"])
def test_at_200_percent_zoom_nothing_is_lost_and_the_header_folds(a11y_world, live_server, browser, path):
    """A 1366-px laptop zoomed to 200% lays the page out in 683 CSS pixels at twice the pixel density."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 683, "height": 384}, device_scale_factor=2)
    page = context.new_page()
    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    page.goto(f"{live_server.url}{path}")
    # no scrolling sideways for the page itself (a wide table scrolls inside its own box)
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    # the menu folds behind its button, which the keyboard opens
    assert page.locator("#mainnav").is_visible() is False
    page.focus(".navbar-toggler")
    page.keyboard.press("Enter")
    page.wait_for_selector("#mainnav.show")
    assert page.locator("#mainnav a.nav-link", has_text="首页").is_visible() is True
    context.close()


def test_a_table_box_that_scrolls_on_a_phone_is_a_named_tab_stop_and_icons_are_hidden(a11y_world, live_server,
                                                                                       browser):
    """static/portal/a11y.js: a table box gets a tab stop, a role and a name only while it scrolls, and
    the icons beside words are hidden from screen readers."""
    state = "b => [b.scrollWidth > b.clientWidth, b.getAttribute('tabindex'), b.getAttribute('role'), " \
            "b.getAttribute('aria-label')]"
    for width, expected in ((390, [True, "0", "region", "市场主体"]), (1366, [False, None, None, None])):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800})
        page = context.new_page()
        login(page, live_server, "t_orgstaff", TEST_PASSWORD)
        page.goto(f"{live_server.url}/enterprises/")
        assert page.locator("main .table-responsive").evaluate(state) == expected
        assert page.locator("i.bi").count() > 3
        assert page.locator("i.bi:not([aria-hidden='true'])").count() == 0
        context.close()
