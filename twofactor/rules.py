"""The second factor's pure rules: who must use it, what a typed code is, how a secret is shown.
No ORM, no request, no settings: plain values in, plain values out."""

from __future__ import annotations

import re
from base64 import b32decode, b32encode
from binascii import hexlify, unhexlify

# Ten recovery codes, as the issue asks; each works once.
RECOVERY_CODE_COUNT = 10
# From this many left on, the code page and the account page suggest making new ones.
RECOVERY_CODES_LOW = 3
TOTP_DIGITS = 6

_SEPARATORS = re.compile(r"[\s\-_]+")
_TOTP = re.compile(rf"^\d{{{TOTP_DIGITS}}}$")
# django-otp's StaticToken.random_token(): 8 characters of lower-case base32 (a-z, 2-7).
_RECOVERY = re.compile(r"^[a-z2-7]{8}$")


def second_factor_required(*, roles: set[str] | frozenset[str], is_staff: bool, is_superuser: bool,
                           required_roles: set[str] | frozenset[str], staff_required: bool) -> bool:
    """Whether an account must pass a second factor whatever it chose: any of its roles is a required
    one, or it may enter the admin site (staff, superuser) and staff are required."""
    if staff_required and (is_staff or is_superuser):
        return True
    return bool(set(roles) & set(required_roles))


def second_factor_needed(*, required: bool, has_device: bool) -> bool:
    """Whether a sign-in must pass the second factor: when it is required, or when the user turned it
    on for themselves (a confirmed authenticator)."""
    return required or has_device


def may_turn_off(*, required: bool, has_device: bool) -> bool:
    """A user may turn the second factor off only where it is their own choice."""
    return has_device and not required


def normalize_code(text: str) -> str:
    """What a person typed, as compared: spaces and dashes dropped (an app shows "123 456", a recovery
    code is printed "abcd-efgh"), letters in lower case."""
    return _SEPARATORS.sub("", text or "").lower()


def code_kind(text: str) -> str | None:
    """"totp" for six digits, "recovery" for a recovery code, None for anything else. The two never
    overlap (a recovery code has eight characters), so a code is checked against one device only and
    a mistyped code counts against the right one's throttle."""
    code = normalize_code(text)
    if _TOTP.match(code):
        return "totp"
    if _RECOVERY.match(code):
        return "recovery"
    return None


def hex_to_base32(key_hex: str) -> str:
    """A device's hex key as the base32 secret an authenticator app takes (no padding)."""
    return b32encode(unhexlify(key_hex)).decode("ascii").rstrip("=")


def base32_to_hex(secret: str) -> str:
    """The base32 secret (spaces allowed, case ignored) as django-otp's hex key."""
    text = normalize_code(secret).upper()
    text += "=" * (-len(text) % 8)
    return hexlify(b32decode(text)).decode("ascii")


def group_secret(secret: str, size: int = 4) -> str:
    """"ABCD EFGH IJKL …": a secret typed by hand, in groups a person can keep their place in."""
    return " ".join(secret[i:i + size] for i in range(0, len(secret), size))


def format_recovery_code(code: str) -> str:
    """"abcd-efgh": a recovery code as printed; typed with or without the dash."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) >= 8 else code
