"""Every URL of the project has an access case in some test module's ACCESS_CASES table."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests

# Public on purpose (the public notice is tested anonymously in tests/ratings/test_views.py, the
# certificate verification page in tests/reports/test_views.py), or Django's own admin (guarded by
# its staff check and model permissions).
PUBLIC = {"login", "logout", "set_language", "healthz", "public:notice", "public:notice_detail", "verify",
          "verify_form",
          # The talent's progress lookup (tests/talent/test_views.py tries it anonymously).
          "talent:progress",
          # Browsers' CSP violation reports: sent without CSRF token or sign-in (tests/portal/test_csp.py).
          "csp_report"}


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            if p.namespace == "admin":
                continue
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def _covered():
    names = set()
    for module_info in pkgutil.walk_packages(tests.__path__, "tests."):
        module = importlib.import_module(module_info.name)
        for case in getattr(module, "ACCESS_CASES", []):
            names.add(case.name)
    return names


def test_every_url_has_an_access_case():
    urls = set(_names(get_resolver().url_patterns)) - PUBLIC
    missing = sorted(urls - _covered())
    assert missing == [], f"URLs without an access case: {missing}"
