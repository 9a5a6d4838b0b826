from django import template

from ..rules import yuan as _yuan

register = template.Library()


@register.filter
def talent_yuan(value):
    """Money as people read it: 1,234,567.89; "—" for none (a service item)."""
    return _yuan(value)


STATUS_BADGE = {"pending": "warning", "approved": "success", "rejected": "danger", "withdrawn": "secondary"}


@register.filter
def benefit_badge(status):
    return STATUS_BADGE.get(status, "secondary")
