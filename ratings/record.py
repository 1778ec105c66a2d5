"""The public record, checked: every published fact beside what the portal makes of it.

Two kinds of fact:

- **national figures** (``PublishedFigure``, from ``data/published-figures.csv``): for each,
  the same figure as the portal computes it from its data and rules *as at that
  publication* (``ratings.summary.national_summary`` at the publication's moment), and
  whether they agree. A published percentage is rounded, so it agrees with any figure that
  rounds to it; a range agrees with anything in it; a count or a list of names must be
  exact;
- **rating facts** (``PublishedFact``): whether the portal's rating revision that the fact
  speaks of (``ratings.provenance``) has the stars and judgements the fact states, and,
  where the fact states all four judgements and the stars, whether the star rules
  (``ratings.rules``) give those stars for those judgements.

The published record is public whatever the embargo; the portal's own figures are not:
for a round or publication the gate does not yet show, nothing is computed or shown, and
the fact is marked as not yet compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from . import embargo, rules, selectors
from .models import PublishedFact, PublishedFigure, RatingStatus
from .provenance import JUDGEMENT_FIELDS, Citation, fact_value, facts_by_rating, rating_value
from .summary import NationalSummary, national_summary

AGREES = "agrees"
DIFFERS = "differs"
NOT_COMPUTED = "not_computed"
NOT_YET_PUBLIC = "not_yet_public"
STATUS_LABELS = {
    AGREES: "Reproduced",
    DIFFERS: "Differs",
    NOT_COMPUTED: "Not computed",
    NOT_YET_PUBLIC: "Not yet compared",
}

COUNT, PERCENT, POINTS, NAMES = "count", "percent", "points", "names"
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_RANGE = re.compile(rf"({_NUMBER})\s*[–-]\s*({_NUMBER})")
_CPA_CATEGORIES = ("excellent", "good", "fair", "weak", "poor")
_SHARES = {
    "serving_most_adults_well_percent": ("serving_most_adults", "serving most or all adults well"),
    "serving_most_children_well_percent": (
        "serving_most_children",
        "serving most or all children well",
    ),
    "adults_prospects_promising_or_excellent_percent": (
        "adults_prospects_good",
        "with adults’ prospects promising or excellent",
    ),
    "children_prospects_promising_or_excellent_percent": (
        "children_prospects_good",
        "with children’s prospects promising or excellent",
    ),
}


_POSSESSIVE = {"adults": "adults’", "children": "children’s"}


class NotComputed(Exception):
    """The portal holds nothing to compute this figure from; the message says why."""


# --- published values ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedValue:
    """A published figure's value: a number, a range (both ends included) or names."""

    text: str
    low: float | None = None
    high: float | None = None
    decimals: int = 0
    names: tuple[str, ...] = ()

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.low != self.high


