"""Reading sessions: a user reads their own, and nobody else's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from .choices import EndReason
from .devices import device_icon
from .models import UserSession
from .store import live_keys

HISTORY_DAYS = 30
HISTORY_LENGTH = 10


@dataclass(frozen=True)
class SessionRow:
    record: UserSession
    current: bool
    end_reason: str  # the record's, or "expired" for an open record whose session is already gone

    @property
    def icon(self) -> str:
        return device_icon(self.record.user_agent)

    @property
    def end_reason_label(self) -> str:
        return EndReason(self.end_reason).label if self.end_reason else ""


def user_session_list(*, user, current_id: int | None) -> tuple[list[SessionRow], list[SessionRow]]:
    """The user's sessions: those still signed in (this one first), and the recently ended. An open record
    whose session is gone from the store or past its expiry - the sweep has not marked it yet - is
    listed with the ended, as expired."""
    since = timezone.now() - timedelta(days=HISTORY_DAYS)
    records = list(UserSession.objects.filter(user=user)
                   .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=since))
                   .order_by("-last_seen", "-pk")[:200])
    alive = live_keys(r.session_key for r in records if r.is_open)
    active, ended = [], []
    for record in records:
        if record.is_open and record.session_key in alive:
            active.append(SessionRow(record, record.pk == current_id, ""))
        else:
            ended.append(SessionRow(record, False, record.end_reason or EndReason.EXPIRED))
    active.sort(key=lambda row: not row.current)
    ended.sort(key=lambda row: row.record.ended_at or row.record.last_seen, reverse=True)
    return active, ended[:HISTORY_LENGTH]


def access_user_session(*, user, pk) -> UserSession:
    """One of the user's own open sessions; 404 for anyone else's, or an ended one."""
    try:
        return UserSession.objects.get(pk=pk, user=user, ended_at__isnull=True)
    except (UserSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
