"""Django's and django-axes' signals about signing in, turned into session records and audit rows.
Signals because the sign-in, sign-out and password views are Django's own (and the admin's): each of
them, and any later one that calls `login()` or `set_password()`, is covered without being changed."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from portal.middleware import client_ip_of

from . import services, tracking


def on_logged_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    record = services.user_session_start(
        user=user, session_key=session.session_key, ip=client_ip_of(request) if tracking.is_http(request) else None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""), audit=tracking.is_http(request))
    tracking.remember(session, record.pk)


def on_logged_out(sender, request, user, **kwargs):
    if user is None or request is None:
        return
    session = getattr(request, "session", None)
    services.user_session_logout(user=user, session_key=session.session_key if session is not None else None,
                                 audit=tracking.is_http(request))


def on_login_failed(sender, credentials, request=None, **kwargs):
    if not tracking.is_http(request):
        return
    field = get_user_model().USERNAME_FIELD
    username = credentials.get(field) or credentials.get("username") or ""
    services.login_failure_record(username=str(username))


def on_locked_out(sender, request=None, username=None, **kwargs):
    """axes sends this at the failure that locks the account, and again at every try while it stays
    locked: only the first is a lockout (the others are failed sign-ins, recorded as such)."""
    from axes.helpers import get_failure_limit

    if not tracking.is_http(request):
        return
    limit = get_failure_limit(request, getattr(request, "axes_credentials", None))
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None or failures > limit:
        return
    services.login_lockout_record(username=str(username or ""), failures=limit)


def on_user_saved(sender, instance, created, **kwargs):
    """A new password (this portal's password page, the admin's password form, `changepassword`) ends
    the account's other sessions. `_password` is what `set_password()` leaves until the save is done."""
    if created or getattr(instance, "_password", None) is None:
        return
    request = tracking.current_request()
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    services.user_sessions_end_on_password_change(
        user=instance, actor=user if user is not None and user.is_authenticated else None,
        keep_key=session.session_key if session is not None else None,
        # A password set outside a request (a shell, a fixture) has nobody to name as its author.
        audit=request is not None)
