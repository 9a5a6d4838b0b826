"""Every write of the key administration. Each service is atomic, checks that the acting user
manages the institution, validates with the pure rules and writes its own audit row. A key's hash
never goes into the audit log: the prefix names the key there."""

from __future__ import annotations

import datetime
import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.choices import InstitutionKind, Role
from portal.errors import AccessDenied, DomainError
from portal.models import Institution, RoleAssignment

from . import rules
from .models import (
    InstitutionAPIKey,
    KeyAdministrator,
    KeyState,
    LegacyTokenPolicy,
    ServiceAccount,
    ServiceUser,
)
from .scopes import scopes_for_kind
from .selectors import is_system_administrator, managed_institutions

ROTATION_OVERLAP_CHOICES = (0, 1, 7, 14, 30)


def default_lifetime_days() -> int:
    return settings.APIKEYS_DEFAULT_LIFETIME_DAYS


def max_lifetime_days() -> int:
    return settings.APIKEYS_MAX_LIFETIME_DAYS


def default_expires_on(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=default_lifetime_days())


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The instant a key valid through `day` stops working: the next midnight, Beijing time."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def key_snapshot(key: InstitutionAPIKey) -> dict:
    return {
        "prefix": key.prefix, "institution": key.institution_id, "name": key.name, "scopes": list(key.scopes),
        "allowed_networks": list(key.allowed_networks), "expires_on": key.expires_on.isoformat(),
        "rate_limit": key.rate_limit, "revoked": key.revoked, "revoked_reason": key.revoked_reason,
        "replaced_by": key.replaced_by.prefix if key.replaced_by_id else None,
    }


def _audit(acting_user, action: str, key: InstitutionAPIKey, *, before=None, after=None, note: str = ""):
    audit_record(actor=acting_user, action=action, object_type=InstitutionAPIKey._meta.label_lower,
                 object_id=key.prefix, object_repr=f"{key.institution} · {key.name} · {key.prefix}",
                 before=before, after=after, note=note)


def _check_manages(acting_user, institution: Institution) -> None:
    if not managed_institutions(acting_user).filter(pk=institution.pk).exists():
        raise AccessDenied(_("您不是%(i)s的密钥管理员，不能管理它的接口密钥。") % {"i": institution})


def _validate(*, institution, name, scopes, expires_on, allowed_networks, rate_limit) -> dict:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写名称。")]
    allowed = [s.code for s in scopes_for_kind(institution.kind)]
    scopes = [s for s in allowed if s in set(scopes or [])] + [s for s in (scopes or []) if s not in allowed]
    scope_error = rules.scope_errors(scopes, allowed)
    if scope_error:
        errors["scopes"] = [scope_error]
    expiry_error = rules.expiry_error(expires_on, today=timezone.localdate(), max_days=max_lifetime_days())
    if expiry_error:
        errors["expires_on"] = [expiry_error]
    if isinstance(allowed_networks, str):
        parsed = rules.parse_networks(allowed_networks)
        if parsed.errors:
            errors["allowed_networks"] = parsed.errors
        allowed_networks = parsed.networks
    if rate_limit is not None and rate_limit < 1:
        errors["rate_limit"] = [_("每分钟请求上限至少为 1。")]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    return {"name": name, "scopes": scopes, "expiry_date": end_of_day(expires_on),
            "allowed_networks": list(allowed_networks or []), "rate_limit": rate_limit}


@transaction.atomic
def service_account_ensure(*, institution: Institution, acting_user=None):
    """The institution's service account, made with its officer role the first time."""
    existing = ServiceAccount.objects.select_related("user").filter(institution=institution).first()
    if existing is not None:
        return existing.user
    Institution.objects.select_for_update().get(pk=institution.pk)  # two first keys at once: one account
    existing = ServiceAccount.objects.select_related("user").filter(institution=institution).first()
    if existing is not None:
        return existing.user
    user_model = get_user_model()
    base = f"api-{institution.code.lower()}"
    username, n = base, 1
    while user_model.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    # Stored data, not a message: the name stays Chinese whatever language the creator reads in.
    user = ServiceUser(username=username, last_name=institution.short_name or institution.name, first_name="接口账号")
    user.set_unusable_password()
    user.save()
    role = Role.BANK_OFFICER if institution.kind == InstitutionKind.BANK else Role.INSURER_OFFICER
    RoleAssignment.objects.create(user=user, role=role, institution=institution)
    ServiceAccount.objects.create(institution=institution, user=user)
    audit_record(actor=acting_user, action="apikeys.service_account.create", obj=user, object_type="auth.user",
                 object_repr=username, after={"username": username, "role": role, "institution": institution.pk})
    return user


