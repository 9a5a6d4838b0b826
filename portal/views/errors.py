"""The error answers. Under `/api/` every error is JSON (a program reads it, not a person); elsewhere
the portal's own pages. While the database is unreachable a request fails with a database error
wherever it first touches it (the session, the user, the view): that answer is a 503 that says so,
rendered without the database (no menu, no user), and the portal recovers by itself when the
database is back — Django opens a new connection for the next request."""

from __future__ import annotations

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def database_unavailable() -> bool:
    """Whether the error being handled is the database being out of reach (not a bad query)."""
    exc = sys.exc_info()[1]
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        if not isinstance(exc, DatabaseError):
            exc = exc.__cause__ or exc.__context__
            continue
        return False
    return False


def _json(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception, template_name="400.html"):
    if is_api(request):
        return _json(400, _("请求格式不正确。"), "bad_request")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception, template_name="403.html"):
    if is_api(request):
        return _json(403, _("您没有执行该操作的权限。"), "permission_denied")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception, template_name="404.html"):
    if is_api(request):
        return _json(404, _("未找到。"), "not_found")
    return defaults.page_not_found(request, exception)


def server_error(request, template_name="500.html"):
    if database_unavailable():
        if is_api(request):
            response = _json(503, _("数据库暂时无法访问，请稍后重试。"), "database_unavailable")
        else:
            page = loader.get_template("503.html").render()
            response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        return response
    if is_api(request):
        return _json(500, _("服务器处理出错，已记录。请稍后重试。"), "server_error")
    return defaults.server_error(request)
