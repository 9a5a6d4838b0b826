"""Deployment checks of the documents (`manage.py check --deploy`)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"localhost", "localhost.localdomain", ""}


def is_local_address(url: str) -> bool:
    """True for an address only this machine can reach (empty, localhost, a loopback or unspecified IP)."""
    host = (urlsplit(url or "").hostname or "").lower()
    if host in LOCAL_HOSTS:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@checks.register(checks.Tags.security, deploy=True)
def check_public_url(app_configs=None, **kwargs):
    """A certificate's QR code and verification address are printed from PORTAL_PUBLIC_URL: in production it
    must be the address the public reaches, or every certificate issued points at nowhere."""
    if not is_local_address(settings.PORTAL_PUBLIC_URL):
        return []
    return [checks.Warning(
        f"PORTAL_PUBLIC_URL 未设置为公网地址（当前为 {settings.PORTAL_PUBLIC_URL!r}）：证书二维码和查验地址将指向本机，"
        "银行和公众无法查验。",
        hint="在环境变量中设置 PORTAL_PUBLIC_URL，例如 https://portal.example.gov.cn",
        id="reports.W001")]