@transaction.atomic
def api_key_create(*, acting_user, institution: Institution, name: str, scopes: list[str],
                   expires_on: datetime.date, allowed_networks: str | list[str] = "",
                   rate_limit: int | None = None) -> tuple[InstitutionAPIKey, str]:
    """A new key; returns it with the full key, which is never stored and never shown again."""
    _check_manages(acting_user, institution)
    if rate_limit is not None and not is_system_administrator(acting_user):
        raise AccessDenied(_("只有系统管理员可以设置每分钟请求上限。"), field="rate_limit")
    values = _validate(institution=institution, name=name, scopes=scopes, expires_on=expires_on,
                       allowed_networks=allowed_networks, rate_limit=rate_limit)
    service_account_ensure(institution=institution, acting_user=acting_user)
    key, plain = InstitutionAPIKey.objects.create_key(institution=institution, created_by=acting_user, **values)
    _audit(acting_user, "apikey.create", key, after=key_snapshot(key))
    return key, plain


@transaction.atomic
def api_key_update(*, acting_user, key: InstitutionAPIKey, name: str, scopes: list[str],
                   expires_on: datetime.date, allowed_networks: str | list[str],
                   rate_limit: int | None = None, set_rate_limit: bool = False) -> InstitutionAPIKey:
    """Change a key's name, scopes, expiry and allow-list (and, for the system administrator, its
    rate). A revoked, expired or rotated key is not changed: make a new one."""
    _check_manages(acting_user, key.institution)
    key = InstitutionAPIKey.objects.select_for_update().select_related("institution").get(pk=key.pk)
    if key.state() != KeyState.ACTIVE:
        raise DomainError(_("此密钥%(s)s，不能修改；请新建密钥。") % {"s": key.state_label}, code="key_not_active")
    if set_rate_limit and not is_system_administrator(acting_user):
        raise AccessDenied(_("只有系统管理员可以设置每分钟请求上限。"), field="rate_limit")
    values = _validate(institution=key.institution, name=name, scopes=scopes, expires_on=expires_on,
                       allowed_networks=allowed_networks, rate_limit=rate_limit if set_rate_limit else key.rate_limit)
    before = key_snapshot(key)
    for field, value in values.items():
        setattr(key, field, value)
    key.save(update_fields=list(values))
    _audit(acting_user, "apikey.update", key, before=before, after=key_snapshot(key))
    return key


@transaction.atomic
def api_key_rotate(*, acting_user, key: InstitutionAPIKey, overlap_days: int | None = None
                   ) -> tuple[InstitutionAPIKey, str]:
    """A new key with the old one's name, scopes, allow-list and rate, valid for the default
    lifetime; the old key keeps working for `overlap_days` more (0: it stops at once)."""
    _check_manages(acting_user, key.institution)
    key = InstitutionAPIKey.objects.select_for_update().select_related("institution").get(pk=key.pk)
    if overlap_days is None:
        overlap_days = settings.APIKEYS_ROTATION_OVERLAP_DAYS
    if overlap_days not in ROTATION_OVERLAP_CHOICES:
        raise DomainError(_("过渡期须为 %(c)s 天之一。") % {"c": "/".join(str(d) for d in ROTATION_OVERLAP_CHOICES)},
                          field="overlap_days")
    if key.state() != KeyState.ACTIVE:
        raise DomainError(_("此密钥%(s)s，不能轮换；请新建密钥。") % {"s": key.state_label}, code="key_not_active")
    before = key_snapshot(key)
    now = timezone.now()
    new, plain = InstitutionAPIKey.objects.create_key(
        institution=key.institution, created_by=acting_user, name=key.name, scopes=list(key.scopes),
        allowed_networks=list(key.allowed_networks), rate_limit=key.rate_limit,
        expiry_date=end_of_day(default_expires_on()))
    key.replaced_by = new
    key.rotated_at = now
    key.expiry_date = min(key.expiry_date, now + datetime.timedelta(days=overlap_days))
    key.save(update_fields=["replaced_by", "rotated_at", "expiry_date"])
    note = (_("旧密钥立即停用") if overlap_days == 0
            else _("旧密钥过渡 %(d)d 天，至 %(at)s") % {"d": overlap_days,
                                                    "at": timezone.localtime(key.expiry_date).strftime("%Y-%m-%d %H:%M")})
    _audit(acting_user, "apikey.rotate", key, before=before, after=key_snapshot(key), note=note)
    _audit(acting_user, "apikey.create", new, after=key_snapshot(new), note=_("轮换自 %(p)s") % {"p": key.prefix})
    return new, plain


