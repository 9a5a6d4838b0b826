"""The embedded set-up's worker: with no broker (no REDIS_URL), a task is run in this process by one
background thread instead of inside the request that asked for it, so the request answers at once and
the progress page it leads to polls and sees the work advance, as it does with Celery workers.

One thread, one task at a time: SQLite takes one writer at a time anyway, and the jobs are queued in the
order they were asked. A task asked inside a transaction is asked after it commits (the services use
`transaction.on_commit`), so the thread sees what the request wrote. Limits: the queue lives in the
process — a job queued or running when the process stops is not resumed (its report stays "running";
the user asks again) — which is why production runs Celery workers."""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="portal-task")
    return _executor


def _run(task, args, kwargs, task_id) -> None:
    close_old_connections()
    try:
        task.apply(args=args, kwargs=kwargs, task_id=task_id, throw=True)
    except Exception:
        logger.exception("background task %s[%s] failed", task.name, task_id)
    finally:
        # The thread's own database connection: closed after each task, not left to the pool.
        connections.close_all()


def submit(task, args=None, kwargs=None):
    """Queue `task` for the background thread; its id."""
    task_id = uuid.uuid4().hex
    _pool().submit(_run, task, tuple(args or ()), dict(kwargs or {}), task_id)
    return task_id


def wait(timeout: float | None = None) -> None:
    """Wait until every task queued so far has run (for tests and `manage.py` commands)."""
    if _executor is not None:
        _executor.submit(lambda: None).result(timeout=timeout)
