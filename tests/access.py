"""The shared access helper: every view and endpoint is tried as anonymous, as a wrong role, as the
right role with another scope, and as the right role.

A test module lists its cases in a module-level `ACCESS_CASES` and runs them with
`run_access_case(case, world)`; `tests/test_access_coverage.py` reads every module's table and fails
if a URL of the project has no case. Users and URLs are given as functions of the `world` fixture
(tests/conftest.py), so one table serves every test run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse
from rest_framework.test import APIClient


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

    def __str__(self):
        return self.label or f"{self.method.upper()} {self.name}"


def _client(api: bool):
    return APIClient() if api else Client()


def _request(case: AccessCase, world, user):
    client = _client(case.api)
    if user is not None:
        client.force_login(user)
    url = case.url(world)
    data = case.data(world) if case.data else None
    method = getattr(client, case.method)
    if case.api:
        return method(url, data=data, format="json") if data is not None else method(url)
    return method(url, data=data) if data is not None else method(url)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", errors="replace")


def run_access_case(case: AccessCase, world) -> None:
    url = case.url(world)
    assert resolve(url.split("?")[0]).view_name == case.name, f"{url} is not {case.name}"
    marker = case.marker(world) if case.marker else None

    response = _request(case, world, None)
    if case.api:
        assert response.status_code in (401, 403), f"anonymous {case}: {response.status_code}"
    else:
        assert response.status_code == 302, f"anonymous {case}: {response.status_code}"
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), response["Location"]

    for user in case.wrong(world):
        response = _request(case, world, user)
        assert response.status_code in (403, 404), f"wrong role {user} on {case}: {response.status_code}"
        if marker:
            assert marker not in _body(response), f"wrong role {user} saw {marker!r} on {case}"

    for user in case.other_scope(world):
        response = _request(case, world, user)
        assert response.status_code in case.other_status, (
            f"other scope {user} on {case}: {response.status_code}"
        )
        if marker:
            assert marker not in _body(response), f"other scope {user} saw {marker!r} on {case}"

    if case.method == "post" and not case.api:
        # The same address opened with GET (a refresh after a refused submission, a bookmark, the back
        # button) shows its form or leads to its object's page: never a bare 405.
        for user in case.right(world):
            response = opened_with_get(url, user)
            assert response.status_code in (200, 302), f"GET as {user} on {case}: {response.status_code}"

    for user in case.right(world):
        response = _request(case, world, user)
        assert response.status_code in case.ok, f"right role {user} on {case}: {response.status_code}"
        if marker:
            assert marker in _body(response), f"right role {user} did not see {marker!r} on {case}"


def opened_with_get(url: str, user):
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


def case_id(case: AccessCase) -> str:
    return str(case)
