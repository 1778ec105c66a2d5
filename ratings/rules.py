"""The star-rating rules: from four judgements (and any key-indicator caps) to 0-3 stars.

Plain Python with no Django import, so that the command line, the admin, the inspectors'
forms, the API and the reports all reach the same answer by calling :func:`rate`. The
conversion table itself is data (``star_rules/<table>.csv``, one per methodology version,
listed in ``star_rules/versions.csv``) so that it can be corrected without code changes;
this module only reads it and explains it.

The published principles (Community Care, 30 April 2002) are what the reasons describe:
current performance weighs more than prospects, adults and children weigh the same, and a
failure in either service gives zero stars. Where a table disagrees with the principles,
the table wins and the reasons say so.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SERVICES = ("adults", "children")
SERVING_LEVELS = ("no", "some", "most", "yes")
PROSPECT_LEVELS = ("poor", "uncertain", "promising", "excellent")
STAR_VALUES = (0, 1, 2, 3)

SERVICE_LABELS = {"adults": "adults' services", "children": "children's services"}
SERVING_LABELS = {
    "no": "serving no people well",
    "some": "serving some people well",
    "most": "serving most people well",
    "yes": "serving all people well",
}
PROSPECT_LABELS = {
    "poor": "poor",
    "uncertain": "uncertain",
    "promising": "promising",
    "excellent": "excellent",
}
# Which judgement a key indicator may cap, and to what at most (Community Care, 2 May 2002).
DEFAULT_CAP_MAXIMUM = {"children": "some", "adults": "most"}

RULES_DIR = Path(__file__).resolve().parent / "star_rules"
DEFAULT_METHODOLOGY = "2002"


class RulesError(ValueError):
    """A judgement, methodology or cap the rules do not know."""


class InvalidJudgement(RulesError):
    def __init__(self, field_name: str, value: object, allowed: Iterable[str]):
        self.field_name = field_name
        self.value = value
        self.allowed = tuple(allowed)
        super().__init__(
            f"{field_name.replace('_', ' ')}: {value!r} is not allowed; "
            f"use one of {', '.join(self.allowed)}"
        )


class UnknownMethodology(RulesError):
    def __init__(self, version: str, known: Iterable[str]):
        self.version = version
        self.known = tuple(known)
        super().__init__(
            f"methodology {version!r} is not known; use one of {', '.join(self.known)}"
        )


@dataclass(frozen=True)
class Judgements:
    """The four judgements of one council in one round."""

    adults_serving: str
    adults_prospects: str
    children_serving: str
    children_prospects: str

    def __post_init__(self):
        for service in SERVICES:
            serving = f"{service}_serving"
            prospects = f"{service}_prospects"
            if getattr(self, serving) not in SERVING_LEVELS:
                raise InvalidJudgement(serving, getattr(self, serving), SERVING_LEVELS)
            if getattr(self, prospects) not in PROSPECT_LEVELS:
                raise InvalidJudgement(prospects, getattr(self, prospects), PROSPECT_LEVELS)

    def serving(self, service: str) -> str:
        return getattr(self, f"{service}_serving")

    def prospects(self, service: str) -> str:
        return getattr(self, f"{service}_prospects")

    def as_dict(self) -> dict[str, str]:
        return {
            "adults_serving": self.adults_serving,
            "adults_prospects": self.adults_prospects,
            "children_serving": self.children_serving,
            "children_prospects": self.children_prospects,
        }

    def with_serving(self, service: str, level: str) -> Judgements:
        values = self.as_dict()
        values[f"{service}_serving"] = level
        return Judgements(**values)


@dataclass(frozen=True)
class KeyIndicatorCap:
    """A key indicator that a council failed, and what it caps."""

    indicator_code: str
    service: str
    maximum: str
    # Why it failed, in words that follow "because indicator X is ...".
    failing_because: str = "below its threshold"

    def __post_init__(self):
        if self.service not in SERVICES:
            raise InvalidJudgement("service", self.service, SERVICES)
        if self.maximum not in SERVING_LEVELS:
            raise InvalidJudgement("maximum", self.maximum, SERVING_LEVELS)


@dataclass(frozen=True)
class Rating:
    """What the rules give: the stars, the reasons in order, and the judgements used."""

    stars: int
    reasons: tuple[str, ...]
    judgements: Judgements
    methodology: str
    capped: tuple[str, ...] = field(default=())  # services whose judgement a cap lowered

    def as_dict(self) -> dict:
        return {"stars": self.stars, "reasons": list(self.reasons)}


# --- the table -----------------------------------------------------------------------------


@cache
def methodology_versions() -> dict[str, dict[str, str]]:
    """Every methodology version with its table file and description, oldest first."""
    with (RULES_DIR / "versions.csv").open(newline="", encoding="utf-8") as handle:
        return {row["version"]: row for row in csv.DictReader(handle)}


@cache
def star_table(version: str) -> Mapping[Judgements, int]:
    """The conversion table of a methodology version: every combination to its stars."""
    versions = methodology_versions()
    if version not in versions:
        raise UnknownMethodology(version, versions)
    path = RULES_DIR / versions[version]["table"]
    table: dict[Judgements, int] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            judgements = Judgements(
                row["adults_serving"],
                row["adults_prospects"],
                row["children_serving"],
                row["children_prospects"],
            )
            stars = int(row["stars"])
            if stars not in STAR_VALUES or judgements in table:
                raise RulesError(f"{path.name} line {line}: bad or repeated row")
            table[judgements] = stars
    expected = len(SERVING_LEVELS) ** 2 * len(PROSPECT_LEVELS) ** 2
    if len(table) != expected:
        raise RulesError(f"{path.name} has {len(table)} combinations, not {expected}")
    return table


# --- caps ----------------------------------------------------------------------------------


def key_indicator_cap(
    *,
    indicator_code: str,
    service: str,
    maximum: str,
    threshold: float,
    higher_is_better: bool,
    value: float | None,
    exempt: bool = False,
) -> KeyIndicatorCap | None:
    """The cap a key indicator imposes on a council, or None if it meets the minimum.

    A missing value imposes no cap (the rules need evidence of failure), and neither does
    an exemption (small councils, where one person would swing the figure).
    """
    if value is None or exempt:
        return None
    if higher_is_better and value < threshold:
        return KeyIndicatorCap(indicator_code, service, maximum, "below its threshold")
    if not higher_is_better and value > threshold:
        return KeyIndicatorCap(indicator_code, service, maximum, "above its threshold")
    return None


def apply_caps(
    judgements: Judgements, caps: Iterable[KeyIndicatorCap]
) -> tuple[Judgements, list[str], tuple[str, ...]]:
    """Lower each capped service's current judgement to its cap; say why."""
    reasons: list[str] = []
    capped: list[str] = []
    for cap in sorted(caps, key=lambda c: (SERVICES.index(c.service), c.indicator_code)):
        current = judgements.serving(cap.service)
        label = SERVICE_LABELS[cap.service].capitalize()
        if SERVING_LEVELS.index(current) > SERVING_LEVELS.index(cap.maximum):
            judgements = judgements.with_serving(cap.service, cap.maximum)
            if cap.service not in capped:
                capped.append(cap.service)
            reasons.append(
                f"{label} are capped at '{cap.maximum}' because indicator "
                f"{cap.indicator_code} is {cap.failing_because}."
            )
        else:
            reasons.append(
                f"Indicator {cap.indicator_code} is {cap.failing_because}, which caps "
                f"{SERVICE_LABELS[cap.service]} at '{cap.maximum}'; the judgement "
                f"('{current}') is already within the cap."
            )
    return judgements, reasons, tuple(capped)


