"""The content-security policy in Debian's chromium: every role's main pages, with the header on as it
is served, raise no CSP violation, no console error and no uncaught script error — nor do the login
page, the locked-out page, the second factor's enrolment (its QR code) and prompt, the error pages
(403, 404, 500), the API docs (Swagger UI), the admin site and the institution API keys' pages. What a
person does after load is done too: the user menu opens, the charts are drawn and their tooltips
shown, forms are refused and show their errors, an API operation is unfolded, an API key is made and
copied, the language is switched.

A violation is caught twice: in the page, by a `securitypolicyviolation` listener that the test adds
to every document before the page's own scripts run (an init script of the browser, not page
content), and at the portal's own report endpoint, whose log (logger "portal.csp") must stay empty.
The last test breaks the policy on purpose to show that a report does arrive there and is logged."""

import collections
import logging
import time

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import include, path
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import urls as portal_urls
from tests.finance.conftest import product, product2, quota_table  # noqa: F401  (fixtures)
from tests.otp import pass_second_factor
from tests.ratings.conftest import advance, cycle, organization_for, rubric  # noqa: F401  (fixtures)
from tests.reports.figures_world import hist  # noqa: F401  (fixture)

from .a11y import PAGES, open_page, roles_in_order
from .test_accessibility import a11y_world  # noqa: F401  (fixture: the world the a11y walk's pages need)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Added to every document before its own scripts run; hands each violation to the test at once, so that
# one on a page left right after is not lost.
LISTENER = """
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolation && window.__cspViolation({
    directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile,
    line: e.lineNumber, sample: e.sample, document: e.documentURI.split('?')[0]});
});
"""
# Beyond the accessibility walk's pages (tests/browser/a11y.py): the ones the policy is likeliest to
# break, with the status each answers.
EXTRA = {
    "": [("/accounts/login/", 200)],
    "orgstaff": [("/reports/dashboard/", 200), ("/people/new/", 200), ("/api/docs/", 200),
                 ("/accounts/two-factor/", 200), ("/accounts/sessions/", 200)],
    "bank": [("/api/docs/", 200)],
    "enterprise": [("/audit/", 403), ("/no-such-page/", 404)],  # error pages inside the portal's layout
    "admin": [("/admin/", 200), ("/admin/auth/user/", 200), ("/admin/auth/user/{town_staff}/change/", 200),
              ("/admin/portal/auditlog/", 200), ("/accounts/two-factor/accounts/", 200), ("/api-keys/", 200),
              ("/api-keys/legacy-tokens/", 200), ("/api-keys/new/", 200)],
}
# Pages whose document answers an error on purpose (a refused form answers 400, a locked-out login
# 429): the browser notes their status on the console.
ERROR_STATUS = {"/audit/": 403, "/no-such-page/": 404, "/boom/": 500, "/accounts/login/": 429, "/people/new/": 400}
REPORT_WAIT = 0.5  # seconds: a report is sent at once, but after the page has gone on


def _boom(request):
    raise RuntimeError("a server error on purpose (the 500 page under the policy)")


# The portal's URLs and error handlers, and one more URL that fails (the policy names its report endpoint
# by URL name, so the portal's URLs must be there).
urlpatterns = [path("boom/", _boom), path("", include(portal_urls))]
handler500 = getattr(portal_urls, "handler500", "django.views.defaults.server_error")


@pytest.fixture
def csp_world(a11y_world):  # noqa: F811
    """The accessibility walk's world (the dashboards' history, a rating on public notice), with the
    administrator allowed on the admin site."""
    w = a11y_world
    w.admin.is_staff = w.admin.is_superuser = True
    w.admin.save(update_fields=["is_staff", "is_superuser"])
    return w


