"""Properties of the credit scheme's rules over generated tables and amounts (hypothesis, bounded by
the profile in tests/conftest.py): a table the rules accept never gives less for more stars, and the
quota left is never negative nor more than the quota."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from finance import rules
from finance.rules import FEN, MAX_AMOUNT, STARS, RuleError

AMOUNTS = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2)
TABLES = st.lists(AMOUNTS, min_size=5, max_size=5)


def outcome(call):
    """(result, "") or (None, the refusal's message): a rule answers with one or the other."""
    try:
        return call(), ""
    except RuleError as error:
        return None, error.message


@given(TABLES)
def test_an_accepted_quota_table_never_gives_less_for_more_stars(amounts):
    typed = {stars: f"{amount:,}" for stars, amount in zip(STARS, amounts, strict=True)}
    table, message = outcome(lambda: rules.check_quota_table(typed))
    if table is None:
        assert message
        assert any(higher < lower for lower, higher in zip(amounts, amounts[1:], strict=False))
        return
    quotas = [rules.loan_quota(stars, table) for stars in STARS]
    assert quotas == sorted(quotas)
    assert quotas == [a.quantize(FEN) for a in amounts]


@given(TABLES.map(sorted))
def test_every_non_decreasing_table_is_accepted(amounts):
    table = rules.check_quota_table(dict(zip(STARS, amounts, strict=True)))
    for fewer, more in zip(STARS, STARS[1:], strict=False):
        assert rules.loan_quota(fewer, table) <= rules.loan_quota(more, table)


@given(st.one_of(st.none(), st.integers().filter(lambda n: n not in STARS)))
def test_no_quota_without_a_star_level(stars):
    assert rules.loan_quota(stars, rules.DEFAULT_QUOTAS) is None
    assert rules.loan_quota(3, None) is None


@given(AMOUNTS, AMOUNTS)
def test_what_is_left_of_a_quota_is_never_negative_nor_more_than_the_quota(quota, used):
    left = rules.available(quota, used)
    assert Decimal(0) <= left <= quota
    assert left == max(quota - used, Decimal(0))
    assert left.as_tuple().exponent == -2
