"""Reads of the registry import, limited to what the user may see through the registry selectors."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Case, IntegerField, Value, When

from ..choices import ImportRowFate, ImportState
from ..models import ImportBatch, ImportRow
from .services import ACTIVE_STATES, commit_progress_key


def import_row_list(*, batch: ImportBatch, fate: str | None = None):
    """The batch's rows, errors first, then in file order."""
    rows = ImportRow.objects.filter(batch=batch)
    if fate:
        rows = rows.filter(fate=fate)
    errors_first = Case(When(fate=ImportRowFate.ERROR, then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.order_by(errors_first, "row_number")


def import_batch_status(*, batch: ImportBatch) -> dict:
    """What the progress bar shows. The commit runs in one transaction, invisible until it ends, so it
    reports its progress through the cache."""
    processed, total, percent = batch.processed_rows, batch.total_rows, batch.progress_percent
    if batch.state == ImportState.COMMITTING:
        fraction = cache.get(commit_progress_key(batch.pk)) or 0
        processed, percent = int(total * fraction), int(fraction * 100)
    return {
        "id": batch.pk,
        "state": batch.state,
        "state_label": str(batch.get_state_display()),
        "processed": processed,
        "total": total,
        "percent": percent,
        "finished": batch.state not in ACTIVE_STATES,
        "counts": {
            "create": batch.create_count, "update": batch.update_count, "unchanged": batch.unchanged_count,
            "error": batch.error_count,
        },
        "error": batch.error,
    }
