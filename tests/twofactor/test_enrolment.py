"""Enrolment: the QR code and the secret come from the portal, only the right first code binds the
authenticator, and the ten recovery codes are shown once."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditLog
from twofactor import rules
from twofactor.models import RecoveryCode
from twofactor.views import FRESH_CODES, PENDING_KEY

from .conftest import code_for, codes_kept, enrol, signed_in

pytestmark = pytest.mark.django_db


def _secret(response) -> str:
    match = re.search(r'id="twofactor-secret">([A-Z2-7 ]+)<', response.content.decode())
    return match.group(1)


def test_the_page_shows_a_qr_code_drawn_by_the_portal_and_the_secret_in_groups(world, required):
    client = signed_in(world.org_staff)
    response = client.get(reverse("twofactor:setup"))
    body = response.content.decode()
    assert response.status_code == 200
    # an inline SVG, no image from elsewhere and no data: address
    assert '<svg' in body
    assert 'class="twofactor-qr-svg"' in body
    assert "data:image" not in body
    assert "chart.googleapis" not in body
    # the secret in groups of four, the same as the key kept in the session
    secret = _secret(response)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
    assert rules.base32_to_hex(secret) == client.session[PENDING_KEY]
    # and reloading keeps the same secret (the app may already hold it)
    assert _secret(client.get(reverse("twofactor:setup"))) == secret
    # before the second factor the menu offers nothing but the user's sign-out and language
    assert 'href="/enterprises/"' not in body


def test_a_wrong_first_code_binds_nothing_and_says_why_at_the_field(world, required):
    client = signed_in(world.org_staff)
    key = client.get(reverse("twofactor:setup")) and client.session[PENDING_KEY]
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("twofactor:setup"), {"code": wrong, "next": "/"})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.org_staff).exists()
    assert AuditLog.objects.filter(action="twofactor.fail", object_id=str(world.org_staff.pk)).count() == 1
    # and the session is still held
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("typed", ["", "12345", "abcd-efgh"])
def test_a_first_code_that_is_not_six_digits_is_refused_at_the_field(world, required, typed):
    client = signed_in(world.org_staff)
    client.get(reverse("twofactor:setup"))
    response = client.post(reverse("twofactor:setup"), {"code": typed})
    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.org_staff).exists()


def test_the_right_first_code_binds_the_authenticator_and_shows_ten_recovery_codes_once(world, required):
    # given an org staff member on the enrolment page
    client = signed_in(world.org_staff)
    client.get(reverse("twofactor:setup"))
    key = client.session[PENDING_KEY]
    # when the code the app shows is typed
    response = client.post(reverse("twofactor:setup"), {"code": code_for(key), "next": "/enterprises/"})
    # then the authenticator is bound and the session has passed
    device = TOTPDevice.objects.get(user=world.org_staff)
    assert device.confirmed
    assert device.key == key
    assert client.session["otp_device_id"] == device.persistent_id
    assert PENDING_KEY not in client.session
    # and the recovery codes page follows, keeping where the user was going
    assert response["Location"] == f"{reverse('twofactor:recovery_codes')}?next=%2Fenterprises%2F"
    page = client.get(response["Location"]).content.decode()
    shown = re.findall(r"<li>([a-z2-7]{5}-[a-z2-7]{5})</li>", page)
    assert len(shown) == 10 == len(set(shown))
    typed = sorted(c.replace("-", "") for c in shown)
    assert codes_kept(world.org_staff, typed) == typed
    assert RecoveryCode.objects.filter(device__user=world.org_staff).count() == 10
    # and they can be downloaded as text while shown
    download = client.get(reverse("twofactor:recovery_codes_download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert all(code in download.content.decode() for code in shown)
    # once dismissed, they are never shown again
    response = client.post(reverse("twofactor:recovery_codes"), {"next": "/enterprises/"})
    assert response["Location"] == "/enterprises/"
    assert FRESH_CODES not in client.session
    assert client.get(reverse("twofactor:recovery_codes"))["Location"] == reverse("twofactor:security")
    assert client.get(reverse("twofactor:recovery_codes_download"))["Location"] == reverse("twofactor:security")
    # the portal opens, and the enrolment is in the audit log
    assert client.get("/enterprises/").status_code == 200
    assert AuditLog.objects.filter(action="twofactor.enrol", object_id=str(world.org_staff.pk)).count() == 1


def test_the_code_that_confirmed_the_authenticator_cannot_sign_in_again(world, required):
    client = signed_in(world.org_staff)
    client.get(reverse("twofactor:setup"))
    code = code_for(client.session[PENDING_KEY])
    client.post(reverse("twofactor:setup"), {"code": code})
    other = signed_in(world.org_staff)
    response = other.post(reverse("twofactor:verify"), {"code": code})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()


def test_someone_with_the_password_alone_cannot_bind_a_phone_over_the_owners(world, required):
    # given an enrolled bank officer and a session that has only the password
    enrol(world.bank_officer)
    client = signed_in(world.bank_officer)
    # then the enrolment page leads to the code page, and a posted code binds nothing
    assert client.get(reverse("twofactor:setup"))["Location"].startswith(reverse("twofactor:verify"))
    client.post(reverse("twofactor:setup"), {"code": "123456"})
    assert TOTPDevice.objects.filter(user=world.bank_officer).count() == 1


def test_a_verified_user_replaces_the_authenticator_and_keeps_the_recovery_codes(world, required):
    # given a verified bank officer with recovery codes
    old = enrol(world.bank_officer)
    from .conftest import recovery_codes

    codes = recovery_codes(world.bank_officer)
    client = signed_in(world.bank_officer, old)
    # when a new phone is bound
    client.get(reverse("twofactor:setup"))
    key = client.session[PENDING_KEY]
    response = client.post(reverse("twofactor:setup"), {"code": code_for(key), "next": reverse("twofactor:security")})
    # then the old authenticator is gone, the new one verifies this session, the codes stay
    assert response["Location"] == reverse("twofactor:security")
    assert list(TOTPDevice.objects.filter(user=world.bank_officer).values_list("key", flat=True)) == [key]
    assert client.get(reverse("home")).status_code == 200
    assert codes_kept(world.bank_officer, codes) == sorted(codes)
    assert AuditLog.objects.filter(action="twofactor.replace").count() == 1


def test_next_may_not_lead_to_another_site(world, required):
    client = signed_in(world.org_staff)
    client.get(reverse("twofactor:setup"))
    response = client.post(reverse("twofactor:setup"), {"code": code_for(client.session[PENDING_KEY]),
                                                        "next": "https://evil.example/"})
    assert response["Location"] == f"{reverse('twofactor:recovery_codes')}?next=%2Faccounts%2Ftwo-factor%2F"
