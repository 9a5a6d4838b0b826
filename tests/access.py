"""The shared access helper: every view and endpoint is tried as anonymous, as a wrong role, as the
right role with another scope, as every role the case does not name, and as the right role.

A test module lists its cases in a module-level `ACCESS_CASES` and runs them with
`run_access_case(case, world)`; `tests/test_access_coverage.py` reads every module's table and fails
if a URL of the project (or a method its view takes) has no case, or a case misses its wrong role.
Users and URLs are given as functions of the `world` fixture (tests/conftest.py), so one table serves
every test run.

What a case must hold, checked when it runs:
- `right` names at least one user, and `wrong` (when given) at least one;
- when a right user's role sees only part of the records (`SCOPED_ROLES`: a town, a station's area,
  a bank or insurer, one enterprise, a cadre's pairings), `other_scope` tries a user of that same role
  whose scope does not reach the record, or `why_no_other_scope` says why that makes no sense;
- when `other_scope` users may answer 200 (a list that leaves the record out), a `marker` shows what
  they must not see;
- every one of the nine roles is tried: the roles that no user of `right`, `wrong` or `other_scope`
  holds are tried with the world's user of that role (`ROLE_USERS`) and must get 403 or 404 and never
  the marker. A role that may open the address is listed under `right`; one that sees it without the
  record (a filtered list) under `other_scope`.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from portal.choices import Role
from portal.models import RoleAssignment

# The `world` fixture's user of each role: the one the automatic pass tries when a case names no user
# of that role. Every world (the apps' fixtures extend `world`) has them.
ROLE_USERS: dict[str, str] = {
    Role.ORG_STAFF: "org_staff",
    Role.TOWN_STAFF: "town_staff",
    Role.STATION_OPERATOR: "station",
    Role.BANK_OFFICER: "bank_officer",
    Role.INSURER_OFFICER: "insurer_officer",
    Role.ENTERPRISE_USER: "enterprise_user",
    Role.CADRE: "cadre",
    Role.LEADER: "leader",
    Role.ADMIN: "admin",
}

# Roles whose users see part of the records only; the world's second user of each, for `other_scope`.
SCOPED_ROLES: dict[str, str] = {
    Role.TOWN_STAFF: "w.town_staff_b",
    Role.STATION_OPERATOR: "w.station_b_user or w.park_station_user",
    Role.BANK_OFFICER: "w.bank2_officer",
    Role.INSURER_OFFICER: "w.insurer2_officer",
    Role.ENTERPRISE_USER: "w.enterprise_b_user",
    Role.CADRE: "a cadre not paired with the record",
}

# Reasons for `why_no_other_scope` that recur.
REFERENCE_DATA = "reference data (regions, parks, institutions, stations, policies): every role reads all of it"
OWN_ACCOUNT = "the user's own page: no one else's record is on it"

# Requests made by this process (read by tests/test_access_matrix.py and the matrix file below).
REQUESTS = {"count": 0}


def _none(world):
    return []


@dataclass(frozen=True)
class AccessCase:
    name: str  # the URL name, as resolve() gives it ("enterprise_detail", "api:enterprise-list")
    url: Callable  # world -> path
    right: Callable  # world -> users who may
    wrong: Callable = _none  # world -> users whose role may not: 403, or 404 for a single record
    other_scope: Callable = _none  # world -> users of the right role whose scope does not reach it
    method: str = "get"
    data: Callable | None = None  # world -> request body
    api: bool = False
    ok: tuple[int, ...] = (200,)
    other_status: tuple[int, ...] = (404,)  # (200,) for a list, with `marker` absent from the page
    marker: Callable | None = None  # world -> text that the right users see and nobody else does
    label: str = field(default="")
    # Why a right user's scoped role is tried with no other scope (see the module's docstring).
    why_no_other_scope: str = ""
    # Roles that another case of the same address and method tries, with a body of their own (a station
    # names the enterprise it applies for, an enterprise user applies for its own): the automatic pass
    # leaves them to it. tests/test_access_coverage.py checks that such a case exists.
    tried_elsewhere: tuple[str, ...] = ()
    # What a wrong or untried role gets. A case adds 400 only where the view judges the body before the
    # role and no body could pass for that role (say why in a comment).
    refused: tuple[int, ...] = (403, 404)

    def __str__(self):
        return self.label or f"{self.method.upper()} {self.name}"


def _client(api: bool):
    return APIClient() if api else Client()


def _request(case: AccessCase, world, user):
    REQUESTS["count"] += 1
    client = _client(case.api)
    if user is not None:
        client.force_login(user)
    url = case.url(world)
    data = case.data(world) if case.data else None
    method = getattr(client, case.method)
    if case.api:
        return method(url, data=data, format="json") if data is not None else method(url)
    return method(url, data=data) if data is not None else method(url)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _body(response) -> str:
    """The text a marker is looked for in: a page, a JSON answer, a CSV, or the cells of an xlsx file and
    the text of a PDF (downloads and exports)."""
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith(XLSX) and content:
        from openpyxl import load_workbook

        sheets = load_workbook(io.BytesIO(content), read_only=True).worksheets
        return "\n".join(str(value) for sheet in sheets for row in sheet.iter_rows(values_only=True)
                         for value in row if value is not None)
    text = content.decode("utf-8", errors="replace")
    if kind.startswith("application/pdf") and content:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:  # the bytes as they are (a test's stand-in file), and the text of a real PDF
            return text + "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
        except PyPdfError:
            return text
    return text


def roles_of(users) -> dict[int, set[str]]:
    """The roles each user holds, by primary key: one query."""
    found: dict[int, set[str]] = {u.pk: set() for u in users}
    for user_id, role in RoleAssignment.objects.filter(user_id__in=found).values_list("user_id", "role"):
        found[user_id].add(role)
    return found


def _roles(users, held) -> set[str]:
    return set().union(*(held[u.pk] for u in users)) if users else set()


def table_problems(case: AccessCase, right, wrong, other, held) -> list[str]:
    """What the case's table leaves untried, each with how to add it."""
    problems = []
    if not right:
        problems.append("`right` names nobody: add the users who may open it.")
    if case.wrong is not _none and not wrong:
        problems.append("`wrong` names nobody: add users of roles that may not open it.")
    missing = sorted((_roles(right, held) & set(SCOPED_ROLES)) - _roles(other, held))
    if missing and not case.why_no_other_scope:
        hints = "; ".join(f"{role}: {SCOPED_ROLES[role]}" for role in missing)
        problems.append(
            f"right role(s) {', '.join(missing)} see part of the records, but no user of the same role with "
            f"another scope is tried: add one to `other_scope` ({hints}), or say why not in "
            f"why_no_other_scope=\"...\".")
    if other and any(200 <= status < 300 for status in case.other_status) and case.marker is None:
        problems.append("`other_scope` users may answer 2xx but no `marker` says what they must not see: "
                        "add marker=lambda w: <text of the record>.")
    return problems


