"""The key administration pages: who may open them, the key shown once, the institution boundary,
and the audit row of every action."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from apikeys.models import InstitutionAPIKey, KeyAdministrator, LegacyTokenPolicy
from apikeys.scopes import ELIGIBILITY_READ, INSURANCE_READ, LOAN_APPLICATIONS
from portal.models import AuditLog
from tests.access import AccessCase, case_id, run_access_case, users

from .conftest import key_client, make_key

pytestmark = pytest.mark.django_db

NOT_HERS = "the page of a new key, or the administrator's own setting: no institution's record is on it"


def key_url(name, attr="key_a"):
    return lambda w: reverse(f"apikeys:{name}", args=[getattr(w, attr).prefix])


def fresh_key_url(name):
    """A new key of bank for each request: every right user's rotation or revocation acts on a key of
    its own, and a refused user's request finds one still active."""
    return lambda w: reverse(f"apikeys:{name}", args=[make_key(w, w.bank, by=w.admin)[0].prefix])


def new_key_data(w):
    return {"institution": w.bank.pk, "name": "对账系统", "scopes": [ELIGIBILITY_READ],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(), "allowed_networks": ""}


def edit_data(w):
    return {"name": "信贷系统（已改名）", "scopes": [ELIGIBILITY_READ, LOAN_APPLICATIONS],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
            "allowed_networks": "10.8.0.0/16"}


KEY_ADMINS_ELSEWHERE = users("bank2_officer", "insurer_officer")
ACCESS_CASES = [
    AccessCase("apikeys:list", lambda w: reverse("apikeys:list"), right=users("admin", "bank_officer"),
               wrong=users("bank_plain_officer"), other_scope=KEY_ADMINS_ELSEWHERE, other_status=(200,),
               marker=lambda w: w.key_a.prefix),
    AccessCase("apikeys:create", lambda w: reverse("apikeys:create"),
               right=users("admin", "bank_officer", "bank2_officer", "insurer_officer"),
               wrong=users("bank_plain_officer"), why_no_other_scope=NOT_HERS),
    AccessCase("apikeys:create", lambda w: reverse("apikeys:create"), method="post", data=new_key_data,
               right=users("admin", "bank_officer"), wrong=users("bank_plain_officer"),
               other_scope=KEY_ADMINS_ELSEWHERE, label="POST apikeys:create for bank"),
    AccessCase("apikeys:update", key_url("update"), right=users("admin", "bank_officer"),
               wrong=users("bank_plain_officer"), other_scope=KEY_ADMINS_ELSEWHERE, marker=lambda w: w.key_a.name),
    AccessCase("apikeys:update", key_url("update"), method="post", data=edit_data, ok=(302,),
               right=users("admin", "bank_officer"), wrong=users("bank_plain_officer"),
               other_scope=KEY_ADMINS_ELSEWHERE),
    AccessCase("apikeys:rotate", key_url("rotate"), right=users("admin", "bank_officer"),
               wrong=users("bank_plain_officer"), other_scope=KEY_ADMINS_ELSEWHERE, marker=lambda w: w.key_a.name),
    AccessCase("apikeys:rotate", fresh_key_url("rotate"), method="post", data=lambda w: {"overlap_days": "7"},
               right=users("admin", "bank_officer"), wrong=users("bank_plain_officer"),
               other_scope=KEY_ADMINS_ELSEWHERE),
    AccessCase("apikeys:revoke", key_url("revoke"), right=users("admin", "bank_officer"),
               wrong=users("bank_plain_officer"), other_scope=KEY_ADMINS_ELSEWHERE, marker=lambda w: w.key_a.name),
    AccessCase("apikeys:revoke", fresh_key_url("revoke"), method="post", data=lambda w: {"reason": "对接系统下线"},
               ok=(302,), right=users("admin", "bank_officer"), wrong=users("bank_plain_officer"),
               other_scope=KEY_ADMINS_ELSEWHERE),
    AccessCase("apikeys:legacy", lambda w: reverse("apikeys:legacy"), right=users("admin"),
               wrong=users("bank_officer", "bank_plain_officer", "insurer_officer"), why_no_other_scope=NOT_HERS),
    AccessCase("apikeys:legacy", lambda w: reverse("apikeys:legacy"), method="post", data=lambda w: {"cutoff": ""},
               ok=(302,), right=users("admin"), wrong=users("bank_officer", "bank_plain_officer", "insurer_officer"),
               why_no_other_scope=NOT_HERS),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, kworld):
    run_access_case(case, kworld)