class Watch:
    """What goes wrong in a browser context: CSP violations, console errors, uncaught page errors."""

    def __init__(self, context):
        self.problems: list[str] = []
        self.role = ""
        context.expose_binding("__cspViolation", self._violation)
        context.add_init_script(LISTENER)

    def _violation(self, source, v):
        self.problems.append(f"[{self.role or 'public'}] CSP {v['directive']} blocked {v['blocked']} on "
                             f"{v['document']} (source {v['source']}:{v['line']} {v['sample']!r})")

    def attach(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"[{self.role or 'public'}] page error on {page.url}: {e}"))

    def _console(self, message):
        if message.type != "error":
            return
        where = message.location.get("url", "")
        # the browser notes an error page's own status as a failed load of the document: expected here
        if message.text.startswith("Failed to load resource") and any(
                where.split("?")[0].endswith(p) and f"status of {s} " in message.text for p, s in ERROR_STATUS.items()):
            return
        self.problems.append(f"[{self.role or 'public'}] console error: {message.text} ({where})")


def password_only_session(user) -> str:
    """A session key of `user`, signed in with the password only (made by Django's test client)."""
    client = Client()
    client.force_login(user)
    return client.session.session_key


def verified_session(user) -> str:
    """A session key of `user`, signed in and past the second factor: marked verified with a TOTP device,
    as django-otp's own login does."""
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user, TOTPDevice.objects.create(user=user, name="csp-walk", confirmed=True))
    return client.session.session_key


def sign_in_as(context, base, session_key):
    context.clear_cookies()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": base, "value": session_key}])


def settle(page):
    """Let queued violation events and console messages arrive."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")


def goto(page, base, path, status=200):
    response = page.goto(f"{base}{path}")
    assert response is not None, path
    assert response.status == status, f"{path}: {response.status}"


def open_user_menu(page):
    page.click("#usermenu")
    page.wait_for_selector(".portal-usermenu .dropdown-menu.show")
    page.keyboard.press("Escape")


def hover_charts(page) -> int:
    """Show each chart's tooltip (ECharts writes it into the page when the pointer is on the chart); how
    many bar and line tooltips the page then holds."""
    for chart in page.locator("[data-chart]").all():
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        for dx, dy in ((0.5, 0.5), (0.55, 0.6)):  # a move inside the plot is what ECharts listens to
            page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
        page.wait_for_timeout(60)
    page.mouse.move(0, 0)
    return page.locator(".portal-chart-tip").count()


def refuse_form(page):
    """Send the page's form empty (past the browser's own checks), so the portal shows its errors."""
    form = page.locator("main form[method=post]").first
    form.evaluate("f => f.setAttribute('novalidate', '')")
    with page.expect_navigation():
        form.locator("button:not([type=button])").first.click()
    page.wait_for_selector("[data-error-summary], main [aria-invalid='true']")


def unfold_operation(page):
    page.wait_for_selector("#swagger-ui .info .title")
    page.locator("#swagger-ui .opblock-summary").first.click()
    page.wait_for_selector("#swagger-ui .opblock.is-open .opblock-body")


def create_api_key(page):
    """Fill the new key's form and send it: the key is shown once, with a copy button, which is pressed."""
    page.select_option("#id_institution", index=1)
    page.fill("#id_name", "CSP 检查")
    page.locator("input[name=scopes]").first.check()
    with page.expect_navigation():
        page.locator("main form[method=post] button:not([type=button])").first.click()
    page.click("[data-copy-target]")


def lock_out(page, base, username):
    """Five wrong passwords for `username`: the fifth answer is the locked-out page."""
    goto(page, base, "/accounts/login/")
    statuses = []
    for _ in range(5):
        page.fill("#id_username", username)
        page.fill("#id_password", "wrong-password-0")
        with page.expect_navigation() as navigation:
            page.click("main form:has(#id_password) button")
        statuses.append(navigation.value.status)
    assert statuses == [200, 200, 200, 200, 429]
    page.wait_for_selector("main .alert-warning")


def server_error_page(page, base):
    """The 500 page as the portal serves it (body and headers from Django's handler), at an address of
    the live server: the portal has no URL that fails on purpose, so this test's own URL conf makes one."""
    client = Client(raise_request_exception=False)
    with override_settings(ROOT_URLCONF=__name__):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert response["Content-Security-Policy"]
    headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
    page.route(f"{base}/boom/", lambda route: route.fulfill(status=500, headers=headers, body=response.content))
    goto(page, base, "/boom/", 500)


