"""Shared plumbing of the HTML views: login, the role check, filters and pagination."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages as user_messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.generic import ListView

from .. import exports
from ..access import VIEW, can
from ..errors import AccessDenied, DomainError
from ..filtersets import scope_filter_choices
from ..refusals import missing_right


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a user whose roles reach none of `model` gets 403.

    An action view (one with `post()` and no `get()`) opened with GET - a refresh after a failed
    submission, a bookmark, the back button - answers `action_get()` instead of a bare 405."""

    model = None
    required_action = VIEW
    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.model is not None and not can(request.user, self.model, self.required_action):
            raise PermissionDenied(missing_right(request.user, self.model, self.required_action))
        if isinstance(self, ExportMixin):
            # After the role check, and after the checks of any subclass's own dispatch that calls this:
            # exporting a list takes exactly the right to see it.
            exported = self.export_dispatch(request)
            if exported is not None:
                return exported
        if request.method in ("GET", "HEAD") and not answers_get(self):
            return self.action_get(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def action_get(self, request, *args, **kwargs):
        """An action opened with GET: the page holding its form when the view names one
        (`action_form_page`), otherwise its object's page, with a word on why the person is there."""
        page = self.action_form_page(request, *args, **kwargs)
        if page is not None:
            return page
        return redirect_to_object_page(request, self.action_redirect_url(request, *args, **kwargs))

    def action_form_page(self, request, *args, **kwargs):
        """The response showing this action's form, unbound; None to redirect instead."""
        return None

    def action_redirect_url(self, request, *args, **kwargs) -> str:
        """Where an action opened with GET leads: by default the nearest page above its address."""
        return object_page_url(request.path)


def answers_get(view) -> bool:
    return "get" in view.http_method_names and hasattr(view, "get")


def object_page_url(path: str) -> str:
    """The nearest address above `path` that a page answers with GET:
    /finance/applications/7/approve/ leads to /finance/applications/7/, /liaison/departments/3/toggle/
    to /liaison/departments/. The home page when nothing above it is a page."""
    parts = [p for p in path.split("/") if p]
    while parts:
        parts.pop()
        candidate = "/" + "/".join(parts) + ("/" if parts else "")
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        view_class = getattr(match.func, "view_class", None)
        if view_class is None or answers_get(view_class):
            return candidate
    return "/"


def redirect_to_object_page(request, url: str):
    user_messages.info(request, _("该地址用于提交操作，不能直接打开；已转到相关页面，请在页面上办理。"))
    return redirect(url)


def post_action(view):
    """A function view that acts on POST (instead of `require_POST`): opened with GET it leads to its
    object's page, as `RoleRequiredMixin` does for class-based actions; other methods get 405."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return redirect_to_object_page(request, object_page_url(request.path))
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, *args, **kwargs)

    wrapper.post_action = True
    return wrapper


class ExportMixin:
    """A list page that also answers `?export=xlsx` or `?export=csv` (with its filters) with the file of
    every row its filters show, not only the current page.

    A view declares `export_columns = [(header, accessor), ...]` (a gettext_lazy header, and a dotted
    attribute path or a callable row -> value; see `portal.exports.column_value`) and `export_name`
    (the file's name), and implements `get_export_queryset()`. `RoleRequiredMixin.dispatch` answers
    the export once its role check passed, so exporting takes exactly the right to see the list, and
    the same selector gives the same rows. A list longer than `PORTAL_EXPORT_SYNC_MAX_ROWS` goes to
    the background export. A page that is no FilteredListView adds `**self.export_context()` to its
    template's context for the buttons (templates/includes/export_buttons.html)."""

    export_columns: list | None = None
    export_name = ""

    def get_export_columns(self) -> list | None:
        return self.export_columns

    def get_export_queryset(self):
        """The rows to export, in the page's order; None when the filters are invalid."""
        raise NotImplementedError

    def export_prepare_rows(self, rows: list) -> list:
        """Add to a chunk of rows what the page computes for a page of them (default: nothing)."""
        return rows

    def export_context(self, request=None) -> dict:
        """The export buttons' links (templates/includes/export_buttons.html), keeping the filters."""
        if not self.get_export_columns():
            return {"export_links": []}
        filters = exports.filter_query((request or self.request).GET)
        prefix = f"?{filters}&" if filters else "?"
        return {"export_links": [{"format": fmt, "label": exports.FORMAT_LABELS[fmt],
                                  "url": f"{prefix}export={fmt}"} for fmt in exports.FORMATS]}

    def export_dispatch(self, request):
        """The export's answer, or None to show the page (no export asked for, or invalid filters)."""
        fmt = request.GET.get("export")
        if fmt is None or request.method != "GET" or not self.get_export_columns():
            return None
        collector = getattr(request, "export_collector", None)
        if collector is not None:
            # A background export re-running the list as its requester: hand over the checked view.
            collector(self)
            return HttpResponse(status=204)
        if fmt not in exports.FORMATS:
            user_messages.error(request, _("不支持的导出格式：%(format)s。请选择 Excel 或 CSV。") % {"format": fmt[:20]})
            filters = exports.filter_query(request.GET)
            return redirect(f"{request.path}?{filters}" if filters else request.path)
        queryset = self.get_export_queryset()
        if queryset is None:
            return None  # invalid filters: the page says which field is wrong, instead of a file of nothing
        return self.export_response(queryset, fmt)

    def export_response(self, queryset, fmt: str):
        request = self.request
        filters = exports.filter_query(request.GET)
        list_name = request.resolver_match.view_name if request.resolver_match else type(self).__name__
        total = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        if total > exports.sync_max_rows() and exports.BACKGROUND_EXPORT is not None:
            try:
                url = exports.BACKGROUND_EXPORT(request=request, view=self, fmt=fmt)
            except AccessDenied as error:
                raise PermissionDenied(error.message) from None
            except DomainError as error:
                user_messages.error(request, error.message)
                return redirect(f"{request.path}?{filters}" if filters else request.path)
            user_messages.info(request, _("共 %(n)d 行，超过即时导出的上限，已转入后台生成；完成后可在本页下载。")
                               % {"n": total})
            return redirect(url)
        made = exports.build_export(queryset=queryset, columns=self.get_export_columns(), name=str(self.export_name),
                                    fmt=fmt, prepare=self.export_prepare_rows)
        exports.export_record(acting_user=request.user, list_name=list_name, export_name=self.export_name,
                              filters=filters, fmt=fmt, rows=made.rows)
        response = HttpResponse(made.content, content_type=made.content_type)
        response["Content-Disposition"] = content_disposition_header(True, made.filename)
        response["Cache-Control"] = "no-store"
        return response


class FilteredListView(RoleRequiredMixin, ExportMixin, ListView):
    """A list whose rows come from a selector and are narrowed by the shared FilterSet; it exports
    what its filters show once it names its `export_columns`."""

    filterset_class = None
    paginate_by = 50
    selector = None

    def get_base_queryset(self):
        return type(self).selector(user=self.request.user)

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET or None, queryset=self.get_base_queryset(),
                                              request=self.request)
        scope_filter_choices(self.filterset, self.request.user)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        style_filter_form(self.filterset.form)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context["query_string"] = query.urlencode()
        context.update(self.export_context())
        return context

    def get_export_queryset(self):
        queryset = self.get_queryset()
        if self.filterset.is_bound and not self.filterset.is_valid():
            return None
        return queryset


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
