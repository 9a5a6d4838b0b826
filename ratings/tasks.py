"""Background work of the rating: publishing what is due."""

from celery import shared_task

from . import services


@shared_task(name="ratings.publish_due")
def ratings_publish_due_task() -> dict:
    """Publish every rating whose notice ended without an open objection. Safe to run twice: a
    published rating is no longer due."""
    report = services.ratings_publish_due()
    return {"published": report.published, "skipped": {str(k): v for k, v in report.skipped.items()}}