def _decimals(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0


def parse_value(kind: str, text: str) -> PublishedValue:
    """A cell of ``published-figures.csv`` for a figure of ``kind``; ValueError if it is
    not one."""
    text = (text or "").strip()
    if kind == NAMES:
        if text.lower() == "none":
            return PublishedValue(text)
        names = tuple(part.strip() for part in text.split(";") if part.strip())
        if not names:
            raise ValueError("is empty; give council names separated by ';', or 'none'")
        return PublishedValue(text, names=names)
    if re.fullmatch(_NUMBER, text):
        return PublishedValue(text, float(text), float(text), _decimals(text))
    found = _RANGE.fullmatch(text)
    if found and float(found.group(1)) <= float(found.group(2)):
        low, high = found.groups()
        return PublishedValue(text, float(low), float(high), max(_decimals(low), _decimals(high)))
    raise ValueError(f"{text!r} is not a number or a range like 75–76")


# --- the figures the portal computes -------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """What the portal computes as at one publication: the round's national summary then,
    and, for a refresh, the councils whose stars the refresh changed."""

    summary: NationalSummary
    refresh: dict[str, int] | None = None


@dataclass(frozen=True)
class FigureKind:
    pattern: re.Pattern
    kind: str
    label: Callable[[re.Match], str]
    compute: Callable[[re.Match, Moment], object]


def _stars_words(n: int) -> str:
    return "no stars" if n == 0 else rules.stars_in_words(n)


def _refresh(match, moment: Moment):
    if moment.refresh is None:
        raise NotComputed("This publication is not a refresh of an earlier one in the portal.")
    return moment.refresh[match.group(1)]


def _group(match, moment: Moment):
    slug, part = match.groups()
    for group in moment.summary.groups:
        if group.slug == slug:
            return group.members if part == "members" else group.members_two_or_three
    raise NotComputed(f"The portal holds no members of this group in {moment.summary.year}.")


def _cpa(summary: NationalSummary):
    if summary.cpa_year is None:
        raise NotComputed(f"The portal holds no CPA results for {summary.year}.")
    return summary


def _education(match, moment: Moment):
    differences = _cpa(moment.summary).education_minus_social_care
    if not differences:
        raise NotComputed("The portal holds no CPA service scores for this year.")
    which = match.group(1)
    if which == "below":
        return sum(n for d, n in differences.items() if d < 0)
    return differences.get(int(which), 0)


def _judgement_label(match) -> str:
    service, kind, level = match.groups()
    judgement = "serving people well" if kind == "serving" else "prospects"
    return f"Councils whose {_POSSESSIVE[service]} {judgement} judgement was “{level}”"


FIGURES: tuple[FigureKind, ...] = tuple(
    FigureKind(re.compile(pattern), kind, label, compute)
    for pattern, kind, label, compute in (
        ("councils", COUNT, lambda m: "Councils rated", lambda m, x: x.summary.councils),
        (
            "not_rated",
            COUNT,
            lambda m: "Councils not rated",
            lambda m, x: len(x.summary.not_rated),
        ),
        (
            r"stars\.([0-3])",
            COUNT,
            lambda m: f"Councils with {_stars_words(int(m.group(1)))}",
            lambda m, x: x.summary.stars[int(m.group(1))],
        ),
        (
            r"two_or_three_stars\.count",
            COUNT,
            lambda m: "Councils with two or three stars",
            lambda m, x: x.summary.two_or_three,
        ),
        (
            r"two_or_three_stars\.percent",
            PERCENT,
            lambda m: "Share of councils with two or three stars",
            lambda m, x: x.summary.two_or_three_percent,
        ),
        (
            r"two_or_three_stars\.change_points",
            POINTS,
            lambda m: "Change in the share with two or three stars since the previous round",
            lambda m, x: x.summary.change_points,
        ),
        (
            "(" + "|".join(_SHARES) + ")",
            PERCENT,
            lambda m: f"Share of councils {_SHARES[m.group(1)][1]}",
            lambda m, x: x.summary.share(getattr(x.summary, _SHARES[m.group(1)][0])),
        ),
        (
            "moved_up",
            COUNT,
            lambda m: "Councils up at least one star since the previous round",
            lambda m, x: x.summary.moved_up,
        ),
        (
            "moved_down",
            COUNT,
            lambda m: "Councils down at least one star since the previous round",
            lambda m, x: x.summary.moved_down,
        ),
        (
            r"refresh\.(re_rated|moved_up|moved_down)",
            COUNT,
            lambda m: {
                "re_rated": "Councils whose stars the refresh changed",
                "moved_up": "Councils the refresh moved up a star",
                "moved_down": "Councils the refresh moved down a star",
            }[m.group(1)],
            _refresh,
        ),
        (
            "three_to_two_stars",
            COUNT,
            lambda m: "Three-star councils of the previous round with two stars",
            lambda m, x: x.summary.transitions.get((3, 2), 0),
        ),
        (
            "zero_stars_rose",
            COUNT,
            lambda m: "Zero-star councils of the previous round that moved up",
            lambda m, x: sum(n for (a, b), n in x.summary.transitions.items() if a == 0 and b > 0),
        ),
        (
            "zero_stars",
            NAMES,
            lambda m: "Councils with no stars",
            lambda m, x: x.summary.zero_stars,
        ),
        (
            "not_serving_(adults|children)_well",
            NAMES,
            lambda m: f"Councils not serving {m.group(1)} well",
            lambda m, x: x.summary.judgement_councils[f"{m.group(1)}_serving"]["no"],
        ),
        (
            "poor_children_prospects",
            NAMES,
            lambda m: "Councils with poor prospects for children’s services",
            lambda m, x: x.summary.judgement_councils["children_prospects"]["poor"],
        ),
        (
            r"(adults|children)_(serving|prospects)\.("
            + "|".join(rules.SERVING_LEVELS + rules.PROSPECT_LEVELS)
            + ")",
            COUNT,
            _judgement_label,
            lambda m, x: len(
                x.summary.judgement_councils[f"{m.group(1)}_{m.group(2)}"][m.group(3)]
            ),
        ),
        (
            r"groups\.([a-z0-9-]+)\.(members|two_or_three)",
            COUNT,
            lambda m: (
                "Members of the group rated"
                if m.group(2) == "members"
                else "Members of the group with two or three stars"
            ),
            _group,
        ),
        (
            r"cpa\.categories\.(" + "|".join(_CPA_CATEGORIES) + ")",
            COUNT,
            lambda m: f"Councils in the CPA category “{m.group(1)}”",
            lambda m, x: _cpa(x.summary).cpa_categories.get(m.group(1), 0),
        ),
        (
            r"cpa\.education_minus_social_care\.([1-3]|below)",
            COUNT,
            lambda m: (
                "Councils whose CPA education score was below their children’s social care score"
                if m.group(1) == "below"
                else f"Councils whose CPA education score was {m.group(1)} "
                f"point{'s' if m.group(1) != '1' else ''} above their children’s social care score"
            ),
            _education,
        ),
    )
)


def figure_kind(key: str) -> tuple[FigureKind, re.Match]:
    """The kind of figure a key names; ValueError for a key the portal does not know."""
    for kind in FIGURES:
        found = kind.pattern.fullmatch(key)
        if found:
            return kind, found
    raise ValueError(f"{key!r} is not a figure the portal knows")


def computed_figure(key: str, moment: Moment):
    """The portal's value of a figure as at a publication (NotComputed if it has none)."""
    kind, found = figure_kind(key)
    try:
        return kind.compute(found, moment)
    except KeyError as error:
        raise NotComputed("The portal does not hold this figure's data.") from error


def _agrees(kind: str, published: PublishedValue, value) -> bool:
    if kind == NAMES:
        return {n.casefold() for n in published.names} == {n.casefold() for n in value}
    if value is None:
        return False
    # A published percentage was rounded: any value that rounds to it agrees.
    tolerance = 0.5 * 10**-published.decimals if kind in (PERCENT, POINTS) else 0
    return published.low - tolerance - 1e-9 <= value <= published.high + tolerance + 1e-9


def format_value(kind: str, value) -> str:
    if value is None:
        return "–"
    if kind == NAMES:
        return ", ".join(value) if value else "None"
    if kind == PERCENT:
        return f"{value}%"
    if kind == POINTS:
        return f"{value:+} percentage points"
    return str(value)


def _published_text(kind: str, published: PublishedValue) -> str:
    if kind == NAMES:
        return ", ".join(published.names) if published.names else "None"
    text = published.text.replace("-", "–")
    if kind == PERCENT:
        return f"{text}%"
    if kind == POINTS:
        return f"{text} percentage points"
    return text


def _names_difference(published: PublishedValue, value) -> str:
    record = {n.casefold(): n for n in published.names}
    portal = {n.casefold(): n for n in value}
    parts = []
    if missing := [record[n] for n in sorted(record.keys() - portal.keys())]:
        parts.append(f"not in the portal’s list: {', '.join(missing)}")
    if extra := [portal[n] for n in sorted(portal.keys() - record.keys())]:
        parts.append(f"in the portal’s list but not the record’s: {', '.join(extra)}")
    return "; ".join(parts)


# --- the checks ----------------------------------------------------------------------------


class _Result:
    """What a figure's and a fact's check share: the result and its source."""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def result(self) -> dict:
        return {
            "published": self.published,
            "portal": self.portal,
            "status": self.status,
            "explanation": self.explanation,
            "source": self.citation.text,
            "url": self.citation.url,
        }


@dataclass(frozen=True)
class FigureCheck(_Result):
    publication: str  # as in the file: 2002-05-30, 2002-11
    year: int
    figure: str
    label: str
    published: str
    portal: str  # the portal's figure in words; empty when not compared
    status: str
    explanation: str
    citation: Citation
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "publication": self.publication,
            "year": self.year,
            "figure": self.figure,
            "label": self.label,
            **self.result(),
            "note": self.note,
        }