# --- the explanation -----------------------------------------------------------------------

_POINTS = {"no": 0, "some": 1, "most": 2, "yes": 3}
_BASE_STARS = {2: 1, 3: 2, 4: 2, 5: 3, 6: 3}
_PROSPECT_ADJUSTMENT = {"excellent": 0, "promising": 0, "uncertain": -1, "poor": -2}
_WORDS = {0: "zero stars", 1: "one star", 2: "two stars", 3: "three stars"}


def stars_in_words(stars: int) -> str:
    return _WORDS[stars]


def _failures(judgements: Judgements) -> list[str]:
    failures = []
    for service in SERVICES:
        serving = judgements.serving(service)
        prospects = judgements.prospects(service)
        label = SERVICE_LABELS[service]
        if serving == "no":
            failures.append(
                f"A failure in {label} ({SERVING_LABELS['no']}) gives zero stars, "
                "however good the other service is."
            )
        elif serving == "some" and prospects == "poor":
            failures.append(
                f"{label.capitalize()} serving some people well with poor prospects is a "
                "failure, which gives zero stars however good the other service is."
            )
    return failures


def _explain(judgements: Judgements) -> tuple[int, list[str]]:
    """The stars the published principles give, step by step."""
    failures = _failures(judgements)
    if failures:
        return 0, failures

    reasons = []
    points = sum(_POINTS[judgements.serving(s)] for s in SERVICES)
    stars = _BASE_STARS[points]
    reasons.append(
        "Current performance: "
        + " and ".join(
            f"{SERVICE_LABELS[s]} {SERVING_LABELS[judgements.serving(s)]}" for s in SERVICES
        )
        + f", which gives {stars_in_words(stars)} before prospects are taken into account."
    )

    weaker = min(SERVICES, key=lambda s: PROSPECT_LEVELS.index(judgements.prospects(s)))
    weaker_prospects = judgements.prospects(weaker)
    adjustment = _PROSPECT_ADJUSTMENT[weaker_prospects]
    if adjustment == 0:
        reasons.append("Prospects for improvement are promising or better in both services.")
    else:
        adjusted = max(1, stars + adjustment)
        taken = stars - adjusted
        where = (
            "both services"
            if judgements.adults_prospects == judgements.children_prospects
            else SERVICE_LABELS[weaker]
        )
        if taken:
            reasons.append(
                f"Prospects for improvement are {weaker_prospects} in {where}, which takes "
                f"off {stars_in_words(taken)}."
            )
        else:
            reasons.append(
                f"Prospects for improvement are {weaker_prospects} in {where}, but a council "
                "that is not failing keeps at least one star."
            )
        stars = adjusted

    top = all(
        SERVING_LEVELS.index(judgements.serving(s)) >= SERVING_LEVELS.index("most")
        and judgements.prospects(s) == "excellent"
        for s in SERVICES
    )
    if top and stars < 3:
        stars += 1
        reasons.append(
            "Both services serve at least most people well with excellent prospects, which "
            "adds one star."
        )
    return stars, reasons


