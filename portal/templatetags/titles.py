"""`{% page_title %}{% block title %}{% endblock %}{% endpage_title %}` in base.html: the page's own
title, then " · " and the portal's name; the portal's name alone when a page gives no title. A plain
template cannot ask whether a block rendered empty, so the separator is decided here."""

from django import template
from django.utils.translation import gettext

register = template.Library()


class PageTitleNode(template.Node):
    # Named `nodelist` so that {% extends %} finds the {% block %} inside and fills it.
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        own = " ".join(self.nodelist.render(context).split())
        site = gettext("党建+服务门户")
        return f"{own} · {site}" if own else site


@register.tag
def page_title(parser, token):
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)