@dataclass(frozen=True)
class FactCheck(_Result):
    council: str
    slug: str
    year: int
    round_label: str
    published: str
    portal: str
    status: str
    explanation: str
    citation: Citation

    def as_dict(self) -> dict:
        return {
            "council": self.council,
            "slug": self.slug,
            "year": self.year,
            "round": self.round_label,
            **self.result(),
        }


@dataclass(frozen=True)
class Publication:
    """The published figures of one publication, as the record page lists them."""

    key: str
    title: str
    figures: list[FigureCheck]


@dataclass
class Record:
    publications: list[Publication]
    facts: list[FactCheck]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def figures(self) -> list[FigureCheck]:
        return [f for p in self.publications for f in p.figures]

    @property
    def total(self) -> int:
        return len(self.figures) + len(self.facts)

    @property
    def reproduced(self) -> int:
        return self.counts.get(AGREES, 0)

    @property
    def differs(self) -> int:
        return self.counts.get(DIFFERS, 0)

    @property
    def not_computed(self) -> int:
        return self.counts.get(NOT_COMPUTED, 0)

    @property
    def not_yet_public(self) -> int:
        return self.counts.get(NOT_YET_PUBLIC, 0)

    def as_dict(self) -> dict:
        """The API's shape (``/api/record/``)."""
        return {
            "reproduced": self.reproduced,
            "total": self.total,
            "counts": {status: self.counts.get(status, 0) for status in STATUS_LABELS},
            "figures": [f.as_dict() for f in self.figures],
            "facts": [f.as_dict() for f in self.facts],
        }


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def publication_title(key: str) -> str:
    """``2004-11-18`` as "18 November 2004", ``2002-11`` as "November 2002"."""
    parts = [int(p) for p in key.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    words = f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {words}" if len(parts) == 3 else words


def _moment_of(publication: str, moments) -> object | None:
    """The round's publication moment that a figure's publication names (by its date, as
    far as the record gives it)."""
    for moment in moments:
        if timezone.localtime(moment).date().isoformat().startswith(publication):
            return moment
    return None


def _refresh_changes(round, before, moment) -> dict[str, int]:
    def stars_at(at):
        return dict(selectors.round_ratings(round, at).values_list("council_id", "stars"))

    then, now = stars_at(before), stars_at(moment)
    changes = [
        (then[council], stars)
        for council, stars in now.items()
        if stars is not None and then.get(council) is not None and then[council] != stars
    ]
    up = sum(1 for before_stars, stars in changes if stars > before_stars)
    down = len(changes) - up
    return {"re_rated": up + down, "moved_up": up, "moved_down": down}


class _Moments:
    """The portal's figures as at each public publication moment, each worked out once."""

    def __init__(self, now):
        self.now = now
        self.schedule = embargo.schedule()
        self._found: dict = {}

    def _refresh(self, round, moment) -> dict[str, int] | None:
        moments = self.schedule.round_moments.get(round.pk, ())
        index = moments.index(moment) if moment in moments else 0
        return _refresh_changes(round, moments[index - 1], moment) if index else None

    def known(self, round, moment, summary: NationalSummary) -> None:
        """A summary worked out already as at ``moment`` (the summary page's)."""
        self._found[(round.pk, moment)] = Moment(summary, self._refresh(round, moment))

    def at(self, round, moment) -> Moment:
        key = (round.pk, moment)
        if key not in self._found:
            summary = national_summary(round, moment, rounds=embargo.published_rounds(moment))
            self._found[key] = Moment(summary, self._refresh(round, moment))
        return self._found[key]


def _check_figure(row: PublishedFigure, moments: _Moments) -> FigureCheck:
    kind, found = figure_kind(row.figure)
    published = parse_value(kind.kind, row.value)
    check = {
        "publication": row.publication,
        "year": row.year,
        "figure": row.figure,
        "label": kind.label(found),
        "published": _published_text(kind.kind, published),
        "citation": Citation.of(row.source),
        "note": row.note,
    }
    round = embargo.published_round(row.year, moments.now)
    if round is None:
        return FigureCheck(
            **check,
            portal="",
            status=NOT_YET_PUBLIC,
            explanation=f"The portal’s {row.year} ratings are not published yet.",
        )
    moment = _moment_of(row.publication, moments.schedule.round_moments.get(round.pk, ()))
    if moment is None:
        return FigureCheck(
            **check,
            portal="",
            status=NOT_COMPUTED,
            explanation=(
                f"The portal has no publication of its {row.year} ratings in "
                f"{publication_title(row.publication)}."
            ),
        )
    last = embargo.last_published_at(round, moments.now)
    if last is None or moment > last:
        return FigureCheck(
            **check,
            portal="",
            status=NOT_YET_PUBLIC,
            explanation="The portal’s figures for this publication are not published yet.",
        )
    try:
        value = computed_figure(row.figure, moments.at(round, moment))
    except NotComputed as reason:
        return FigureCheck(**check, portal="", status=NOT_COMPUTED, explanation=str(reason))
    portal = format_value(kind.kind, value)
    if _agrees(kind.kind, published, value):
        return FigureCheck(**check, portal=portal, status=AGREES, explanation="")
    if round.is_sample:
        why = "Sample data: the sample rounds cannot match this published figure yet"
    else:
        why = "The portal’s data give a different figure from the publication"
    if kind.kind == NAMES:
        why += f" ({_names_difference(published, value)})"
    return FigureCheck(**check, portal=portal, status=DIFFERS, explanation=why + ".")


# --- rating facts ---------------------------------------------------------------------------


def _field_words(field_name: str, value) -> str:
    if field_name == "stars":
        return "not rated" if value == RatingStatus.NOT_RATED else rules.stars_in_words(value)
    service, kind = field_name.split("_", 1)
    labels = rules.SERVING_LABELS if kind == "serving" else rules.PROSPECT_LABELS
    words = labels.get(value, str(value))
    return (
        f"{service}: {words}" if kind == "serving" else f"{_POSSESSIVE[service]} prospects: {words}"
    )


def _stated(values: dict) -> str:
    return "; ".join(_field_words(f, v) for f, v in values.items() if v is not None) or "–"


def _fact_check(fact, rating, now) -> FactCheck:
    stated = {f: fact_value(fact, f) for f in ("stars", *JUDGEMENT_FIELDS)}
    check = {
        "council": fact.council.name,
        "slug": fact.council.slug,
        "year": fact.year,
        "round_label": fact.round_label,
        "published": _stated(stated),
        "citation": Citation.of(fact.source),
    }
    if embargo.published_round(fact.year, now) is None:
        return FactCheck(
            **check,
            portal="",
            status=NOT_YET_PUBLIC,
            explanation=f"The portal’s {fact.year} ratings are not published yet.",
        )
    if rating is None:
        return FactCheck(
            **check,
            portal="",
            status=NOT_COMPUTED,
            explanation=f"The portal has no published rating of this council in {fact.year}.",
        )
    portal = {f: rating_value(rating, f) for f in stated if stated[f] is not None}
    reasons = [
        f"the portal’s data give {_field_words(f, portal[f])} where the record says "
        f"{_field_words(f, v)}"
        for f, v in stated.items()
        if v is not None and portal[f] != v
    ]
    if reasons and fact.conflict:
        # Two published facts disagree: the portal follows one, and says so by the other.
        reasons[0] = f"Conflicting record: {fact.conflict.rstrip('.')}; " + reasons[0]
    elif reasons and rating.round.is_sample:
        reasons[0] = "Sample data: " + reasons[0]
    if stated["stars"] not in (None, RatingStatus.NOT_RATED) and all(
        stated[f] for f in JUDGEMENT_FIELDS
    ):
        given = rules.rate(
            rules.Judgements(*(stated[f] for f in JUDGEMENT_FIELDS)),
            methodology=rating.round.methodology_version,
        ).stars
        if given != stated["stars"]:
            reasons.append(
                f"the reconstructed conversion table gives {rules.stars_in_words(given)} "
                "for these judgements"
            )
    explanation = "; ".join(reasons)
    return FactCheck(
        **check,
        portal=_stated(portal),
        status=DIFFERS if reasons else AGREES,
        explanation=(explanation[:1].upper() + explanation[1:] + ".") if reasons else "",
    )


def fact_checks(now=None) -> list[FactCheck]:
    """Every published rating fact, and whether the portal's data and rules reproduce it."""
    now = embargo.now(now)
    facts = list(PublishedFact.objects.select_related("council").order_by("year", "council__name"))
    ratings = list(
        embargo.published_ratings(now)
        .filter(
            council_id__in={f.council_id for f in facts}, round__year__in={f.year for f in facts}
        )
        .select_related("round")
        .prefetch_related("judgements")
    )
    speaks_of = {}
    by_pk = {r.pk: r for r in ratings}
    for pk, spoken in facts_by_rating(ratings, now).items():
        for fact in spoken:
            speaks_of[fact.pk] = by_pk[pk]
    return [_fact_check(fact, speaks_of.get(fact.pk), now) for fact in facts]


# --- the whole record ------------------------------------------------------------------------


def figure_checks(now=None, *, rows=None) -> list[FigureCheck]:
    """Every published national figure (or ``rows`` of them), and whether the portal
    reproduces it as at its publication."""
    now = embargo.now(now)
    moments = _Moments(now)
    if rows is None:
        rows = PublishedFigure.objects.order_by("publication", "pk")
    return [_check_figure(row, moments) for row in rows]


def public_record(now=None) -> Record:
    now = embargo.now(now)
    figures = figure_checks(now)
    by_publication = defaultdict(list)
    for check in figures:
        by_publication[check.publication].append(check)
    facts = fact_checks(now)
    counts: dict[str, int] = defaultdict(int)
    for check in [*figures, *facts]:
        counts[check.status] += 1
    return Record(
        publications=[
            Publication(key, publication_title(key), checks)
            for key, checks in sorted(by_publication.items())
        ],
        facts=facts,
        counts=dict(counts),
    )


def summary_differences(summary: NationalSummary, now=None) -> dict[str, FigureCheck]:
    """The published figures of the publication a national summary shows (the round's
    latest public one) that the summary does not reproduce, by figure key."""
    now = embargo.now(now)
    last = embargo.last_published_at(summary.round, now)
    if last is None:
        return {}
    rows = [
        row
        for row in PublishedFigure.objects.filter(year=summary.year).order_by("pk")
        if _moment_of(row.publication, (last,)) is not None
    ]
    if not rows:
        return {}
    moments = _Moments(now)
    moments.known(summary.round, last, summary)
    checks = (_check_figure(row, moments) for row in rows)
    return {check.figure: check for check in checks if check.status == DIFFERS}