def shown_key(response) -> str:
    match = re.search(r'id="api-key-value" value="([^"]+)"', response.content.decode())
    assert match, "the page shows no key"
    return match.group(1)


# --- the key shown once ---------------------------------------------------------------------------


def test_a_new_key_is_shown_once_works_and_is_never_shown_again(kworld, client):
    w = kworld
    client.force_login(w.bank_officer)
    # when the key administrator makes a key
    response = client.post(reverse("apikeys:create"), new_key_data(w))
    # then the answer shows the full key, is not cached, and the key works at once
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    plain = shown_key(response)
    assert key_client(plain).get(reverse("api:eligibility", args=[w.ent_a.uscc])).status_code == 200
    # and no page shows it again: the list names it by its prefix only
    prefix, secret = plain.split(".")
    listing = client.get(reverse("apikeys:list")).content.decode()
    assert prefix in listing
    assert secret not in listing
    for name in ("update", "rotate", "revoke"):
        assert secret not in client.get(reverse(f"apikeys:{name}", args=[prefix])).content.decode()
    # and the audit row of its making names the acting person and the key's prefix
    row = AuditLog.objects.get(action="apikey.create", object_id=prefix)
    assert row.actor == w.bank_officer
    assert row.after["scopes"] == [ELIGIBILITY_READ]
    assert secret not in repr(row.after)


def test_a_key_administrator_makes_keys_for_their_own_institution_only(kworld, client):
    w = kworld
    client.force_login(w.bank_officer)
    data = new_key_data(w) | {"institution": w.bank2.pk}
    assert client.post(reverse("apikeys:create"), data).status_code == 404
    assert not InstitutionAPIKey.objects.filter(name="对账系统").exists()


def test_the_form_offers_a_bank_the_bank_scopes_and_refuses_an_insurers(kworld, client):
    w = kworld
    client.force_login(w.bank_officer)
    page = client.get(reverse("apikeys:create")).content.decode()
    assert 'value="loan_applications"' in page
    assert 'value="insurance:read"' not in page
    response = client.post(reverse("apikeys:create"), new_key_data(w) | {"scopes": [INSURANCE_READ]})
    assert response.status_code == 400
    assert "insurance:read" in response.content.decode()  # Django's "not one of the choices" at the field


@pytest.mark.parametrize(("networks", "message"), [
    ("10.8.1.300", "“10.8.1.300”不是有效的 IP 地址或网段（例如 10.8.1.20 或 10.8.0.0/16）。"),
    ("10.8.1.20/16", "“10.8.1.20/16”的主机位不为零，网段应写作 10.8.0.0/16。"),
])
def test_a_bad_address_is_refused_at_its_field_in_chinese(kworld, client, networks, message):
    client.force_login(kworld.bank_officer)
    response = client.post(reverse("apikeys:create"), new_key_data(kworld) | {"allowed_networks": networks})
    assert response.status_code == 400
    assert f'<div class="invalid-feedback d-block" data-field="allowed_networks">{message}</div>' in (
        response.content.decode())


@pytest.mark.parametrize(("days", "message"), [(-1, "有效期不能早于今天。"), (731, "有效期最长 730 天")])
def test_the_expiry_is_required_within_two_years(kworld, client, days, message):
    client.force_login(kworld.bank_officer)
    expires = (timezone.localdate() + datetime.timedelta(days=days)).isoformat()
    response = client.post(reverse("apikeys:create"), new_key_data(kworld) | {"expires_on": expires})
    assert response.status_code == 400
    assert message in response.content.decode()
    response = client.post(reverse("apikeys:create"), new_key_data(kworld) | {"expires_on": ""})
    assert response.status_code == 400


def test_the_form_proposes_one_year(kworld, client):
    client.force_login(kworld.bank_officer)
    page = client.get(reverse("apikeys:create")).content.decode()
    assert f'value="{(timezone.localdate() + datetime.timedelta(days=365)).isoformat()}"' in page


def test_only_the_system_administrator_sets_a_keys_own_rate(kworld, client):
    w = kworld
    client.force_login(w.bank_officer)
    assert 'name="rate_limit"' not in client.get(reverse("apikeys:update", args=[w.key_a.prefix])).content.decode()
    client.post(reverse("apikeys:update", args=[w.key_a.prefix]), edit_data(w) | {"rate_limit": "100000"})
    assert InstitutionAPIKey.objects.get(pk=w.key_a.pk).rate_limit is None
    client.force_login(w.admin)
    client.post(reverse("apikeys:update", args=[w.key_a.prefix]), edit_data(w) | {"rate_limit": "1200"})
    assert InstitutionAPIKey.objects.get(pk=w.key_a.pk).rate_limit == 1200


