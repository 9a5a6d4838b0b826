"""Requests per institution API key, counted in the cache (Redis in production; each process's
own memory under the test settings): `APIKEYS_DEFAULT_RATE` (600/min unless set), or the key's own
`rate_limit` per minute. Over the rate: 429 with a message in the caller's language and a
`Retry-After` header. Sessions and legacy tokens are not counted here."""

from __future__ import annotations

import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from . import rules
from .models import InstitutionAPIKey


class KeyThrottled(Throttled):
    def __init__(self, *, wait: float, limit: int, seconds: int):
        wait = max(1, math.ceil(wait))
        if seconds == 60:
            detail = _("请求过于频繁：此接口密钥每分钟最多 %(n)d 次请求，请 %(wait)d 秒后再试。") % {"n": limit, "wait": wait}
        else:
            detail = _("请求过于频繁：此接口密钥每 %(s)d 秒最多 %(n)d 次请求，请 %(wait)d 秒后再试。") % {
                "s": seconds, "n": limit, "wait": wait}
        super().__init__(detail=detail)
        self.wait = wait  # DRF's handler turns it into Retry-After


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "api_key"
    cache_format = "throttle_apikey_%(ident)s"

    def __init__(self):
        # The rate depends on the key: read in allow_request, not from DRF's settings at start-up.
        pass

    def rate_for(self, key: InstitutionAPIKey) -> tuple[int, int]:
        if key.rate_limit:
            return key.rate_limit, 60
        return rules.parse_rate(settings.APIKEYS_DEFAULT_RATE)

    def get_cache_key(self, request, view):
        key = getattr(request, "auth", None)
        if not isinstance(key, InstitutionAPIKey):
            return None
        return self.cache_format % {"ident": key.prefix}

    def allow_request(self, request, view):
        key = getattr(request, "auth", None)
        if not isinstance(key, InstitutionAPIKey):
            return True
        self.num_requests, self.duration = self.rate_for(key)
        self.rate = f"{self.num_requests}/{self.duration}s"
        if super().allow_request(request, view):
            return True
        raise KeyThrottled(wait=self.wait() or 1, limit=self.num_requests, seconds=self.duration)