def rate(
    judgements: Judgements,
    *,
    methodology: str = DEFAULT_METHODOLOGY,
    caps: Iterable[KeyIndicatorCap] = (),
) -> Rating:
    """The stars and the reasons for four judgements under a methodology version.

    Caps are applied before the table. The table decides; the reasons explain it.
    """
    table = star_table(methodology)
    capped_judgements, reasons, capped = apply_caps(judgements, caps)
    explained_stars, explanation = _explain(capped_judgements)
    reasons.extend(explanation)
    stars = table[capped_judgements]
    if stars != explained_stars:
        reasons.append(
            f"The {methodology} conversion table sets this combination at "
            f"{stars_in_words(stars)}, which overrides the general principles above."
        )
    reasons.append(f"Overall: {stars_in_words(stars)} under the {methodology} methodology.")
    return Rating(
        stars=stars,
        reasons=tuple(reasons),
        judgements=capped_judgements,
        methodology=methodology,
        capped=capped,
    )


# --- a published outcome the table cannot give ----------------------------------------------

# The first words of the reasons of a rating whose stars are a published outcome.
PUBLISHED_OUTCOME = "Published outcome:"


def published_outcome(
    judgements: Judgements,
    *,
    stars: int,
    note: str,
    methodology: str = DEFAULT_METHODOLOGY,
    caps: Iterable[KeyIndicatorCap] = (),
) -> Rating:
    """A rating whose stars are the published outcome where the table gives other stars.

    The table is a reconstruction; where a published outcome contradicts it, the outcome
    is the record and the table is not bent to fit it (nor the judgements invented to fit
    the table). The reasons say so plainly, with ``note``: what the published record says
    caused the outcome. RulesError if the table gives the same stars: then nothing needs
    saying beyond what :func:`rate` says.
    """
    if stars not in STAR_VALUES:
        raise RulesError(f"stars must be one of {', '.join(map(str, STAR_VALUES))}")
    if not note.strip():
        raise RulesError("a published outcome needs a note of what the record says caused it")
    by_table = rate(judgements, methodology=methodology, caps=caps)
    if by_table.stars == stars:
        raise RulesError(
            f"the {methodology} conversion table already gives {stars_in_words(stars)} for "
            "these judgements"
        )
    reasons = (
        f"{PUBLISHED_OUTCOME} {stars_in_words(stars)}. The portal's reconstructed conversion "
        f"table gives {stars_in_words(by_table.stars)} for these judgements; the rating is "
        "the published one, not the table's.",
        note.strip(),
        f"Overall: {stars_in_words(stars)}, as published (the {methodology} table would give "
        f"{stars_in_words(by_table.stars)}).",
    )
    return Rating(
        stars=stars,
        reasons=reasons,
        judgements=by_table.judgements,
        methodology=methodology,
        capped=by_table.capped,
    )


def published_outcome_note(reasons: Iterable[str] | None) -> str | None:
    """The note of a rating stored as a published outcome (from its reasons), or None."""
    reasons = list(reasons or [])
    if len(reasons) >= 2 and str(reasons[0]).startswith(PUBLISHED_OUTCOME):
        return str(reasons[1])
    return None


# --- what a rating means -------------------------------------------------------------------


def on_special_measures_after(*, was_on: bool, stars: int | None) -> bool:
    """Zero stars puts a council on special measures (or keeps it there); one or more
    takes it off. A council that is not rated keeps its previous state."""
    if stars is None:
        return was_on
    return stars == 0


def consequences(stars: int | None) -> list[str]:
    """What a star rating brings, in plain English, for pages and reports."""
    if stars is None:
        return []
    if stars == 0:
        return [
            "Zero stars puts the council on special measures: it must send the inspectorate "
            "a performance improvement plan and is monitored continually.",
        ]
    if stars == 3:
        return [
            "Three stars brings freedoms: the council may spend its share of the performance "
            "fund on any social services area, with fewer grant restrictions and fewer "
            "inspections.",
        ]
    return []
