"""No action address answers a bare 405 when it is opened with GET (a refresh after a refused
submission, a bookmark, the back button): it shows its form, or leads to its object's page.

The walk over the URL resolver below reads every view of the project; the behaviour itself is tried
with real objects and the right roles by the shared access helper (tests/access.py: every POST case is
also opened with GET), and here for the addresses that have no access case."""

import importlib
import pkgutil

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from finance.choices import LoanStatus
from portal.views.base import RoleRequiredMixin, answers_get, object_page_url
from tests.finance.conftest import fworld, product, product2, quota_table, rated_a, rated_b  # noqa: F401
from tests.liaison.conftest import lworld  # noqa: F401
from tests.ratings.conftest import cycle, org_a, org_b, rubric, rworld  # noqa: F401

# Django's own views that take POST and answer GET with their page or a redirect.
DJANGO_FORMS = {"login", "password_change", "set_language"}


def _patterns(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin" or str(p.pattern).startswith("api/"):
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p.callback


def _allowed_methods_of_decorators(func):
    """The method lists of `require_http_methods` (and `require_POST`) wrapped around a function view."""
    while func is not None:
        for cell in func.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list) and value and all(isinstance(m, str) and m.isupper() for m in value):
                yield value
        func = getattr(func, "__wrapped__", None)


def _takes_post(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post") and "post" in view_class.http_method_names
    return getattr(callback, "post_action", False)


def _has_get(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    return view_class is not None and answers_get(view_class)


def _post_cases() -> set[str]:
    names = set()
    for module_info in pkgutil.walk_packages(tests.__path__, "tests."):
        module = importlib.import_module(module_info.name)
        names |= {c.name for c in getattr(module, "ACCESS_CASES", []) if c.method == "post" and not c.api}
    return names


# Addresses that browsers post to by themselves and nobody opens: GET there is a 405 on purpose.
NOT_FOR_PEOPLE = {"csp_report"}  # the content-security policy's violation reports (portal/csp.py)


def test_every_view_that_takes_post_answers_get():
    # given every page of the project
    refusing = []
    for name, callback in _patterns(get_resolver().url_patterns):
        if name in NOT_FOR_PEOPLE:
            continue
        view_class = getattr(callback, "view_class", None)
        # then a class-based action answers GET itself or through the shared role check
        if view_class is not None and _takes_post(callback):
            if not answers_get(view_class) and not issubclass(view_class, RoleRequiredMixin):
                refusing.append(name)
        # and no function view is wrapped in require_POST or another list without GET
        for methods in _allowed_methods_of_decorators(callback):
            if "GET" not in methods:
                refusing.append(name)
    assert refusing == []


def test_every_action_address_is_opened_with_get_by_its_access_case():
    # given the addresses whose views take POST and answer GET only through the shared fallback
    actions = {name for name, callback in _patterns(get_resolver().url_patterns)
               if _takes_post(callback) and not _has_get(callback)}
    # then each has a POST access case, which the shared helper also opens with GET as the right role
    assert sorted(actions - _post_cases()) == []
    assert len(actions) >= 30  # the walk found them (34 when this was written)


def test_django_forms_and_logout_take_post():
    names = {name for name, callback in _patterns(get_resolver().url_patterns) if _takes_post(callback)}
    assert DJANGO_FORMS - {"set_language"} | {"logout"} <= names


@pytest.mark.parametrize(("path", "page"), [
    ("/finance/applications/7/approve/", "/finance/applications/7/"),
    ("/liaison/departments/3/toggle/", "/liaison/departments/"),
    ("/finance/policies/products/4/toggle/", "/finance/policies/"),
    ("/ratings/objections/5/resolve/", "/ratings/"),
    ("/people/9/unmask/", "/people/9/"),
    ("/reports/request/", "/reports/"),
    ("/ratings/mine/start/", "/ratings/mine/"),
    ("/no/such/place/", "/"),
])
def test_an_action_leads_to_the_nearest_page_above_it(path, page):
    assert object_page_url(path) == page


def test_logout_opened_with_get_asks_to_confirm(world):
    # given a signed-in officer
    client = Client()
    client.force_login(world.bank_officer)
    # when the sign-out address is opened from a bookmark
    response = client.get(reverse("logout"))
    # then the page asks, and the officer is still signed in
    assert response.status_code == 200
    assert 'action="/accounts/logout/"' in response.content.decode()
    assert client.get(reverse("home")).status_code == 200
    # and the sign-out itself still takes POST
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_logout_opened_with_get_by_nobody_leads_to_login(db):
    response = Client().get(reverse("logout"))
    assert (response.status_code, response["Location"]) == (302, reverse("login"))


def test_refreshing_a_refused_approval_shows_the_approve_form_again(fworld):  # noqa: F811
    # given a bank officer whose approval was refused (more than the quota of 5,000,000)
    client = Client()
    client.force_login(fworld.bank_officer)
    url = reverse("finance:application_action", args=[fworld.app_a.pk, "approve"])
    client.post(reverse("finance:application_action", args=[fworld.app_a.pk, "accept"]),
                {"version": fworld.app_a.version})
    fworld.app_a.refresh_from_db()
    refused = client.post(url, {"version": fworld.app_a.version, "amount": "9000000"})
    assert refused.status_code == 400
    # when the page is refreshed (the browser asks for the same address with GET)
    response = client.get(url)
    # then the approve form is shown again with the application it belongs to
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="approve-form"' in page
    assert fworld.ent_a.name in page
    fworld.app_a.refresh_from_db()
    assert fworld.app_a.status == LoanStatus.ACCEPTED


def test_an_action_opened_with_get_changes_nothing_and_says_why(fworld):  # noqa: F811
    # given the station that submitted an application
    client = Client()
    client.force_login(fworld.station)
    # when the withdraw address is opened with GET
    response = client.get(reverse("finance:application_action", args=[fworld.app_a.pk, "withdraw"]), follow=True)
    # then the application's page is shown with a word on why, and nothing was withdrawn
    assert response.redirect_chain == [(reverse("finance:application_detail", args=[fworld.app_a.pk]), 302)]
    assert "该地址用于提交操作，不能直接打开" in response.content.decode()
    fworld.app_a.refresh_from_db()
    assert fworld.app_a.status == LoanStatus.SUBMITTED


def _landing(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    return response["Location"]


def test_an_objections_resolve_address_leads_to_its_rating(rworld):  # noqa: F811
    url = reverse("ratings:objection_resolve", args=[rworld.objection.pk])
    assert _landing(rworld.org_staff, url) == reverse("ratings:detail", args=[rworld.objection.rating_id])


def test_a_pairings_end_address_leads_to_its_cadre(lworld):  # noqa: F811
    url = reverse("liaison:pairing_end", args=[lworld.pairing_b.pk])
    assert _landing(lworld.org_staff, url) == reverse("liaison:cadre_detail", args=[lworld.cadre_b_obj.pk])


def test_an_instructors_end_address_leads_to_the_coverage_page(world):
    assert _landing(world.org_staff, reverse("ratings:instructor_end", args=[1])) == reverse("ratings:coverage")
