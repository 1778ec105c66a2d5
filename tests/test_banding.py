"""Indicator bands 1-5 (5 best) from four cut points and the polarity."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratings.banding import band

CUTS = [20, 40, 60, 80]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1), (19.9, 1), (20, 2), (39, 2), (40, 3), (60, 4), (79.99, 4), (80, 5), (1000, 5)],
)
def test_higher_is_better(value, expected):
    assert band(value, CUTS, "higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 5), (10, 5), (10.5, 4), (13, 4), (14, 3), (16, 3), (19, 2), (20, 2), (20.1, 1)],
)
def test_lower_is_better_is_the_mirror_image(value, expected):
    assert band(value, [10, 13, 16, 20], "lower") == expected


def test_decimal_values_against_float_cut_points():
    assert band(Decimal("12.500"), [2.5, 7.5, 12.5, 17.5], "higher") == 4
    assert band(Decimal("12.501"), [2.5, 7.5, 12.5, 17.5], "lower") == 2


@pytest.mark.parametrize(
    ("value", "thresholds", "polarity"),
    [(None, CUTS, "higher"), (50, [], "higher"), (50, None, "lower"), (50, CUTS, "neutral")],
)
def test_no_band(value, thresholds, polarity):
    assert band(value, thresholds, polarity) is None


@pytest.mark.parametrize(
    ("thresholds", "polarity", "message"),
    [
        ([1, 2, 3], "higher", "give 4 ascending numbers"),
        ([4, 3, 2, 1], "lower", "not in ascending order"),
        ([1, 2, "3", 4], "higher", "give 4 ascending numbers"),
        (CUTS, "sideways", "polarity 'sideways' is not known"),
    ],
)
def test_malformed_input_is_refused(thresholds, polarity, message):
    with pytest.raises(ValueError, match=message):
        band(50, thresholds, polarity)


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(value=values, cuts=st.lists(values, min_size=4, max_size=4).map(sorted))
def test_bands_are_1_to_5_and_the_polarities_mirror_each_other(value, cuts):
    higher, lower = band(value, cuts, "higher"), band(value, cuts, "lower")
    assert higher in range(1, 6) and lower in range(1, 6)
    if value not in cuts:
        assert higher + lower == 6


@given(a=values, b=values, cuts=st.lists(values, min_size=4, max_size=4).map(sorted))
def test_a_better_value_never_gets_a_worse_band(a, b, cuts):
    low, high = sorted((a, b))
    assert band(low, cuts, "higher") <= band(high, cuts, "higher")
    assert band(low, cuts, "lower") >= band(high, cuts, "lower")
