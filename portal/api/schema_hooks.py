"""The API description's error answers, declared once for every operation (a drf-spectacular
postprocessing hook, SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

Every operation can answer with the one error shape of the API (`ApiError`, portal.api.exceptions):
400 for input it refuses (a body, a filter, a page number), 401 without credentials, 403 for what the
caller may not do, 404 for what does not exist or lies outside the caller's scope (and for a page past
the last), 429 when an institution key exceeds its rate. A view may declare its own description of
one of them; what it declares is kept.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ERROR_REF = {"$ref": "#/components/schemas/ApiError"}
ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error shape of the API (portal.api.exceptions).",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail"],
}
METHODS = ("get", "put", "post", "patch", "delete")


def _answers() -> dict[str, str]:
    return {
        "400": _("输入有误，错误信息按字段给出"),
        "401": _("未提供有效的登录凭据或接口密钥"),
        "403": _("无此权限"),
        "404": _("不存在或不在您的范围内"),
        "429": _("请求过于频繁，请按 Retry-After 头所示秒数后重试"),
    }


def declare_error_answers(result, generator, request, public):
    """Add the error answers an operation does not declare itself, all as ApiError in JSON."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ApiError", ERROR_SCHEMA)
    answers = {code: str(text) for code, text in _answers().items()}
    for path, item in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in answers.items():
                if code in responses:
                    continue
                answer = {"content": {"application/json": {"schema": ERROR_REF}}, "description": description}
                if code == "429":
                    answer["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                         "description": str(_("可重试前需等待的秒数"))}}
                responses[code] = answer
    return result
