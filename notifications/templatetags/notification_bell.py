from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context):
    """The bell in the header with the user's unread count (one indexed count per page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    if hasattr(user, "is_verified") and not user.is_verified():
        from twofactor.selectors import second_factor_needed

        if second_factor_needed(user):
            return {"show": False}  # signed in, the code not yet given: nothing of the account shows
    return {"show": True, "unread": selectors.notification_unread_count(user=user), "request": request}
