"""The gate after the password: a session whose user must pass the second factor and has not yet
passed it reaches nothing of the portal but the second-factor pages (enrolment when the user has no
authenticator yet, the code page otherwise), signing out, the language switch and the public pages.
Pages and downloads redirect there with `?next=` kept; the API (under session authentication) answers
403 JSON; the admin site redirects like any page.

It runs after django-otp's OTPMiddleware (which tells whether the session passed, `is_verified()`),
and decides per view, in `process_view`, so it knows the URL's name rather than guessing from paths."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors

# The names reachable before the second factor. The public pages are public to anyone; a user halfway
# through signing in may read them like an anonymous visitor.
OPEN_URL_NAMES = frozenset({
    "login", "logout", "set_language", "healthz", "csp_report",
    "twofactor:verify", "twofactor:setup",
    "public:notice", "public:notice_detail", "verify", "verify_form", "talent:progress",
})
OPEN_PATH_PREFIXES = ("/favicon.ico",)


def next_target(request) -> str:
    """Where the user was going: this address for a page read with GET, the home page otherwise (a
    form's POST cannot be replayed after the detour)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    return reverse("home")


def second_factor_url(request, user) -> str:
    name = "twofactor:verify" if selectors.authenticator_get(user) is not None else "twofactor:setup"
    return f"{reverse(name)}?{urlencode({'next': next_target(request)})}"


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_URL_NAMES:
            return None
        if request.path.startswith((settings.STATIC_URL, *OPEN_PATH_PREFIXES)):
            return None
        if not selectors.second_factor_needed(user):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("请先完成第二重验证（登录后输入手机验证器上的验证码）。"), "code": "second_factor_required"},
                status=403,
            )
        return redirect(second_factor_url(request, user))
