"""Whether a user's roles reach a model at all. Which rows they reach is the queryset's business
(`restrict()`), so a row outside the scope answers 404 while a role with no right answers 403."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from ..access import CHANGE, VIEW, can


def required_action(request, view) -> str:
    """`view` for a read, `change` for a write, unless the view names another for this action
    (`{"unmask": UNMASK}`: a POST that changes nothing but needs a right of its own)."""
    named = getattr(view, "scope_actions", {}).get(getattr(view, "action", None))
    if named:
        return named
    return VIEW if request.method in SAFE_METHODS else CHANGE


class HasModelRight(BasePermission):
    """The view's `scope_model` must be reachable by the user for the required action."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return can(user, view.scope_model, required_action(request, view))
