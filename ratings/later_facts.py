"""The rating facts found after the first release (``data/more-facts-2002-2008.csv``).

Plain Python with no Django import: the reference data loader, the sample data generator
and the fact tests all read the file through :func:`read_later_facts`, so that they agree
on what each row says and on what it leaves in doubt.

The file is kept whole, as found, but only its rows for the portal's rounds (2002-2005)
are facts here: rows such as "2006 (adults)" belong to the adults-only ratings that came
after the combined star rating. A cell may carry a doubt after its value, in brackets:
"no (inferred)", "3 (CONFLICT: ...)", "2004 or 2005 (...)". The value is kept and so is
the doubt, word for word; nothing here makes a doubtful value certain.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import rules

LATER_FACTS_FILE = "more-facts-2002-2008.csv"
FIRST_YEAR, LAST_YEAR = 2002, 2005
JUDGEMENT_COLUMNS = (
    "adults_serving",
    "adults_prospects",
    "children_serving",
    "children_prospects",
)
COLUMN_WORDS = {
    "year": "year",
    "stars": "stars",
    "adults_serving": "adults serving people well",
    "adults_prospects": "adults' capacity for improvement",
    "children_serving": "children serving people well",
    "children_prospects": "children's capacity for improvement",
}
# A value, then an optional remark in brackets: "most (probable)", "3 (CONFLICT: ...)".
_VALUE_AND_REMARK = re.compile(r"^(?P<value>[^(]*?)\s*(?P<remark>\(.*\))?$")
_EDITOR_NOTE = re.compile(r"\[[^\]]*\]")
_YEARS = re.compile(r"^(?P<first>\d{4})(?:\s*(?P<joint>-|or|and)\s*(?P<last>\d{4}))?")


class LaterFactsError(ValueError):
    """A row of the file this module cannot read; nothing is guessed."""


@dataclass(frozen=True)
class LaterFact:
    """One 2002-2005 fact of the file (a row naming several years gives one per year)."""

    line: int
    council: str
    year: int
    stars: int | None
    judgements: Mapping[str, str]
    source: str
    quote: str
    doubt: tuple[str, ...] = ()
    # The years the row may mean, when it does not say which ("2004 or 2005").
    possible_years: tuple[int, ...] = ()
    conflict: bool = False  # the file marks a cell CONFLICT
    written: Mapping[str, str] = field(default_factory=dict)  # the cells as found

    @property
    def key(self) -> str:
        """A name for the fact, e.g. ``Camden-2005-later``."""
        return f"{self.council}-{self.year}-later".replace(" ", "-")

    @property
    def year_is_certain(self) -> bool:
        return self.possible_years == (self.year,)


def _split(column: str, text: str) -> tuple[str, str]:
    """The value of a cell and its remark in brackets ("" if none)."""
    match = _VALUE_AND_REMARK.match(text.strip())
    if match is None:  # pragma: no cover - the pattern matches any text
        raise LaterFactsError(f"{column}: cannot read {text!r}")
    return match["value"].strip(), (match["remark"] or "").strip()


def _years(text: str) -> tuple[tuple[int, ...], bool]:
    """The years a year cell names, and whether it means each of them (not one of them)."""
    match = _YEARS.match(text.strip())
    if match is None:
        raise LaterFactsError(f"year: cannot read {text!r}")
    first = int(match["first"])
    last = int(match["last"] or first)
    if match["joint"] == "or":
        return (first, last), False
    return tuple(range(first, last + 1)), True


def read_later_facts(path: Path) -> list[LaterFact]:
    """The 2002-2005 facts of the file, in file order. "same" in a source or quote cell
    means the row above's; a quote "same (remark)" keeps the remark as a doubt."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    facts: list[LaterFact] = []
    previous_source = previous_quote = ""
    for line, row in enumerate(rows, start=2):
        cells = {name: (value or "").strip() for name, value in row.items() if name}
        source, quote = cells["source"], cells["quote"]
        doubt: list[str] = []
        if source == "same":
            source = previous_source
        if quote.startswith("same"):
            remark = quote[len("same") :].strip()
            quote = previous_quote
            if remark:
                doubt.append(f"note: {remark}")
        previous_source, previous_quote = source, quote
        year_cell = cells["year"]
        if "adults" in year_cell:
            continue  # the adults-only ratings of 2006-2008: outside the portal's rounds
        years, each = _years(year_cell)
        if not all(FIRST_YEAR <= y <= LAST_YEAR for y in years):
            continue
        if year_cell != str(years[0]):
            doubt.append(f"year: {year_cell}")
        stars_value, stars_remark = _split("stars", cells["stars"])
        stars = None
        if stars_value:
            if stars_value not in {"0", "1", "2", "3"}:
                raise LaterFactsError(f"line {line}, stars: cannot read {cells['stars']!r}")
            stars = int(stars_value)
        if stars_remark:
            doubt.append(f"stars: {cells['stars']}")
        judgements = {}
        for column in JUDGEMENT_COLUMNS:
            value, remark = _split(column, cells[column])
            if not value:
                continue
            allowed = rules.SERVING_LEVELS if column.endswith("serving") else rules.PROSPECT_LEVELS
            if value not in allowed:
                raise LaterFactsError(f"line {line}, {column}: cannot read {cells[column]!r}")
            judgements[column] = value
            if remark:
                doubt.append(f"{COLUMN_WORDS[column]}: {cells[column]}")
        # An editor's note in square brackets in the quote is not the source's words.
        doubt += [f"note: {note}" for note in _EDITOR_NOTE.findall(quote)]
        if "DERIVED" in quote:
            doubt.append("derived: the quote states it of a later year, counting back")
        conflict = any("CONFLICT" in cells[c] for c in ("stars", *JUDGEMENT_COLUMNS))
        for year in years if each else years[:1]:
            facts.append(
                LaterFact(
                    line=line,
                    council=cells["council"],
                    year=year,
                    stars=stars,
                    judgements=judgements,
                    source=source,
                    quote=quote,
                    doubt=tuple(doubt),
                    possible_years=(year,) if each else years,
                    conflict=conflict,
                    written=cells,
                )
            )
    return facts


def _known_round_matches(year: int, round_label: str) -> bool:
    """Whether a known-ratings.csv fact speaks of the rating a later fact names: a later
    fact of 2002 is the rating in force at the year's end, as an undated known one is."""
    return year != 2002 or round_label.strip().lower() != "may"


def conflicting_known_fact(
    fact: LaterFact, known: Iterable[Mapping[str, str]], council_of
) -> Mapping[str, str] | None:
    """The known-ratings.csv row (``council_of`` maps its council cell to a council name)
    that says otherwise about this fact's stars or judgements, if any."""
    for row in known:
        if row["year"].strip() != str(fact.year):
            continue
        if council_of(row["council"]) != council_of(fact.council):
            continue
        if not _known_round_matches(fact.year, row.get("round", "")):
            continue
        stars = row["stars"].strip()
        if fact.stars is not None and stars and stars != str(fact.stars):
            return row
        for column, value in fact.judgements.items():
            if row[column].strip() and row[column].strip() != value:
                return row
    return None


def conflict_text(fact: LaterFact, other: Mapping[str, str]) -> str:
    """What a conflict between a later fact and a known-ratings.csv fact is, and which of
    the two the portal follows (always the known one: see ``ratings/data/README.md``)."""
    stars = other["stars"].strip() or "stars not stated"
    said = "not rated" if stars == "not rated" else f"{stars} stars"
    return (
        f"Conflicts with another published fact: {said} in {fact.year} "
        f"({other['source'].strip()}). The portal follows that fact; this one is kept as found."
    )
