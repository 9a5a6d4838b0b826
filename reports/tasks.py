"""The worker's task: it takes the report's id and calls the service, which makes it safe to run
twice (a done report is left alone) and to redeliver after a worker died (the new run takes it over)."""

from celery import shared_task

from . import services


@shared_task(name="reports.generate", acks_late=True, reject_on_worker_lost=True)
def report_generate_task(report_id: int) -> str | None:
    return services.report_generate(report_id=report_id)


@shared_task(name="reports.refresh_rating_facts", acks_late=True, reject_on_worker_lost=True)
def rating_facts_refresh_task() -> int:
    """Rebuild the ratings' summary copy the dashboards read (idempotent: a second run rebuilds the same
    copy). Returns the number of ratings copied."""
    from .figures.summary import rating_facts_refresh

    return rating_facts_refresh().rows
