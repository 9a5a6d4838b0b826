"""The registry of the kinds of document the portal makes, each with two halves: `prepare` (in the
request: who may ask, with which parameters, and for a certificate what it states) and `render` (in
the worker: the file). A kind registers itself with `register` when its module is imported, which the
app's ready() does for every kind (reports.apps); `reports.services` and the worker look kinds up here.
Below the documents, the services and the batches in the app's layers: it imports none of them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

KINDS: dict[str, DocumentKind] = {}


@dataclass
class Prepared:
    """What the request half decided: the parameters as stored (they make the request key), the
    title, and for a certificate what it states, about what, as of which day."""

    params: dict
    title: str
    certificate_facts: dict | None = None
    as_of: datetime.date | None = None
    subject: dict = field(default_factory=dict)  # rating / organization / enterprise for the certificate row


@dataclass
class Rendered:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


@dataclass
class DocumentKind:
    kind: str
    prepare: Callable  # (*, user, params: dict) -> Prepared; raises DomainError / AccessDenied / Http404
    render: Callable | None  # (report, progress: Callable[[int, str], None]) -> Rendered
    # A kind too large for one run instead hands its work out to many (report, token) -> None: the
    # tasks it sends make the file and finish the report (reports.batches).
    fan_out: Callable | None = None


def document_language() -> str:
    """The language a document asked for now is made in: the page's (English, or else Chinese). It is
    one of the document's parameters, so each language has its own copy."""
    from django.utils import translation

    return "en" if (translation.get_language() or "").startswith("en") else "zh-hans"


def register(kind: str, *, prepare: Callable, render: Callable | None = None, fan_out: Callable | None = None) -> None:
    KINDS[kind] = DocumentKind(kind, prepare, render, fan_out)


def kind_of(kind: str) -> DocumentKind | None:
    return KINDS.get(kind)
