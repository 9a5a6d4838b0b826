from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import rules

register = template.Library()

STATUS_COLOURS = {"quoted": "primary", "issued": "success", "expired": "secondary"}


@register.filter
def yuan(value):
    """Money for people: 1,234,567.89 (a dash when there is none)."""
    return rules.yuan(value)


@register.filter
def percent(value):
    return "—" if value is None else f"{value:.2f}%"


@register.filter
def insurance_stars(stars):
    if not stars:
        return "—"
    stars = int(stars)
    label = _("%(n)d 星") % {"n": stars}
    # the glyphs for the eye, the number in words for a screen reader (as ratings' star_icons)
    return format_html('<span class="stars" title="{}" data-stars="{}"><span class="text-warning" aria-hidden="true">{}'
                       '<span class="text-body-tertiary">{}</span></span><span class="visually-hidden">{}</span></span>',
                       label, stars, "★" * stars, "☆" * (5 - stars), label)


@register.filter
def quote_badge(quote):
    return format_html('<span class="badge text-bg-{}" data-status="{}">{}</span>',
                       STATUS_COLOURS.get(quote.status, "secondary"), quote.status, quote.get_status_display())