# --- edit, rotate, revoke: bank A's administrator cannot touch bank B's keys ------------------------


@pytest.mark.parametrize(("name", "data"), [
    ("update", edit_data), ("rotate", lambda w: {"overlap_days": "0"}), ("revoke", lambda w: {"reason": "越权"}),
])
def test_bank_as_administrator_cannot_touch_bank_bs_key(kworld, client, name, data):
    w = kworld
    client.force_login(w.bank_officer)
    before = InstitutionAPIKey.objects.get(pk=w.key_b.pk)
    assert client.get(reverse(f"apikeys:{name}", args=[w.key_b.prefix])).status_code == 404
    assert client.post(reverse(f"apikeys:{name}", args=[w.key_b.prefix]), data(w)).status_code == 404
    after = InstitutionAPIKey.objects.get(pk=w.key_b.pk)
    assert (after.name, after.revoked, after.replaced_by_id, after.expiry_date) == (
        before.name, before.revoked, before.replaced_by_id, before.expiry_date)
    assert key_client(w.plain_b).get(reverse("api:eligibility", args=[w.ent_a.uscc])).status_code == 200
    assert w.key_b.prefix not in client.get(reverse("apikeys:list")).content.decode()


def test_a_key_administrator_who_left_the_bank_loses_its_keys(kworld, client):
    w = kworld
    w.bank_officer.role_assignments.all().delete()
    client.force_login(w.bank_officer)
    assert client.get(reverse("apikeys:list")).status_code == 403


def test_editing_changes_the_key_and_is_audited(kworld, client):
    w = kworld
    client.force_login(w.bank_officer)
    response = client.post(reverse("apikeys:update", args=[w.key_a.prefix]), edit_data(w))
    assert response.status_code == 302
    key = InstitutionAPIKey.objects.get(pk=w.key_a.pk)
    assert (key.name, key.scopes, key.allowed_networks) == (
        "信贷系统（已改名）", [ELIGIBILITY_READ, LOAN_APPLICATIONS], ["10.8.0.0/16"])
    row = AuditLog.objects.get(action="apikey.update", object_id=w.key_a.prefix)
    assert row.before["name"] == "农商银行信贷系统"
    assert row.after["name"] == "信贷系统（已改名）"
    assert row.after["allowed_networks"] == ["10.8.0.0/16"]


def test_rotating_shows_the_new_key_once_and_the_old_one_runs_out(kworld, client):
    w = kworld
    client.force_login(w.bank_officer)
    response = client.post(reverse("apikeys:rotate", args=[w.key_a.prefix]), {"overlap_days": "7"})
    assert response.status_code == 200
    new_plain = shown_key(response)
    assert new_plain != w.plain_a
    old = InstitutionAPIKey.objects.get(pk=w.key_a.pk)
    assert old.replaced_by.prefix == new_plain.split(".")[0]
    assert 'id="rotated-from"' in response.content.decode()
    row = AuditLog.objects.get(action="apikey.rotate", object_id=w.key_a.prefix)
    assert row.actor == w.bank_officer
    assert "7" in row.note
    assert AuditLog.objects.filter(action="apikey.create", object_id=new_plain.split(".")[0]).exists()
    # a rotated key is neither edited nor rotated again
    assert client.post(reverse("apikeys:rotate", args=[w.key_a.prefix]), {"overlap_days": "7"}).status_code == 400


def test_revoking_needs_a_reason_asks_first_and_is_audited(kworld, client):
    w = kworld
    client.force_login(w.bank_officer)
    page = client.get(reverse("apikeys:revoke", args=[w.key_a.prefix])).content.decode()
    assert 'data-confirm="确定撤销此密钥？撤销立即生效，不能恢复。"' in page
    response = client.post(reverse("apikeys:revoke", args=[w.key_a.prefix]), {"reason": ""})
    assert response.status_code == 400
    assert "请填写撤销原因。" in response.content.decode()
    assert client.post(reverse("apikeys:revoke", args=[w.key_a.prefix]), {"reason": "密钥泄露"}).status_code == 302
    key = InstitutionAPIKey.objects.get(pk=w.key_a.pk)
    assert (key.revoked, key.revoked_by, key.revoked_reason) == (True, w.bank_officer, "密钥泄露")
    row = AuditLog.objects.get(action="apikey.revoke", object_id=w.key_a.prefix)
    assert row.note == "密钥泄露"
    assert row.actor == w.bank_officer


