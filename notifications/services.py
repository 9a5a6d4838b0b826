"""Every write of the notification centre: create notifications (and ask for their delivery), mark
them read, set the channels a user wants."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from portal.errors import DomainError
from portal.outbox import outbox_put

from . import rules
from .choices import OPTIONAL_CHANNELS, Channel, Kind
from .models import Notification, NotificationPreference

DELIVER_TASK = "notifications.deliver"


def _channels_wanted(user_ids: list[int], kind: str) -> dict[int, set[str]]:
    wanted: dict[int, set[str]] = {}
    for user_id, channel in NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind,
                                                                  enabled=True).values_list("user_id", "channel"):
        wanted.setdefault(user_id, set()).add(channel)
    return wanted


@transaction.atomic
def notification_create(*, recipients: Iterable, kind: str, title: str, body: str = "", params: dict | None = None,
                        url: str = "", workflow: str = "", case_pk: int | None = None,
                        links: dict[int, str] | None = None) -> list[Notification]:
    """One notification per recipient (each once), and a delivery task for each further channel the
    recipient turned on for this kind, sent after the commit through the outbox (portal.outbox): a
    broker that is down delays an e-mail, it never loses one nor fails the caller. `links` gives a
    recipient its own link (or "" for none) where it differs from `url`.

    With `params`, `title` and `body` are source texts (msgids) filled in with them: the row keeps the
    text in the portal's language (e-mail, SMS, the API) and what it takes to show it in the reader's.
    Every personal number is starred out of the texts and the values (rules.scrub)."""
    seen, users = set(), []
    for user in recipients:
        if user is not None and user.pk not in seen and user.is_active:
            seen.add(user.pk)
            users.append(user)
    if not users:
        return []
    sources = {}
    if params is not None:
        params = {k: v if isinstance(v, int) else rules.scrub(str(v)) for k, v in params.items()}
        sources = {"title_msgid": title, "body_msgid": body, "params": params}
        title, body = title % params, (body % params if body else "")
    title = rules.clip(rules.scrub(title), 120)
    body = rules.clip(rules.scrub(body), 500)
    links = links or {}
    rows = Notification.objects.bulk_create([
        Notification(recipient=user, kind=kind, title=title, body=body, url=links.get(user.pk, url)[:200],
                     workflow=workflow, case_pk=case_pk, **sources) for user in users])
    wanted = _channels_wanted([u.pk for u in users], kind)
    for row in rows:
        for channel in sorted(wanted.get(row.recipient_id, ())):
            outbox_put(task=DELIVER_TASK, args=[row.pk, channel], key=f"notification:{row.pk}:{channel}")
    return rows


def notification_deliver(*, notification_id: int, channel: str) -> bool:
    """Send one notification on one channel, once: a second run (a retry after the send went through,
    a redelivered message) finds it sent. Whether it was sent now. A channel's error goes up to the
    task, which tries again later."""
    from .channels import NoAddress, channel_for

    stamp = {Channel.EMAIL: "emailed_at", Channel.SMS: "texted_at"}.get(channel)
    if stamp is None:
        return False
    row = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if row is None or getattr(row, stamp) is not None or not row.recipient.is_active:
        return False
    try:
        channel_for(channel).send(row)
    except NoAddress:
        return False
    Notification.objects.filter(pk=row.pk).update(**{stamp: timezone.now()})
    return True


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (again: nothing changes). Another's: not found."""
    row = Notification.objects.of(user).filter(pk=notification_id).first()
    if row is None:
        raise Notification.DoesNotExist
    if row.read_at is None:
        row.read_at = timezone.now()
        Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=row.read_at)
    return row


def notification_mark_all_read(*, user) -> int:
    """Mark all the user's unread notifications read; how many were."""
    return Notification.objects.of(user).unread().update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_set(*, user, chosen: Iterable[tuple[str, str]]) -> None:
    """The user's further channels: exactly the (kind, channel) pairs given are on, all others off."""
    chosen = set(chosen)
    for kind, channel in chosen:
        if kind not in Kind.values or channel not in OPTIONAL_CHANNELS:
            raise DomainError(f"{kind}/{channel}", code="invalid")
    NotificationPreference.objects.filter(user=user).exclude(
        pk__in=[p.pk for p in NotificationPreference.objects.filter(user=user)
                if (p.kind, p.channel) in chosen]).delete()
    have = set(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    NotificationPreference.objects.bulk_create([
        NotificationPreference(user=user, kind=kind, channel=channel) for kind, channel in sorted(chosen - have)])
