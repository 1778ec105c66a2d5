"""Words, numbers and stars, written the same way on every public page, table and report.

Pure functions of values: nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .. import rules
from ..models import CouncilType

SERVING_WORDS = {
    "no": "No people",
    "some": "Some people",
    "most": "Most people",
    "yes": "All people",
}
PROSPECT_WORDS = {level: level.capitalize() for level in rules.PROSPECT_LEVELS}
CHANGE_WORDS = {"up": "Up", "down": "Down", "same": "Same"}
CHANGE_ARROWS = {"up": "↑", "down": "↓", "same": "→"}
STAR_SYMBOLS = {0: "☆☆☆", 1: "★☆☆", 2: "★★☆", 3: "★★★"}
NOT_RATED = "Not rated"
NO_VALUE = "No value"
DASH = "–"
# "Serving most people well" counts councils serving most or all people well, as the
# national summary does.
SERVING_MOST = ("most", "yes")


def stars_words(stars: int | None) -> str:
    """ "2 stars", "1 star", or "Not rated"."""
    if stars is None:
        return NOT_RATED
    return f"{stars} star" if stars == 1 else f"{stars} stars"


@dataclass(frozen=True)
class Stars:
    """A rating's stars as a value, symbols and words, so that a report's fingerprint
    covers the words it prints."""

    value: int | None
    symbols: str  # "★★☆" ("" when not rated)
    words: str  # "2 stars", "Not rated"

    @classmethod
    def of(cls, stars: int | None) -> Stars:
        return cls(
            value=stars,
            symbols=STAR_SYMBOLS.get(stars, "") if stars is not None else "",
            words=stars_words(stars),
        )


def stars_html(stars: int | None) -> SafeString:
    """``includes/_stars.html`` for a value, for cells drawn in Python (the league table
    renders it once per distinct value, not once per row)."""
    return render_to_string("includes/_stars.html", {"stars": stars})


def serving_words(level: str | None) -> str:
    return SERVING_WORDS.get(level or "", "")


def prospects_words(level: str | None) -> str:
    return PROSPECT_WORDS.get(level or "", "")


def change_words(change: str | None, previous_stars: int | None, stars: int | None) -> str:
    """ "↑ Up from 1", "↓ Down from 3", "→ Same (2 stars)", or why there is no change."""
    if change in CHANGE_WORDS:
        if change == "same":
            return f"{CHANGE_ARROWS[change]} Same ({stars_words(stars)})"
        return f"{CHANGE_ARROWS[change]} {CHANGE_WORDS[change]} from {previous_stars}"
    if stars is None:
        return NOT_RATED
    if previous_stars is None:
        return "No earlier rating"
    return ""


def council_type_label(value: str) -> str:
    try:
        return CouncilType(value).label
    except ValueError:
        return value


def percent(count: int, total: int) -> float | None:
    return round(100 * count / total, 1) if total else None


def average(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def number(value) -> str:
    """A threshold as people write it: "1,234.5", "50" (no ".0")."""
    if value is None:
        return ""
    value = Decimal(value).quantize(Decimal("0.1"))
    text = f"{value:,}"
    return text[:-2] if text.endswith(".0") else text


def value_text(value) -> str:
    """An indicator value: as many decimals as it has (floatformat:"-1"), or "No value"."""
    return NO_VALUE if value is None else str(floatformat(value, "-1"))


def average_text(value) -> str:
    """An average of indicator values, to one decimal place, or a dash."""
    return DASH if value is None else str(floatformat(value, 1))
