"""Deprecation and Sunset headers on every answer to a call made with a legacy DRF token, so the
banks' systems (and their logs) see the end coming: `Deprecation: @<epoch>` (RFC 9745) from the day
the portal deprecated them, and `Sunset: <HTTP-date>` (RFC 8594) once the administrator set a
cut-off."""

from __future__ import annotations

from django.utils.http import http_date


class LegacyTokenHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(request, "apikeys_legacy_policy", None)
        if policy is not None:
            response["Deprecation"] = f"@{int(policy.deprecated_since.timestamp())}"
            cutoff = policy.cutoff_at()
            if cutoff is not None:
                response["Sunset"] = http_date(cutoff.timestamp())
        return response
