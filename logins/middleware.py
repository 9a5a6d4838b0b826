"""Keeps each signed-in session's record current: "last seen" at most once a minute, the key when it
changes, and a session whose record was ended elsewhere is signed out here."""

from __future__ import annotations

import time

from django.contrib.auth.models import AnonymousUser

from portal.middleware import client_ip_of

from . import services, tracking


class SessionTrackingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = tracking._request.set(request)
        try:
            self.before_view(request)
            response = self.get_response(request)
            self.after_view(request)
            return response
        finally:
            tracking._request.reset(token)

    @staticmethod
    def _signed_in(request):
        session, user = getattr(request, "session", None), getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated or not session.session_key:
            return None
        return session

    def before_view(self, request) -> None:
        session = self._signed_in(request)
        if session is None:
            return
        record_id = session.get(tracking.RECORD)
        if record_id is None:
            # Signed in before sessions were recorded, or by a path that sent no signal: record it now.
            record = services.user_session_start(
                user=request.user, session_key=session.session_key, ip=client_ip_of(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""), audit=False)
            tracking.remember(session, record.pk)
            return
        now = time.time()
        if now - session.get(tracking.SEEN, 0) < tracking.TOUCH_EVERY:
            return
        if services.user_session_touch(record_id=record_id, user=request.user):
            session[tracking.SEEN] = now
            return
        # The record was ended (by its user on another device, an administrator, a password change, the
        # sweep) but the store kept the session: it ends here, and the page asked for answers as to
        # someone signed out.
        session.flush()
        request.user = AnonymousUser()

    def after_view(self, request) -> None:
        session = self._signed_in(request)
        if session is None:
            return
        record_id = session.get(tracking.RECORD)
        if record_id is not None and session.get(tracking.KEY) != tracking.key_digest(session.session_key):
            services.user_session_rekey(record_id=record_id, session_key=session.session_key)
            session[tracking.KEY] = tracking.key_digest(session.session_key)
