from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from portal.demo import DEMO_TOTP_SECRET
from twofactor.demo import demo_key_hex


class Command(BaseCommand):
    help = (
        f"打印演示账号当前的 6 位验证码（第二重验证），由公开的演示密钥 {DEMO_TOTP_SECRET} 算出；"
        "只读这个演示常量，不读数据库。 / Print the current 6-digit code of the demo accounts' "
        "authenticator, computed from the published demo secret."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", action="store_true",
                            help="在验证码后打印它还有几秒失效。 / Also print the seconds the code has left.")

    def handle(self, *args, seconds, **options):
        totp = TOTP(bytes.fromhex(demo_key_hex()), step=30)
        code = f"{totp.token():06d}"
        if seconds:
            left = 30 - int(totp.time) % 30
            code = f"{code} {left}"
        self.stdout.write(code)
