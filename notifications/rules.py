"""Pure rules of the notification texts: no personal number ever goes out in one."""

from __future__ import annotations

import re

# An ID number (18 characters, or the old 15 digits), a mobile number, a landline with its area code:
# not glued to other digits, so a case number or an amount with thousands separators stays.
_PERSONAL_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])"
    r"(?:\d{17}[\dXx]|\d{15}|(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}|0\d{2,3}-?\d{7,8})"
    r"(?![0-9A-Za-z])")


def has_personal_number(text: str) -> bool:
    return bool(_PERSONAL_NUMBER.search(text or ""))


def scrub(text: str) -> str:
    """`text` with every personal number starred out. The texts are written from the case's fields
    that hold no such number; this is the last line for a name or a title someone typed one into."""
    return _PERSONAL_NUMBER.sub(lambda m: "*" * len(m.group(0)), text or "")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