def untried_roles(world, held_by_case: set[str]) -> list[tuple[str, object]]:
    """(role, the world's user of it) for every role that no user of the case holds."""
    return [(role, getattr(world, attr, None)) for role, attr in ROLE_USERS.items() if role not in held_by_case]


def run_access_case(case: AccessCase, world) -> None:
    url = case.url(world)
    assert resolve(url.split("?")[0]).view_name == case.name, f"{url} is not {case.name}"
    marker = case.marker(world) if case.marker else None
    right, wrong, other = case.right(world), case.wrong(world), case.other_scope(world)
    held = roles_of([*right, *wrong, *other])
    problems = table_problems(case, right, wrong, other, held)
    requests_before = REQUESTS["count"]

    response = _request(case, world, None)
    if case.api:
        if response.status_code not in (401, 403):
            problems.append(f"anonymous: {response.status_code}, expected 401 or 403")
    elif response.status_code != 302 or not response["Location"].startswith(reverse(settings.LOGIN_URL)):
        problems.append(f"anonymous: {response.status_code} {response.get('Location', '')}, expected the login page")

    for user in wrong:
        response = _request(case, world, user)
        if response.status_code not in case.refused:
            problems.append(f"wrong role {user}: {response.status_code}, expected one of {case.refused}")
        if marker and marker in _body(response):
            problems.append(f"wrong role {user} saw {marker!r}")

    for user in other:
        response = _request(case, world, user)
        if response.status_code not in case.other_status:
            problems.append(f"other scope {user}: {response.status_code}, expected one of {case.other_status}")
        if marker and marker in _body(response):
            problems.append(f"other scope {user} saw {marker!r}")

    auto = untried_roles(world, _roles([*right, *wrong, *other], held) | set(case.tried_elsewhere))
    for role, user in auto:
        if user is None:
            problems.append(f"the world has no `{ROLE_USERS[role]}` to try the role {role} with")
            continue
        response = _request(case, world, user)
        if response.status_code not in case.refused:
            problems.append(
                f"role {role} ({user}), named by no user of the case, answered {response.status_code}: "
                f"if it may, list it under `right`; if it sees the page without this record (a filtered list), "
                f"under `other_scope` with other_status=(200,) and a `marker`; otherwise the view lets it in.")
        if marker and marker in _body(response):
            problems.append(f"role {role} ({user}), named by no user of the case, saw {marker!r}")

    if case.method == "post" and not case.api:
        # The same address opened with GET (a refresh after a refused submission, a bookmark, the back
        # button) shows its form or leads to its object's page: never a bare 405.
        for user in right:
            response = opened_with_get(url, user)
            if response.status_code not in (200, 302):
                problems.append(f"GET as {user}: {response.status_code}, expected its form or a redirect")

    for user in right:
        response = _request(case, world, user)
        if response.status_code not in case.ok:
            problems.append(f"right role {user}: {response.status_code}, expected one of {case.ok}")
        if marker and marker not in _body(response):
            problems.append(f"right role {user} did not see {marker!r}")

    _record(case, right, wrong, other, auto, held, REQUESTS["count"] - requests_before)
    assert not problems, f"{case} ({url}):\n  " + "\n  ".join(problems)


