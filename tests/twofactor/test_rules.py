"""The second factor's pure rules, as tables."""

import pytest

from twofactor import rules

REQUIRED = frozenset({"admin", "org_staff", "bank_officer", "insurer_officer"})


@pytest.mark.parametrize(("roles", "is_staff", "is_superuser", "staff_required", "expected"), [
    ({"admin"}, False, False, True, True),
    ({"org_staff"}, False, False, True, True),
    ({"bank_officer"}, False, False, True, True),
    ({"insurer_officer"}, False, False, True, True),
    ({"enterprise_user"}, False, False, True, False),
    ({"station_operator"}, False, False, True, False),
    ({"town_staff"}, False, False, True, False),
    ({"cadre"}, False, False, True, False),
    ({"leader"}, False, False, True, False),
    (set(), False, False, True, False),
    ({"cadre", "bank_officer"}, False, False, True, True),  # any required role is enough
    ({"cadre"}, True, False, True, True),  # staff of the admin site
    (set(), False, True, True, True),  # a superuser
    ({"cadre"}, True, False, False, False),  # staff not required by the settings
])
def test_who_must_pass_the_second_factor(roles, is_staff, is_superuser, staff_required, expected):
    assert rules.second_factor_required(roles=roles, is_staff=is_staff, is_superuser=is_superuser,
                                        required_roles=REQUIRED, staff_required=staff_required) is expected


@pytest.mark.parametrize(("required", "has_device", "needed", "may_turn_off"), [
    (True, True, True, False),
    (True, False, True, False),
    (False, True, True, True),
    (False, False, False, False),
])
def test_opting_in_and_out(required, has_device, needed, may_turn_off):
    assert rules.second_factor_needed(required=required, has_device=has_device) is needed
    assert rules.may_turn_off(required=required, has_device=has_device) is may_turn_off


@pytest.mark.parametrize(("typed", "kind", "normal"), [
    ("123456", "totp", "123456"),
    ("123 456", "totp", "123456"),
    (" 123-456 ", "totp", "123456"),
    ("12345", None, "12345"),
    ("1234567", None, "1234567"),
    ("abcde-fghij", "recovery", "abcdefghij"),
    ("ABCDE FGHIJ", "recovery", "abcdefghij"),
    ("abcde23456", "recovery", "abcde23456"),
    ("abcd-efgh", "recovery", "abcdefgh"),  # made before the codes grew to 10 characters
    ("ABCD EFGH", "recovery", "abcdefgh"),
    ("abcd2345", "recovery", "abcd2345"),
    ("abcd1890", None, "abcd1890"),  # 0, 1, 8, 9 are not base32
    ("abcdefghi", None, "abcdefghi"),
    ("abcdefghijk", None, "abcdefghijk"),
    ("abcde18903", None, "abcde18903"),
    ("", None, ""),
    ("验证码", None, "验证码"),
])
def test_what_a_typed_code_is(typed, kind, normal):
    assert rules.code_kind(typed) == kind
    assert rules.normalize_code(typed) == normal


def test_a_key_reads_the_same_in_hex_and_base32():
    key = "3132333435363738393031323334353637383930"
    secret = rules.hex_to_base32(key)
    assert secret == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert rules.base32_to_hex(secret) == key
    assert rules.base32_to_hex("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == key


@pytest.mark.parametrize(("secret", "grouped"), [
    ("GEZDGNBVGY3TQOJQ", "GEZD GNBV GY3T QOJQ"),
    ("ABCDEF", "ABCD EF"),
    ("", ""),
])
def test_a_secret_is_shown_in_groups_of_four(secret, grouped):
    assert rules.group_secret(secret) == grouped


@pytest.mark.parametrize(("code", "printed"), [("abcdefghij", "abcde-fghij"), ("abcdefgh", "abcd-efgh"), ("abc", "abc")])
def test_a_recovery_code_is_printed_with_a_dash(code, printed):
    assert rules.format_recovery_code(code) == printed