def test_every_role_s_main_pages_run_under_the_policy(csp_world, live_server, browser, caplog):
    caplog.set_level(logging.WARNING, logger="portal.csp")
    w = csp_world
    users = {"orgstaff": w.org_staff, "townstaff": w.town_staff, "station": w.station, "bank": w.bank_officer,
             "insurer": w.insurer_officer, "enterprise": w.enterprise_user, "cadre": w.cadre, "leader": w.leader,
             "admin": w.admin}
    base = live_server.url
    # One window for the whole walk: a role is a change of session cookie.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, reduced_motion="reduce")
    watch = Watch(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    watch.attach(page)
    started, checked = time.monotonic(), []

    for role in roles_in_order():
        watch.role = role
        if role:
            sign_in_as(context, base, verified_session(users[role]))
        else:
            context.clear_cookies()
        for entry in (e for e in PAGES if e.role == role):
            checked.append(open_page(page, base, entry))
            if entry.path == "/":
                open_user_menu(page)
            hover_charts(page)
            settle(page)
        for extra, status in EXTRA.get(role, []):
            target = extra.format(town_staff=w.town_staff.pk)
            goto(page, base, target, status)
            if target == "/api/docs/":
                unfold_operation(page)
            elif target == "/people/new/":
                refuse_form(page)
            elif target == "/api-keys/new/":
                create_api_key(page)
            shown = hover_charts(page)
            if target == "/reports/dashboard/":
                assert shown > 0, "no chart tooltip shown on the leaders' dashboard"
            settle(page)
            checked.append(target)

    # The second factor before it is passed: enrolment with its QR code (a bank officer with no
    # authenticator yet) and the code prompt (an insurer officer with one), each form refused once.
    watch.role = "second factor"
    sign_in_as(context, base, password_only_session(w.bank2_officer))
    goto(page, base, "/accounts/two-factor/setup/")
    page.wait_for_selector("main svg")
    refuse_form(page)
    TOTPDevice.objects.create(user=w.insurer2_officer, name="phone", confirmed=True)
    sign_in_as(context, base, password_only_session(w.insurer2_officer))
    goto(page, base, "/accounts/two-factor/verify/")
    refuse_form(page)
    checked += ["enrolment", "second-factor prompt"]

    watch.role = ""
    context.clear_cookies()
    lock_out(page, base, w.town_staff_b.username)
    settle(page)
    server_error_page(page, base)
    settle(page)
    checked += ["locked out", "500"]

    # the language switch, from the user menu, as the cadre
    watch.role = "cadre"
    sign_in_as(context, base, verified_session(w.cadre))
    goto(page, base, "/")
    page.click("#usermenu")
    with page.expect_navigation():
        page.click(".portal-usermenu button[value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    settle(page)

    time.sleep(REPORT_WAIT)
    context.close()
    counted = collections.Counter(watch.problems)
    assert not counted, "\n".join(f"{n}× {p[:400]}" for p, n in counted.items())
    assert [r.getMessage() for r in caplog.records if r.name == "portal.csp"] == []
    assert len(checked) == len(PAGES) + sum(map(len, EXTRA.values())) + 4, checked
    print(f"CSP walk: {len(checked)} pages in {time.monotonic() - started:.1f} s")


def test_a_violation_reaches_the_report_endpoint_and_is_logged(db, live_server, browser, caplog):
    """The other end of the walk's second check: a script put into a page breaks the policy, and the
    report arrives at the portal and is logged with its directive and the page (without its query)."""
    caplog.set_level(logging.WARNING, logger="portal.csp")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    goto(page, live_server.url, "/accounts/login/?next=/people/%3Fq%3D330102199001011234")
    blocked = page.evaluate("""() => new Promise(resolve => {
      document.addEventListener('securitypolicyviolation', e => resolve(e.effectiveDirective));
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.body.appendChild(s);
    })""")
    assert blocked == "script-src-elem"
    assert page.evaluate("() => window.injected === undefined")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not [r for r in caplog.records if r.name == "portal.csp"]:
        time.sleep(0.1)
    context.close()
    [record] = [r for r in caplog.records if r.name == "portal.csp"]
    assert record.levelno == logging.WARNING
    assert record.csp_directive == "script-src-elem"
    assert record.csp_blocked_uri == "inline"
    assert record.csp_document_uri == f"{live_server.url}/accounts/login/"
    assert "330102199001011234" not in record.getMessage()
