"""A readable name for the device behind a User-Agent: "Chrome 131 · Windows", "Safari 17 · iPhone".

Pure: a string in, a string out. The names are the browsers' and systems' own (proper nouns, the
same in every language); an empty string means "not recognised" and the page says so in its language."""

from __future__ import annotations

from functools import lru_cache

from ua_parser import parse

# On a phone or a tablet the device says more than its system ("iPhone", "Samsung SM-S918B"); on a
# computer the system does ("Windows", "macOS").
_HANDHELD_SYSTEMS = {"iOS", "iPadOS", "Android", "HarmonyOS", "KaiOS"}
_SYSTEM_NAMES = {"Mac OS X": "macOS"}
_UNKNOWN = {"Other", "Generic Smartphone", "Generic Tablet", "Generic Feature Phone", "Spider"}
MAX_LENGTH = 100


def _browser(user_agent) -> str:
    if user_agent is None or user_agent.family in _UNKNOWN:
        return ""
    family = user_agent.family.removeprefix("Mobile ").removesuffix(" Mobile").removesuffix(" Mobile WebView")
    return f"{family} {user_agent.major}" if user_agent.major else family


def _place(os, device) -> str:
    system = "" if os is None or os.family in _UNKNOWN else _SYSTEM_NAMES.get(os.family, os.family)
    if device is not None and device.family not in _UNKNOWN and (system in _HANDHELD_SYSTEMS or not system):
        return device.family
    return system


@lru_cache(maxsize=512)
def device_label(user_agent: str) -> str:
    """"Chrome 131 · Windows"; the browser or the system alone when only one is known; "" for neither."""
    if not user_agent:
        return ""
    parsed = parse(user_agent[:1000])
    parts = [part for part in (_browser(parsed.user_agent), _place(parsed.os, parsed.device)) if part]
    return " · ".join(parts)[:MAX_LENGTH]


@lru_cache(maxsize=512)
def device_icon(user_agent: str) -> str:
    """The Bootstrap icon for the device: "phone", "tablet" or "display" (a computer, or not known)."""
    if not user_agent:
        return "display"
    parsed = parse(user_agent[:1000])
    system = parsed.os.family if parsed.os is not None else ""
    if system not in _HANDHELD_SYSTEMS:
        return "display"
    device = parsed.device.family if parsed.device is not None else ""
    return "tablet" if "iPad" in device or "Tablet" in device or "Tab" in device.split() else "phone"
