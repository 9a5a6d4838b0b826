"""What the rating's services share."""

from __future__ import annotations

import datetime

from django.utils import timezone

from portal.errors import DomainError

from .. import rules
from ..choices import RatingAction, RatingStatus

A, S = RatingAction, RatingStatus


def _today() -> datetime.date:
    return timezone.localdate()


def _refuse(error: rules.RuleError, field: str | None = None, code: str = "invalid") -> DomainError:
    return DomainError(error.message, field=field, code=code)
