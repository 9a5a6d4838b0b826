"""Every write of the second factor, each with its audit row: enrolling an authenticator, checking a
code (a sign-in, or before regenerating recovery codes or turning the factor off), making new recovery
codes, turning the factor off, and an administrator's reset.

A wrong code is itself something to keep: django-otp counts it on the device (its throttle doubles the
wait after each one) and the audit log records it. So checking a code never raises: it returns a
`CodeCheck` and its failure is committed; the callers that go on to change something check the answer
and raise afterwards, outside the transaction that kept the failure."""

from __future__ import annotations

import datetime
import math
import time
from binascii import unhexlify
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.models import Device, VerifyNotAllowed
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from portal.access import has_role
from portal.audit import audit_record
from portal.choices import Role
from portal.errors import AccessDenied, DomainError

from . import rules, selectors
from .models import RecoveryCode, RecoveryCodeDevice

AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"

# What each purpose of a code check is called in the audit log.
SIGN_IN = "sign_in"
REGENERATE = "regenerate"
TURN_OFF = "turn_off"

WRONG_TOTP = _("验证码不正确：请输入验证器当前显示的 6 位数字，并确认手机的时间准确。")
WRONG_RECOVERY = _("恢复码不正确，或已经用过：每个恢复码只能用一次。")
NOT_A_CODE = _("请输入验证器上的 6 位数字，或一个恢复码。")


def new_secret() -> str:
    """A fresh authenticator key (hex, 20 bytes, as django-otp keeps it)."""
    return random_hex(20)


def _lock_user(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


# Checking a code --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    device: Device | None = None
    kind: str | None = None  # "totp" or "recovery"
    recovery_left: int = 0
    message: str = ""  # why not, for the code field
    throttled_until: datetime.datetime | None = field(default=None)


def throttle_message(until: datetime.datetime) -> str:
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    return ngettext("错误次数过多：请在 %(seconds)d 秒后再试。", "错误次数过多：请在 %(seconds)d 秒后再试。",
                    seconds) % {"seconds": seconds}


@transaction.atomic
def second_factor_check(*, user, code: str, purpose: str = SIGN_IN) -> CodeCheck:
    """Check a code the user typed: six digits against their authenticator, a recovery code against
    their recovery codes' hashes (a recovery code is used up). Writes the audit row of the outcome: a sign-in
    (`twofactor.verify`), a recovery code used (`twofactor.recovery_use`), a wrong code
    (`twofactor.fail`, with the device's count of failures in a row), or a try refused while the
    device waits out its throttle (`twofactor.throttled`)."""
    kind = rules.code_kind(code)
    if kind is None:
        return CodeCheck(ok=False, message=str(NOT_A_CODE))
    token = rules.normalize_code(code)
    model = TOTPDevice if kind == "totp" else RecoveryCodeDevice
    # Locked for the check, so two requests with the same code cannot both pass (and the failure
    # count cannot be lost between them).
    device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
    wrong = WRONG_TOTP if kind == "totp" else WRONG_RECOVERY
    if device is None:
        audit_record(actor=user, action="twofactor.fail", obj=user, after={"method": kind, "purpose": purpose},
                     note="no device of this kind")
        return CodeCheck(ok=False, kind=kind, message=str(wrong))

    allowed, info = device.verify_is_allowed()
    if not allowed:
        until = (info or {}).get("locked_until")
        if (info or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and until is not None:
            audit_record(actor=user, action="twofactor.throttled", obj=user,
                         after={"method": kind, "purpose": purpose, "failures": info.get("failure_count"),
                                "until": until.isoformat()})
            return CodeCheck(ok=False, kind=kind, message=throttle_message(until), throttled_until=until)
        return CodeCheck(ok=False, kind=kind, message=str(wrong))

    if not device.verify_token(token):
        device.refresh_from_db(fields=["throttling_failure_count"])
        audit_record(actor=user, action="twofactor.fail", obj=user,
                     after={"method": kind, "purpose": purpose, "failures": device.throttling_failure_count})
        return CodeCheck(ok=False, kind=kind, message=str(wrong))

    left = selectors.recovery_codes_left(user)
    if kind == "recovery":
        audit_record(actor=user, action="twofactor.recovery_use", obj=user,
                     after={"purpose": purpose, "recovery_left": left})
    elif purpose == SIGN_IN:
        audit_record(actor=user, action="twofactor.verify", obj=user, after={"method": kind})
    return CodeCheck(ok=True, device=device, kind=kind, recovery_left=left)


def _require_code(*, user, code: str, purpose: str) -> CodeCheck:
    """A code check that a change depends on: committed on its own (a failure counts), then raised."""
    check = second_factor_check(user=user, code=code, purpose=purpose)
    if not check.ok:
        raise DomainError(check.message, field="code", code="second_factor")
    return check


# Enrolment --------------------------------------------------------------------------------------------


def totp_step_matching(*, key_hex: str, code: str, at: float | None = None) -> int | None:
    """The time step at which `code` is the key's code (one step of clock difference either way, as
    django-otp allows), or None."""
    if rules.code_kind(code) != "totp":
        return None
    totp = TOTP(unhexlify(key_hex.encode()), step=30, t0=0, digits=rules.TOTP_DIGITS, drift=0)
    totp.time = time.time() if at is None else at
    if totp.verify(int(rules.normalize_code(code)), tolerance=1):
        return totp.t()
    return None


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]  # empty when an authenticator was replaced and the old codes stay
    replaced: bool


def authenticator_enrol(*, user, key_hex: str, code: str) -> Enrolment:
    """Confirm the authenticator the user scanned with the first code it shows, and keep it: the user's
    earlier authenticator (if any) is replaced. A first enrolment also makes ten recovery codes;
    replacing keeps the ones the user has (they are made anew on their own, with a code)."""
    step = totp_step_matching(key_hex=key_hex, code=code)
    if step is None:
        # A first code typed wrong is kept too: someone trying codes here is worth seeing.
        audit_record(actor=user, action="twofactor.fail", obj=user, after={"method": "totp", "purpose": "enrol"})
        raise DomainError(WRONG_TOTP, field="code", code="second_factor")
    return _authenticator_save(user=user, key_hex=key_hex, step=step)


@transaction.atomic
def _authenticator_save(*, user, key_hex: str, step: int) -> Enrolment:
    _lock_user(user)
    old = TOTPDevice.objects.filter(user=user)
    replaced = old.filter(confirmed=True).exists()
    old.delete()
    # last_t: the code just typed cannot be used again to sign in.
    device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, key=key_hex, confirmed=True,
                                       last_t=step, last_used_at=timezone.now())
    codes: list[str] = []
    if not replaced or selectors.recovery_codes_left(user) == 0:
        codes = _new_recovery_codes(user)
    audit_record(actor=user, action="twofactor.replace" if replaced else "twofactor.enrol", obj=user,
                 after={"authenticator": device.pk, "recovery_codes": len(codes) or None})
    return Enrolment(device=device, recovery_codes=codes, replaced=replaced)


