"""Every read of the documents, already limited to what the user may see."""

from __future__ import annotations

from django.http import Http404

from portal.access import VIEW

from . import rules
from .models import Certificate, Report


def report_list(*, user):
    return Report.objects.restrict(user, VIEW).select_related("requested_by").prefetch_related("certificates")


def access_report(*, user, pk) -> Report:
    try:
        return report_list(user=user).get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def certificate_by_code(raw_code: str) -> Certificate | None:
    """The certificate with this verification code, for the public page; None for a code that is not
    one of ours (mistyped or forged)."""
    code = rules.normalize_code(raw_code)
    if code is None:
        return None
    return (Certificate.objects.select_related("report", "rating__cycle", "organization", "enterprise")
            .filter(code=code).first())
