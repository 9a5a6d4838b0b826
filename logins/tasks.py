"""Background work of the sessions: the expired ones are cleared from the store and their records marked."""

from celery import shared_task

from . import services


@shared_task(name="logins.clear_expired_sessions")
def user_sessions_clear_expired_task() -> int:
    """Safe to run twice: a record marked expired is no longer open."""
    return services.user_sessions_clear_expired()
