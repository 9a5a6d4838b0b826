"""The recovery codes: a django-otp device of the portal's own, whose codes are kept as salted hashes.

django-otp's StaticDevice keeps its tokens as they are typed (StaticToken.token): anyone who reads the
table, a backup or a replica holds every user's way past the second factor. This device is StaticDevice
with the clear column replaced by a PBKDF2 hash with a salt per code (twofactor.rules), checked against
every code left, each in constant time; django-otp's throttle is kept as StaticDevice has it.

A code is used once: the device's row is locked for the check and the matching code's row is deleted
in the same transaction, by a delete that must remove it, so two requests carrying one code at the
same moment cannot both pass (tests/twofactor/test_recovery_codes.py races them)."""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from . import rules


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's recovery codes (one device per user: the portal keeps one set). No fields of its own
    beyond django-otp's: the codes are its `code_set`."""

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def get_throttle_factor(self):
        # The setting django-otp's StaticDevice read, so the recovery codes' throttle stays where it was.
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        """Use one of the codes: True when `token` is one of them (then it is gone), False otherwise (a
        failure counts towards the throttle). Locks the device's row for the check."""
        with transaction.atomic():
            locked = (RecoveryCodeDevice.objects.select_for_update()
                      .filter(pk=self.pk).values("confirmed", "throttling_failure_count",
                                                 "throttling_failure_timestamp").first())
            if locked is None or not locked["confirmed"]:
                return False
            # What the lock holder committed last, not what this object was loaded with.
            self.throttling_failure_count = locked["throttling_failure_count"]
            self.throttling_failure_timestamp = locked["throttling_failure_timestamp"]
            allowed, _info = self.verify_is_allowed()
            if not allowed:
                return False
            match = None
            # Every code left is hashed and compared, whichever matches: the time says how many codes
            # are left, never which one (or whether one) matched.
            for code in self.code_set.all():
                if rules.recovery_code_matches(token, code.hashed) and match is None:
                    match = code
            # The delete must remove the row: a code used meanwhile by a caller without this lock fails.
            used = match is not None and RecoveryCode.objects.filter(pk=match.pk).delete()[0] == 1
            if used:
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save(update_fields=["throttling_failure_count", "throttling_failure_timestamp", "last_used_at"])
            else:
                self.throttle_increment(commit=False)
                self.save(update_fields=["throttling_failure_count", "throttling_failure_timestamp"])
            return used


class RecoveryCode(models.Model):
    """One recovery code of a device, as its salted hash (`pbkdf2_sha256$rounds$salt$hash`)."""

    device = models.ForeignKey(RecoveryCodeDevice, related_name="code_set", on_delete=models.CASCADE)
    hashed = models.CharField(max_length=128)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self):
        return f"{self.device_id}: {self.hashed.split('$', 1)[0]}"

    @staticmethod
    def random_code() -> str:
        """A new code: RECOVERY_CODE_LENGTH characters of lower-case base32 from the system's CSPRNG."""
        return "".join(secrets.choice(rules.RECOVERY_CODE_ALPHABET) for _ in range(rules.RECOVERY_CODE_LENGTH))

    @classmethod
    def of(cls, device: RecoveryCodeDevice, code: str) -> RecoveryCode:
        """The row that keeps `code` for `device` (unsaved), with a fresh salt."""
        return cls(device=device, hashed=rules.recovery_code_hash(code, salt=os.urandom(rules.RECOVERY_SALT_BYTES)))
