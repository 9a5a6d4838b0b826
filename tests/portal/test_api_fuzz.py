"""schemathesis against the API's own OpenAPI description, signed in as each role that uses the API:
every operation, with requests generated from its parameters and bodies, must never answer 5xx and
must answer within its description (a declared status code, JSON where JSON is declared, a body of
the declared shape). The examples per operation are bounded (PORTAL_FUZZ_EXAMPLES, 4 by default) so
the suite stays fast; each role's counts (operations, requests, failures) are printed.

The requests run in this process through the WSGI application (schemathesis' WSGI transport), on the
test database, with the role's session cookie and a CSRF token as a browser would send them."""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

ROLES = {
    "bank": "bank_officer", "insurer": "insurer_officer", "station": "station", "enterprise": "enterprise_user",
    "town": "town_staff", "org": "org_staff", "leader": "leader",
}
EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
COUNTS: dict[str, dict] = {}


@pytest.fixture
def connection_kept():
    """Django's test client keeps the test's database connection across its requests by muting the
    signals that close it at each request's start and end; the WSGI transport calls the application
    itself, so the same is done here (or the first request would close the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def described():
    """The OpenAPI description as the API serves it (plain JSON, the postprocessing hooks applied)."""
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:160]


def _calls(operation, browser: dict, counts: Counter, statuses: Counter, failures: dict):
    """The operation called with EXAMPLES generated requests, each answer checked; a failure is noted
    (its first line, once per operation) rather than raised, so that every operation still runs."""

    @given(case=operation.as_strategy())
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def call(case):
        counts["requests"] += 1
        try:
            response = case.call(**browser)
            statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:  # a failed check (a group when several): noted
            failures.setdefault(f"{operation.method.upper()} {operation.path}", _first_line(error))

    return call


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_within_its_description(role, world, client, described, connection_kept):
    # given the role's session, as a browser holds it
    client.force_login(getattr(world, ROLES[role]))
    csrf = _get_new_csrf_string()
    browser = {"headers": {"X-CSRFToken": csrf},
               "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}}
    schema = schemathesis.openapi.from_dict(described)
    schema.app = get_wsgi_application()
    counts, statuses, failures = Counter(), Counter(), {}

    # when every operation is called with generated requests
    for result in schema.get_all_operations():
        counts["operations"] += 1
        _calls(result.ok(), browser, counts, statuses, failures)()

    counts["failures"] = len(failures)
    COUNTS[role] = dict(counts)
    print(f"\nschemathesis as {role}: {counts['operations']} operations, {counts['requests']} requests, "
          f"{counts['failures']} failing operations; answers {dict(sorted(statuses.items()))}")
    # then none answered 5xx or outside its description
    assert not failures, "\n".join(f"{where}: {what}" for where, what in sorted(failures.items()))
    assert counts["requests"] >= counts["operations"]
