"""Performance-indicator bands 1-5 from an indicator's four cut points.

Plain Python with no Django import, so that the API, the pages and the reports band a
value the same way. Band 5 is best whatever the polarity:

- higher is better: a value at or above the fourth cut point is band 5, at or above the
  third band 4, ..., below the first band 1 (a value on a cut point takes the better band);
- lower is better: the mirror image: at or below the first cut point is band 5, at or
  below the second band 4, ..., above the fourth band 1 (so with cut points 10;13;16;20 a
  value of 20 is band 2 and 20.1 band 1, as "more than 20% fails" has it);
- neutral indicators (context only), indicators without cut points, and missing values
  have no band (``None``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

HIGHER = "higher"
LOWER = "lower"
NEUTRAL = "neutral"
POLARITIES = (HIGHER, LOWER, NEUTRAL)
BANDS = (1, 2, 3, 4, 5)
CUT_POINTS = len(BANDS) - 1

Number = int | float | Decimal


def band(value: Number | None, thresholds: Sequence[Number] | None, polarity: str) -> int | None:
    """The band (1-5, 5 best) of ``value``, or None where the indicator has no bands.

    Raises ValueError for an unknown polarity or cut points that are not four ascending
    numbers, rather than guessing a band from them.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"polarity {polarity!r} is not known; use one of {', '.join(POLARITIES)}")
    if value is None or not thresholds or polarity == NEUTRAL:
        return None
    cuts = list(thresholds)
    if len(cuts) != CUT_POINTS or any(
        isinstance(t, bool) or not isinstance(t, int | float | Decimal) for t in cuts
    ):
        raise ValueError(f"{cuts!r}: give {CUT_POINTS} ascending numbers (the cut points)")
    if any(later < earlier for earlier, later in zip(cuts, cuts[1:], strict=False)):
        raise ValueError(f"{cuts!r} is not in ascending order")
    if polarity == HIGHER:
        return 1 + sum(1 for cut in cuts if value >= cut)
    return 1 + sum(1 for cut in cuts if value <= cut)
