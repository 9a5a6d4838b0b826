"""The demo: the accounts of the required roles get the published demo authenticator, the accounts table
says which sign-ins ask for a code and how to get one, and `manage.py demo_otp_code` prints it."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from twofactor import rules
from twofactor.models import RecoveryCodeDevice

from .conftest import code_for

pytestmark = pytest.mark.django_db

NEED_A_CODE = {"admin", "orgstaff", "bank", "bank2", "insurer"}


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--enterprises", "30", *args, stdout=out)
    return out.getvalue()


def test_the_accounts_of_the_required_roles_get_the_demo_authenticator(required):
    # when the demo is seeded under the production requirement
    output = seed()
    # then exactly the administrator, org staff, bank and insurer accounts have the demo key, confirmed
    devices = TOTPDevice.objects.select_related("user")
    assert {d.user.username for d in devices} == NEED_A_CODE
    assert {(d.key, d.confirmed) for d in devices} == {(rules.base32_to_hex(DEMO_TOTP_SECRET), True)}
    # and no recovery codes (see twofactor/demo.py)
    assert not RecoveryCodeDevice.objects.exists()
    # and the table printed by the command says which sign-ins ask for a code, and how to get it
    lines = {line.split()[0]: line.split() for line in output.splitlines() if line.split()
             and line.split()[0] in {"admin", "orgstaff", "townstaff", "bank", "bank2", "insurer", "enterprise"}}
    assert all(lines[name][-1] == "需要" for name in NEED_A_CODE)
    assert lines["townstaff"][-1] == "—"
    assert lines["enterprise"][-1] == "—"
    assert DEMO_TOTP_SECRET in output
    assert "manage.py demo_otp_code" in output


def test_the_table_is_printed_with_if_empty_too(required):
    seed()
    output = seed("--if-empty")
    assert "未生成演示数据" in output
    assert DEMO_TOTP_SECRET in output
    assert "验证码" in output


def test_without_the_requirement_the_demo_has_no_authenticator_and_the_table_no_column():
    output = seed()
    assert not TOTPDevice.objects.exists()
    assert DEMO_TOTP_SECRET not in output
    assert "验证码" not in output


def test_the_demo_code_command_prints_the_current_code_of_the_demo_secret():
    out = StringIO()
    call_command("demo_otp_code", stdout=out)
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    key = rules.base32_to_hex(DEMO_TOTP_SECRET)
    assert code in {code_for(key, steps=-1), code_for(key), code_for(key, steps=1)}


def test_a_demo_administrator_signs_in_with_the_password_and_the_printed_code(required):
    # given the seeded demo
    seed()
    client = Client()
    # when the administrator signs in with the published password
    response = client.post(reverse("login"), {"username": "admin", "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("twofactor:verify"))
    # and types the code the command prints
    out = StringIO()
    call_command("demo_otp_code", stdout=out)
    response = client.post(reverse("twofactor:verify"), {"code": out.getvalue().strip(), "next": "/"})
    # then the portal opens
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_scripts_that_sign_in_to_the_demo_carry_the_demo_secret():
    # they run against a portal over HTTP, without Django: the secret is written in them as the password is
    root = Path(settings.BASE_DIR) / "scripts"
    for name in ("screenshots.py", "a11y_report.py"):
        assert DEMO_TOTP_SECRET in (root / name).read_text(encoding="utf-8"), name
