"""Demo data of the institution API keys: the demo `bank` account administers its bank's keys and
`insurer` its insurer's, and the demo administrator may name key administrators and set the legacy
tokens' cut-off in the admin site. No key is made: a key is shown once, to the person who makes
it, so a reviewer signs in as `bank` and makes one on the key page (README, "The API")."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from portal.demo import SeedContext, register_step

from .models import KeyAdministrator

ADMIN_PERMISSIONS = (
    ("keyadministrator", ("add", "view", "delete")),
    ("legacytokenpolicy", ("view", "change")),
    ("institutionapikey", ("view",)),
    ("serviceaccount", ("view",)),
)


@register_step(name="apikeys.administrators", label="机构接口密钥管理员")
def seed_key_administrators(ctx: SeedContext) -> None:
    pairs = [(ctx.users.get("bank"), ctx.banks[0] if ctx.banks else None),
             (ctx.users.get("insurer"), ctx.insurers[0] if ctx.insurers else None)]
    made = KeyAdministrator.objects.bulk_create([
        KeyAdministrator(user=user, institution=institution) for user, institution in pairs
        if user is not None and institution is not None])
    admin = ctx.users.get("admin")
    if admin is not None:
        admin.user_permissions.add(*[
            Permission.objects.get(content_type__app_label="apikeys", codename=f"{action}_{model}")
            for model, actions in ADMIN_PERMISSIONS for action in actions])
    ctx.count("密钥管理员", len(made))
