"""Carries the client address of the current request to the audit log without threading the
request through every service call. A Celery task or a shell has no request: the address is empty."""

from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("portal_client_ip", default=None)


def current_client_ip() -> str | None:
    return _client_ip.get()


def client_ip_of(request) -> str | None:
    """The client's address. X-Forwarded-For is written by whoever sends the request, so only its
    entries added by our own proxies can be believed: with N trusted proxies in front
    (`PORTAL_TRUSTED_PROXIES`), the client is the N-th entry from the end — the address the outermost
    of them saw. With none (the default), the header is ignored and the socket's address is used."""
    from django.conf import settings

    proxies = getattr(settings, "PORTAL_TRUSTED_PROXIES", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies > 0 and forwarded:
        return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip_of(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)


class LanguageMiddleware:
    """Chinese unless the user chose otherwise (the language switch sets a cookie). The browser's
    Accept-Language is not consulted: on a government intranet a browser installed in English must
    not turn the portal's language for its user. A program calling the API has no language switch:
    there the Accept-Language it sends is its choice (the cookie still comes first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        api = request.path.startswith("/api/")
        if api and chosen not in supported and request.headers.get("Accept-Language"):
            language = translation.get_language_from_request(request)
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so nothing leaks to the next
        # request served by this thread (or to the next test).
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if api:
            patch_vary_headers(response, ("Accept-Language",))
        return response


class HealthCheckMiddleware:
    """`/healthz` answered before the session and the user are looked at: a monitor's probe (or a
    browser that still holds a session cookie) gets the 200/503 JSON of the checks even while the
    database that holds the sessions is down, never the error page of a failed session lookup."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            from .health import healthz

            return healthz(request)
        return self.get_response(request)
