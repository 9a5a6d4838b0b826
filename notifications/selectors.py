"""Every read of the notification centre: always the user's own."""

from __future__ import annotations

from .choices import OPTIONAL_CHANNELS, Kind
from .models import Notification, NotificationPreference


def notification_list(*, user):
    return Notification.objects.of(user).order_by("-created_at", "-pk")


def notification_unread_count(*, user) -> int:
    return Notification.objects.of(user).unread().count()


def notification_preferences(*, user) -> set[tuple[str, str]]:
    """The (kind, channel) pairs the user turned on."""
    if user is None or not user.is_authenticated:
        return set()
    return set(NotificationPreference.objects.filter(user=user, enabled=True).values_list("kind", "channel"))


def preference_table(*, user) -> list[dict]:
    """One row per kind with each optional channel on or off: the preferences page's table."""
    chosen = notification_preferences(user=user)
    return [{"kind": value, "label": label,
             "channels": [{"code": c.value, "label": c.label, "on": (value, c.value) in chosen}
                          for c in OPTIONAL_CHANNELS]}
            for value, label in Kind.choices]
