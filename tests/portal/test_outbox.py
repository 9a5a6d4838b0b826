"""The transactional outbox (portal.outbox), with a stand-in broker (tests/faults stop a real Redis): a
message the broker refuses stays pending and goes out with the relay once it is back, once; a sender
holding a message keeps the others off it until its lease ends; two senders at once send each message
once; sent messages are forgotten after a week; a starting worker asks for the relay."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal import outbox
from portal.celery import app
from portal.choices import OutboxState
from portal.models import OutboxMessage
from portal.outbox_tasks import outbox_relay_task, relay_on_worker_start
from reports.tasks import report_generate_task

pytestmark = pytest.mark.django_db


class Broker:
    """Stands in for Redis behind `reports.generate`: refuses while `down`, else records what it took."""

    def __init__(self):
        self.down = False
        self.sent = []
        self.lock = threading.Lock()

    def apply_async(self, args=None, kwargs=None, **options):
        if self.down:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        with self.lock:
            self.sent.append(list(args or []))


@pytest.fixture
def broker(monkeypatch):
    """Messages go to a stand-in broker instead of running in place (the suite's eager mode)."""
    stand_in = Broker()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    monkeypatch.setattr(report_generate_task, "apply_async", stand_in.apply_async)
    yield stand_in
    app.conf.task_always_eager = eager


def put(index, capture):
    with capture(execute=True), transaction.atomic():
        return outbox.outbox_put(task="reports.generate", args=[index], key=f"test:{index}")


def test_a_refused_message_stays_pending_and_the_relay_sends_it_once_the_broker_is_back(
        broker, django_capture_on_commit_callbacks):
    broker.down = True
    message = put(1, django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.PENDING, 1)
    assert message.last_error == "OperationalError: Error 111 connecting to 127.0.0.1:6379. Connection refused."
    # the same key put again while it waits: the same message, tried again
    again = put(1, django_capture_on_commit_callbacks)
    assert again.pk == message.pk
    assert OutboxMessage.objects.get().attempts == 2
    broker.down = False
    assert outbox_relay_task.apply().get() == {"sent": 1, "purged": 0}
    assert outbox_relay_task.apply().get() == {"sent": 0, "purged": 0}
    assert broker.sent == [[1]]
    message.refresh_from_db()
    assert (message.state, message.last_error) == (OutboxState.SENT, "")
    assert message.sent_at is not None


def test_a_message_is_written_in_the_transaction_and_lost_with_it(broker):
    def failing_request():
        with transaction.atomic():
            outbox.outbox_put(task="reports.generate", args=[1])
            raise RuntimeError("the request failed")

    with pytest.raises(RuntimeError):
        failing_request()
    assert not OutboxMessage.objects.exists()
    assert broker.sent == []


def test_the_messages_behind_a_refused_one_wait_for_the_next_relay(broker, django_capture_on_commit_callbacks):
    broker.down = True
    for index in range(3):
        put(index, django_capture_on_commit_callbacks)
    # one relay while the broker is down: the first refusal stops it, and nothing stays leased
    assert outbox.outbox_dispatch() == 0
    assert OutboxMessage.objects.filter(available_at__gt=timezone.now()).count() == 0
    broker.down = False
    assert outbox.outbox_dispatch() == 3
    assert broker.sent == [[0], [1], [2]]


def test_a_sender_holding_a_message_keeps_others_off_it_until_its_lease_ends(broker,
                                                                            django_capture_on_commit_callbacks):
    broker.down = True
    put(1, django_capture_on_commit_callbacks)
    broker.down = False
    # given another sender took the message a moment ago (its lease runs)
    OutboxMessage.objects.update(available_at=timezone.now() + outbox.LEASE)
    assert outbox.outbox_dispatch() == 0
    # once the lease ran out (that sender died), the message is sent
    OutboxMessage.objects.update(available_at=timezone.now())
    assert outbox.outbox_dispatch() == 1
    assert broker.sent == [[1]]


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_message_once(broker):
    broker.down = True
    for index in range(40):
        outbox.outbox_put(task="reports.generate", args=[index], key=f"test:{index}")
    broker.down = False
    barrier = threading.Barrier(2)
    counts = []

    def send():
        try:
            barrier.wait()
            counts.append(outbox.outbox_dispatch(limit=1000))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 40
    assert sorted(args[0] for args in broker.sent) == list(range(40))
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}


def test_sent_messages_are_forgotten_after_a_week_pending_ones_never():
    now = timezone.now()
    old = OutboxMessage.objects.create(task="reports.generate", args=[1], state=OutboxState.SENT,
                                       sent_at=now - datetime.timedelta(days=8))
    recent = OutboxMessage.objects.create(task="reports.generate", args=[2], state=OutboxState.SENT,
                                          sent_at=now - datetime.timedelta(days=6))
    waiting = OutboxMessage.objects.create(task="reports.generate", args=[3])
    OutboxMessage.objects.filter(pk=waiting.pk).update(created_at=now - datetime.timedelta(days=30))
    assert outbox.outbox_purge(now=now) == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_asks_for_the_relay(monkeypatch):
    asked = []
    monkeypatch.setattr(outbox_relay_task, "apply_async", lambda *a, **k: asked.append(k))
    relay_on_worker_start(sender=None)
    assert asked == [{}]
