"""The worker's tasks: each takes ids and calls a service, which makes it safe to run twice (a done
report is left alone) and to redeliver after a worker died (a run whose heartbeat stopped is taken
over: `reports.requeue_stale`, run by beat every `PORTAL_OUTBOX_RELAY_SECONDS` and by every worker as it
starts)."""

from celery import shared_task
from celery.signals import worker_ready

from portal.outbox_tasks import ask_at_worker_start

from . import services


@shared_task(name="reports.generate", acks_late=True, reject_on_worker_lost=True)
def report_generate_task(report_id: int) -> str | None:
    return services.report_generate(report_id=report_id)


@shared_task(name="reports.certificate_chunk", acks_late=True, reject_on_worker_lost=True)
def certificate_chunk_task(report_id: int, token: str, rating_ids: list[int], total: int) -> int:
    """A share of a certificate batch (reports.batches); a run that no longer holds the batch does nothing."""
    from . import batches

    return batches.certificate_chunk_make(report_id=report_id, token=token, rating_ids=rating_ids, total=total)


@shared_task(name="reports.refresh_rating_facts", acks_late=True, reject_on_worker_lost=True)
def rating_facts_refresh_task() -> int:
    """Rebuild the ratings' summary copy the dashboards read (idempotent: a second run rebuilds the same
    copy). Returns the number of ratings copied."""
    from .figures.summary import rating_facts_refresh

    return rating_facts_refresh().rows


@shared_task(name="reports.requeue_stale")
def report_requeue_stale_task() -> int:
    """Hand the reports whose worker died (heartbeat stopped) or whose message was lost to a new run;
    the number re-queued (a second run finds nothing to do)."""
    return services.report_requeue_stale()


@worker_ready.connect
def requeue_on_worker_start(sender=None, **kwargs):
    ask_at_worker_start(report_requeue_stale_task)
