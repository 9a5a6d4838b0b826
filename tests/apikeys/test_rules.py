"""The pure rules of the keys: the allow-list as typed, the address check, the expiry bounds, rates."""

import datetime

import pytest

from apikeys import rules
from apikeys.scopes import BY_CODE, SCOPES, scopes_for_kind


@pytest.mark.parametrize(("text", "networks"), [
    ("", []),
    ("10.8.1.20", ["10.8.1.20/32"]),
    ("10.8.0.0/16\n10.9.1.1", ["10.8.0.0/16", "10.9.1.1/32"]),
    ("10.8.1.20, 10.8.1.21；10.8.1.22、10.8.1.23", ["10.8.1.20/32", "10.8.1.21/32", "10.8.1.22/32", "10.8.1.23/32"]),
    ("10.8.1.20\n10.8.1.20", ["10.8.1.20/32"]),
    ("2001:db8::/32", ["2001:db8::/32"]),
])
def test_an_allow_list_is_read_and_normalised(text, networks):
    assert rules.parse_networks(text) == rules.ParsedNetworks(networks=networks, errors=[])


@pytest.mark.parametrize(("text", "error"), [
    ("10.8.1.300", "“10.8.1.300”不是有效的 IP 地址或网段（例如 10.8.1.20 或 10.8.0.0/16）。"),
    ("bank.example.cn", "“bank.example.cn”不是有效的 IP 地址或网段（例如 10.8.1.20 或 10.8.0.0/16）。"),
    ("10.8.1.20/16", "“10.8.1.20/16”的主机位不为零，网段应写作 10.8.0.0/16。"),
    ("10.8.0.0/33", "“10.8.0.0/33”不是有效的 IP 地址或网段（例如 10.8.1.20 或 10.8.0.0/16）。"),
])
def test_a_bad_entry_is_named_with_what_to_write(text, error):
    assert rules.parse_networks(text).errors == [error]


def test_the_form_shows_single_addresses_without_their_prefix_length():
    assert rules.networks_text(["10.8.1.20/32", "10.8.0.0/16", "2001:db8::1/128"]) == (
        "10.8.1.20\n10.8.0.0/16\n2001:db8::1")


@pytest.mark.parametrize(("address", "networks", "allowed"), [
    ("203.0.113.9", [], True),
    ("10.8.1.20", ["10.8.1.20/32"], True),
    ("10.8.1.21", ["10.8.1.20/32"], False),
    ("10.8.255.255", ["10.8.0.0/16"], True),
    ("10.9.0.0", ["10.8.0.0/16"], False),
    ("::ffff:10.8.1.20", ["10.8.0.0/16"], True),
    ("2001:db8::7", ["10.8.0.0/16", "2001:db8::/32"], True),
    ("2001:db9::7", ["2001:db8::/32"], False),
    (None, ["10.8.0.0/16"], False),
    ("not-an-address", ["10.8.0.0/16"], False),
])
def test_an_address_is_checked_against_the_allow_list(address, networks, allowed):
    assert rules.address_allowed(address, networks) is allowed


TODAY = datetime.date(2026, 12, 7)


@pytest.mark.parametrize(("expires_on", "error"), [
    (None, "请填写有效期。"),
    (TODAY - datetime.timedelta(days=1), "有效期不能早于今天。"),
    (TODAY, None),
    (TODAY + datetime.timedelta(days=730), None),
    (TODAY + datetime.timedelta(days=731), "有效期最长 730 天，即不晚于 2028-12-06。"),
])
def test_the_expiry_lies_between_today_and_the_longest_lifetime(expires_on, error):
    assert rules.expiry_error(expires_on, today=TODAY, max_days=730) == error


@pytest.mark.parametrize(("rate", "parsed"), [("600/min", (600, 60)), ("2/s", (2, 1)), ("10000/hour", (10000, 3600)),
                                               ("5/day", (5, 86400))])
def test_a_rate_is_read_in_drfs_notation(rate, parsed):
    assert rules.parse_rate(rate) == parsed


def test_banks_and_insurers_are_offered_their_own_scopes():
    assert [s.code for s in scopes_for_kind("bank")] == [
        "eligibility:read", "loan_applications", "feedback:report", "notifications:read"]
    assert [s.code for s in scopes_for_kind("insurer")] == [
        "eligibility:read", "insurance:read", "insurance:quote", "notifications:read"]
    assert len(BY_CODE) == len(SCOPES)


@pytest.mark.parametrize(("scopes", "error"), [
    ([], "请至少选择一项权限范围。"),
    (["eligibility:read"], None),
    (["eligibility:read", "insurance:read"], "此类机构不能使用这些权限范围：insurance:read。"),
])
def test_a_key_holds_scopes_of_its_institutions_kind(scopes, error):
    allowed = [s.code for s in scopes_for_kind("bank")]
    assert rules.scope_errors(scopes, allowed) == error
