"""Reports through the outbox, and the heartbeat, with a stand-in broker (tests/faults stop a real one): a
report asked for while the broker refuses is kept and sent later, once; asked again it is neither doubled
nor left stuck; a report whose worker went silent is handed to another run, once; a live run is never
taken over; the heartbeat is written while a long step runs."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import outbox
from portal.choices import OutboxState
from portal.models import AuditLog, OutboxMessage
from portal.outbox_tasks import outbox_relay_task
from reports import documents, services
from reports.choices import ReportKind, ReportState
from reports.models import Report
from reports.tasks import report_requeue_stale_task, requeue_on_worker_start

pytestmark = pytest.mark.django_db
CREDIT = ReportKind.CREDIT_CERTIFICATE


def ask(w, capture):
    with capture(execute=True):
        return services.report_request(kind=CREDIT, params={"enterprise": w.ent_a.pk}, acting_user=w.enterprise_user)


def test_a_report_asked_for_while_the_broker_is_down_is_kept_and_sent_once_it_is_back(
        dworld, broker, django_capture_on_commit_callbacks):
    broker.down = True
    # when the enterprise asks for its certificate while the broker refuses
    report = ask(dworld, django_capture_on_commit_callbacks)
    # then the report is queued and its message waits, with the broker's refusal noted
    message = OutboxMessage.objects.get()
    assert (report.state, message.state, message.args, message.key) == (
        ReportState.QUEUED, OutboxState.PENDING, [report.pk], f"report:{report.pk}")
    assert message.attempts == 1
    assert "Connection refused" in message.last_error
    # when it asks again, still down: the same report, the same message (tried again, not doubled)
    again = ask(dworld, django_capture_on_commit_callbacks)
    assert again.pk == report.pk
    assert list(OutboxMessage.objects.values_list("pk", "state", "attempts")) == [
        (message.pk, OutboxState.PENDING, 2)]
    assert broker.sent == []
    # when the broker is back, the relay sends it, once
    broker.down = False
    assert outbox_relay_task.apply().get() == {"sent": 1, "purged": 0}
    assert outbox_relay_task.apply().get() == {"sent": 0, "purged": 0}
    assert broker.sent == [[report.pk]]
    message.refresh_from_db()
    assert (message.state, message.last_error) == (OutboxState.SENT, "")
    assert message.sent_at is not None


def test_asking_again_once_the_broker_is_back_sends_the_waiting_message(dworld, broker,
                                                                         django_capture_on_commit_callbacks):
    # the repro: stop Redis, ask for the certificate, start Redis, ask again
    broker.down = True
    report = ask(dworld, django_capture_on_commit_callbacks)
    broker.down = False
    again = ask(dworld, django_capture_on_commit_callbacks)
    assert again.pk == report.pk
    assert broker.sent == [[report.pk]]
    assert list(OutboxMessage.objects.values_list("state", flat=True)) == [OutboxState.SENT]
    assert Report.objects.count() == 1


def test_the_report_page_says_the_request_is_kept_while_its_message_waits(dworld, broker, client,
                                                                         django_capture_on_commit_callbacks):
    broker.down = True
    report = ask(dworld, django_capture_on_commit_callbacks)
    client.force_login(dworld.enterprise_user)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "排队中" in page
    assert 'id="report-waiting"' in page
    broker.down = False
    outbox.outbox_dispatch()
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "排队中" in page
    assert 'id="report-waiting"' not in page


# --- the heartbeat -----------------------------------------------------------------------------------


def _running(w, capture, heartbeat_seconds_ago):
    report = ask(w, capture)
    started = timezone.now() - datetime.timedelta(minutes=5)
    OutboxMessage.objects.update(created_at=started - datetime.timedelta(seconds=1))
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.RUNNING, claim_token="dead-run", started_at=started,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=heartbeat_seconds_ago))
    return report


def test_a_duplicate_message_leaves_a_live_run_alone(dworld, broker, django_capture_on_commit_callbacks):
    report = _running(dworld, django_capture_on_commit_callbacks, heartbeat_seconds_ago=5)
    assert services.report_claim(report_id=report.pk) is None
    assert services.report_generate(report_id=report.pk) is None
    report.refresh_from_db()
    assert (report.state, report.claim_token, report.attempts) == (ReportState.RUNNING, "dead-run", 0)


def test_a_report_whose_worker_went_silent_is_requeued_once_and_taken_over(dworld, broker,
                                                                           django_capture_on_commit_callbacks):
    # given the run's heartbeat stopped 61 seconds ago (the stale limit is 60) and its message was sent
    report = _running(dworld, django_capture_on_commit_callbacks, heartbeat_seconds_ago=61)
    assert broker.sent == [[report.pk]]
    # when the relay runs, twice
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_requeue_stale() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_requeue_stale() == 0
    # then one new message was sent, and the re-queue is in the audit log
    assert broker.sent == [[report.pk], [report.pk]]
    assert OutboxMessage.objects.filter(key=f"report:{report.pk}").count() == 2
    audit = AuditLog.objects.get(action="report.requeue")
    assert (audit.object_id, audit.before["state"], audit.actor_name) == (str(report.pk), "running", "system")
    # and the run it starts takes the report over and makes it
    assert services.report_generate(report_id=report.pk) == ReportState.DONE
    report.refresh_from_db()
    assert (report.state, report.attempts) == (ReportState.DONE, 1)
    assert report.claim_token != "dead-run"


@pytest.mark.parametrize(("state", "heartbeat_ago", "sent_ago", "requeued"), [
    (ReportState.RUNNING, 5, 600, 0),      # alive
    (ReportState.RUNNING, 61, 120, 1),     # silent; its last message predates the silence
    (ReportState.RUNNING, 90, 30, 0),      # silent; a message went out after the silence began
    (ReportState.QUEUED, None, 60, 0),     # queued, its message went out a minute ago: the queue is long
    (ReportState.QUEUED, None, 11 * 60, 1),  # queued, its message went out 11 minutes ago: lost
    (ReportState.DONE, 61, 11 * 60, 0),
    (ReportState.FAILED, 61, 11 * 60, 0),
])
def test_which_reports_the_relay_requeues(dworld, broker, django_capture_on_commit_callbacks, state, heartbeat_ago,
                                          sent_ago, requeued):
    report = ask(dworld, django_capture_on_commit_callbacks)
    now = timezone.now()
    sent_at = now - datetime.timedelta(seconds=sent_ago)
    OutboxMessage.objects.update(created_at=sent_at, sent_at=sent_at)
    Report.objects.filter(pk=report.pk).update(
        state=state, created_at=sent_at,
        heartbeat_at=None if heartbeat_ago is None else now - datetime.timedelta(seconds=heartbeat_ago))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_requeue_stale() == requeued
    assert OutboxMessage.objects.count() == 1 + requeued


def test_a_report_left_queued_before_the_outbox_existed_is_sent_when_asked_again(
        dworld, broker, django_capture_on_commit_callbacks):
    # given a report stuck as queued with no message at all (asked for before this fix, Redis down)
    report = ask(dworld, django_capture_on_commit_callbacks)
    OutboxMessage.objects.all().delete()
    broker.sent.clear()
    # when the enterprise asks again, it gets the same report and a message goes out for it
    again = ask(dworld, django_capture_on_commit_callbacks)
    assert again.pk == report.pk
    assert broker.sent == [[report.pk]]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_written_while_a_long_step_runs_without_progress(dworld, settings, monkeypatch):
    settings.PORTAL_TASK_HEARTBEAT_SECONDS = 1
    report = services.report_request(kind=CREDIT, params={"enterprise": dworld.ent_a.pk},
                                     acting_user=dworld.enterprise_user)
    Report.objects.filter(pk=report.pk).update(state=ReportState.QUEUED)  # the eager run made it: again
    seen = []

    def slow_render(report, progress):
        claimed = Report.objects.get(pk=report.pk).heartbeat_at
        time.sleep(2.5)  # one long step, no progress call
        seen.append((claimed, Report.objects.get(pk=report.pk).heartbeat_at))
        raise RuntimeError("stop here")

    credit = documents.kind_of(CREDIT)
    monkeypatch.setitem(documents.KINDS, CREDIT, documents.DocumentKind(CREDIT, credit.prepare, slow_render))
    assert services.report_generate(report_id=report.pk) == ReportState.FAILED
    [(claimed, later)] = seen
    assert later - claimed >= datetime.timedelta(seconds=1)
    # and the heartbeat stopped with the run
    stopped = Report.objects.get(pk=report.pk).heartbeat_at
    time.sleep(1.5)
    assert Report.objects.get(pk=report.pk).heartbeat_at == stopped


@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_asks_for_the_requeue(monkeypatch):
    asked = []
    monkeypatch.setattr(report_requeue_stale_task, "apply_async", lambda *a, **k: asked.append(k))
    requeue_on_worker_start(sender=None)
    assert asked == [{}]
