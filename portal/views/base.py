"""Shared plumbing of the HTML views: login, the role check, filters and pagination."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import ListView

from ..access import VIEW, can
from ..errors import DomainError


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a user whose roles reach none of `model` gets 403."""

    model = None
    required_action = VIEW
    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.model is not None and not can(request.user, self.model, self.required_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FilteredListView(RoleRequiredMixin, ListView):
    """A list whose rows come from a selector and are narrowed by the shared FilterSet."""

    filterset_class = None
    paginate_by = 50
    selector = None

    def get_base_queryset(self):
        return type(self).selector(user=self.request.user)

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET or None, queryset=self.get_base_queryset(),
                                              request=self.request)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        style_filter_form(self.filterset.form)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


def style_filter_form(form) -> None:
    for field in form.fields.values():
        css = "form-select form-select-sm" if hasattr(field.widget, "choices") else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)


def apply_domain_error(form, error: DomainError) -> None:
    """Show a service's refusal at the fields it concerns, or at the top of the form."""
    placed = False
    for field, messages in (error.errors or {}).items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
