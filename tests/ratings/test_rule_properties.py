"""Properties of scores and stars over generated scores and score lines (hypothesis, bounded by the
profile in tests/conftest.py): more points never give fewer stars, a score on a line gets that line's
stars and a tenth below it fewer, and the default lines are 90, 80, 70 and 60."""

from decimal import Decimal

from hypothesis import assume, example, given
from hypothesis import strategies as st

from ratings import rules
from ratings.rules import RuleError

TOTAL = Decimal("100")
SCORES = st.decimals(min_value=0, max_value=TOTAL, places=1)
LINES = st.lists(st.decimals(min_value=Decimal("0.1"), max_value=TOTAL, places=1), min_size=4, max_size=4)


def outcome(call):
    """(result, "") or (None, the refusal's message): a rule answers with one or the other."""
    try:
        return call(), ""
    except RuleError as error:
        return None, error.message


@given(SCORES)
@example(Decimal("90.0"))
@example(Decimal("89.9"))
@example(Decimal("60.0"))
@example(Decimal("59.9"))
def test_the_default_lines(score):
    expected = 5 if score >= 90 else 4 if score >= 80 else 3 if score >= 70 else 2 if score >= 60 else 1
    assert rules.stars_for_score(score) == expected


@given(SCORES, SCORES)
def test_more_points_never_give_fewer_stars(a, b):
    low, high = sorted((a, b))
    assert rules.stars_for_score(low) <= rules.stars_for_score(high)


@given(LINES)
def test_accepted_lines_give_each_line_its_stars_and_a_tenth_below_fewer(minimums):
    thresholds = list(zip((5, 4, 3, 2), minimums, strict=True))
    _none, message = outcome(lambda: rules.check_thresholds(thresholds, TOTAL))
    if message:
        assert any(lower >= higher for higher, lower in zip(minimums, minimums[1:], strict=False))
        return
    for stars, minimum in thresholds:
        assert rules.stars_for_score(minimum, thresholds) == stars
        assert rules.stars_for_score(minimum - Decimal("0.1"), thresholds) < stars
    assert rules.stars_for_score(TOTAL, thresholds) == 5
    assert rules.stars_for_score(Decimal(0), thresholds) == 1


@given(LINES.map(lambda m: sorted(set(m), reverse=True)), SCORES, SCORES)
def test_any_lines_keep_the_order_of_scores(minimums, a, b):
    assume(len(minimums) == 4)
    thresholds = list(zip((5, 4, 3, 2), minimums, strict=True))
    rules.check_thresholds(thresholds, TOTAL)
    low, high = sorted((a, b))
    assert 1 <= rules.stars_for_score(low, thresholds) <= rules.stars_for_score(high, thresholds) <= 5


@given(st.one_of(st.text(max_size=12), st.text(alphabet="0123456789.-+eE ", max_size=12)))
@example("1e999999")
@example("NaN")
def test_anything_typed_as_points_is_a_score_or_a_message(text):
    points, message = outcome(lambda: rules.parse_points(text, Decimal("10")))
    if points is None:
        assert message
        return
    assert Decimal(0) <= points <= Decimal("10")
    assert points == points.quantize(Decimal("0.1"))
