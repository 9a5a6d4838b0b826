"""An administrator's reset of another user's second factor: only the administrator role, never one's
own, always with a reason, and written in the audit log where the administrator reads it."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.demo.accounts import admin_permissions
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog
from twofactor import services
from twofactor.models import RecoveryCode, RecoveryCodeDevice

from .conftest import code_for, enrol, recovery_codes, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_phone(world):
    """A bank officer with an authenticator and recovery codes, and a verified administrator."""
    enrol(world.bank_officer)
    recovery_codes(world.bank_officer)
    admin_device = enrol(world.admin, key="3132333435363738393031323334353637383931")
    return signed_in(world.admin, admin_device)


def test_the_administrator_resets_with_a_reason_and_the_user_enrols_again(world, required, lost_phone):
    admin = lost_phone
    # when the administrator opens the reset page and gives a reason
    page = admin.get(reverse("twofactor:reset", args=[world.bank_officer.pk]))
    assert page.status_code == 200
    assert "t_bank" in page.content.decode()
    response = admin.post(reverse("twofactor:reset", args=[world.bank_officer.pk]),
                          {"reason": "手机丢失，本人到窗口核实身份"}, follow=True)
    # then the officer's authenticator and recovery codes are gone
    assert response.redirect_chain == [(reverse("twofactor:account_list"), 302)]
    assert not TOTPDevice.objects.filter(user=world.bank_officer).exists()
    assert not RecoveryCodeDevice.objects.filter(user=world.bank_officer).exists()
    assert not RecoveryCode.objects.filter(device__user=world.bank_officer).exists()
    # and the officer's next sign-in enrols again
    assert signed_in(world.bank_officer).get(reverse("home"))["Location"].startswith(reverse("twofactor:setup"))
    # and the audit log has who, whom and why
    row = AuditLog.objects.get(action="twofactor.reset")
    assert (row.actor_id, row.object_type, row.object_id, row.note) == (
        world.admin.pk, "auth.user", str(world.bank_officer.pk), "手机丢失，本人到窗口核实身份")
    assert row.before == {"authenticator": True, "recovery_left": 10}
    # where the administrator reads it
    log = admin.get(reverse("audit_list")).content.decode()
    assert "twofactor.reset" in log
    assert "手机丢失，本人到窗口核实身份" in log


def test_a_reset_needs_a_reason(world, required, lost_phone):
    response = lost_phone.post(reverse("twofactor:reset", args=[world.bank_officer.pk]), {"reason": "  "})
    assert response.status_code == 200
    assert "请填写重置原因。" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.bank_officer).exists()
    with pytest.raises(DomainError):
        services.second_factor_reset(actor=world.admin, user=world.bank_officer, reason="")
    assert not AuditLog.objects.filter(action="twofactor.reset").exists()


@pytest.mark.parametrize("who", ["org_staff", "bank2_officer", "town_staff", "enterprise_user", "leader"])
def test_no_one_but_the_administrator_may_reset(world, who):
    # given a user of another role, even one who may see everything of the registry
    user = getattr(world, who)
    enrol(world.bank_officer)
    client = signed_in(user)
    # then the list and the reset are refused, by the page and by the service
    assert client.get(reverse("twofactor:account_list")).status_code == 403
    assert client.post(reverse("twofactor:reset", args=[world.bank_officer.pk]), {"reason": "x"}).status_code == 403
    with pytest.raises(AccessDenied):
        services.second_factor_reset(actor=user, user=world.bank_officer, reason="x")
    assert TOTPDevice.objects.filter(user=world.bank_officer).exists()


def test_a_staff_account_without_the_administrator_role_may_not_reset(world):
    user = world.cadre
    user.is_staff = True
    user.save()
    with pytest.raises(AccessDenied):
        services.second_factor_reset(actor=user, user=world.bank_officer, reason="x")


def test_the_administrator_cannot_reset_their_own(world, required, lost_phone):
    response = lost_phone.post(reverse("twofactor:reset", args=[world.admin.pk]), {"reason": "x"})
    assert response.status_code == 200
    assert "不能重置自己的第二重验证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.admin).exists()


def test_the_list_shows_each_account_and_offers_the_reset_where_there_is_something_to_reset(world, required,
                                                                                          lost_phone):
    body = lost_phone.get(reverse("twofactor:account_list")).content.decode()
    assert reverse("twofactor:reset", args=[world.bank_officer.pk]) in body
    assert reverse("twofactor:reset", args=[world.cadre.pk]) not in body  # nothing enrolled
    assert reverse("twofactor:reset", args=[world.admin.pk]) not in body  # one's own
    searched = lost_phone.get(reverse("twofactor:account_list") + "?q=t_bank2").content.decode()
    assert "t_bank2" in searched
    assert "t_cadre" not in searched


def test_the_admin_site_offers_the_reset_as_an_action_that_leads_to_the_page(world, required, lost_phone):
    admin = world.admin
    admin.is_staff = True
    admin.save()
    admin.user_permissions.set(admin_permissions())
    changelist = reverse("admin:auth_user_changelist")
    assert "reset_second_factor" in lost_phone.get(changelist).content.decode()
    response = lost_phone.post(changelist, {"action": "reset_second_factor",
                                            "_selected_action": [world.bank_officer.pk]})
    assert response["Location"] == reverse("twofactor:reset", args=[world.bank_officer.pk])
    # two at once: a word, no reset
    response = lost_phone.post(changelist, {"action": "reset_second_factor",
                                            "_selected_action": [world.bank_officer.pk, world.cadre.pk]}, follow=True)
    assert "请只选择一个账号" in response.content.decode()


def test_the_admin_site_offers_no_reset_to_staff_without_the_administrator_role(world):
    user = world.org_staff
    user.is_staff = True
    user.save()
    user.user_permissions.set(admin_permissions())
    body = signed_in(user).get(reverse("admin:auth_user_changelist")).content.decode()
    assert "reset_second_factor" not in body


def test_the_admin_site_no_longer_lists_django_otps_own_device_pages(world):
    from django.contrib import admin as django_admin

    assert not django_admin.site.is_registered(TOTPDevice)
    assert not django_admin.site.is_registered(RecoveryCodeDevice)
    assert not django_admin.site.is_registered(RecoveryCode)


def test_the_reset_code_path_verifies_a_fresh_admin_session_first(world, required):
    # the administrator's own session must pass the second factor before the reset page opens
    enrol(world.admin)
    client = signed_in(world.admin)
    assert client.get(reverse("twofactor:account_list"))["Location"].startswith(reverse("twofactor:verify"))
    client.post(reverse("twofactor:verify"), {"code": code_for()})
    assert client.get(reverse("twofactor:account_list")).status_code == 200
