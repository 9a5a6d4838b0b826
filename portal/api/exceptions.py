"""API errors: a domain refusal becomes a 400 (or 403) with its Chinese message at its field."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import AccessDenied, DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message), "code": exc.code}
        if exc.errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in exc.errors.items()}
        code = status.HTTP_403_FORBIDDEN if isinstance(exc, AccessDenied) else status.HTTP_400_BAD_REQUEST
        return Response(body, status=code)
    return drf_exception_handler(exc, context)
