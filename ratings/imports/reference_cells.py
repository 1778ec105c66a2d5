"""What a bundled reference data file's cells may hold (for :mod:`ratings.reference_data`).

Each parser takes a cell's text (stripped) and returns its value, or raises ValueError
with a message that follows the cell's line and column. Some are made for a model field or
a list of choices: ``field_text(Council, "name")`` is the parser of a council's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models

from .. import vocabulary
from ..councils import CouncilMatcher, CouncilNotFound
from ..models import Council, PublishedFact

BAND_COUNT = 5
_ONS_CODE = re.compile(r"^[A-Z0-9]{2,9}$")


def present(text: str) -> str:
    if not text:
        raise ValueError("is empty; a value is required")
    return text


def fits(model: type[models.Model], field: str) -> Callable[[str], str]:
    """The parser of text no longer than ``model``'s ``field`` allows."""
    limit = model._meta.get_field(field).max_length

    def parse(text: str) -> str:
        if limit is not None and len(text) > limit:
            raise ValueError(f"is {len(text)} characters long; at most {limit} are allowed")
        return text

    return parse


def field_text(model: type[models.Model], field: str, *, required: bool = True):
    """The parser of ``model``'s text ``field``: present (if ``required``) and fitting."""
    limit = fits(model, field)
    return (lambda text: limit(present(text))) if required else limit


def slug(text: str) -> str:
    present(text)
    try:
        validate_slug(text)
    except ValidationError:
        raise ValueError(
            f"{text!r} is not a slug; use lower-case letters, digits and hyphens"
        ) from None
    return text


def slug_of(model: type[models.Model]) -> Callable[[str], str]:
    """The parser of ``model``'s slug: a slug that fits its field."""
    limit = fits(model, "slug")
    return lambda text: limit(slug(text))


def one_of(choices: Sequence[str], what: str) -> Callable[[str], str]:
    """The parser of one of ``choices``, which are ``what`` (e.g. "a domain")."""

    def parse(text: str) -> str:
        if text not in choices:
            allowed = f"use one of {', '.join(choices)}" if choices else "there are none yet"
            raise ValueError(f"{text!r} is not {what}; {allowed}")
        return text

    return parse


def optional(parse: Callable[[str], str]) -> Callable[[str], str]:
    """``parse`` for a cell that may be empty (then "")."""
    return lambda text: parse(text) if text else ""


def order(text: str) -> int:
    if not text:
        return 0
    return vocabulary.parse_whole_number(text, minimum=0, maximum=32767, what="an order")


def _number(text: str) -> int | float:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{text.strip()!r} is not a number")
    return int(number) if number == number.to_integral_value() else float(number)


def band_thresholds(text: str) -> list[int | float]:
    """Four ascending cut points separated by ';', or an empty list for an empty cell."""
    if not text:
        return []
    parts = text.split(";")
    example = "e.g. 10;20;30;40"
    if len(parts) != BAND_COUNT - 1:
        raise ValueError(
            f"{text!r} has {len(parts)} cut points; give {BAND_COUNT - 1} ascending numbers "
            f"separated by ';' ({example})"
        )
    numbers = [_number(part) for part in parts]
    if any(later < earlier for earlier, later in zip(numbers, numbers[1:], strict=False)):
        raise ValueError(f"{text!r} is not in ascending order ({example})")
    return numbers


def threshold(text: str) -> Decimal | None:
    return vocabulary.parse_decimal(present(text))


def ons_code(text: str) -> str:
    if text and not _ONS_CODE.match(text):
        raise ValueError(
            f"{text!r} is not an ONS or GSS code (up to 9 capital letters and digits, "
            "e.g. E09000001); leave it empty if unknown"
        )
    return text


def special_measures(text: str) -> str:
    if text:
        vocabulary.parse_special_measures(text)
    return fits(PublishedFact, "special_measures")(text)


def council(matcher: CouncilMatcher, text: str) -> Council:
    try:
        return matcher.find(present(text))
    except CouncilNotFound as error:
        raise ValueError(str(error)) from None
