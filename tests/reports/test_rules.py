"""The verification code and what the public page says of a certificate's rating today."""

import datetime

import pytest

from reports import rules

D = datetime.date


def test_a_new_code_has_twelve_characters_of_the_alphabet_and_codes_differ():
    codes = {rules.new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 12 and set(c) <= set(rules.CODE_ALPHABET) for c in codes)


@pytest.mark.parametrize(("typed", "expected"), [
    ("ABCD-EFGH-JKMN", "ABCDEFGHJKMN"),
    ("abcd efgh jkmn", "ABCDEFGHJKMN"),
    ("ABCDEFGHJKMN", "ABCDEFGHJKMN"),
    ("ABCD-EFGH-JKM", None),  # too short
    ("ABCD-EFGH-JKMNP", None),  # too long
    ("ABCD-EFGH-JKM0", None),  # 0 is not in the alphabet (nor O, 1, I, L, U)
    ("ABCD-EFGH-JKMO", None),
    ("ABCD-EFGH-JKMI", None),
    ("", None),
    (None, None),
])
def test_normalize_code(typed, expected):
    assert rules.normalize_code(typed) == expected


def test_format_code_groups_by_four():
    assert rules.format_code("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"


def test_the_request_key_ignores_the_order_of_parameters_and_tells_kinds_apart():
    assert rules.request_key("a", {"x": 1, "y": "2"}) == rules.request_key("a", {"y": "2", "x": 1})
    assert rules.request_key("a", {"x": 1}) != rules.request_key("b", {"x": 1})
    assert rules.request_key("a", {"x": 1}) != rules.request_key("a", {"x": 2})


TODAY = D(2026, 6, 1)


@pytest.mark.parametrize(("stated", "revoked_on", "valid_to", "current", "expected"), [
    (5, None, D(2026, 12, 31), 5, rules.STILL_VALID),
    (5, None, D(2026, 6, 1), 5, rules.STILL_VALID),  # the last day still counts
    (5, None, D(2026, 5, 31), 5, rules.EXPIRED),
    (5, D(2026, 3, 1), D(2026, 12, 31), None, rules.REVOKED),
    (5, D(2026, 3, 1), D(2026, 5, 31), None, rules.REVOKED),  # revoked says more than expired
    (5, None, D(2026, 12, 31), 3, rules.CHANGED),  # downgraded since
    (5, None, D(2026, 5, 31), 3, rules.EXPIRED),
    (3, None, None, 3, rules.STILL_VALID),
])
def test_certificate_standing(stated, revoked_on, valid_to, current, expected):
    assert rules.certificate_standing(stated_stars=stated, revoked_on=revoked_on, valid_to=valid_to,
                                      current_stars=current, today=TODAY) == expected
