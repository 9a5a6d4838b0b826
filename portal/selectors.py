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
    return AuditLog.objects.restrict(user, VIEW).select_related("actor")


def import_batch_list(*, user):
    return ImportBatch.objects.restrict(user, VIEW).select_related("created_by")


def access_import_batch(*, user, pk) -> ImportBatch:
    try:
        return import_batch_list(user=user).get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
