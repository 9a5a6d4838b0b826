from django import template

from ..rules import yuan as _yuan

register = template.Library()


@register.filter
def yuan(value):
    """Money as people read it: 1,234,567.89."""
    return _yuan(value)
