"""The ways a notification reaches a person, behind one interface: `channel.send(notification)`.

- in-portal: the row itself (the bell and the list read it); nothing more to send;
- e-mail: Django's mail backend (the console in the embedded set-up; SMTP from the environment,
  portal.settings: DJANGO_EMAIL_URL);
- SMS: a gateway class named by the setting `NOTIFICATIONS_SMS_GATEWAY` (a dotted path). The portal
  ships `LoggingSmsGateway`, which only writes the message to the log; the city's SMS platform plugs in
  as a subclass of `SmsGateway` whose `send` calls it, named in that setting
  (environment: PORTAL_SMS_GATEWAY). The portal keeps no phone number for an account, so the gateway
  is given the user and finds the number in its own directory (`address_for`).

A channel raises `DeliveryError` (or lets the provider's error through) when a send failed and may be
tried again; the delivery task retries it with a growing pause."""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .choices import Channel

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A send failed for now; the task tries again later."""


class NoAddress(Exception):
    """The recipient has no address on this channel: nothing to send, nothing to retry."""


def absolute_url(path: str) -> str:
    return settings.PORTAL_PUBLIC_URL.rstrip("/") + path if path else ""


def plain_text(notification) -> str:
    """The notification as one plain text: its body and, where it has one, the address to open."""
    parts = [notification.body or notification.title]
    if notification.url:
        parts.append(absolute_url(notification.url))
    return "\n".join(parts)


class PortalChannel:
    code = Channel.PORTAL

    def send(self, notification) -> None:
        """Written already: the row is what the bell and the list show."""


class EmailChannel:
    code = Channel.EMAIL

    def send(self, notification) -> None:
        address = (notification.recipient.email or "").strip()
        if not address:
            raise NoAddress
        send_mail(subject=notification.title, message=plain_text(notification),
                  from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[address], fail_silently=False)


class SmsGateway:
    """Where the city's SMS platform plugs in: subclass, implement `send` (and `address_for` if the
    number comes from elsewhere), and name the class in NOTIFICATIONS_SMS_GATEWAY."""

    def address_for(self, user) -> str | None:
        """The user's mobile number, or None when there is none (then nothing is sent)."""
        return None

    def send(self, *, user, text: str) -> None:
        raise NotImplementedError


class LoggingSmsGateway(SmsGateway):
    """The default: writes what would be sent to the log (the account, never a number)."""

    def send(self, *, user, text: str) -> None:
        logger.info("sms to user %s: %s", user.pk, text)


@cache
def _gateway_class(path: str):
    return import_string(path)


def sms_gateway() -> SmsGateway:
    return _gateway_class(settings.NOTIFICATIONS_SMS_GATEWAY)()


class SmsChannel:
    code = Channel.SMS
    # One short message: the title and the address, not the body.
    MAX_LENGTH = 140

    def send(self, notification) -> None:
        text = notification.title
        if notification.url:
            text = f"{text} {absolute_url(notification.url)}"
        sms_gateway().send(user=notification.recipient, text=text[:self.MAX_LENGTH])


CHANNELS = {channel.code: channel for channel in (PortalChannel(), EmailChannel(), SmsChannel())}


def channel_for(code: str):
    return CHANNELS[code]
