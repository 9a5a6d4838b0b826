"""The scopes an institution API key may hold, declared once.

An API view says which scope a call needs with `key_scope`: a scope for every action of the view,
or a dict from the viewset's action (`list`, `retrieve`, `create`, `step` …; an APIView's HTTP
method in lower case) to a scope. A view or action that declares none is closed to keys
(`apikeys.permissions.HasKeyScope`): a new endpoint is opened to the banks' systems on purpose,
never by accident. Sessions and legacy tokens are not limited by scopes.

No models here: the apps' API views import these names."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ELIGIBILITY_READ = "eligibility:read"
LOAN_APPLICATIONS = "loan_applications"
FEEDBACK_REPORT = "feedback:report"
NOTIFICATIONS_READ = "notifications:read"
INSURANCE_READ = "insurance:read"
INSURANCE_QUOTE = "insurance:quote"

BANK = "bank"
INSURER = "insurer"


@dataclass(frozen=True)
class Scope:
    code: str
    label: str
    opens: tuple[str, ...]  # the endpoints it opens, shown on the key form
    kinds: tuple[str, ...]  # the institution kinds that may hold it


SCOPES: tuple[Scope, ...] = (
    Scope(ELIGIBILITY_READ, _("查询党建增信资格"), ("GET /api/v1/eligibility/{uscc}/", "POST /api/v1/eligibility/batch/"),
          (BANK, INSURER)),
    Scope(LOAN_APPLICATIONS, _("提交与读取贷款申请"),
          ("GET /api/v1/loan-applications/", "GET /api/v1/loan-applications/{id}/",
           "POST /api/v1/loan-applications/"), (BANK,)),
    Scope(FEEDBACK_REPORT, _("报告办理结果（受理、审批、不予批准、放款、结清）"),
          ("POST /api/v1/loan-applications/{id}/{step}/",), (BANK,)),
    Scope(INSURANCE_READ, _("读取保险报价与保单"),
          ("GET /api/v1/insurance-quotes/", "GET /api/v1/insurance-policies/"), (INSURER,)),
    Scope(INSURANCE_QUOTE, _("创建保险报价"), ("POST /api/v1/insurance-quotes/",), (INSURER,)),
    Scope(NOTIFICATIONS_READ, _("读取通知"),
          ("GET /api/v1/notifications/", "POST /api/v1/notifications/{id}/read/",
           "POST /api/v1/notifications/read-all/"), (BANK, INSURER)),
)

BY_CODE = {scope.code: scope for scope in SCOPES}


def scopes_for_kind(kind: str) -> list[Scope]:
    return [scope for scope in SCOPES if kind in scope.kinds]


def scope_label(code: str) -> str:
    scope = BY_CODE.get(code)
    return str(scope.label) if scope else code


def required_scope(view, method: str) -> str | None:
    """The scope a call of `view` needs, or None when the view is closed to keys."""
    declared = getattr(view, "key_scope", None)
    if isinstance(declared, dict):
        action = getattr(view, "action", None) or method.lower()
        return declared.get(action)
    return declared