@transaction.atomic
def _new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with ten new ones, on the same device: a session verified with
    a recovery code stays verified."""
    device = RecoveryCodeDevice.objects.select_for_update().filter(user=user).order_by("pk").first()
    if device is None:
        device = RecoveryCodeDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    elif not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    RecoveryCodeDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.code_set.all().delete()
    device.throttle_reset()
    codes: set[str] = set()
    while len(codes) < rules.RECOVERY_CODE_COUNT:
        codes.add(RecoveryCode.random_code())
    ordered = sorted(codes)
    # Only the hashes are kept: the codes themselves go back to the caller, to be shown once.
    RecoveryCode.objects.bulk_create([RecoveryCode.of(device, c) for c in ordered])
    return ordered


# Changes the user makes on the account security page ---------------------------------------------------


def recovery_codes_regenerate(*, user, code: str) -> list[str]:
    """Ten new recovery codes for an enrolled user, after a code: the old ones stop working."""
    if selectors.authenticator_get(user) is None:
        raise DomainError(_("请先绑定手机验证器。"), code="not_enrolled")
    _require_code(user=user, code=code, purpose=REGENERATE)
    with transaction.atomic():
        _lock_user(user)
        codes = _new_recovery_codes(user)
        audit_record(actor=user, action="twofactor.recovery_regenerate", obj=user,
                     after={"recovery_codes": len(codes)})
    return codes


def second_factor_turn_off(*, user, code: str) -> None:
    """Turn the second factor off, after a code: only where the user's roles do not require it."""
    status = selectors.second_factor_status(user)
    if status.required:
        raise DomainError(_("您的角色要求第二重验证，不能关闭。"), code="required")
    if not status.enrolled:
        raise DomainError(_("第二重验证没有开启。"), code="not_enrolled")
    _require_code(user=user, code=code, purpose=TURN_OFF)
    with transaction.atomic():
        _lock_user(user)
        before = {"authenticator": True, "recovery_left": selectors.recovery_codes_left(user)}
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodeDevice.objects.filter(user=user).delete()
        audit_record(actor=user, action="twofactor.turn_off", obj=user, before=before)


# The administrator's reset ----------------------------------------------------------------------------


def can_reset_second_factor(actor, target) -> bool:
    return has_role(actor, Role.ADMIN) and actor.pk != target.pk


@transaction.atomic
def second_factor_reset(*, actor, user, reason: str) -> None:
    """An administrator removes a user's authenticator and recovery codes (a lost phone): the user's
    sessions lose their verification, and the next sign-in enrols again (or, where the factor is not
    required, signs in with the password alone). The reason is kept in the audit row."""
    if not has_role(actor, Role.ADMIN):
        raise AccessDenied(_("只有系统管理员可以重置他人的第二重验证。"))
    if actor.pk == user.pk:
        raise DomainError(_("不能重置自己的第二重验证：请在“账号安全”页更换验证器。"), code="own_account")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写重置原因。"), field="reason", code="required")
    _lock_user(user)
    before = {"authenticator": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
              "recovery_left": selectors.recovery_codes_left(user)}
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="twofactor.reset", obj=user, before=before,
                 after={"authenticator": False, "recovery_left": 0}, note=reason)
