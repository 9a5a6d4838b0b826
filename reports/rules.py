"""Pure rules of the documents: the verification code and the key that makes a request idempotent."""

from __future__ import annotations

import hashlib
import json
import secrets

# Crockford-like alphabet without 0/O, 1/I/L and U: read aloud or typed from paper without doubt.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 30**12 ≈ 5×10^17: not guessable, short enough to type


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str | None:
    """The code as stored, from what a person typed (spaces, dashes, lower case), or None if it
    cannot be one."""
    code = "".join(ch for ch in (raw or "").upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def format_code(code: str) -> str:
    """XXXX-XXXX-XXXX, as printed on a certificate."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def request_key(kind: str, params: dict) -> str:
    """The same kind with the same parameters is the same document: one key, one report."""
    canonical = json.dumps({"kind": kind, "params": params}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# What the public verification page says of the rating a genuine certificate rests on, today.
STILL_VALID = "valid"
REVOKED = "revoked"
EXPIRED = "expired"
CHANGED = "changed"


def certificate_standing(*, stated_stars: int, revoked_on, valid_to, current_stars: int | None,
                         today) -> str:
    """`revoked` if the rating was revoked (whatever else), `expired` once its validity ended,
    `changed` if its stars were changed since the certificate was issued (a downgrade), else `valid`."""
    if revoked_on is not None:
        return REVOKED
    if valid_to is not None and valid_to < today:
        return EXPIRED
    if current_stars != stated_stars:
        return CHANGED
    return STILL_VALID
