"""The second factor's pure rules: who must use it, what a typed code is, how a secret is shown.
No ORM, no request, no settings: plain values in, plain values out."""

from __future__ import annotations

import base64
import hashlib
import hmac
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
# A recovery code: 10 characters of lower-case base32 (a-z, 2-7), 50 bits. The codes made before they
# were kept hashed had 8 (40 bits, django-otp's StaticToken.random_token()); those still held work on.
RECOVERY_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
RECOVERY_CODE_LENGTH = 10
_RECOVERY = re.compile(r"^[a-z2-7]{8}(?:[a-z2-7]{2})?$")

# How a recovery code is kept: PBKDF2-HMAC-SHA256 with a salt of its own. The count is modest on
# purpose: a code is 50 random bits, not a password a person chose, and one check hashes the typed code
# once per code left (up to ten), while the device's row is locked. 20,000 rounds cost 3.6 ms a code on
# the 2-core test machine (4.3 ms under load): a check with ten codes left, lock and audit row included,
# 40-60 ms. Against a copied table, each guess at a 50-bit code costs those 20,000 rounds per code.
RECOVERY_HASH_ALGORITHM = "pbkdf2_sha256"
RECOVERY_HASH_ITERATIONS = 20_000
RECOVERY_SALT_BYTES = 16


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


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def recovery_code_hash(code: str, *, salt: bytes, iterations: int = RECOVERY_HASH_ITERATIONS) -> str:
    """A recovery code as it is kept: `pbkdf2_sha256$<rounds>$<salt>$<hash>` (base64), the code taken as
    compared (`normalize_code`). The rounds are in the string, so a later count leaves older rows
    readable."""
    digest = hashlib.pbkdf2_hmac("sha256", normalize_code(code).encode(), salt, iterations)
    return f"{RECOVERY_HASH_ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def recovery_code_matches(code: str, encoded: str) -> bool:
    """Whether `code` is the one kept as `encoded`; the digests are compared in constant time. A row
    in another form never matches."""
    try:
        algorithm, iterations, salt, digest = encoded.split("$")
        rounds = int(iterations)
        salt_bytes, expected = _unb64(salt), _unb64(digest)
    except ValueError:
        return False
    if algorithm != RECOVERY_HASH_ALGORITHM or rounds < 1:
        return False
    typed = hashlib.pbkdf2_hmac("sha256", normalize_code(code).encode(), salt_bytes, rounds)
    return hmac.compare_digest(typed, expected)