@transaction.atomic
def api_key_revoke(*, acting_user, key: InstitutionAPIKey, reason: str) -> InstitutionAPIKey:
    """Revoke at once and for good: the next call with the key is refused."""
    _check_manages(acting_user, key.institution)
    key = InstitutionAPIKey.objects.select_for_update().select_related("institution").get(pk=key.pk)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤销原因。"), field="reason")
    if key.revoked:
        raise DomainError(_("此密钥已撤销。"), code="key_revoked")
    before = key_snapshot(key)
    key.revoked = True
    key.revoked_at = timezone.now()
    key.revoked_by = acting_user
    key.revoked_reason = reason[:200]
    key.save(update_fields=["revoked", "revoked_at", "revoked_by", "revoked_reason"])
    _audit(acting_user, "apikey.revoke", key, before=before, after=key_snapshot(key), note=reason[:200])
    return key


def api_key_mark_used(*, key: InstitutionAPIKey, ip: str | None, now: datetime.datetime | None = None) -> bool:
    """Record that the key was used: at most once a minute per key (`APIKEYS_LAST_USED_INTERVAL`),
    by one guarded UPDATE of two columns, never a save of the row; not audited (it is use, not a
    change). Returns whether the row was written."""
    now = now or timezone.now()
    interval = datetime.timedelta(seconds=settings.APIKEYS_LAST_USED_INTERVAL)
    if key.last_used_at is not None and now - key.last_used_at < interval:
        return False
    written = InstitutionAPIKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - interval)).update(last_used_at=now, last_used_ip=ip)
    if written:
        key.last_used_at, key.last_used_ip = now, ip
    return bool(written)


@transaction.atomic
def legacy_cutoff_set(*, acting_user, cutoff: datetime.date | None) -> LegacyTokenPolicy:
    """Set (or clear) the day from which DRF's legacy tokens are refused. System administrator only."""
    if not is_system_administrator(acting_user):
        raise AccessDenied(_("只有系统管理员可以设置旧式令牌的停用日期。"))
    LegacyTokenPolicy.current()
    policy = LegacyTokenPolicy.objects.select_for_update().get(pk=1)
    before = {"cutoff": policy.cutoff.isoformat() if policy.cutoff else None}
    policy.cutoff = cutoff
    policy.updated_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    policy.save()
    audit_record(actor=acting_user, action="apikeys.legacy_cutoff.update", obj=policy, before=before,
                 after={"cutoff": cutoff.isoformat() if cutoff else None})
    return policy


@transaction.atomic
def key_administrator_assign(*, acting_user, user, institution: Institution) -> KeyAdministrator:
    if not is_system_administrator(acting_user):
        raise AccessDenied(_("只有系统管理员可以指定密钥管理员。"))
    admin = KeyAdministrator(user=user, institution=institution)
    from django.core.exceptions import ValidationError

    try:
        admin.full_clean()
    except ValidationError as error:
        raise DomainError(_("请更正标出的错误。"), errors={k: [str(m) for m in v]
                                                        for k, v in error.message_dict.items()}) from None
    admin.save()
    audit_record(actor=acting_user, action="keyadministrator.create", obj=admin,
                 after={"user": user.pk, "institution": institution.pk})
    return admin


