"""The code page after the password: a code from the app or a recovery code (each once), a clear
message for a wrong one, django-otp's throttle after wrong ones, and an audit row for each."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditLog
from twofactor import rules, services
from twofactor.models import RecoveryCode, RecoveryCodeDevice

from .conftest import code_for, codes_kept, enrol, recovery_codes, signed_in

pytestmark = pytest.mark.django_db


def _audit(user, action):
    return list(AuditLog.objects.filter(action=action, object_id=str(user.pk)).order_by("pk"))


def _wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def _unthrottle(model, user):
    """As if the throttle's wait had passed."""
    model.objects.filter(user=user).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(days=1))


def test_the_code_of_the_app_signs_in(world, required):
    device = enrol(world.bank_officer)
    client = signed_in(world.bank_officer)
    response = client.post(reverse("twofactor:verify"), {"code": code_for(), "next": "/enterprises/"})
    assert (response.status_code, response["Location"]) == (302, "/enterprises/")
    assert client.session["otp_device_id"] == device.persistent_id
    assert [row.after for row in _audit(world.bank_officer, "twofactor.verify")] == [{"method": "totp"}]


def test_a_code_typed_with_a_space_signs_in(world, required):
    enrol(world.bank_officer)
    code = code_for()
    response = signed_in(world.bank_officer).post(reverse("twofactor:verify"), {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302


def test_a_wrong_code_is_refused_at_the_field_in_chinese_and_audited(world, required):
    enrol(world.bank_officer)
    client = signed_in(world.bank_officer)
    response = client.post(reverse("twofactor:verify"), {"code": _wrong(code_for())})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_code_error"' in body
    assert "验证码不正确" in body
    assert client.get(reverse("home")).status_code == 302
    assert [row.after for row in _audit(world.bank_officer, "twofactor.fail")] == [
        {"method": "totp", "purpose": "sign_in", "failures": 1}]


def test_wrong_codes_are_throttled_and_the_wait_is_said_and_audited(world, required):
    # given a bank officer who typed a wrong code
    enrol(world.bank_officer)
    client = signed_in(world.bank_officer)
    client.post(reverse("twofactor:verify"), {"code": _wrong(code_for())})
    # when even the right code is typed straight after
    response = client.post(reverse("twofactor:verify"), {"code": code_for()})
    # then it is refused until the wait has passed, and says so
    body = response.content.decode()
    assert "错误次数过多" in body
    assert "秒后再试" in body
    assert client.get(reverse("home")).status_code == 302
    assert len(_audit(world.bank_officer, "twofactor.throttled")) == 1
    # and each wrong code doubles the wait (django-otp: 1, 2, 4 ... seconds)
    for n in (2, 3, 4):
        _unthrottle(TOTPDevice, world.bank_officer)
        client.post(reverse("twofactor:verify"), {"code": _wrong(code_for())})
        assert TOTPDevice.objects.get(user=world.bank_officer).throttling_failure_count == n
    assert [row.after["failures"] for row in _audit(world.bank_officer, "twofactor.fail")] == [1, 2, 3, 4]
    device = TOTPDevice.objects.get(user=world.bank_officer)
    allowed, info = device.verify_is_allowed()
    assert not allowed
    assert info["locked_until"] - device.throttling_failure_timestamp == datetime.timedelta(seconds=8)
    # once the wait has passed, the right code signs in and clears the count
    _unthrottle(TOTPDevice, world.bank_officer)
    assert client.post(reverse("twofactor:verify"), {"code": code_for()}).status_code == 302
    assert TOTPDevice.objects.get(user=world.bank_officer).throttling_failure_count == 0


def test_each_recovery_code_signs_in_once_and_the_page_says_how_many_are_left(world, required):
    # given a bank officer with ten recovery codes
    enrol(world.bank_officer)
    codes = recovery_codes(world.bank_officer)
    client = signed_in(world.bank_officer)
    # when one is typed (as printed, with its dash)
    response = client.post(reverse("twofactor:verify"), {"code": rules.format_recovery_code(codes[0])}, follow=True)
    # then the session passes and the page says nine are left
    assert response.status_code == 200
    assert "已使用一个恢复码，还剩 9 个。" in response.content.decode()
    assert client.session["otp_device_id"] == RecoveryCodeDevice.objects.get(user=world.bank_officer).persistent_id
    assert RecoveryCode.objects.filter(device__user=world.bank_officer).count() == 9
    assert codes_kept(world.bank_officer, codes) == sorted(codes[1:])
    assert [row.after for row in _audit(world.bank_officer, "twofactor.recovery_use")] == [
        {"purpose": "sign_in", "recovery_left": 9}]
    # and the same code does not work a second time
    again = signed_in(world.bank_officer)
    response = again.post(reverse("twofactor:verify"), {"code": codes[0]})
    assert "恢复码不正确，或已经用过" in response.content.decode()
    assert again.get(reverse("home")).status_code == 302
    # while another one does
    _unthrottle(RecoveryCodeDevice, world.bank_officer)
    assert again.post(reverse("twofactor:verify"), {"code": codes[1]}).status_code == 302


def test_few_recovery_codes_left_asks_for_new_ones(world, required):
    enrol(world.bank_officer)
    codes = recovery_codes(world.bank_officer)
    for row in RecoveryCode.objects.filter(device__user=world.bank_officer):
        if not any(rules.recovery_code_matches(c, row.hashed) for c in codes[:3]):
            row.delete()
    assert codes_kept(world.bank_officer, codes) == sorted(codes[:3])
    response = signed_in(world.bank_officer).post(reverse("twofactor:verify"), {"code": codes[0]}, follow=True)
    body = response.content.decode()
    assert "还剩 2 个" in body
    assert "重新生成恢复码" in body


def test_a_wrong_recovery_code_counts_against_the_recovery_codes_only(world, required):
    enrol(world.bank_officer)
    recovery_codes(world.bank_officer)
    client = signed_in(world.bank_officer)
    client.post(reverse("twofactor:verify"), {"code": "zzzzz-zzzzz"})
    assert RecoveryCodeDevice.objects.get(user=world.bank_officer).throttling_failure_count == 1
    assert TOTPDevice.objects.get(user=world.bank_officer).throttling_failure_count == 0
    assert client.post(reverse("twofactor:verify"), {"code": code_for()}).status_code == 302


def test_a_recovery_code_without_any_left_is_refused(world, required):
    enrol(world.bank_officer)
    response = signed_in(world.bank_officer).post(reverse("twofactor:verify"), {"code": "abcde-fghij"})
    assert "恢复码不正确" in response.content.decode()


def test_the_code_page_of_a_user_who_needs_no_code_leads_on(world):
    # the suite's settings: a cadre without an authenticator needs no code
    response = signed_in(world.cadre).get(reverse("twofactor:verify") + "?next=/enterprises/")
    assert response["Location"] == "/enterprises/"


def test_two_sign_ins_with_one_code_let_one_through(world, required):
    # django-otp remembers the last step used: a code seen over a shoulder cannot be replayed
    enrol(world.bank_officer)
    code = code_for()
    first, second = signed_in(world.bank_officer), signed_in(world.bank_officer)
    assert first.post(reverse("twofactor:verify"), {"code": code}).status_code == 302
    assert second.post(reverse("twofactor:verify"), {"code": code}).status_code == 200


def test_the_check_service_refuses_what_is_not_a_code_without_counting_it(world):
    enrol(world.cadre)
    check = services.second_factor_check(user=world.cadre, code="hello")
    assert not check.ok
    assert check.message
    assert TOTPDevice.objects.get(user=world.cadre).throttling_failure_count == 0
    assert not AuditLog.objects.filter(action__startswith="twofactor.").exists()
