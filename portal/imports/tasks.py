"""Celery tasks of the registry import. Each takes ids, calls one service and is safe to run twice:
the services lock the batch and act only on the state they expect."""

from celery import shared_task

from . import services


@shared_task(name="portal.imports.parse")
def import_batch_parse_task(batch_id: int) -> None:
    services.import_batch_parse(batch_id=batch_id)


@shared_task(name="portal.imports.commit")
def import_batch_commit_task(batch_id: int, acting_user_id: int | None = None) -> None:
    services.import_batch_commit(batch_id=batch_id, acting_user_id=acting_user_id)
