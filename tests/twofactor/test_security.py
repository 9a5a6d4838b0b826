"""The account security page: the state of one's second factor, turning it on by choice, making new
recovery codes and turning it off, each after a code and only where the rules allow."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.errors import DomainError
from portal.models import AuditLog
from twofactor import services
from twofactor.models import RecoveryCode, RecoveryCodeDevice
from twofactor.views import FRESH_CODES, PENDING_KEY

from .conftest import code_for, codes_kept, enrol, recovery_codes, signed_in

pytestmark = pytest.mark.django_db


def test_the_page_says_whether_it_is_on_and_required(world, required):
    # an enterprise user: optional, off
    body = signed_in(world.enterprise_user).get(reverse("twofactor:security")).content.decode()
    assert "未开启" in body
    assert "可自行选择" in body
    assert reverse("twofactor:setup") in body
    # a bank officer: required, on, with the recovery codes counted
    device = enrol(world.bank_officer)
    recovery_codes(world.bank_officer)
    body = signed_in(world.bank_officer, device).get(reverse("twofactor:security")).content.decode()
    assert "已开启" in body
    assert "必须使用第二重验证" in body
    assert "剩余 10 个（共 10 个）" in body
    assert 'id="turn-off-refused"' in body
    assert reverse("twofactor:turn_off") not in body


def test_the_user_menu_offers_account_security_to_everyone(world):
    body = signed_in(world.leader).get(reverse("home")).content.decode()
    assert f'href="{reverse("twofactor:security")}"' in body


def test_an_optional_role_turns_it_on_and_from_then_on_signs_in_with_a_code(world, required):
    # given an enterprise user, whose role does not require it
    client = signed_in(world.enterprise_user)
    assert client.get(reverse("home")).status_code == 200
    # when they enrol from the account security page
    client.get(reverse("twofactor:setup"))
    client.post(reverse("twofactor:setup"), {"code": code_for(client.session[PENDING_KEY])})
    assert TOTPDevice.objects.filter(user=world.enterprise_user, confirmed=True).count() == 1
    # then their next sign-in asks for a code
    later = signed_in(world.enterprise_user)
    assert later.get(reverse("home"))["Location"].startswith(reverse("twofactor:verify"))


def test_an_optional_role_turns_it_off_with_a_code(world, required):
    # given an enterprise user who turned it on, with recovery codes, verified
    device = enrol(world.enterprise_user)
    recovery_codes(world.enterprise_user)
    client = signed_in(world.enterprise_user, device)
    # when a wrong code is given, nothing changes and the field says why
    response = client.post(reverse("twofactor:turn_off"), {"turn_off-code": "000000" if code_for(steps=1) != "000000"
                                                           else "111111"})
    assert "验证码不正确" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.enterprise_user).exists()
    # when the right one is given (after the throttle's wait)
    TOTPDevice.objects.filter(user=world.enterprise_user).update(throttling_failure_count=0)
    response = client.post(reverse("twofactor:turn_off"), {"turn_off-code": code_for(steps=1)})
    # then the authenticator and the recovery codes are gone, and the password alone signs in
    assert response["Location"] == reverse("twofactor:security")
    assert not TOTPDevice.objects.filter(user=world.enterprise_user).exists()
    assert not RecoveryCodeDevice.objects.filter(user=world.enterprise_user).exists()
    assert signed_in(world.enterprise_user).get(reverse("home")).status_code == 200
    assert AuditLog.objects.filter(action="twofactor.turn_off", object_id=str(world.enterprise_user.pk)).count() == 1


@pytest.mark.parametrize("who", ["bank_officer", "org_staff", "insurer_officer", "admin"])
def test_a_required_role_cannot_turn_it_off(world, required, who):
    user = getattr(world, who)
    device = enrol(user)
    client = signed_in(user, device)
    response = client.post(reverse("twofactor:turn_off"), {"turn_off-code": code_for(steps=1)}, follow=True)
    assert response.redirect_chain == [(reverse("twofactor:security"), 302)]
    assert "您的角色要求第二重验证，不能关闭。" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()
    with pytest.raises(DomainError):
        services.second_factor_turn_off(user=user, code=code_for(steps=1))
    assert not AuditLog.objects.filter(action="twofactor.turn_off").exists()


def test_new_recovery_codes_need_a_code_and_replace_the_old_ones(world, required):
    # given a verified bank officer with recovery codes
    device = enrol(world.bank_officer)
    old = recovery_codes(world.bank_officer)
    client = signed_in(world.bank_officer, device)
    # when new ones are asked for with a wrong code, nothing changes
    response = client.post(reverse("twofactor:recovery_regenerate"), {"regenerate-code": "zzzzz-zzzzz"})
    assert "恢复码不正确" in response.content.decode()
    assert codes_kept(world.bank_officer, old) == sorted(old)
    # when asked with the app's code
    response = client.post(reverse("twofactor:recovery_regenerate"), {"regenerate-code": code_for(steps=1)})
    # then ten new codes are shown once, and the old ones no longer work
    assert response["Location"].startswith(reverse("twofactor:recovery_codes"))
    new = client.session[FRESH_CODES]
    assert len(new) == 10
    assert not set(new) & set(old)
    assert codes_kept(world.bank_officer, old + new) == sorted(new)
    assert RecoveryCode.objects.filter(device__user=world.bank_officer).count() == 10
    assert AuditLog.objects.filter(action="twofactor.recovery_regenerate").count() == 1
    # the session stays verified
    assert client.get(reverse("home")).status_code == 200


def test_new_recovery_codes_keep_a_session_verified_by_a_recovery_code(world, required):
    enrol(world.bank_officer)
    codes = recovery_codes(world.bank_officer)
    client = signed_in(world.bank_officer)
    client.post(reverse("twofactor:verify"), {"code": codes[0]})
    client.post(reverse("twofactor:recovery_regenerate"), {"regenerate-code": code_for()})
    assert client.get(reverse("home")).status_code == 200


def test_new_recovery_codes_need_an_authenticator(world):
    with pytest.raises(DomainError):
        services.recovery_codes_regenerate(user=world.cadre, code="123456")


def test_the_action_addresses_opened_with_get_lead_to_the_page(world):
    client = signed_in(world.cadre)
    assert client.get(reverse("twofactor:turn_off"))["Location"] == reverse("twofactor:security")
    assert client.get(reverse("twofactor:recovery_regenerate"))["Location"] == reverse("twofactor:security")
