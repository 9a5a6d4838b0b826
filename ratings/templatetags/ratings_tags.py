from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def star_icons(stars):
    """★★★★☆ for the eye and "4 星" in words for a screen reader (the glyphs are hidden from it, so the
    count is never told by colour or shape alone); a dash when there are no stars."""
    if not stars:
        return "—"
    stars = int(stars)
    label = _("%(n)d 星") % {"n": stars}
    return format_html('<span class="stars" title="{}" data-stars="{}"><span class="text-warning" aria-hidden="true">{}'
                       '<span class="text-body-tertiary">{}</span></span><span class="visually-hidden">{}</span></span>',
                       label, stars, "★" * stars, "☆" * (5 - stars), label)


STATUS_COLOURS = {"self": "secondary", "town": "info", "dept": "primary", "notice": "warning",
                  "published": "success", "rejected": "dark", "revoked": "danger"}


@register.filter
def status_badge(rating):
    return format_html('<span class="badge text-bg-{}">{}</span>', STATUS_COLOURS.get(rating.status, "secondary"),
                       rating.get_status_display())


@register.filter
def get_item(mapping, key):
    """mapping[key], also when the template has the key as text and the mapping as a number."""
    if not mapping:
        return None
    if key in mapping:
        return mapping[key]
    try:
        return mapping.get(int(key))
    except (TypeError, ValueError):
        return None


@register.filter
def status_label(code):
    from ..choices import RatingStatus

    try:
        return RatingStatus(code).label
    except ValueError:
        return code
