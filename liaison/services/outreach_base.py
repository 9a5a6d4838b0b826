"""What the outreach services share: the messages for empty fields (the forms use them too) and the
small checks every service makes before it writes."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.access import CHANGE
from portal.errors import AccessDenied, DomainError

# Shared with the forms, so that an empty field reads the same whichever notices it first.
REQUIRED = {
    "name": gettext_lazy("请填写律师姓名。"),
    "law_firm": gettext_lazy("请填写律师事务所。"),
    "topic": gettext_lazy("请填写咨询事项。"),
    "outcome": gettext_lazy("请填写答复意见。"),
    "title": gettext_lazy("请填写标题。"),
    "body": gettext_lazy("请填写正文。"),
    "reason": gettext_lazy("请填写撤回原因。"),
    "care_title": gettext_lazy("请填写活动名称。"),
    "organizer": gettext_lazy("请填写组织单位。"),
    "focus": gettext_lazy("请填写帮带重点。"),
    "session_topic": gettext_lazy("请填写活动主题。"),
    "mentor_name": gettext_lazy("请填写老干部的姓名。"),
}


def refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)


def text(value, *, field: str, errors: dict, max_length: int, required=None) -> str:
    """The value trimmed; an error at `field` when it is empty (and `required` says so) or too long."""
    cleaned = (value or "").strip()
    if required is not None and not cleaned:
        errors[field] = [str(required)]
    elif len(cleaned) > max_length:
        errors[field] = [_("不能超过 %(n)d 个字。") % {"n": max_length}]
    return cleaned


def day(value, *, field: str, errors: dict, label: str, today: datetime.date) -> None:
    if value is None:
        errors[field] = [_("请填写%(l)s。") % {"l": label}]
    elif value > today:
        errors[field] = [_("%(l)s不能晚于今天（%(d)s）。") % {"l": label, "d": today.isoformat()}]


def choice(value, choices, *, field: str, errors: dict, message) -> None:
    if value not in choices.values:
        errors[field] = [str(message)]


def lock_row(model, acting_user, obj, action=CHANGE):
    locked = model.objects.restrict(acting_user, action).select_for_update().filter(pk=obj.pk).first()
    if locked is None:
        raise AccessDenied()
    return locked
