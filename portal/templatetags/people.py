"""`{{ user|person_name }}` (黄海涛) and `{{ event|history_actor }}` (王晓燕（镇街工作人员）): how people are
named on pages, through portal.accounts."""

from django import template

from portal.accounts import actor_label, display_name

register = template.Library()


@register.filter
def person_name(user):
    return display_name(user)


@register.filter
def history_actor(row):
    """Who made a history row or audit entry: the account's person and role, else the stored name."""
    return actor_label(getattr(row, "actor", None), getattr(row, "actor_name", "") or "")
