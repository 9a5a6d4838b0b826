"""The ratings' figures for the dashboards and the work report (reports.figures): re-exported by
ratings.selectors, where callers find them."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Substr

from portal.access import VIEW, scope_q
from portal.selectors import day_end

from .choices import RatingAction
from .choices import RatingStatus as S
from .models import OrgCoverage, Rating, RatingEvent

# --- figures for dashboards and reports -------------------------------------------------------------
# What the leaders' dashboard and the work report read of the ratings as of a day, from dated facts
# only (validity dates, revocation day, the downgrades' history), so that a past day's figures never
# change. A fixed number of queries whatever the number of ratings.




def _published_by(*, user, on: datetime.date, prefix: str = ""):
    published = (Rating.objects.restrict(user, VIEW).filter(status__in=(S.PUBLISHED, S.REVOKED), valid_from__lte=on)
                 .exclude(revoked_on__lte=on))
    if prefix:
        published = published.filter(organization__region__code__startswith=prefix)
    return published


def rating_figure_rows(*, user, on: datetime.date, prefix: str = "", width: int = 9, only=None) -> list[dict]:
    """The ratings the user sees that were published by `on` and not revoked by it (`only` those of
    these ids when given), counted by area (the first `width` characters of the organization's region
    code), cycle year, today's stars and whether still valid that day: rows {area, year, stars, valid, n}.
    One pass over the ratings, a wide table."""
    published = _published_by(user=user, on=on, prefix=prefix)
    if only is not None:
        published = published.filter(pk__in=only)
    return list(published.annotate(area=Substr("organization__region__code", 1, width), year=F("cycle__year"),
                                   valid=ExpressionWrapper(Q(valid_to__gte=on), output_field=BooleanField()))
                .order_by().values("area", "year", "stars", "valid").annotate(n=Count("pk")))


def rating_downgrades_after(*, user, on: datetime.date, prefix: str = "", width: int = 9) -> list[dict]:
    """The ratings published by `on` (and not revoked by it) that were downgraded after it, each with
    its stars of that day (`then`, from the first downgrade after it) and of today (`now`): rows
    {area, year, valid, then, now}. Reads the history by its time index: few rows for a recent day."""
    later = (RatingEvent.objects.filter(action=RatingAction.DOWNGRADE, at__gte=day_end(on),
                                        rating__in=_published_by(user=user, on=on, prefix=prefix))
             .annotate(area=Substr("rating__organization__region__code", 1, width))
             .order_by("rating_id", "at", "pk")
             .values("rating_id", "before", "area", "rating__stars", "rating__cycle__year", "rating__valid_to"))
    rows, seen = [], set()
    for row in later:
        if row["rating_id"] in seen:
            continue
        seen.add(row["rating_id"])
        then = (row["before"] or {}).get("stars")
        if then is not None and then != row["rating__stars"]:
            rows.append({"area": row["area"], "year": row["rating__cycle__year"], "valid": row["rating__valid_to"] >= on,
                         "then": then, "now": row["rating__stars"]})
    return rows


def sees_every_rating(user) -> bool:
    scope = scope_q(Rating, user, VIEW)
    return scope is not None and not scope


def ratings_changed_since(moment):
    """The ids of the ratings with a step recorded from `moment` on (every change of a rating records
    one): a values queryset, read by the history's time index."""
    return RatingEvent.objects.filter(at__gte=moment).order_by().values("rating_id")


def rating_facts():
    """Every published or revoked rating as the figures count it, streamed: dicts {rating_id,
    region_code, cycle_year, stars, valid_from, valid_to, revoked_on} (for the dashboards' copy)."""
    return (Rating.objects.filter(status__in=(S.PUBLISHED, S.REVOKED)).order_by()
            .values("valid_from", "valid_to", "revoked_on", "stars", rating_id=F("pk"),
                    region_code=F("organization__region__code"), cycle_year=F("cycle__year"))
            .iterator(chunk_size=5000))


def rated_enterprise_count(enterprises, on: datetime.date) -> dict:
    """Of `enterprises` (a queryset the caller has restricted), how many there are (`total`) and how
    many had a valid rating on `on` through the organization covering them that day (`rated`): one
    query."""
    valid = (Rating.objects.filter(status__in=(S.PUBLISHED, S.REVOKED), valid_from__lte=on, valid_to__gte=on)
             .exclude(revoked_on__lte=on))
    covered = (OrgCoverage.objects.filter(enterprise=OuterRef("pk"), started_on__lte=on,
                                          organization__in=valid.values("organization"))
               .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on)))
    return enterprises.order_by().aggregate(total=Count("pk"), rated=Count("pk", filter=Q(Exists(covered))))

