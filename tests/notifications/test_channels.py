"""Delivery beyond the portal: e-mail through Django's mail backend when the user turned it on for the
kind (and only then), SMS through the gateway named in the settings; a failing gateway is retried and
never breaks the step; a delivery runs once even when its task runs twice."""

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.test import override_settings

from notifications import channels, services
from notifications.choices import Channel, Kind
from notifications.models import Notification
from notifications.tasks import BACKOFF_FACTOR, BACKOFF_MAX, MAX_RETRIES, notification_deliver_task
from tests.notifications.conftest import approve

pytestmark = pytest.mark.django_db

SENT: list = []


class RecordingGateway(channels.SmsGateway):
    def send(self, *, user, text):
        SENT.append((user.pk, text))


class BrokenGateway(channels.SmsGateway):
    calls = 0

    def send(self, *, user, text):
        BrokenGateway.calls += 1
        raise ConnectionError("SMS platform unreachable")


@pytest.fixture(autouse=True)
def _fresh():
    SENT.clear()
    BrokenGateway.calls = 0
    channels._gateway_class.cache_clear()
    yield
    channels._gateway_class.cache_clear()


def opt_in(user, kind, *channels_on):
    current = {(k, c) for k, c in user.notification_preferences.values_list("kind", "channel")}
    services.notification_preferences_set(user=user, chosen=current | {(kind, c) for c in channels_on})


def test_email_goes_out_when_the_user_opted_in_for_the_kind(world, loan, committed, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.enterprise_user.email = "ent@example.com"
    world.enterprise_user.save(update_fields=["email"])
    world.station.email = "station@example.com"
    world.station.save(update_fields=["email"])
    opt_in(world.enterprise_user, Kind.APPLICATION_APPROVED, Channel.EMAIL)
    mail.outbox.clear()
    # when the bank approves
    approve(world, loan, committed)
    # then one mail, to the enterprise user who opted in; the station's operator, who did not, gets none
    assert [m.to for m in mail.outbox] == [["ent@example.com"]]
    message = mail.outbox[0]
    assert message.subject == "贷款申请已获批准"
    assert message.body.endswith(f"\nhttp://127.0.0.1:8000/finance/applications/{loan.pk}/")
    approved = Notification.objects.filter(kind=Kind.APPLICATION_APPROVED)
    assert approved.get(recipient=world.enterprise_user).emailed_at is not None
    assert approved.get(recipient=world.station).emailed_at is None


def test_no_email_for_a_kind_not_opted_in(world, loan, committed, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.enterprise_user.email = "ent@example.com"
    world.enterprise_user.save(update_fields=["email"])
    opt_in(world.enterprise_user, Kind.APPLICATION_REJECTED, Channel.EMAIL)  # another kind
    mail.outbox.clear()
    approve(world, loan, committed)
    assert mail.outbox == []


@override_settings(NOTIFICATIONS_SMS_GATEWAY="tests.notifications.test_channels.RecordingGateway")
def test_sms_goes_through_the_gateway_named_in_the_settings(world, loan, committed):
    opt_in(world.enterprise_user, Kind.APPLICATION_APPROVED, Channel.SMS)
    approve(world, loan, committed)
    assert SENT == [(world.enterprise_user.pk, f"贷款申请已获批准 http://127.0.0.1:8000/finance/applications/{loan.pk}/")]


@override_settings(NOTIFICATIONS_SMS_GATEWAY="tests.notifications.test_channels.BrokenGateway")
def test_a_failing_sms_gateway_is_retried_and_never_breaks_the_step(world, loan, committed):
    opt_in(world.enterprise_user, Kind.APPLICATION_APPROVED, Channel.SMS)
    # when the bank approves while the SMS platform is down
    done = approve(world, loan, committed)
    # then the step stands, the in-portal notification is there, the SMS was tried again and is not marked sent
    done.refresh_from_db()
    assert done.status == "approved"
    row = Notification.objects.get(recipient=world.enterprise_user, kind=Kind.APPLICATION_APPROVED)
    assert row.texted_at is None
    assert BrokenGateway.calls == 1  # run in place here: no broker to retry through


@override_settings(NOTIFICATIONS_SMS_GATEWAY="tests.notifications.test_channels.BrokenGateway")
def test_a_worker_retries_a_failed_delivery_with_a_growing_pause_then_gives_up(world, monkeypatch):
    row, = services.notification_create(recipients=[world.enterprise_user], kind=Kind.APPLICATION_APPROVED,
                                        title="贷款申请已获批准")
    asked = []

    def retry(exc=None, countdown=None, **kwargs):
        asked.append(countdown)
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(notification_deliver_task, "retry", retry)
    for attempt in range(MAX_RETRIES):
        notification_deliver_task.push_request(retries=attempt, is_eager=False)
        try:
            with pytest.raises(Retry):
                notification_deliver_task.run(row.pk, Channel.SMS)
        finally:
            notification_deliver_task.pop_request()
    # each pause at most twice the one before (full jitter), never over half an hour
    assert all(0 <= pause <= min(BACKOFF_FACTOR * 2 ** n, BACKOFF_MAX) for n, pause in enumerate(asked))
    assert len(asked) == MAX_RETRIES
    # the last try gives up quietly: the notification stays in the portal, unsent by SMS
    notification_deliver_task.push_request(retries=MAX_RETRIES, is_eager=False)
    try:
        assert notification_deliver_task.run(row.pk, Channel.SMS) is False
    finally:
        notification_deliver_task.pop_request()
    assert BrokenGateway.calls == MAX_RETRIES + 1


@override_settings(NOTIFICATIONS_SMS_GATEWAY="tests.notifications.test_channels.RecordingGateway")
def test_a_delivery_run_twice_sends_once(world):
    row, = services.notification_create(recipients=[world.enterprise_user], kind=Kind.APPLICATION_APPROVED,
                                        title="贷款申请已获批准")
    assert services.notification_deliver(notification_id=row.pk, channel=Channel.SMS) is True
    assert services.notification_deliver(notification_id=row.pk, channel=Channel.SMS) is False
    assert len(SENT) == 1


def test_no_email_address_nothing_to_send(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    row, = services.notification_create(recipients=[world.enterprise_user], kind=Kind.APPLICATION_APPROVED,
                                        title="贷款申请已获批准")
    assert services.notification_deliver(notification_id=row.pk, channel=Channel.EMAIL) is False
    assert mail.outbox == []


def test_the_logging_gateway_writes_the_account_not_a_number(world, caplog):
    caplog.set_level("INFO", logger="notifications.channels")
    channels.LoggingSmsGateway().send(user=world.enterprise_user, text="贷款申请已获批准")
    assert f"sms to user {world.enterprise_user.pk}: 贷款申请已获批准" in caplog.text
