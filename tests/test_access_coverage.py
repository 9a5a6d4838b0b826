"""Every URL of the project, with every method its view takes, has an access case in some test module's
ACCESS_CASES table (tests/access.py runs them): anonymous, a wrong role, the right role, and every other
role by the helper's automatic pass. No case names an address or a method that no longer exists.

Exceptions are few and written down here, each with its reason:
- `PUBLIC`: pages anyone may open without signing in; each is tried anonymously where it is tested.
- `OPEN_TO_EVERY_ROLE`: pages every signed-in role may open (their cases list all nine roles as right,
  so no role is "wrong").
- `UNNAMED`: patterns without a name (a case needs the name).
A test module may add to the first two with module-level dicts of its own, `PUBLIC_URLS` and
`OPEN_TO_EVERY_ROLE`, name -> reason, next to the tests that try them (for an app's own URLs).
Django's admin site (admin/) is left to its own staff check (tried in tests/test_access_matrix.py)."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic.edit import ProcessFormView

import tests
from tests.access import _none

PUBLIC = {
    "login": "the sign-in page",
    "logout": "signing out; opened with GET it asks to confirm (tests/portal/test_no_bare_405.py)",
    "set_language": "the language switch works before signing in too (tests/test_english_crawl.py)",
    "healthz": "the load balancer's probe (tests/portal/test_health.py)",
    "public:notice": "the public notice of ratings (tests/ratings/test_views.py, anonymously)",
    "public:notice_detail": "a rating on notice and its objection form (tests/ratings/test_views.py)",
    "verify_form": "certificate verification by code (tests/reports/test_views.py, tests/test_file_access.py)",
    "verify": "a certificate's verification page (tests/reports/test_views.py, tests/test_file_access.py)",
    "talent:progress": "a talent's progress lookup by number and code (tests/talent/test_views.py)",
    "csp_report": "browsers' CSP violation reports, sent without CSRF token or sign-in (tests/portal/test_csp.py)",
}

OPEN_TO_EVERY_ROLE = {
    "home": "each role's own home page",
    "password_change": "the user's own password",
    "password_change_done": "the user's own password",
    "api_schema": "the description of the API, no data",
    "api_docs": "the description of the API, no data",
    # Reference data: the registry's regions, parks, institutions and stations, read by every role.
    "region_list": "reference data",
    "institution_list": "reference data",
    "station_list": "reference data",
    "station_detail": "reference data",
    "api:region-list": "reference data",
    "api:region-detail": "reference data",
    "api:park-list": "reference data",
    "api:park-detail": "reference data",
    "api:institution-list": "reference data",
    "api:institution-detail": "reference data",
    "api:station-list": "reference data",
    "api:station-detail": "reference data",
    # Published policy: products, discount and quota tables, rubrics, cycles, co-building pairs.
    "insurance:product_list": "published policy",
    "finance:policies": "published policy",
    "cobuilding:cobuilding_overview": "published co-building pairs and exchanges",
    "ratings:cycle_list": "published rating cycles",
    "ratings:cycle_detail": "published rating cycles",
    "ratings:rubric_list": "published rubrics",
    "ratings:rubric_detail": "published rubrics (editing a draft takes the organization department)",
    "cobuilding:cobuilding_pair_detail": "published co-building pairs and exchanges",
    "insurance:discount_table_list": "published policy",
    # The user's own files: every role may ask for documents; each sees only its own (other_scope).
    "reports:list": "each user's own files",
}

UNNAMED = {"favicon.ico": "the browsers' icon, a static file (portal/views/assets.py)"}

STATE_METHODS = ("get", "post", "put", "patch", "delete")


def _patterns(patterns, namespace="", prefix=""):
    """(name, route, callback) of every URL pattern of the project but the admin site."""
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else None), prefix + str(p.pattern), p.callback


def _decorator_methods(func):
    """The method lists of `require_http_methods` (`require_POST`, `require_safe` …) around a view."""
    while func is not None:
        for cell in func.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list) and value and all(isinstance(m, str) and m.isupper() for m in value):
                return {m.lower() for m in value}
        func = getattr(func, "__wrapped__", None)
    return None


def view_methods(callback) -> set[str]:
    """The methods a view answers that need an access case: GET where it shows something, and each method
    that changes state. An action view (POST, no GET) answers GET only through the shared fallback, which
    the helper opens for every POST case."""
    actions = getattr(callback, "actions", None)  # a route of a DRF ViewSet
    if actions:
        return set(actions) & set(STATE_METHODS)
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        methods = {m for m in STATE_METHODS if m in view_class.http_method_names and hasattr(view_class, m)}
        if getattr(view_class, "put", None) is ProcessFormView.put:
            methods.discard("put")  # Django's form views map PUT onto POST; our forms never send it
        return methods
    if getattr(callback, "post_action", False):
        return {"post"}
    declared = _decorator_methods(callback)
    return (declared & set(STATE_METHODS)) if declared else {"get"}


def _modules():
    for module_info in pkgutil.walk_packages(tests.__path__, "tests."):
        yield importlib.import_module(module_info.name)


def _cases():
    return [(module.__name__, case) for module in _modules() for case in getattr(module, "ACCESS_CASES", [])]


def _declared(attribute: str, central: dict) -> dict:
    found = dict(central)
    for module in _modules():
        found.update(getattr(module, attribute, {}))
    return found


def public_urls() -> dict:
    return _declared("PUBLIC_URLS", PUBLIC)


def open_to_every_role() -> dict:
    return _declared("OPEN_TO_EVERY_ROLE", OPEN_TO_EVERY_ROLE)


def required() -> dict[tuple[str, str], str]:
    """(name, method) -> "route (view)" for every address and method that needs a case."""
    public = public_urls()
    needed = {}
    for name, route, callback in _patterns(get_resolver().url_patterns):
        if name is None or name in public:
            continue
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
        for method in view_methods(callback):
            needed[(name, method)] = f"{route} ({view.__module__}.{view.__qualname__})"
    return needed


def test_every_pattern_has_a_name():
    unnamed = sorted(route for name, route, _ in _patterns(get_resolver().url_patterns)
                     if name is None and route not in UNNAMED)
    assert unnamed == [], (
        f"URL patterns without a name: {unnamed}. Give each a name= so that an access case can reach it "
        f"(or, for a static asset served to anyone, add it to UNNAMED in {__name__} with the reason).")


def test_every_url_and_method_has_an_access_case():
    covered = {(case.name, case.method) for _, case in _cases()}
    missing = sorted(set(required()) - covered)
    assert missing == [], "Addresses and methods without an access case:\n" + "\n".join(
        f"  {method.upper()} {name}: {required()[(name, method)]}" for name, method in missing) + (
        "\nAdd an AccessCase(name, url, right=..., wrong=..., other_scope=..., method=...) for each to the "
        "ACCESS_CASES table of the module that tests the view (tests/access.py explains the fields); a page "
        "anyone may open without signing in goes in PUBLIC_URLS = {name: reason} of the module that tries it "
        "anonymously.")


def test_every_url_is_tried_with_a_wrong_role():
    # An explicit wrong role is the case's statement of who may not; the helper's automatic pass then
    # tries the roles it names nowhere.
    open_pages = open_to_every_role()
    with_wrong = {(case.name, case.method) for _, case in _cases() if case.wrong is not _none}
    missing = sorted(key for key in required() if key[0] not in open_pages and key not in with_wrong)
    assert missing == [], "Addresses and methods whose cases try no wrong role:\n" + "\n".join(
        f"  {method.upper()} {name}" for name, method in missing) + (
        "\nGive one of its cases wrong=users(...) naming users of roles that may not open it (they must get "
        "403 or 404); a page every signed-in role may open goes in OPEN_TO_EVERY_ROLE = {name: reason} "
        f"({__name__} or the module that tests it), and its case lists all nine roles as right.")


def test_no_case_names_an_address_or_method_that_does_not_exist():
    needed = required()
    stale = sorted(f"{module}: {case} ({case.method.upper()} {case.name})" for module, case in _cases()
                   if (case.name, case.method) not in needed)
    assert stale == [], ("Access cases for addresses or methods that no view answers (renamed or removed? "
                         "update or delete them):\n  " + "\n  ".join(stale))


def test_a_role_tried_elsewhere_is_tried_by_another_case_of_the_address():
    cases = [case for _, case in _cases()]
    by_address = {}
    for case in cases:
        by_address.setdefault((case.name, case.method), []).append(case)
    lonely = sorted(f"{case} leaves {', '.join(case.tried_elsewhere)} to another case, but it has no sibling"
                    for case in cases if case.tried_elsewhere and len(by_address[(case.name, case.method)]) < 2)
    assert lonely == []


def test_the_exceptions_name_existing_addresses():
    names = {name for name, _, _ in _patterns(get_resolver().url_patterns) if name}
    routes = {route for name, route, _ in _patterns(get_resolver().url_patterns) if name is None}
    assert sorted(set(public_urls()) - names) == []
    assert sorted(set(open_to_every_role()) - names) == []
    assert sorted(set(UNNAMED) - routes) == []
    assert sorted(set(public_urls()) & set(open_to_every_role())) == []


def test_the_walk_sees_the_api_and_the_methods():
    # given the inventory the checks above stand on
    needed = required()
    # then it holds the API's list and detail routes with their write methods, and pages' POST forms
    for key in [("api:enterprise-list", "get"), ("api:enterprise-list", "post"), ("api:enterprise-detail", "patch"),
                ("api:loan-application-step", "post"), ("enterprise_update", "post"), ("ratings:evidence_download", "get"),
                ("liaison:appeal_attachment", "get"), ("reports:download", "get"), ("import_errors", "get"),
                ("person_unmask", "post"), ("reports:request", "post")]:
        assert key in needed, key
    # and no page is asked for a method it does not take (an action has no GET case of its own)
    assert ("finance:application_action", "get") not in needed
    assert ("login", "get") not in needed  # public
    assert len(needed) > 250
