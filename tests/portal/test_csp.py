"""The content-security policy (portal/csp.py, CONTENT_SECURITY_POLICY): the same header, with exactly
the directives decided, on a page, the error pages, a JSON API answer, the API docs and the admin site;
and the report endpoint: public, CSRF-exempt, logs a violation at WARNING without the query string,
answers garbage with 400 (or 413 when too large) and never 500, and keeps the log from being flooded.
The browser side (no page breaks under the policy) is tests/browser/test_csp_walk.py."""

import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import include, path
from rest_framework.test import APIClient

from portal import csp
from portal import urls as portal_urls
from tests.otp import pass_second_factor

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "report-uri": "/csp-report/",
}
HEADER = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
          "report-uri /csp-report/")
URL = "/csp-report/"

# Public on purpose (tests/test_access_coverage.py reads this): a browser reports a violation without the
# page's CSRF token and often without its cookies, and one on the login page comes before any sign-in.
# Tried anonymously and signed in below.
PUBLIC_URLS = {"csp_report": "browsers' content-security-policy violation reports (tests/portal/test_csp.py)"}


def _boom(request):
    raise RuntimeError("a server error on purpose")


# The portal's URLs and error handlers, and one URL that fails.
urlpatterns = [path("boom/", _boom), path("", include(portal_urls))]
handler500 = getattr(portal_urls, "handler500", "django.views.defaults.server_error")


@pytest.fixture(autouse=True)
def _fresh_counters():
    """The endpoint's once-per-violation and per-minute counters live in the cache."""
    cache.clear()
    yield
    cache.clear()


def directives(response) -> dict[str, str]:
    parts = [p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";")]
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


# --- the header ------------------------------------------------------------------------------------------

