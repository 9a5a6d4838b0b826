"""Numbers as the dashboards and the work report print them."""

from decimal import Decimal

from django import template
from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

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


# The stars-by-area table a page at a time: a province's city has 300 towns, which made the table most of
# the leaders' dashboard's cost (the chart shows the busiest areas, the work report lists them all).
AREAS_PER_PAGE = 20


@register.simple_tag(takes_context=True)
def area_page(context, areas, area_links):
    """The page (`?areas=N`) of the stars-by-area rows as (area, its links) pairs; `page.query` is the
    page's query string without `areas`, for the pager's links."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    page = Paginator(range(len(areas)), AREAS_PER_PAGE).get_page(query.pop("areas", [None])[-1])
    # The links of the rows of this page only (they are made on first use: reports.figures.links).
    page.object_list = [(areas[k], area_links[k]) for k in page.object_list]
    page.query = query.urlencode()
    return page


@register.simple_tag
def region_options(field):
    """The <option>s of a region select (a bound ModelChoiceField), the chosen one selected: written in
    Python, as a template loop over a province's 300 towns (twice on the leaders' dashboard) cost tens
    of milliseconds where this costs one."""
    chosen = str(field.value()) if field.value() is not None else ""
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (region.pk, mark_safe(" selected") if str(region.pk) == chosen else "", region.name)  # noqa: S308
        for region in field.field.queryset))
