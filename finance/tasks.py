"""Background work of the credit scheme."""

from celery import shared_task

from .services.lookups import eligibility_lookups_flush


@shared_task(name="finance.flush_eligibility_lookups")
def eligibility_lookups_flush_task() -> int:
    """Move the pending eligibility lookups into the audit chain. Safe to run twice or at once."""
    return eligibility_lookups_flush()