def test_the_header_names_exactly_the_directives_decided_in_a_fixed_order(db):
    response = Client().get("/accounts/login/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == HEADER
    assert directives(response) == EXPECTED
    assert "Content-Security-Policy-Report-Only" not in response


def test_nothing_inline_or_evaluated_is_allowed(db):
    header = Client().get("/accounts/login/")["Content-Security-Policy"]

    for loophole in ("unsafe-inline", "unsafe-eval", "unsafe-hashes", "nonce-", "sha256-", "*", "http:", "https:"):
        assert loophole not in header


def test_the_header_is_on_a_signed_in_page(world):
    client = Client()
    client.force_login(world.org_staff)

    response = client.get("/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == HEADER


@pytest.mark.parametrize(("user", "path", "status"), [
    (None, "/no-such-page/", 404),
    ("enterprise_user", "/audit/", 403),
    ("org_staff", "/api/v1/no-such-thing/", 404),
])
def test_the_header_is_on_the_error_pages(world, user, path, status):
    client = Client()
    if user:
        client.force_login(getattr(world, user))

    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Security-Policy"] == HEADER


def test_the_header_is_on_a_bad_request(db):
    response = Client().get("/accounts/login/", HTTP_HOST="not-this-portal.example")

    assert response.status_code == 400
    assert response["Content-Security-Policy"] == HEADER


@override_settings(ROOT_URLCONF=__name__)
def test_the_header_is_on_the_server_error_page(db):
    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    assert response["Content-Security-Policy"] == HEADER


def test_the_header_is_on_a_json_api_answer(world):
    client = APIClient()
    client.force_authenticate(world.org_staff)

    response = client.get("/api/v1/regions/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Security-Policy"] == HEADER


def test_the_api_docs_load_their_start_up_script_as_a_file(world):
    """Swagger UI's page has no inline script or style: the script is a file of its own (?script=)."""
    client = Client()
    client.force_login(world.bank_officer)

    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    html = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Security-Policy"] == HEADER
    assert '<script src="/api/docs/?script="></script>' in html
    assert "<script>" not in html
    assert "<style" not in html
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


@pytest.mark.parametrize("path", ["/admin/", "/admin/auth/user/"])
def test_the_header_is_on_the_admin_site(world, path):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client = Client()
    client.force_login(world.admin)
    pass_second_factor(client, world.admin)

    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == HEADER


# --- the report endpoint ------------------------------------------------------------------------------

def csp_report(**fields):
    report = {"document-uri": "https://portal.example/people/?q=330102199001011234", "referrer": "",
              "violated-directive": "script-src-elem", "effective-directive": "script-src-elem",
              "original-policy": HEADER, "disposition": "enforce", "blocked-uri": "inline",
              "line-number": 12, "source-file": "https://portal.example/people/?q=330102199001011234",
              "status-code": 200, "script-sample": ""}
    report.update(fields)
    return json.dumps({"csp-report": report})


def reporting_api_report(**body):
    payload = {"documentURL": "https://portal.example/finance/applications/?page=2",
               "blockedURL": "https://cdn.example/x.js?token=abc", "effectiveDirective": "script-src-elem",
               "originalPolicy": HEADER, "disposition": "enforce", "sourceFile": None, "lineNumber": 0,
               "statusCode": 200, "sample": ""}
    payload.update(body)
    return json.dumps([
        {"type": "csp-violation", "age": 10, "url": payload["documentURL"], "user_agent": "Mozilla/5.0 Test",
         "body": payload},
        {"type": "deprecation", "age": 10, "url": payload["documentURL"], "user_agent": "Mozilla/5.0 Test",
         "body": {"id": "x", "message": "not a CSP report"}},
    ])


def post(body, content_type="application/csp-report", client=None, **extra):
    return (client or Client(enforce_csrf_checks=True)).post(URL, data=body, content_type=content_type, **extra)


def logged(caplog):
    return [r for r in caplog.records if r.name == "portal.csp"]


def test_a_report_is_logged_with_directive_blocked_uri_page_and_browser(db, caplog):
    caplog.set_level(logging.WARNING, logger="portal.csp")

    response = post(csp_report(), HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Chrome/120")

    assert response.status_code == 204
    [record] = logged(caplog)
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        "CSP violation: directive=script-src-elem blocked=inline document=https://portal.example/people/ "
        "source=https://portal.example/people/ line=12 disposition=enforce agent=Mozilla/5.0 (Windows NT 10.0) "
        "Chrome/120")
    assert "330102199001011234" not in record.getMessage()
    assert (record.csp_directive, record.csp_blocked_uri, record.csp_document_uri) == (
        "script-src-elem", "inline", "https://portal.example/people/")


def test_a_reporting_api_report_is_logged_and_other_report_kinds_are_not(db, caplog):
    caplog.set_level(logging.WARNING, logger="portal.csp")

    response = post(reporting_api_report(), content_type="application/reports+json")

    assert response.status_code == 204
    [record] = logged(caplog)
    assert record.csp_directive == "script-src-elem"
    assert record.csp_blocked_uri == "https://cdn.example/x.js"
    assert record.csp_document_uri == "https://portal.example/finance/applications/"
    assert "agent=Mozilla/5.0 Test" in record.getMessage()


def test_the_endpoint_takes_reports_from_anyone_without_a_csrf_token(world, caplog):
    """Anonymous, signed in, and signed in with the password only by a role that must still pass the
    second factor (a violation on its code page is reported too)."""
    caplog.set_level(logging.WARNING, logger="portal.csp")
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(world.enterprise_user)
    halfway = Client(enforce_csrf_checks=True)
    halfway.force_login(world.bank_officer)

    answers = [post(csp_report(**{"blocked-uri": f"https://a.example/{n}.js"}), client=client).status_code
               for n, client in enumerate([None, signed_in, halfway])]

    assert answers == [204, 204, 204]
    assert len(logged(caplog)) == 3


def test_the_endpoint_takes_posts_only(db):
    response = Client().get(URL)

    assert response.status_code == 405


@pytest.mark.parametrize(("body", "content_type"), [
    ("not json at all", "application/csp-report"),
    (b"\xff\xfe\x00garbage", "application/csp-report"),
    ("", "application/csp-report"),
    ("null", "application/csp-report"),
    ("42", "application/csp-report"),
    ('"csp-report"', "application/csp-report"),
    ('{"csp-report": "not an object"}', "application/csp-report"),
    ('{"something": "else"}', "application/json"),
    ('[{"type": "csp-violation", "body": "not an object"}]', "application/reports+json"),
    ("[1, 2, 3]", "application/reports+json"),
    ("[" * 30_000 + "]" * 30_000, "application/json"),  # deeper than the parser goes: no 500
    (csp_report(), "text/plain"),
    (csp_report(), "application/x-www-form-urlencoded"),
], ids=["text", "bad-utf8", "empty", "null", "number", "string", "report-not-object", "other-object",
        "body-not-object", "list-of-numbers", "too-deep", "text-plain", "form"])
def test_garbage_is_refused_with_400_and_nothing_is_logged(db, caplog, body, content_type):
    caplog.set_level(logging.WARNING, logger="portal.csp")

    response = post(body, content_type=content_type)

    assert response.status_code == 400
    assert logged(caplog) == []


def test_a_body_past_the_limit_is_refused_unread(db, caplog):
    caplog.set_level(logging.WARNING, logger="portal.csp")
    padding = "x" * csp.MAX_BODY_BYTES

    response = post(csp_report(**{"script-sample": padding}))

    assert response.status_code == 413
    assert logged(caplog) == []


def test_a_report_cannot_forge_log_lines_or_fill_a_line(db, caplog):
    caplog.set_level(logging.WARNING, logger="portal.csp")

    post(csp_report(**{"effective-directive": "script-src\nCSP violation: forged", "blocked-uri": "x" * 5000}))

    [record] = logged(caplog)
    message = record.getMessage()
    assert "\n" not in message
    assert "script-src CSP violation: forged" in message
    assert len(message) < 1200


def test_the_same_violation_is_logged_once(db, caplog):
    caplog.set_level(logging.WARNING, logger="portal.csp")

    responses = [post(csp_report()) for _ in range(5)]

    assert [r.status_code for r in responses] == [204] * 5
    assert len(logged(caplog)) == 1


def test_no_more_than_the_cap_is_logged_in_a_minute(db, caplog, monkeypatch):
    caplog.set_level(logging.WARNING, logger="portal.csp")
    monkeypatch.setattr(csp, "MAX_LOGGED_PER_MINUTE", 3)

    responses = [post(csp_report(**{"blocked-uri": f"https://evil.example/{n}.js"})) for n in range(6)]

    assert [r.status_code for r in responses] == [204] * 6
    messages = [r.getMessage() for r in logged(caplog)]
    assert len(messages) == 4
    assert [m.startswith("CSP violation:") for m in messages] == [True, True, True, False]
    assert messages[3].startswith("CSP reports: more than 3 different violations this minute")


def test_a_body_holds_at_most_so_many_reports(db, caplog):
    caplog.set_level(logging.WARNING, logger="portal.csp")
    reports = [{"type": "csp-violation", "url": "https://portal.example/", "user_agent": "UA",
                "body": {"documentURL": "https://portal.example/", "blockedURL": f"https://e.example/{n}.js",
                         "effectiveDirective": "script-src-elem"}} for n in range(50)]

    response = post(json.dumps(reports), content_type="application/reports+json")

    assert response.status_code == 204
    assert len(logged(caplog)) == csp.MAX_REPORTS_PER_BODY
