"""Every read of the registry, already limited to what the user may see."""

from __future__ import annotations

from django.http import Http404

from .access import VIEW
from .models import AuditLog, Enterprise, ImportBatch, Institution, Park, Person, Region, ServiceStation


def enterprise_list(*, user, action: str = VIEW):
    return Enterprise.objects.restrict(user, action).select_related("region", "park")


def access_enterprise(*, user, pk, action: str = VIEW) -> Enterprise:
    """The enterprise if the user may reach it; otherwise 404, whether or not it exists."""
    try:
        return enterprise_list(user=user, action=action).select_related(
            "region__parent", "legal_representative", "contact"
        ).get(pk=pk)
    except (Enterprise.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def enterprise_by_uscc(*, user, uscc: str) -> Enterprise | None:
    return enterprise_list(user=user).filter(uscc=uscc).first()


def person_list(*, user, action: str = VIEW):
    return Person.objects.restrict(user, action)


def access_person(*, user, pk, action: str = VIEW) -> Person:
    try:
        return person_list(user=user, action=action).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def station_list(*, user):
    return ServiceStation.objects.restrict(user, VIEW).select_related("region", "park")


def access_station(*, user, pk) -> ServiceStation:
    try:
        return station_list(user=user).get(pk=pk)
    except (ServiceStation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def region_list(*, user):
    return Region.objects.restrict(user, VIEW).select_related("parent")


def park_list(*, user):
    return Park.objects.restrict(user, VIEW).select_related("region")


def institution_list(*, user, kind: str | None = None):
    qs = Institution.objects.restrict(user, VIEW)
    return qs.filter(kind=kind) if kind else qs


def audit_log_list(*, user):
    return (AuditLog.objects.restrict(user, VIEW).select_related("actor")
            .prefetch_related("actor__role_assignments"))


def import_batch_list(*, user):
    return ImportBatch.objects.restrict(user, VIEW).select_related("created_by")


def access_import_batch(*, user, pk) -> ImportBatch:
    try:
        return import_batch_list(user=user).get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- figures for dashboards and reports -------------------------------------------------------------
# Helpers of the figures every app gives the dashboards and the work report (each app's selectors end
# with them): days as time bounds, and grouping rows by the state they were in on a past day.
import datetime  # noqa: E402
from collections import defaultdict  # noqa: E402

from django.utils import timezone  # noqa: E402


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the portal's time zone: "on or before day D" is "before the
    start of D + 1"."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_end(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` (midnight at the start of the next day)."""
    return day_start(day + datetime.timedelta(days=1))


def as_of_groups(queryset, *, fields: tuple[str, ...], changed, state, aggregates: dict) -> list[dict]:
    """The rows of `queryset` grouped by `fields` and by the state each row was in on a past day (as
    `state`), with `aggregates` (counts and sums) per group. Grouped first by today's `status`, then
    corrected by the rows of `changed` (those with history after that day), whose state that day the
    expression `state` works out from their history: two queries, and only the second one reads
    history, for the rows changed since — few for a recent day, however many rows there are."""
    totals: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(aggregates, 0))
    for row in queryset.order_by().values(*fields, "status").annotate(**aggregates):
        bucket = totals[(*(row[f] for f in fields), row["status"])]
        for name in aggregates:
            bucket[name] += row[name] or 0
    for row in (changed.annotate(state_then=state).order_by().values(*fields, "status", "state_then")
                .annotate(**aggregates)):
        if row["status"] == row["state_then"]:
            continue
        key = tuple(row[f] for f in fields)
        now, then = totals[(*key, row["status"])], totals[(*key, row["state_then"])]
        for name in aggregates:
            now[name] -= row[name] or 0
            then[name] += row[name] or 0
    return [{**dict(zip(fields, key[:-1], strict=True)), "state": key[-1], **values}
            for key, values in totals.items() if any(values.values())]
