"""The content-security policy: the middleware that sends it and the endpoint that hears its violations.

The policy itself is `CONTENT_SECURITY_POLICY` in portal/settings/base.py. Browsers send what it blocks
to `csp_report_view`. The policy names it with `report-uri`, which every browser the portal meets sends
at once as one `{"csp-report": {...}}` object (application/csp-report). The endpoint also reads the
Reporting API's format (a list of reports, application/reports+json), should a `report-to` group be
added; the policy has none because a browser that sees `report-to` ignores `report-uri`, and Chromium
holds those reports back for up to a minute and sends them only to an HTTPS or localhost address.

The endpoint is public on purpose: a browser sends a report without the page's CSRF token and often
without its cookies, and a violation on the login page happens before anyone signed in. So what it
accepts is bounded: a body of at most `MAX_BODY_BYTES`, at most `MAX_REPORTS_PER_BODY` reports of it
read, every logged field cut short and stripped of control characters (no forged log lines), the
same violation logged once per `REPEAT_SECONDS`, and at most `MAX_LOGGED_PER_MINUTE` lines a minute
for the whole site. Both counters live in the cache (Redis in production, so they hold across the
workers): two cache calls per report, no database."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from urllib.parse import urlsplit, urlunsplit

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("portal.csp")

MAX_BODY_BYTES = 64 * 1024
MAX_REPORTS_PER_BODY = 20
MAX_FIELD_CHARS = 300
REPEAT_SECONDS = 10 * 60
MAX_LOGGED_PER_MINUTE = 120

REPORT_TYPES = {"application/csp-report", "application/reports+json", "application/json"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the directives in the order the setting lists them: django-csp
    builds the header from a set, so its order would change from one process to the next (harder to
    read, to compare and to quote)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        header = response.get("Content-Security-Policy")
        if header:
            response["Content-Security-Policy"] = _in_setting_order(header)
        return response


def _in_setting_order(header: str) -> str:
    order = list(settings.CONTENT_SECURITY_POLICY.get("DIRECTIVES", {}))
    parts = [p.strip() for p in header.split(";") if p.strip()]

    def position(part: str) -> int:
        name = part.split(" ", 1)[0]
        return order.index(name) if name in order else len(order)

    return "; ".join(sorted(parts, key=position))


# --- the report endpoint ----------------------------------------------------------------------------------

def _clean(value, limit: int = MAX_FIELD_CHARS) -> str:
    """A report's field as a single short line (a report is written by whoever sends it)."""
    if value is None:
        return "-"
    text = _CONTROL.sub(" ", str(value)).strip()
    return (text[:limit] + "…") if len(text) > limit else (text or "-")


def _without_query(url) -> str:
    """The address without its query string and fragment: a page's query can hold a searched ID number or
    mobile number, which has no business in a log. Keywords such as `inline` or `eval` stay as they are."""
    if not isinstance(url, str) or not url:
        return "-"
    try:
        parts = urlsplit(url)
    except ValueError:
        return _clean(url.split("?", 1)[0].split("#", 1)[0])
    if not parts.scheme:
        return _clean(url.split("?", 1)[0].split("#", 1)[0])
    return _clean(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))


def _violations(payload, user_agent: str) -> list[dict]:
    """The violations of a parsed body, in one shape whichever format it came in; [] when none is there.
    Raises ValueError when the body is not a report at all."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        report = payload["csp-report"]
        return [{
            "directive": report.get("effective-directive") or report.get("violated-directive"),
            "blocked": report.get("blocked-uri"),
            "document": report.get("document-uri"),
            "source": report.get("source-file"),
            "line": report.get("line-number"),
            "disposition": report.get("disposition"),
            "agent": user_agent,
        }]
    if isinstance(payload, list):
        found = []
        for report in payload[:MAX_REPORTS_PER_BODY]:
            if not isinstance(report, dict) or not isinstance(report.get("body"), dict):
                raise ValueError("not a report")
            if report.get("type") != "csp-violation":
                continue  # the Reporting API can also carry deprecation or intervention reports
            body = report["body"]
            found.append({
                "directive": body.get("effectiveDirective") or body.get("violatedDirective"),
                "blocked": body.get("blockedURL"),
                "document": body.get("documentURL") or report.get("url"),
                "source": body.get("sourceFile"),
                "line": body.get("lineNumber"),
                "disposition": body.get("disposition"),
                "agent": report.get("user_agent") or user_agent,
            })
        return found
    raise ValueError("not a report")


def _may_log(violation: dict) -> bool:
    """Once per violation per REPEAT_SECONDS, and no more than MAX_LOGGED_PER_MINUTE lines a minute."""
    fingerprint = "|".join(_clean(violation[k]) for k in ("directive", "blocked", "document", "source", "line"))
    key = "csp-report:seen:" + hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    if not cache.add(key, 1, REPEAT_SECONDS):
        return False
    minute = f"csp-report:minute:{int(time.time() // 60)}"
    cache.add(minute, 0, 120)
    try:
        count = cache.incr(minute)
    except ValueError:  # the counter expired between add and incr
        cache.add(minute, 1, 120)
        count = 1
    if count == MAX_LOGGED_PER_MINUTE + 1:
        logger.warning("CSP reports: more than %d different violations this minute; the rest of the minute "
                       "is not logged", MAX_LOGGED_PER_MINUTE)
    return count <= MAX_LOGGED_PER_MINUTE


@csrf_exempt
@require_POST
def csp_report_view(request: HttpRequest) -> HttpResponse:
    """Hear a browser's content-security-policy violation reports and log each one (logger "portal.csp")."""
    content_type = request.content_type or ""
    if content_type not in REPORT_TYPES:
        return HttpResponse(status=400)
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared > MAX_BODY_BYTES:
        return HttpResponse(status=413)
    # Read no more than the limit even when the length was not declared (a chunked body).
    raw = request.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        return HttpResponse(status=413)
    try:
        violations = _violations(json.loads(raw.decode("utf-8")), request.headers.get("User-Agent", ""))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return HttpResponse(status=400)
    for violation in violations:
        if _may_log(violation):
            logger.warning(
                "CSP violation: directive=%s blocked=%s document=%s source=%s line=%s disposition=%s agent=%s",
                _clean(violation["directive"], 80), _without_query(violation["blocked"]),
                _without_query(violation["document"]), _without_query(violation["source"]),
                _clean(violation["line"], 12), _clean(violation["disposition"], 12), _clean(violation["agent"]),
                extra={"csp_directive": _clean(violation["directive"], 80),
                       "csp_blocked_uri": _without_query(violation["blocked"]),
                       "csp_document_uri": _without_query(violation["document"])},
            )
    return HttpResponse(status=204)
