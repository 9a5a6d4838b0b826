"""Properties of the premium discount's rules over generated tables, premiums and rates (hypothesis,
bounded by the profile in tests/conftest.py): an accepted table stays within 0–100 % and never gives
less for more stars; the discount is the base times the rate rounded half up to the fen, never more
than the base, and discount plus net is the base exactly."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from insurance import rules
from insurance.rules import FEN, HUNDRED, MAX_AMOUNT, STARS, RuleError

RATES = st.decimals(min_value=0, max_value=100, places=2)
BASES = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2)


def outcome(call):
    """(result, "") or (None, the refusal's message): a rule answers with one or the other."""
    try:
        return call(), ""
    except RuleError as error:
        return None, error.message


@given(st.lists(RATES, min_size=5, max_size=5))
def test_an_accepted_discount_table_is_within_bounds_and_never_less_for_more_stars(rates):
    typed = {stars: f"{rate}%" for stars, rate in zip(STARS, rates, strict=True)}
    table, message = outcome(lambda: rules.check_discount_table(typed))
    if table is None:
        assert message
        assert any(higher < lower for lower, higher in zip(rates, rates[1:], strict=False))
        return
    discounts = [rules.premium_discount(stars, table) for stars in STARS]
    assert discounts == sorted(discounts)
    assert all(Decimal(0) <= d <= HUNDRED for d in discounts)
    assert min(table.values()) <= discounts[0]
    assert discounts[-1] <= max(table.values())


@given(BASES, RATES)
@example(Decimal("12345.67"), Decimal("25.00"))
@example(Decimal("0.01"), Decimal("50.00"))  # half a fen goes up
@example(MAX_AMOUNT, Decimal("100.00"))
def test_the_premium_is_rounded_to_the_fen_and_adds_up(base, rate):
    premium = rules.net_premium(base, rate)
    exact = base * rate / HUNDRED
    assert premium.discount == exact.quantize(FEN, rounding=ROUND_HALF_UP)
    assert abs(premium.discount - exact) <= Decimal("0.005")
    assert premium.discount.as_tuple().exponent == -2
    assert Decimal(0) <= premium.discount <= premium.base
    assert premium.discount + premium.net == premium.base == base


@given(BASES, RATES, RATES)
def test_a_higher_rate_never_costs_more(base, a, b):
    low, high = sorted((a, b))
    assert rules.net_premium(base, high).net <= rules.net_premium(base, low).net


@given(st.one_of(st.text(max_size=20), st.text(alphabet="0123456789.%％-+eE ", max_size=12)))
@example("1e999")
@example("NaN%")
def test_anything_typed_as_a_rate_is_a_percent_or_a_message(text):
    rate, message = outcome(lambda: rules.parse_percent(text))
    if rate is None:
        assert message
        return
    assert Decimal(0) <= rate <= HUNDRED
    assert rate.as_tuple().exponent == -2


@given(RATES)
def test_every_rate_comes_back_from_the_ways_it_is_written(rate):
    for text in (str(rate), f"{rate}%", f" {rate} ％"):
        assert rules.parse_percent(text) == rate
