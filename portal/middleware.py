"""Carries the client address of the current request to the audit log without threading the
request through every service call. A Celery task or a shell has no request: the address is empty."""

from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("portal_client_ip", default=None)


def current_client_ip() -> str | None:
    return _client_ip.get()


def client_ip_of(request) -> str | None:
    # Behind the reverse proxy the address is the first one it forwarded; only trusted because the
    # deployment puts gunicorn behind that proxy and nothing else reaches it.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
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
    not turn the portal's language for its user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so nothing leaks to the next
        # request served by this thread (or to the next test).
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
