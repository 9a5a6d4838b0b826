"""What every service of the app shares: collecting a form's worth of refusals at their fields, and
writing the audit row with the enterprises a record names."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from portal.errors import DomainError
from portal.rules import clean_text

from ..rules import RuleError


class Errors(dict):
    """Refusals by field, raised together so that a form shows every problem at once."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(str(message))

    def check(self, field: str, rule: Callable, *args, **kwargs):
        """The rule's value, or None with its message recorded at `field`."""
        try:
            return rule(*args, **kwargs)
        except RuleError as error:
            self.add(field, error.message)
            return None

    def raise_if_any(self, code: str = "invalid") -> None:
        if self:
            raise DomainError(_("请更正标出的错误。"), errors=dict(self), code=code)


def text(errors: Errors, values: dict, field: str, label: str, *, max_length: int, required: bool = True) -> None:
    """Tidy a text value in place; refuse it when required and empty, or too long."""
    if field not in values:
        return
    value = clean_text(values[field])
    if required and not value:
        errors.add(field, _("请填写%(l)s。") % {"l": label})
    elif len(value) > max_length:
        errors.add(field, _("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": max_length})
    values[field] = value


def choice(errors: Errors, values: dict, field: str, label: str, choices) -> None:
    if field in values and values[field] not in choices.values:
        errors.add(field, _("请选择%(l)s。") % {"l": label})


def with_enterprises(data: dict | None, enterprises) -> dict | None:
    """A snapshot for the audit log, with the ids of the enterprises the record names."""
    if data is None:
        return None
    return {**data, "enterprises": sorted(e.pk for e in enterprises)}
