"""Template side of portal.punctuation: `{% mark "：" %}`, `{{ names|series }}`, `{{ note|parens }}`."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from portal import punctuation

register = template.Library()


@register.simple_tag
def mark(chinese):
    return punctuation.mark(chinese)


@register.filter(is_safe=True)
def series(items):
    return mark_safe(punctuation.series(conditional_escape(item) for item in items or ()))  # noqa: S308 - escaped


@register.filter(is_safe=True)
def parens(text):
    return mark_safe(punctuation.parens(conditional_escape(text)))  # noqa: S308 - escaped
