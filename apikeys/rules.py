"""Pure rules of the institution API keys: no ORM, no request, no settings."""

from __future__ import annotations

import datetime
import ipaddress
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.punctuation import series

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_SEPARATORS = re.compile(r"[\s,，;；、]+")


@dataclass(frozen=True)
class ParsedNetworks:
    networks: list[str]  # normalised: "10.1.2.3/32" for an address, "10.1.0.0/16" for a network
    errors: list[str]


def parse_networks(text: str) -> ParsedNetworks:
    """An allow-list typed by a person: addresses and CIDR networks, IPv4 or IPv6, separated by new
    lines, spaces, commas or semicolons (Chinese ones too). Each entry is normalised once; a network
    written with host bits (10.1.2.3/16) is refused rather than silently widened or narrowed."""
    networks: list[str] = []
    errors: list[str] = []
    for entry in (e for e in _SEPARATORS.split(text or "") if e):
        try:
            network = ipaddress.ip_network(entry, strict=True)
        except ValueError:
            try:
                loose = ipaddress.ip_network(entry, strict=False)
            except ValueError:
                errors.append(_("“%(e)s”不是有效的 IP 地址或网段（例如 10.8.1.20 或 10.8.0.0/16）。") % {"e": entry})
            else:
                errors.append(_("“%(e)s”的主机位不为零，网段应写作 %(n)s。") % {"e": entry, "n": loose})
            continue
        normalised = str(network)
        if normalised not in networks:
            networks.append(normalised)
    return ParsedNetworks(networks=networks, errors=errors)


def networks_text(networks: list[str]) -> str:
    """The allow-list as the form shows it: one entry a line, a single address without its /32."""
    return "\n".join(_short(n) for n in networks)


def _short(network: str) -> str:
    parsed = ipaddress.ip_network(network)
    return str(parsed.network_address) if parsed.num_addresses == 1 else network


def address_allowed(address: str | None, networks: list[str]) -> bool:
    """Whether the client address is within the allow-list; an empty list allows every address.
    An IPv4 client seen through an IPv6 socket (::ffff:10.1.2.3) is compared as IPv4."""
    if not networks:
        return True
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in ipaddress.ip_network(n) for n in networks if ipaddress.ip_network(n).version == ip.version)


def expiry_error(expires_on: datetime.date | None, *, today: datetime.date, max_days: int) -> str | None:
    """Why an expiry date is refused, or None. A key is valid through the whole of its last day."""
    if expires_on is None:
        return _("请填写有效期。")
    if expires_on < today:
        return _("有效期不能早于今天。")
    latest = today + datetime.timedelta(days=max_days)
    if expires_on > latest:
        return _("有效期最长 %(d)d 天，即不晚于 %(latest)s。") % {"d": max_days, "latest": latest.isoformat()}
    return None


def scope_errors(scopes: list[str], allowed: list[str]) -> str | None:
    if not scopes:
        return _("请至少选择一项权限范围。")
    foreign = [s for s in scopes if s not in allowed]
    if foreign:
        return _("此类机构不能使用这些权限范围：%(s)s。") % {"s": series(foreign)}
    return None


def parse_rate(rate: str) -> tuple[int, int]:
    """`600/min` → (600, 60): DRF's notation (s, m, h, d by the period's first letter)."""
    number, _slash, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[0]]
    return int(number), seconds
