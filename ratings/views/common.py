"""What the rating pages share."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from portal.access import user_assignments
from portal.choices import Role
from portal.errors import DomainError


def only_enterprise_user(user) -> bool:
    roles = {a.role for a in user_assignments(user)}
    return bool(roles) and roles <= {Role.ENTERPRISE_USER}


def own_enterprise(user):
    for assignment in user_assignments(user):
        if assignment.role == Role.ENTERPRISE_USER and assignment.enterprise_id:
            return assignment.enterprise
    return None


def refuse(request, error: DomainError, to: str, **kwargs):
    """A refused action from a button (no form to show it at): say why, go back."""
    messages.error(request, error.message)
    return redirect(to, **kwargs)