@transaction.atomic
def key_administrator_remove(*, acting_user, administrator: KeyAdministrator) -> None:
    if not is_system_administrator(acting_user):
        raise AccessDenied(_("只有系统管理员可以撤销密钥管理员。"))
    audit_record(actor=acting_user, action="keyadministrator.delete", obj=administrator,
                 before={"user": administrator.user_id, "institution": administrator.institution_id})
    administrator.delete()


# Failed authentications ---------------------------------------------------------------------------------

# Every refused call is a WARNING here (the full record, at the rate it comes); the audit log gets at most
# one row per key (or, for a key that does not exist, per client address) and reason a minute, so a
# flood of bad calls cannot fill it, nor queue every request on the audit chain's lock.
auth_failure_logger = logging.getLogger("apikeys.auth")
AUTH_FAILURE_AUDIT_SECONDS = 60


class AuthFailure:
    """Why a call with an API key was refused (the audit row's `reason`)."""

    UNKNOWN = "unknown"  # no key with this prefix, or not a key at all
    WRONG_SECRET = "wrong_secret"  # noqa: S105 - a reason, no secret: the prefix of a key, the rest not its secret
    REVOKED = "revoked"
    EXPIRED = "expired"
    ROTATED = "rotated"  # replaced, and its overlap is over
    ADDRESS = "address"  # called from outside its allow-list
    SCOPE = "scope"  # the endpoint needs a scope the key does not hold
    NOT_OPEN = "not_open"  # the endpoint declares no scope: closed to keys
    ACCOUNT_INACTIVE = "account_inactive"  # the institution's service account is missing or disabled


_PREFIX = re.compile(r"^[A-Za-z0-9]{1,8}$")


def api_key_auth_failure_record(*, reason: str, address: str | None, key: InstitutionAPIKey | None = None,
                                prefix: str | None = None, method: str = "", path: str = "",
                                scope: str | None = None) -> bool:
    """Keep a refused API call: a WARNING on the `apikeys.auth` logger each time, and an audit row
    (`apikey.auth_failure`, no actor) at most once a minute per (key prefix, reason) — per (client
    address, reason) when no key has the prefix, since an unknown caller can make up prefixes without
    end. The key itself never goes anywhere: `prefix` is the part before the dot as sent, kept only when
    it has a prefix's shape. Returns whether an audit row was written.

    While the cache is out of reach (portal.cache answers `add` with False) no row is written; the log
    lines still are."""
    prefix = key.prefix if key is not None else (prefix if prefix and _PREFIX.match(prefix) else None)
    path = (path or "")[:200]  # the caller's to choose: kept short, and logged quoted (no line breaks)
    subject = f"key:{key.prefix}" if key is not None else f"ip:{address or '?'}"
    audited = cache.add(f"apikeys:auth-failure:{reason}:{subject}", 1, timeout=AUTH_FAILURE_AUDIT_SECONDS)
    auth_failure_logger.warning(
        "API key refused: reason=%s prefix=%s address=%s method=%s path=%r scope=%s audited=%s",
        reason, prefix or "-", address or "-", method or "-", path, scope or "-", "yes" if audited else "no")
    if not audited:
        return False
    after = {"reason": reason, "prefix": prefix, "address": address, "method": method, "path": path}
    if scope is not None:
        after["scope"] = scope
    if key is not None:
        after["institution"] = key.institution_id
    audit_record(actor=None, action="apikey.auth_failure", object_type=InstitutionAPIKey._meta.label_lower,
                 object_id=prefix or "",
                 object_repr=f"{key.institution} · {key.name} · {key.prefix}" if key is not None else (prefix or ""),
                 after=after,
                 note=f"at most one row per {'key' if key is not None else 'address'} and reason "
                      f"every {AUTH_FAILURE_AUDIT_SECONDS} s; each refusal is logged (apikeys.auth)")
    return True
