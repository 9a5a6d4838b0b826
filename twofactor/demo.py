"""The demo's authenticators: every demo account whose role must pass the second factor (under the
settings of the run) gets a confirmed authenticator with the published demo secret, so that the
accounts table can say "需要" and a reviewer can sign in with an app or `manage.py demo_otp_code`.

No recovery codes: a reviewer who wants to see them makes a set on the account security page (which
takes a code), and a published set would only be ten more ways into the demo administrator's account."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.demo import DEMO_TOTP_SECRET, SeedContext, register_step

from . import rules, selectors
from .services import AUTHENTICATOR_NAME


def demo_key_hex() -> str:
    return rules.base32_to_hex(DEMO_TOTP_SECRET)


@register_step(name="twofactor.devices", label="第二重验证")
def seed_demo_authenticators(ctx: SeedContext) -> None:
    key = demo_key_hex()
    devices = [
        TOTPDevice(user=user, name=AUTHENTICATOR_NAME, key=key, confirmed=True)
        for user in ctx.users.values()
        if selectors.second_factor_required(user)
    ]
    TOTPDevice.objects.bulk_create(devices)
    ctx.count("绑定演示验证器的账号", len(devices))
