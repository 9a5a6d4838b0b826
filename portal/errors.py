from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule refused the change. `message` is for the user (Chinese, translatable); `field` names
    the input it concerns, when there is one; `code` is stable for API clients."""

    def __init__(self, message, *, field: str | None = None, code: str = "invalid", errors: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code
        self.errors = errors or ({field: [str(message)]} if field else {})


class AccessDenied(DomainError):
    def __init__(self, message=None, **kwargs):
        kwargs.setdefault("code", "permission_denied")
        super().__init__(message or _("您没有执行此操作的权限。"), **kwargs)
