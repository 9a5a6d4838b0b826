"""Numbers as the dashboards and the work report print them."""

from decimal import Decimal

from django import template

from portal.rules import yuan as _yuan

register = template.Library()


@register.filter
def yuan(value):
    """Money: 1,234,567.89."""
    return _yuan(value)


@register.filter
def wan(value):
    """Money in 万元 (ten thousand yuan) with two decimals: 123.46."""
    if value is None:
        return "—"
    return f"{Decimal(value) / 10000:,.2f}"


@register.filter
def pct(value):
    """A percentage computed by the figures (None when there was nothing to divide): 41.7%."""
    return "—" if value is None else f"{value}%"


@register.filter
def dash(value):
    """None as a dash."""
    return "—" if value is None else value


@register.simple_tag
def lookup(container, key):
    """container[key] for a key held in a variable (a list index or a dict key); None when missing."""
    try:
        return container[key]
    except (KeyError, IndexError, TypeError):
        return None
