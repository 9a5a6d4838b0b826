"""Background work of the insurance app: quotes past their validity are marked expired."""

from celery import shared_task

from . import services


@shared_task(name="insurance.expire_quotes")
def quotes_expire_task() -> int:
    """Safe to run twice: an expired quote no longer matches."""
    return services.quotes_expire()
