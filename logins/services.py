"""Every write about signed-in sessions, with its audit row: signing in and out, failed sign-ins and
lockouts, ending a session, and what a password change does to the others."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record, snapshot

from .choices import EndReason
from .devices import device_label
from .models import UserSession
from .store import store_delete

OBJECT_TYPE = "logins.usersession"
_END_FIELDS = ["ended_at", "ended_by", "end_reason"]


def _repr(record: UserSession) -> str:
    return f"{record.user.get_username()} · {record}"


def _close(record: UserSession, *, reason: str, by, at=None) -> str | None:
    """Mark the record ended and forget its key; returns the key, for the caller to delete the session."""
    key = record.session_key
    record.ended_at = at or timezone.now()
    record.ended_by = by if getattr(by, "is_authenticated", False) else None
    record.end_reason = reason
    record.session_key = None
    record.save(update_fields=["ended_at", "ended_by", "end_reason", "session_key"])
    return key


@transaction.atomic
def user_session_start(*, user, session_key: str, ip: str | None, user_agent: str,
                       audit: bool = True) -> UserSession:
    """A sign-in: the record of this session, and the audit row. Signing in again in the same session
    as the same user (which keeps the key) renews that record instead of making a second."""
    now = timezone.now()
    record = UserSession.objects.select_for_update().filter(session_key=session_key).first()
    if record is not None and record.user_id != user.pk:
        _close(record, reason=EndReason.LOGOUT, by=None, at=now)
        record = None
    user_agent = (user_agent or "")[:500]
    if record is None:
        record = UserSession.objects.create(user=user, session_key=session_key, ip=ip, user_agent=user_agent,
                                            device=device_label(user_agent), created_at=now, last_seen=now)
    else:
        record.ip, record.user_agent, record.device, record.last_seen = ip, user_agent, device_label(user_agent), now
        record.save(update_fields=["ip", "user_agent", "device", "last_seen"])
    record.user = user
    if audit:
        audit_record(actor=user, action="auth.login", obj=record, object_repr=_repr(record))
    return record


def user_session_touch(*, record_id: int, user) -> bool:
    """Move "last seen" to now: one UPDATE. False when the record is no longer open (ended elsewhere)."""
    return UserSession.objects.filter(pk=record_id, user=user, ended_at__isnull=True).update(
        last_seen=timezone.now()) == 1


def user_session_rekey(*, record_id: int, session_key: str) -> None:
    """The session lives on under a new key (Django gives it one when the password changes)."""
    UserSession.objects.filter(pk=record_id, ended_at__isnull=True).update(session_key=session_key)


@transaction.atomic
def user_session_logout(*, user, session_key: str | None, audit: bool = True) -> None:
    record = None
    if session_key:
        record = (UserSession.objects.select_for_update()
                  .filter(session_key=session_key, user=user, ended_at__isnull=True).first())
    if record is not None:
        record.user = user
        _close(record, reason=EndReason.LOGOUT, by=user)  # the store entry is flushed by logout() itself
    if audit:
        if record is not None:
            audit_record(actor=user, action="auth.logout", obj=record, object_repr=_repr(record))
        else:
            audit_record(actor=user, action="auth.logout", obj=user)


@transaction.atomic
def user_session_end(*, session_id: int, actor, reason: str = EndReason.USER) -> UserSession | None:
    """End one session: the record says so, the session is deleted from the store (its browser is
    signed out at its next request) and the audit row names who ended it. None when it had ended
    already (a page opened before, two clicks)."""
    record = UserSession.objects.select_for_update().select_related("user").get(pk=session_id)
    if not record.is_open:
        return None
    key = _close(record, reason=reason, by=actor)
    store_delete(key)
    audit_record(actor=actor, action="session.end", obj=record, object_repr=_repr(record),
                 after=snapshot(record, _END_FIELDS))
    return record


@transaction.atomic
def user_session_end_others(*, user, keep_id: int | None, actor) -> int:
    """End every open session of `user` but `keep_id` (the one asking); how many were ended."""
    ids = (UserSession.objects.filter(user=user, ended_at__isnull=True).exclude(pk=keep_id)
           .order_by("pk").values_list("pk", flat=True))
    return sum(1 for pk in list(ids) if user_session_end(session_id=pk, actor=actor, reason=EndReason.USER))


@transaction.atomic
def user_sessions_end_on_password_change(*, user, actor, keep_key: str | None, audit: bool = True) -> list[int]:
    """A new password ends the account's other sessions. Django already refuses them at their next
    request (their session hash no longer matches); here the records say so and the store forgets them,
    so the list of signed-in devices is true at once. The session under `keep_key` - the one that
    changed the password - stays."""
    records = list(UserSession.objects.select_for_update().filter(user=user, ended_at__isnull=True)
                   .exclude(session_key=keep_key).order_by("pk"))
    now = timezone.now()
    for record in records:
        store_delete(_close(record, reason=EndReason.PASSWORD, by=actor, at=now))
    if audit:
        audit_record(actor=actor, action="auth.password_change", obj=user,
                     after={"ended_sessions": [record.pk for record in records]},
                     note=_("已结束其他 %(n)d 个登录会话") % {"n": len(records)})
    return [record.pk for record in records]


def login_failure_record(*, username: str) -> None:
    """A failed sign-in: the name that was tried, nothing else typed (never the password), and no
    account made or looked up for it."""
    audit_record(actor=None, action="auth.login_failed", object_type="auth.user", object_repr=username or "—")


def login_lockout_record(*, username: str, failures: int) -> None:
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    minutes = int(cooloff.total_seconds() // 60) if isinstance(cooloff, timedelta) else None
    note = (_("连续 %(n)d 次登录失败，账号锁定 %(m)d 分钟") % {"n": failures, "m": minutes} if minutes
            else _("连续 %(n)d 次登录失败，账号已锁定") % {"n": failures})
    audit_record(actor=None, action="auth.lockout", object_type="auth.user", object_repr=username or "—", note=note)


@transaction.atomic
def user_sessions_clear_expired() -> int:
    """The sweep: open records whose session is gone from the store or past its expiry are marked
    expired, then the store drops its expired sessions (Django's clearsessions). Safe to run twice."""
    from .store import live_keys, store_class

    open_records = list(UserSession.objects.select_for_update(skip_locked=True).filter(ended_at__isnull=True)
                        .only("pk", "session_key", "last_seen"))
    alive = live_keys(record.session_key for record in open_records)
    now = timezone.now()
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ended = 0
    for record in open_records:
        if record.session_key in alive:
            continue
        # It lapsed at most one touch interval after it was last seen; never later than now.
        _close(record, reason=EndReason.EXPIRED, by=None, at=min(now, record.last_seen + age))
        ended += 1
    store_class().clear_expired()
    return ended
