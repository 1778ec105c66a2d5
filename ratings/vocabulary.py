"""The words people write for judgements, stars and yes/no, read into the rules' values.

Files and forms use the published wording as often as the short codes: "serving all
people well", "all" and "Yes" are all the judgement ``yes``. Every parser ignores case
and spacing, and raises :class:`VocabularyError` (a ``ValueError``) with a message that
names the values allowed, e.g. ``'mostly' is not a judgement; use one of no, some, most,
yes``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import rules

NOT_RATED = "not rated"


class VocabularyError(ValueError):
    """A value that is not one of the words allowed."""


def _key(text: object) -> str:
    text = "" if text is None else str(text)
    text = text.replace("’", "'").replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", text).strip().strip(".").strip().casefold()


def _serving_words() -> dict[str, str]:
    quantity = {"no": "no", "some": "some", "most": "most", "yes": "all"}
    words: dict[str, str] = {}
    for level in rules.SERVING_LEVELS:
        for word in (
            level,
            quantity[level],
            f"{quantity[level]} people",
            f"serving {quantity[level]} people well",
            f"serves {quantity[level]} people well",
            rules.SERVING_LABELS[level],
        ):
            words[_key(word)] = level
    for word in ("none", "not serving people well", "not serving any people well"):
        words[_key(word)] = "no"
    return words


SERVING_WORDS = _serving_words()
PROSPECT_WORDS = {
    **{_key(level): level for level in rules.PROSPECT_LEVELS},
    **{_key(f"{level} prospects"): level for level in rules.PROSPECT_LEVELS},
}
YES_WORDS = frozenset({"yes", "y", "true", "t", "on", "1"})
NO_WORDS = frozenset({"no", "n", "false", "f", "off", "0"})
# Special measures may also say a council has come off them.
SPECIAL_MEASURES_OFF_WORDS = NO_WORDS | {"left", "removed", "came off", "off special measures"}
_STAR_WORDS = {
    "zero": 0,
    "no stars": 0,
    "one": 1,
    "two": 2,
    "three": 3,
}
_NOT_RATED_WORDS = frozenset({"not rated", "notrated", "unrated", "not rated yet"})


def is_blank(text: object) -> bool:
    return text is None or not str(text).strip()


def parse_serving(text: object) -> str:
    """``no``, ``some``, ``most`` or ``yes`` from any of the usual wordings."""
    level = SERVING_WORDS.get(_key(text))
    if level is None:
        raise VocabularyError(
            f"{_shown(text)} is not a judgement; use one of {', '.join(rules.SERVING_LEVELS)}"
        )
    return level


def parse_prospects(text: object) -> str:
    """``poor``, ``uncertain``, ``promising`` or ``excellent``, in any case."""
    level = PROSPECT_WORDS.get(_key(text))
    if level is None:
        raise VocabularyError(
            f"{_shown(text)} is not a judgement of prospects; use one of "
            f"{', '.join(rules.PROSPECT_LEVELS)}"
        )
    return level


def parse_judgement(field_name: str, text: object) -> str:
    """A judgement for one of the four fields (``adults_serving`` ... )."""
    if field_name.endswith("_serving"):
        return parse_serving(text)
    if field_name.endswith("_prospects"):
        return parse_prospects(text)
    raise ValueError(f"{field_name!r} is not a judgement field")


def parse_stars(text: object) -> int | str | None:
    """0-3, :data:`NOT_RATED`, or None for an empty cell."""
    if is_blank(text):
        return None
    key = _key(text)
    if key in _NOT_RATED_WORDS:
        return NOT_RATED
    if key not in _STAR_WORDS:
        key = re.sub(r"\s*stars?$", "", key) or key
    if key in _STAR_WORDS:
        return _STAR_WORDS[key]
    if not _negative(text) and (number := _whole(key)) in rules.STAR_VALUES:
        return number
    raise VocabularyError(f"{_shown(text)} is not a star rating; use 0, 1, 2, 3 or '{NOT_RATED}'")


def parse_yes_no(text: object, *, off_words: frozenset[str] = NO_WORDS) -> bool | None:
    """True, False, or None for an empty cell."""
    if is_blank(text):
        return None
    key = _key(text)
    if key in YES_WORDS:
        return True
    if key in off_words:
        return False
    raise VocabularyError(f"{_shown(text)} is not yes or no")


def parse_special_measures(text: object) -> bool | None:
    """On (yes/true/on/y), off (no/false/off/n/left), or None (empty: derive it)."""
    try:
        return parse_yes_no(text, off_words=SPECIAL_MEASURES_OFF_WORDS)
    except VocabularyError:
        raise VocabularyError(
            f"{_shown(text)} is not a special measures value; use yes or no "
            "(or leave it empty to follow from the stars)"
        ) from None


def parse_choice(text: object, choices: list[str] | tuple[str, ...], what: str) -> str:
    """One of ``choices`` (codes), case- and space-insensitively."""
    key = _key(text)
    for choice in choices:
        if _key(choice) == key:
            return choice
    raise VocabularyError(f"{_shown(text)} is not {what}; use one of {', '.join(choices)}")


def parse_whole_number(text: object, *, minimum: int, maximum: int, what: str) -> int | None:
    """A whole number between ``minimum`` and ``maximum``, or None for an empty cell."""
    if is_blank(text):
        return None
    number = None if _negative(text) else _whole(_key(text).removeprefix("+"))
    if number is not None and minimum <= number <= maximum:
        return number
    raise VocabularyError(
        f"{_shown(text)} is not {what}; use a whole number from {minimum} to {maximum}"
    )


_WHOLE = re.compile(r"0*([0-9]{1,18})(?:\.0+)?")


def _whole(key: str) -> int | None:
    """ "3" or "3.0" as 3, or None. Not through float(): "9" * 400 is infinity as a float,
    and int() of that overflowed. A number of more than 18 digits is None: no whole number
    the portal takes is that long."""
    match = _WHOLE.fullmatch(key)
    return int(match[1]) if match else None


def _negative(text: object) -> bool:
    # _key() reads "-" as a space (for "not-rated"), which would make "-1" the number 1.
    return str(text).strip().startswith("-")


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


class NumberOutOfRange(VocabularyError):
    """A number (or infinity, or NaN) that a decimal column cannot hold: the message names
    the range allowed."""


def decimal_range(*, places: int = 3, max_digits: int = 12) -> str:
    """The numbers a column of ``max_digits`` digits, ``places`` of them decimal, holds:
    "-999,999,999.999 to 999,999,999.999"."""
    largest = f"{Decimal(10) ** (max_digits - places) - Decimal(1).scaleb(-places):,}"
    return f"-{largest} to {largest}"


def parse_decimal(text: object, *, places: int = 3, max_digits: int = 12) -> Decimal | None:
    """A number rounded to ``places`` decimal places (half up), or None for an empty cell.

    A trailing "%" and thousands separators ("1,234.5") are allowed. Infinity, NaN and
    numbers the column cannot hold raise :class:`NumberOutOfRange`.
    """
    if is_blank(text):
        return None
    key = str(text).strip().removesuffix("%").strip()
    if _THOUSANDS.match(key):
        key = key.replace(",", "")
    try:
        number = Decimal(key)
    except InvalidOperation:
        raise VocabularyError(f"{_shown(text)} is not a number") from None
    use = f"use a number from {decimal_range(places=places, max_digits=max_digits)}"
    if not number.is_finite():
        raise NumberOutOfRange(f"{_shown(text)} is not a number; {use}")
    limit = Decimal(10) ** (max_digits - places)
    # Compared before rounding as well as after: quantize() cannot round a number of more
    # digits than the context's precision (1e30 raised InvalidOperation).
    # copy_abs(), not abs(): abs() applies the context, which overflows past 1e999999.
    if number.copy_abs() < limit:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number.copy_abs() >= limit:
        size = "too large" if number > 0 else "too small"
        raise NumberOutOfRange(f"{_shown(text)} is {size}; {use}")
    return number


def _shown(text: object, limit: int = 50) -> str:
    text = "" if text is None else str(text).strip()
    # A cell of a megabyte is quoted by its start, not in full in every message.
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
