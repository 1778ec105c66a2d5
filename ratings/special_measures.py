"""The special measures register: who was on it before the first round (bundled data
from the published record), and who joined and left it at each publication (from the
ratings as published: each revision says whether its council is on special measures).

The register is older than the star ratings. In May 2002 all ten zero-star councils were
on it, "four already were, six were added", and six councils came off it on reaching one
star; the sources name the six who left and one of the four, so the record holds three
members it cannot name. Where members are unnamed, who joined cannot be named either:
the change says how many joined, and names them only when that is certain.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .councils import CouncilMatcher
from .models import SpecialMeasuresBefore

FILE = Path(__file__).resolve().parent / "data" / "special-measures-before-2002.csv"


@dataclass(frozen=True)
class RegisterChange:
    """The register after one publication, against the register before it."""

    on: tuple[str, ...]
    entered: tuple[str, ...]  # named only where certain
    entered_count: int
    left: tuple[str, ...]
    unnamed_before: int = 0

    @property
    def note(self) -> str:
        if not self.unnamed_before or not self.entered_count:
            return ""
        already = len(self.on) - self.entered_count
        return (
            f"{already} of the {len(self.on)} were already on special measures; the published "
            "record does not name every one, so those who went on to them are counted, "
            "not named."
        )


def change(on_now, before, unnamed_before: int = 0) -> RegisterChange:
    """``on_now``: the names on the register after a publication; ``before``: the names
    on it before; ``unnamed_before``: members before that the record does not name (each
    one of those on it now)."""
    on_now, before = set(on_now), set(before)
    joined = sorted(on_now - before)
    count = max(len(joined) - unnamed_before, 0)
    return RegisterChange(
        on=tuple(sorted(on_now)),
        entered=tuple(joined) if not unnamed_before else (),
        entered_count=count,
        left=tuple(sorted(before - on_now)),
        unnamed_before=unnamed_before,
    )


def before_first_round() -> tuple[set[str], int]:
    """The register before the first round: the names it holds and how many members it
    does not name."""
    names, unnamed = set(), 0
    for name in SpecialMeasuresBefore.objects.values_list("council__name", flat=True):
        if name is None:
            unnamed += 1
        else:
            names.add(name)
    return names, unnamed


@transaction.atomic
def load(path: Path = FILE) -> int:
    """Load the register before the first round (idempotent: named rows by council; the
    unnamed ones topped up to the file's number, never deleted)."""
    matcher = CouncilMatcher()
    unnamed_rows = []
    with path.open(newline="", encoding="utf-8") as source:
        for line, row in enumerate(csv.DictReader(source), start=2):
            values = {
                "since": row["since"].strip(),
                "note": row["note"].strip(),
                "source": row["source"].strip(),
            }
            name = row["council"].strip()
            if not name:
                unnamed_rows.append(values)
                continue
            council = matcher.get(name)
            if council is None:
                raise ValueError(f"{path.name} line {line}, council: unknown council {name!r}")
            SpecialMeasuresBefore.objects.update_or_create(council=council, defaults=values)
    have = SpecialMeasuresBefore.objects.filter(council__isnull=True).count()
    for values in unnamed_rows[have:]:
        SpecialMeasuresBefore.objects.create(council=None, **values)
    return SpecialMeasuresBefore.objects.count()
