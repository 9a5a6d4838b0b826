"""Reading from a read replica: the dashboards and the work report's figures may read a streaming replica
of the database (`DATABASE_REPLICA_URL`, portal/settings/base.py), everything else reads and writes the
primary.

A view or function opts in with `replica_reads()`, as a context manager or a decorator. Inside it, the
router (`ReplicaRouter`) sends a read to the replica unless

- the model's rows are the portal's own bookkeeping that the same request or task has just written
  (`PRIMARY_ONLY`: a report's row, which the worker claimed a moment ago on the primary);
- the primary is inside a transaction (`transaction.atomic()`): what a transaction reads it may lock or
  have written, so it reads where it writes;
- the block has already written something (a write goes to the primary, and the reads after it must see
  it: a replica may lag);
- the replica does not answer: the block reads the primary instead (logged; the replica is not asked
  again for `REPLICA_RETRY_SECONDS` in this process, so a replica that times out does not slow every page).

Writes always go to the primary. Without the setting there is no `replica` alias and no router, and
`replica_reads()` changes nothing."""

from __future__ import annotations

import contextlib
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# How long a process keeps reading the primary after the replica failed to answer.
REPLICA_RETRY_SECONDS = 30.0
# Rows written by the very task that reads them (a report's claim, progress and number).
PRIMARY_ONLY = frozenset({"reports.report"})

_down_until = 0.0


@dataclass
class ReplicaBlock:
    """One `replica_reads()` block: whether the replica answered (None until the first read asks) and
    whether the block wrote."""

    usable: bool | None = None
    wrote: bool = False
    used: bool = False

    def replica_answers(self) -> bool:
        global _down_until  # noqa: PLW0603  (per process, on purpose: see REPLICA_RETRY_SECONDS)
        if self.usable is None:
            if time.monotonic() < _down_until:
                self.usable = False
            else:
                try:
                    connections[REPLICA].ensure_connection()
                    self.usable = True
                except DatabaseError:
                    logger.warning("read replica unavailable; reading the primary for %.0f s",
                                   REPLICA_RETRY_SECONDS, exc_info=True)
                    _down_until = time.monotonic() + REPLICA_RETRY_SECONDS
                    self.usable = False
        return self.usable


_block: ContextVar[ReplicaBlock | None] = ContextVar("replica_block", default=None)


def current_block() -> ReplicaBlock | None:
    return _block.get()


@contextlib.contextmanager
def replica_reads():
    """Reads inside go to the replica where it is safe (see the module's docstring). Usable as a
    decorator: `@replica_reads()`."""
    token = _block.set(ReplicaBlock())
    try:
        yield
    finally:
        _block.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    """Settings: DATABASE_ROUTERS = ["portal.replica.ReplicaRouter"] (base.py adds it with the replica)."""

    def db_for_read(self, model, **hints):
        block = _block.get()
        if (block is None or block.wrote or model._meta.label_lower in PRIMARY_ONLY
                or connections[DEFAULT_DB_ALIAS].in_atomic_block or not block.replica_answers()):
            return DEFAULT_DB_ALIAS
        block.used = True
        return REPLICA

    def db_for_write(self, model, **hints):
        block = _block.get()
        if block is not None and model._meta.label_lower not in PRIMARY_ONLY:
            # (A report's own progress is not data its figures read: the block keeps reading the replica.)
            block.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica replays the primary's schema; it is never migrated itself.
        return db == DEFAULT_DB_ALIAS


LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    -- No WAL receiver: cut off from the primary, the replica is as old as the last change it replayed.
    WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN
        EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
    -- Streaming, and everything received is replayed: as current as the primary (the replay timestamp
    -- stays at the last change, however long ago, while the primary writes nothing).
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END
"""


def replica_lag_seconds() -> float | None:
    """How far behind the primary the replica's data is, in seconds: 0 when it streams and has replayed
    all it received; the age of its last replayed change when it is cut off from the primary; None without
    a replica, when it does not answer, or when it is not PostgreSQL."""
    if not replica_configured() or connections[REPLICA].vendor != "postgresql":
        return None
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            value = cursor.fetchone()[0]
    except DatabaseError:
        return None
    return float(value) if value is not None else None
