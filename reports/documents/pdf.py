"""HTML to PDF with WeasyPrint, in Chinese with the Noto CJK fonts the machine has (Debian
fonts-noto-cjk), and QR codes as inline SVG."""

from __future__ import annotations

import base64
import functools
import io

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ..rules import format_code


@functools.cache
def _font_config():
    """One font configuration for the process. WeasyPrint makes a new one for every document when none is
    given, and their fonts stay in memory: one process making the same certificate 30 times grew from 192
    to 513 MB, and a worker's batch of 1,000 from 845 MB to 1.7 GB; with one configuration it stays at
    about 190 MB."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(template: str, context: dict) -> bytes:
    """The PDF of a template, in the active language: the worker renders a document under the language it
    was asked in (`reports.services.report_generate`)."""
    from weasyprint import HTML  # imported here: loading Pango costs time every web process need not pay

    html = render_to_string(template, {"lang": translation.get_language(), **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=_font_config())


def issuer_name() -> str:
    """Who issues the portal's documents: PORTAL_ISSUER when configured, else the organization
    department of the demo city, in the document's language."""
    from django.utils.translation import gettext as _

    return settings.PORTAL_ISSUER or _("中共星湖市委组织部（两新工委）")


def verification_url(code: str) -> str:
    return settings.PORTAL_PUBLIC_URL.rstrip("/") + reverse("verify", args=[code])


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG data URI, for an <img> in the PDF."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, dark="#000", xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def verification_context(code: str) -> dict:
    url = verification_url(code)
    return {"verification_code": format_code(code), "verification_url": url, "qr": qr_data_uri(url)}
