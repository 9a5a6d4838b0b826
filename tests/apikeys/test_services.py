"""The writes of the key administration: the service account, rotation, revocation, the checks each
service makes itself, and the race of two first keys."""

import datetime

import pytest
from django.utils import timezone

from apikeys import services
from apikeys.models import InstitutionAPIKey, KeyAdministrator, ServiceAccount
from apikeys.scopes import ELIGIBILITY_READ
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog
from tests.threads import race

from .conftest import make_key

pytestmark = pytest.mark.django_db


def test_the_first_key_makes_the_service_account_and_later_keys_reuse_it(world):
    make_key(world, world.bank)
    make_key(world, world.bank)
    account = ServiceAccount.objects.get(institution=world.bank)
    assert account.user.username == "api-b01"
    assert (account.user.last_name, account.user.first_name) == ("农商银行", "接口账号")
    assert not account.user.has_usable_password()
    assert not account.user.is_staff
    assert AuditLog.objects.filter(action="apikeys.service_account.create").count() == 1


def test_an_insurers_service_account_is_an_insurer_officer(world):
    make_key(world, world.insurer, scopes=[ELIGIBILITY_READ])
    user = ServiceAccount.objects.get(institution=world.insurer).user
    assert list(user.role_assignments.values_list("role", "institution")) == [("insurer_officer", world.insurer.pk)]


def test_a_service_account_cannot_be_a_key_administrator(world):
    make_key(world, world.bank)
    account = ServiceAccount.objects.get(institution=world.bank).user
    with pytest.raises(DomainError) as refused:
        services.key_administrator_assign(acting_user=world.admin, user=account, institution=world.bank)
    assert refused.value.errors == {"user": ["接口服务账号不能担任密钥管理员。"]}


def test_a_key_administrator_must_be_an_officer_of_the_institution(world):
    with pytest.raises(DomainError) as refused:
        services.key_administrator_assign(acting_user=world.admin, user=world.bank2_officer, institution=world.bank)
    assert refused.value.errors == {"user": ["密钥管理员须是该机构的银行客户经理或保险公司业务员。"]}
    with pytest.raises(AccessDenied):
        services.key_administrator_assign(acting_user=world.bank_officer, user=world.bank_officer,
                                          institution=world.bank)
    services.key_administrator_assign(acting_user=world.admin, user=world.bank_officer, institution=world.bank)
    assert KeyAdministrator.objects.filter(user=world.bank_officer, institution=world.bank).exists()


def test_the_services_check_the_acting_user_themselves(world):
    key, _plain = make_key(world, world.bank)
    for call in (
        lambda: make_key(world, world.bank, by=world.bank_officer),  # not (yet) its key administrator
        lambda: services.api_key_revoke(acting_user=world.org_staff, key=key, reason="x"),
        lambda: services.api_key_rotate(acting_user=world.bank2_officer, key=key),
    ):
        with pytest.raises(AccessDenied):
            call()
    assert InstitutionAPIKey.objects.get(pk=key.pk).state() == "active"


def test_a_key_administrator_may_not_raise_a_keys_rate(world):
    KeyAdministrator.objects.create(user=world.bank_officer, institution=world.bank)
    with pytest.raises(AccessDenied):
        make_key(world, world.bank, by=world.bank_officer, rate_limit=100000)


def test_rotation_keeps_the_settings_and_gives_a_fresh_lifetime(world):
    key, _plain = make_key(world, world.bank, networks="10.8.0.0/16", expires_on=timezone.localdate()
                           + datetime.timedelta(days=3))
    new, plain = services.api_key_rotate(acting_user=world.admin, key=key, overlap_days=7)
    old = InstitutionAPIKey.objects.get(pk=key.pk)
    assert (new.scopes, new.allowed_networks, new.name) == (old.scopes, old.allowed_networks, old.name)
    assert new.expires_on == timezone.localdate() + datetime.timedelta(days=365)
    # the overlap never outlives the old key's own expiry: it ended in three days anyway
    assert old.expires_on == timezone.localdate() + datetime.timedelta(days=3)
    assert old.replaced_by == new
    assert plain.startswith(new.prefix + ".")
    with pytest.raises(DomainError):
        services.api_key_rotate(acting_user=world.admin, key=old, overlap_days=7)


@pytest.mark.parametrize("overlap", [2, 365, -1])
def test_an_overlap_outside_the_offered_ones_is_refused(world, overlap):
    key, _plain = make_key(world, world.bank)
    with pytest.raises(DomainError) as refused:
        services.api_key_rotate(acting_user=world.admin, key=key, overlap_days=overlap)
    assert "overlap_days" in refused.value.errors


def test_a_revoked_key_stays_revoked_and_is_not_edited(world):
    key, _plain = make_key(world, world.bank)
    services.api_key_revoke(acting_user=world.admin, key=key, reason="泄露")
    with pytest.raises(DomainError):
        services.api_key_revoke(acting_user=world.admin, key=key, reason="再撤销")
    with pytest.raises(DomainError):
        services.api_key_update(acting_user=world.admin, key=key, name="复活", scopes=[ELIGIBILITY_READ],
                                expires_on=timezone.localdate(), allowed_networks="")
    assert InstitutionAPIKey.objects.get(pk=key.pk).revoked


def test_the_last_use_is_written_only_when_a_minute_has_passed(world):
    key, _plain = make_key(world, world.bank)
    now = timezone.now()
    assert services.api_key_mark_used(key=key, ip="10.0.0.1", now=now) is True
    assert services.api_key_mark_used(key=key, ip="10.0.0.2", now=now + datetime.timedelta(seconds=59)) is False
    # another process's copy of the key, with no last use in memory: the guarded UPDATE still refuses
    stale = InstitutionAPIKey.objects.get(pk=key.pk)
    stale.last_used_at = None
    assert services.api_key_mark_used(key=stale, ip="10.0.0.3", now=now + datetime.timedelta(seconds=30)) is False
    assert services.api_key_mark_used(key=key, ip="10.0.0.4", now=now + datetime.timedelta(seconds=61)) is True
    assert InstitutionAPIKey.objects.get(pk=key.pk).last_used_ip == "10.0.0.4"


@pytest.mark.django_db(transaction=True)
def test_two_first_keys_at_once_make_one_service_account(world):
    results = race([lambda n=n: make_key(world, world.bank, name=f"系统{n}")[0].prefix for n in range(4)])
    assert [r[0] for r in results] == ["ok"] * 4
    assert ServiceAccount.objects.filter(institution=world.bank).count() == 1
    assert sorted(InstitutionAPIKey.objects.filter(institution=world.bank).values_list("name", flat=True)) == [
        "系统0", "系统1", "系统2", "系统3"]
