"""The ratings' summary copy: at a province's scale the ratings table is the widest the dashboards read
(every rating keeps its scores and stage results), and scanning it was the slowest part of the
leaders' dashboard. `RatingFact` keeps, per published or revoked rating, only what the figures count;
a periodic task (`reports.refresh_rating_facts`, every 15 minutes) rebuilds it whole.

The copy is never trusted blindly: every change of a rating records a step (RatingEvent) with its time,
so the ratings with a step since the copy was taken (`SummaryRefresh.changes_from`, a margin before the
rebuild started) are read live from the ratings table, by primary key, and the rest from the copy.
The figures are therefore the same with or without the copy; the copy only makes them cheaper. It
serves the users who see every rating (the organization department and leaders): anyone else reads
live, limited to what they see. Without a copy yet (a new database) everyone reads live.

Limits: a Party organization moved to another region after the copy was taken is counted in its old
area until the next rebuild (an organization's region has no history anyway); a rating deleted
outright leaves the copy with it (the one-to-one key cascades)."""

from __future__ import annotations

import datetime
import time

from django.db import connections, transaction
from django.db.models import Case, CharField, When
from django.db.models.functions import Substr
from django.utils import timezone

from ratings import selectors as ratings

from ..models import RatingFact, SummaryRefresh

NAME = "rating_facts"
# Changes recorded this long before a rebuild started are read live too: a rating's transaction that
# was still open while the copy was read would otherwise be missed by both.
MARGIN = datetime.timedelta(minutes=10)
BATCH = 5000


def rating_facts_refresh() -> SummaryRefresh:
    """Rebuild the copy from the ratings, in one transaction. Idempotent: the same ratings give the same
    copy. Two runs at once queue on the state row. No audit row: nothing of record changes, the copy is
    derived from rows that are audited themselves."""
    started = timezone.now()
    clock = time.monotonic()
    with transaction.atomic():
        SummaryRefresh.objects.bulk_create([SummaryRefresh(name=NAME, changes_from=started, refreshed_at=started)],
                                           ignore_conflicts=True)
        state = SummaryRefresh.objects.select_for_update().get(name=NAME)
        RatingFact.objects.all().delete()
        batch, rows = [], 0
        for fact in ratings.rating_facts():
            batch.append(RatingFact(**fact))
            if len(batch) >= BATCH:
                RatingFact.objects.bulk_create(batch)
                rows += len(batch)
                batch = []
        RatingFact.objects.bulk_create(batch)
        rows += len(batch)
        state.changes_from = started - MARGIN
        state.refreshed_at = timezone.now()
        state.rows = rows
        state.duration_ms = int((time.monotonic() - clock) * 1000)
        state.save()
    return state


def rating_rows(*, user, on: datetime.date, prefix: str = "", width: int = 9) -> list[dict]:
    """The rows of `ratings.rating_figure_rows` for this user: from the copy and, for the ratings
    changed since it was taken, live — or all live when the copy may not serve the user. The copy's
    rows come in two kinds: {area, stars, valid, year: None} (by area, the valid ones on `on`; those not
    valid with area None) and {area: None, year, stars, valid: False} (all, by cycle year); a row with
    both an area and a year counts in both."""
    state = SummaryRefresh.objects.filter(name=NAME).first() if ratings.sees_every_rating(user) else None
    if state is None:
        return ratings.rating_figure_rows(user=user, on=on, prefix=prefix, width=width)
    changed = ratings.ratings_changed_since(state.changes_from)
    copy = RatingFact.objects.filter(valid_from__lte=on).exclude(revoked_on__lte=on).exclude(rating_id__in=changed)
    if prefix:
        copy = copy.filter(region_code__startswith=prefix)
    # Two groupings in one pass over the copy (GROUPING SETS), not one by area × year × stars: the figures
    # need the valid ratings by area and stars, and all of them by cycle year and stars. A province's city
    # has 300 towns: the product was ~16,000 rows to fetch and add up, these two ~1,500; and one scan of
    # the copy instead of two. A rating not valid on `on` has no area (NULL), so that its area row —
    # one per stars — is left out by the figures.
    inner = copy.annotate(area=Case(When(valid_to__gte=on, then=Substr("region_code", 1, width)),
                                    default=None, output_field=CharField())).values("area", "cycle_year", "stars")
    sql, params = inner.query.sql_with_params()
    with connections[inner.db].cursor() as cursor:
        cursor.execute(f"SELECT area, cycle_year, stars, area IS NOT NULL, count(*) FROM ({sql}) f "  # noqa: S608
                       "GROUP BY GROUPING SETS ((area, stars), (cycle_year, stars))", params)
        rows = [{"area": area, "year": year, "stars": stars, "valid": valid, "n": n}
                for area, year, stars, valid, n in cursor.fetchall()]
    return rows + ratings.rating_figure_rows(user=user, on=on, prefix=prefix, width=width, only=changed)
