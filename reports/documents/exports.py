"""A list exported in the background (列表导出): a list longer than `PORTAL_EXPORT_SYNC_MAX_ROWS`
becomes a report, made by the worker with a progress bar and downloaded from the report's page.

The report stores which list (its URL name and arguments), the filters (the canonical query string),
the format, the language and the day. Both halves run the list's own view as the requester, through
its `dispatch` — so every check the page makes (login, role, the view's own refusals, a 404 for a bad
argument) is made again, and the same selector and FilterSet give the same rows the page shows:

- `prepare` (in the request) refuses a list the user may not open or filters that are invalid;
- `render` (in the worker) rebuilds the queryset for `report.requested_by` and writes the file,
  reporting its progress every thousand rows.

The day is part of the parameters: the same export asked again the same day is the same report (a
double click, a reload), while tomorrow's asks for tomorrow's rows."""

from __future__ import annotations

from contextlib import nullcontext

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import exports
from portal.errors import AccessDenied, DomainError
from portal.views.base import ExportMixin

from ..choices import ReportKind
from ..kinds import Prepared, Rendered, register


def _params(params: dict) -> tuple[str, dict, str, str]:
    fmt = params.get("format")
    if fmt not in exports.FORMATS:
        raise DomainError(_("不支持的导出格式。请选择 Excel 或 CSV。"), field="format")
    list_name = params.get("list")
    if not isinstance(list_name, str) or not list_name:
        raise DomainError(_("请指明要导出的列表。"), field="list")
    args = params.get("args") or {}
    if not isinstance(args, dict):
        raise DomainError(_("列表参数有误。"), field="args")
    query = params.get("query") or ""
    if not isinstance(query, str):
        raise DomainError(_("筛选条件有误。"), field="query")
    return list_name, {str(k): str(v) for k, v in args.items()}, exports.filter_query(QueryDict(query)), fmt


def list_view_for(*, user, list_name: str, args: dict, query: str, fmt: str):
    """The list's view, set up for `user` with these filters, after every check its page makes.
    Raises AccessDenied (a role without the right), Http404 (a list or argument that is not there)
    or DomainError (a page that does not export, invalid filters)."""
    try:
        path = reverse(list_name, kwargs=args or None)
    except NoReverseMatch:
        raise Http404 from None
    match = resolve(path)
    # Only a list page is run: no other view's GET (a detail page may mark a notice read) is reachable here.
    if not issubclass(getattr(match.func, "view_class", type(None)), ExportMixin):
        raise DomainError(_("该页面不支持导出。"), field="list")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(f"{query}&export={fmt}" if query else f"export={fmt}")
    request.user = user
    request.resolver_match = match
    request.META["SERVER_NAME"], request.META["SERVER_PORT"] = "export.internal", "80"
    collected = []
    request.export_collector = collected.append
    if not getattr(user, "is_active", False):
        raise AccessDenied(_("账号已停用，不能导出。"))
    try:
        match.func(request, *match.args, **match.kwargs)
    except PermissionDenied as error:
        raise AccessDenied(str(error) or _("您没有查看该列表的权限。")) from None
    if not collected:
        # The view answered without reaching the list (a redirect to the login page, a list that has
        # no export): nothing to export, and nothing of the list was read.
        raise DomainError(_("该页面不支持导出。"), field="list")
    view = collected[0]
    queryset = view.get_export_queryset()
    if queryset is None:
        raise DomainError(_("筛选条件有误，请在列表页改正后再导出。"), field="query")
    return view, queryset


def export_params(*, request, fmt: str) -> dict:
    match = request.resolver_match
    return {"list": match.view_name, "args": {k: str(v) for k, v in sorted(match.kwargs.items())},
            "query": exports.filter_query(request.GET), "format": fmt,
            "lang": translation.get_language() or "", "day": timezone.localdate().isoformat()}


def _language(lang: str):
    return translation.override(lang) if lang else nullcontext()


def _title(view, fmt: str) -> str:
    title = _("列表导出：%(name)s（%(format)s）") % {"name": view.export_name, "format": exports.FORMAT_LABELS[fmt]}
    filters = exports.describe_filters(getattr(view, "filterset", None))
    return f"{title} {filters}"[:200] if filters else title


def prepare_export(*, user, params: dict) -> Prepared:
    list_name, args, query, fmt = _params(params)
    lang = str(params.get("lang") or "")[:10]
    day = str(params.get("day") or timezone.localdate().isoformat())[:10]
    with _language(lang):
        view, _queryset = list_view_for(user=user, list_name=list_name, args=args, query=query, fmt=fmt)
        title = _title(view, fmt)
    return Prepared(params={"list": list_name, "args": args, "query": query, "format": fmt, "lang": lang,
                            "day": day}, title=title)


def render_export(report, progress) -> Rendered:
    params = report.params
    list_name, args, query, fmt = _params(params)
    user = report.requested_by
    with _language(str(params.get("lang") or "")[:10]):
        view, queryset = list_view_for(user=user, list_name=list_name, args=args, query=query, fmt=fmt)
        total = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        progress(1, _("共 %(n)d 行，开始导出") % {"n": total})

        def rows_done(done: int) -> None:
            progress(min(98, 1 + done * 97 // max(total, 1)), _("已导出 %(done)d / %(n)d 行") % {"done": done, "n": total})

        made = exports.build_export(queryset=queryset, columns=view.get_export_columns(), name=str(view.export_name),
                                    fmt=fmt, prepare=view.export_prepare_rows, progress=rows_done)
    exports.export_record(acting_user=user, list_name=list_name, export_name=view.export_name, filters=query,
                          fmt=fmt, rows=made.rows, obj=report, note=_("后台导出"))
    return Rendered(made.filename, made.content, made.content_type)


def background_export(*, request, view, fmt: str) -> str:
    """portal's hook for a list too long to export at once: the report for it, and its page's URL."""
    from ..services import report_request

    report = report_request(kind=ReportKind.EXPORT, params=export_params(request=request, fmt=fmt),
                            acting_user=request.user)
    return reverse("reports:detail", kwargs={"pk": report.pk})


register(ReportKind.EXPORT, prepare=prepare_export, render=render_export)
exports.register_background_export(background_export)