def test_the_list_shows_each_keys_state_scopes_addresses_and_last_use(kworld, client):
    w = kworld
    key_client(w.plain_a, REMOTE_ADDR="10.8.1.20").get(reverse("api:eligibility", args=[w.ent_a.uscc]))
    make_key(w, w.bank, name="旧系统")[0]
    revoked, _plain = make_key(w, w.bank, name="已下线系统")
    from apikeys import services

    services.api_key_revoke(acting_user=w.admin, key=revoked, reason="系统下线")
    client.force_login(w.bank_officer)
    page = client.get(reverse("apikeys:list")).content.decode()
    row = page[page.index(f'data-prefix="{w.key_a.prefix}"'):]
    row = row[:row.index("</tr>")]
    assert "查询党建增信资格" in row
    assert "10.8.1.20" in row
    assert "有效" in row
    revoked_row = page[page.index(f'data-prefix="{revoked.prefix}"'):]
    assert "已撤销" in revoked_row[:revoked_row.index("</tr>")]
    assert "系统下线" in revoked_row


def test_the_menu_offers_the_key_page_to_key_administrators_only(kworld, client):
    w = kworld
    client.force_login(w.bank_officer)
    assert f'href="{reverse("apikeys:list")}"' in client.get("/").content.decode()
    client.force_login(w.bank_plain_officer)
    assert f'href="{reverse("apikeys:list")}"' not in client.get("/").content.decode()


# --- the legacy tokens' cut-off -------------------------------------------------------------------


def test_the_administrator_sets_the_cut_off_and_it_is_audited(kworld, client):
    w = kworld
    Token.objects.create(user=w.bank_plain_officer)
    client.force_login(w.admin)
    page = client.get(reverse("apikeys:legacy")).content.decode()
    assert "t_bank_plain" in page
    response = client.post(reverse("apikeys:legacy"), {"cutoff": "2027-03-31"})
    assert response.status_code == 302
    assert LegacyTokenPolicy.current().cutoff == datetime.date(2027, 3, 31)
    row = AuditLog.objects.get(action="apikeys.legacy_cutoff.update")
    assert (row.actor, row.before, row.after) == (w.admin, {"cutoff": None}, {"cutoff": "2027-03-31"})
    # and the key administrators read it on their page
    client.force_login(w.bank_officer)
    assert "2027-03-31" in client.get(reverse("apikeys:list")).content.decode()


def test_the_admin_site_change_of_the_cut_off_is_audited_too(kworld, client):
    w = kworld
    w.admin.is_superuser = w.admin.is_staff = True
    w.admin.save()
    LegacyTokenPolicy.current()
    client.force_login(w.admin)
    response = client.post(reverse("admin:apikeys_legacytokenpolicy_change", args=[1]), {"cutoff": "2027-06-30"})
    assert response.status_code == 302
    assert LegacyTokenPolicy.current().cutoff == datetime.date(2027, 6, 30)
    assert AuditLog.objects.get(action="apikeys.legacy_cutoff.update").after == {"cutoff": "2027-06-30"}


def test_the_admin_site_names_a_key_administrator_only_among_the_institutions_officers(kworld, client):
    w = kworld
    w.admin.is_superuser = w.admin.is_staff = True
    w.admin.save()
    client.force_login(w.admin)
    url = reverse("admin:apikeys_keyadministrator_add")
    refused = client.post(url, {"user": w.station.pk, "institution": w.bank.pk})
    assert refused.status_code == 200
    assert "密钥管理员须是该机构的银行客户经理或保险公司业务员。" in refused.content.decode()
    assert client.post(url, {"user": w.bank_plain_officer.pk, "institution": w.bank.pk}).status_code == 302
    assert KeyAdministrator.objects.filter(user=w.bank_plain_officer, institution=w.bank).exists()
    assert AuditLog.objects.filter(action="keyadministrator.create", actor=w.admin).count() == 1


def test_a_scope_of_the_other_kind_chosen_with_the_institution_is_refused_in_words(kworld, client):
    # the system administrator picks the bank in the form, which offered every scope
    client.force_login(kworld.admin)
    page = client.get(reverse("apikeys:create")).content.decode()
    assert 'name="institution"' in page
    assert 'value="insurance:read"' in page
    response = client.post(reverse("apikeys:create"), new_key_data(kworld) | {"scopes": [INSURANCE_READ]})
    assert response.status_code == 400
    assert "此类机构不能使用这些权限范围：insurance:read。" in response.content.decode()
