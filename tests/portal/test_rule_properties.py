"""Properties of the registry's rules, over many generated inputs (hypothesis, bounded by the profile in
tests/conftest.py): the money parsers give back every amount they are shown in any way people write it,
and answer anything else with a message, never an exception of their own; invisible characters and
unsafe names are cleaned for good."""

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from portal.imports.cleaning import CAPITAL_MAX, parse_capital
from portal.rules import FEN, MAX_AMOUNT, RuleError, clean_text, parse_yuan, strip_invisible, yuan
from portal.uploads import NAME_MAX, safe_filename

AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=MAX_AMOUNT, places=2)
# What people and programs put in an amount field: digits and the marks around them, and anything else.
TYPED = st.one_of(
    st.text(alphabet="0123456789.,，-+eE ¥￥_万元\u3000", max_size=30),
    st.text(max_size=30),
    st.integers().map(str),
    st.floats().map(str),
    st.decimals().map(str),
)


def outcome(call):
    """(result, "") or (None, the refusal's message): a rule answers with one or the other."""
    try:
        return call(), ""
    except RuleError as error:
        return None, error.message


def _written(value: Decimal) -> list[str]:
    """An amount as people write it: plain, with thousands separators (half- or full-width), with ¥."""
    return [str(value), f"{value:,.2f}", yuan(value), f"¥{value:,}", f"￥ {value:,.2f}".replace(",", "，"),
            f" {value} "]


@given(AMOUNTS)
@example(Decimal("0.01"))
@example(MAX_AMOUNT)
def test_every_amount_comes_back_from_the_ways_it_is_written(value):
    for text in _written(value):
        assert parse_yuan(text) == value


@given(TYPED)
@example("1e30")
@example("9" * 40)
@example("1E+999999999")
@example("NaN")
@example("-0.00")
@example("1_000")
def test_anything_typed_is_an_amount_to_the_fen_or_a_message(text):
    value, message = outcome(lambda: parse_yuan(text))
    if value is None:
        assert message
        return
    assert Decimal("0.01") <= value <= MAX_AMOUNT
    assert value == value.quantize(FEN)
    assert value.as_tuple().exponent == -2


@given(st.decimals(min_value=0, max_value=Decimal("9999999999"), places=2))
def test_registered_capital_in_ten_thousands_comes_back_in_yuan(value):
    expected = (value * 10000).quantize(FEN)
    assert parse_capital(f"{value}万", None) == (expected, "")
    assert parse_capital(f"{value}万元", None) == (expected, "")
    assert parse_capital(f"{value:,}", Decimal(10000)) == (expected, "")
    assert parse_capital(f"{value:,}元", Decimal(10000)) == (value.quantize(FEN), "")


@given(TYPED)
@example("1" * 40 + "万")
@example("9" * 30)
@example("100万")
@example("1,000,000.00")
def test_anything_in_a_capital_cell_is_an_amount_or_a_reason(text):
    value, error = parse_capital(text, None)
    if value is None:
        assert error
    else:
        assert error == ""
        assert Decimal(0) <= value <= CAPITAL_MAX
        assert value == value.quantize(FEN)


# --- text and names ---------------------------------------------------------------------------------

INVISIBLE = ("Cc", "Cf", "Cs")


@given(st.text())
def test_a_name_keeps_no_invisible_character_and_cleaning_twice_changes_nothing(text):
    name = strip_invisible(text)
    assert not [ch for ch in name if unicodedata.category(ch) in INVISIBLE]
    assert strip_invisible(name) == name
    assert clean_text(clean_text(text)) == clean_text(text)


@given(st.text())
def test_long_text_keeps_only_line_breaks_and_tabs_among_controls_and_no_bidi_control(text):
    kept = strip_invisible(text, multiline=True)
    assert not [ch for ch in kept if unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t"]
    assert not set(kept) & set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff")
    assert strip_invisible(kept, multiline=True) == kept


@given(st.text())
@example("../../etc/passwd")
@example("C:\\Windows\\system32\\cmd.exe")
@example("\u202egpj.exe")
def test_a_safe_file_name_has_no_folder_and_no_invisible_character(name):
    safe = safe_filename(name)
    assert safe
    assert len(safe) <= NAME_MAX
    assert not set(safe) & set('/\\<>:"|?*')
    assert not [ch for ch in safe if unicodedata.category(ch) in INVISIBLE]
    assert not safe.startswith((".", " "))
    assert safe_filename(safe) == safe


@pytest.mark.parametrize("text", ["1e30", "9" * 40, "1E+999999999"])
def test_numbers_past_decimal_precision_are_refused_not_crashed(text):
    # found by the properties above: quantizing them raised decimal.InvalidOperation (a 500)
    with pytest.raises(RuleError):
        parse_yuan(text)
    assert parse_capital(text, None)[0] is None