def _record(case, right, wrong, other, auto, held, requests):
    """One line per case in the file named by ACCESS_MATRIX_FILE (when set): which roles it tried how."""
    path = os.environ.get("ACCESS_MATRIX_FILE")
    if not path:
        return
    line = {"case": str(case), "name": case.name, "method": case.method, "requests": requests,
            "right": sorted(_roles(right, held)), "wrong": sorted(_roles(wrong, held)),
            "other_scope": sorted(_roles(other, held)), "auto": sorted(role for role, _ in auto),
            "elsewhere": sorted(case.tried_elsewhere)}
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


def opened_with_get(url: str, user):
    REQUESTS["count"] += 1
    client = Client()
    client.force_login(user)
    response = client.get(url)
    if response.status_code == 302:
        assert response["Location"] != url, f"GET {url} redirects to itself"
    return response


def url_of(name: str, *attrs: str, **fixed):
    """A URL as a function of `world`: `url_of("enterprise_detail", "ent_a.pk")`; `fixed` keyword
    values are appended as further arguments, in order."""

    def build(w):
        args = []
        for attr in attrs:
            obj = w
            for part in attr.split("."):
                obj = getattr(obj, part)
            args.append(obj)
        return reverse(name, args=args + list(fixed.values()))

    return build


def users(*names: str):
    """Users as a function of `world`: `users("org_staff", "town_staff")`."""
    return lambda w: [getattr(w, n) for n in names]


def everyone(w):
    """The world's user of every role: for the pages every signed-in user may open."""
    return [getattr(w, attr) for attr in ROLE_USERS.values()]


def case_id(case: AccessCase) -> str:
    return str(case)
