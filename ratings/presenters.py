"""What the public pages show, in words, built on the reads in ``ratings.selectors``.

Rounds and ratings come only from the selectors, so nothing embargoed reaches a page; the
context around them (indicators, CPA, groups, published facts) is read here for a round
or council the selectors have already returned. Each page's reads are a fixed number of
queries whatever the number of councils.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from . import banding, charts, embargo, rules, selectors
from .models import (
    AssessmentRound,
    Council,
    CouncilType,
    CPAResult,
    GroupMembership,
    Indicator,
    Polarity,
    PublishedFact,
    Rating,
    RatingStatus,
)

# --- words ---------------------------------------------------------------------------------

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
# "Serving most people well" counts councils serving most or all people well, as the
# national summary does.
SERVING_MOST = ("most", "yes")


def stars_words(stars: int | None) -> str:
    """ "2 stars", "1 star", or "Not rated"."""
    if stars is None:
        return NOT_RATED
    return f"{stars} star" if stars == 1 else f"{stars} stars"


def stars_html(stars: int | None) -> SafeString:
    """The markup of ``includes/_stars.html`` (symbols hidden from screen readers, then the
    words), built without a template so that a table of 1,500 rows renders quickly."""
    if stars is None:
        return format_html(
            '<span class="stars stars--not-rated"><span class="stars__text">{}</span></span>',
            NOT_RATED,
        )
    return format_html(
        '<span class="stars stars--{}"><span class="stars__symbols" aria-hidden="true">{}'
        '</span> <span class="stars__text">{}</span></span>',
        stars,
        STAR_SYMBOLS[stars],
        stars_words(stars),
    )


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


def _average(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


# --- rounds --------------------------------------------------------------------------------


# --- the league table ------------------------------------------------------------------------


def export_row(rating: Rating) -> dict:
    """A league-table row in plain values (the download columns)."""
    return {
        "council": rating.council.name,
        "region": rating.council.region.name,
        "type": rating.council.council_type,
        "stars": rating.stars,
        "adults_serving": rating.adults_serving or "",
        "adults_prospects": rating.adults_prospects or "",
        "children_serving": rating.children_serving or "",
        "children_prospects": rating.children_prospects or "",
        "change": rating.change or "",
        "on_special_measures": "yes" if rating.on_special_measures else "no",
        "is_sample": "yes" if rating.round.is_sample else "no",
    }


# --- history ------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    """One visible rating revision of a council."""

    year: int
    revision: int
    stars: int | None
    status: str
    on_special_measures: bool
    note: str
    published_at: dt.datetime | None
    round_title: str
    is_sample: bool

    @property
    def label(self) -> str:
        return str(self.year) if self.revision == 1 else f"{self.year} rev. {self.revision}"

    @property
    def stars_words(self) -> str:
        return stars_words(self.stars)


@dataclass
class SpecialMeasuresEvent:
    year: int
    revision: int
    entered: bool
    published_at: dt.datetime | None

    @property
    def description(self) -> str:
        when = str(self.year) if self.revision == 1 else f"{self.year} (revision {self.revision})"
        verb = "Went on to special measures" if self.entered else "Came off special measures"
        return f"{when}: {verb}"


def _history(ratings: Iterable[Rating]) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            year=r.round.year,
            revision=r.revision,
            stars=r.stars,
            status=r.status,
            on_special_measures=r.on_special_measures,
            note=r.note,
            published_at=embargo.published_at(r),
            round_title=r.round.title,
            is_sample=r.round.is_sample,
        )
        for r in ratings
    ]


def special_measures_events(history: Sequence[HistoryEntry]) -> list[SpecialMeasuresEvent]:
    """Each time a council went on to or came off special measures, oldest first."""
    events = []
    was_on = False
    for entry in history:
        if entry.on_special_measures != was_on:
            events.append(
                SpecialMeasuresEvent(
                    entry.year, entry.revision, entry.on_special_measures, entry.published_at
                )
            )
            was_on = entry.on_special_measures
    return events


def chart_points(
    history: Sequence[HistoryEntry], rounds: Sequence[AssessmentRound]
) -> list[tuple[str, int | None]]:
    """Every visible revision as a point, and a "not rated" point for each published round
    the council has no rating in."""
    by_year = defaultdict(list)
    for entry in history:
        by_year[entry.year].append(entry)
    points: list[tuple[str, int | None]] = []
    for round in rounds:
        entries = by_year.get(round.year)
        if not entries:
            points.append((str(round.year), None))
        for entry in entries or ():
            points.append((entry.label, entry.stars))
    return points


# --- indicators ---------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    code: str
    title: str
    domain: str
    unit: str
    polarity: str
    value: Decimal | None
    band: int | None
    exempt: bool
    note: str
    national: Decimal | None
    regional: Decimal | None
    by_type: Decimal | None

    @property
    def polarity_words(self) -> str:
        return Polarity(self.polarity).label if self.polarity in Polarity.values else ""


@dataclass
class KeyIndicatorResult:
    code: str
    title: str
    service: str
    maximum: str
    threshold: Decimal
    polarity: str
    value: Decimal | None
    exempt: bool
    failed: bool

    @property
    def result(self) -> str:
        if self.exempt:
            return "Exempt"
        if self.value is None:
            return "No value"
        return "Failed" if self.failed else "Passed"

    @property
    def minimum(self) -> str:
        comparison = "at most" if self.polarity == Polarity.LOWER_IS_BETTER else "at least"
        return f"{comparison} {_number(self.threshold)}"

    @property
    def caps(self) -> str:
        return (
            f"{rules.SERVICE_LABELS[self.service].capitalize()} at "
            f"'{rules.SERVING_LABELS[self.maximum]}'"
        )


def _number(value) -> str:
    if value is None:
        return ""
    value = Decimal(value).quantize(Decimal("0.1"))
    text = f"{value:,}"
    return text[:-2] if text.endswith(".0") else text


def indicators(
    round: AssessmentRound, council: Council, now: dt.datetime | None = None
) -> tuple[list[IndicatorRow], list[KeyIndicatorResult]]:
    """The council's indicator values in a published round, with bands and the national,
    regional and council-type averages; and its key-indicator results (two queries)."""
    rows = selectors.council_indicators(round, council, now)
    averages = selectors.indicator_averages(round, council, now)
    indicator_rows, key_results = [], []
    for indicator in rows:
        value = indicator.council_value
        if indicator.has_value:
            average = averages.get(indicator.pk, {})
            indicator_rows.append(
                IndicatorRow(
                    code=indicator.code,
                    title=indicator.title,
                    domain=indicator.domain.name,
                    unit=indicator.unit,
                    polarity=indicator.polarity,
                    value=value,
                    band=_band(value, indicator),
                    exempt=bool(indicator.council_exempt),
                    note=indicator.council_note or "",
                    national=average.get("national"),
                    regional=average.get("regional"),
                    by_type=average.get("by_type"),
                )
            )
        if indicator.cap_service:
            cap = rules.key_indicator_cap(
                indicator_code=indicator.code,
                service=indicator.cap_service,
                maximum=indicator.cap_maximum,
                threshold=float(indicator.cap_threshold),
                higher_is_better=indicator.polarity != Polarity.LOWER_IS_BETTER,
                value=None if value is None else float(value),
                exempt=bool(indicator.council_exempt),
            )
            key_results.append(
                KeyIndicatorResult(
                    code=indicator.code,
                    title=indicator.title,
                    service=indicator.cap_service,
                    maximum=indicator.cap_maximum,
                    threshold=indicator.cap_threshold,
                    polarity=indicator.polarity,
                    value=value,
                    exempt=bool(indicator.council_exempt),
                    failed=cap is not None,
                )
            )
    return indicator_rows, key_results


def _band(value, indicator: Indicator) -> int | None:
    try:
        return banding.band(value, indicator.band_thresholds, indicator.polarity)
    except ValueError:
        return None


# --- the council page ---------------------------------------------------------------------


@dataclass
class CouncilPage:
    council: Council
    rounds: list[AssessmentRound]
    round: AssessmentRound | None
    rating: Rating | None
    history: list[HistoryEntry]
    chart: SafeString
    special_measures: list[SpecialMeasuresEvent]
    indicators: list[IndicatorRow] = field(default_factory=list)
    key_indicators: list[KeyIndicatorResult] = field(default_factory=list)
    cpa_results: list[CPAResult] = field(default_factory=list)
    groups: list[tuple[int, list[GroupMembership]]] = field(default_factory=list)
    facts: list[PublishedFact] = field(default_factory=list)
    report_url: str | None = None
    report_pdf_url: str | None = None

    @property
    def has_any_rating(self) -> bool:
        return bool(self.history)

    @property
    def consequences(self) -> list[str]:
        return rules.consequences(self.rating.stars) if self.rating else []

    @property
    def judgements(self) -> list[dict]:
        if self.rating is None or self.rating.status != RatingStatus.RATED:
            return []
        return [
            {
                "service": rules.SERVICE_LABELS[service].capitalize(),
                "serving": serving_words(getattr(self.rating, f"{service}_serving")),
                "prospects": prospects_words(getattr(self.rating, f"{service}_prospects")),
            }
            for service in rules.SERVICES
        ]

    @property
    def revisions(self) -> list[HistoryEntry]:
        """The visible revisions of the shown round."""
        return [e for e in self.history if self.round and e.year == self.round.year]

    @property
    def previous(self) -> HistoryEntry | None:
        """The council's current rating in the published round before the shown one."""
        if self.round is None:
            return None
        earlier = [e for e in self.history if e.year < self.round.year]
        if not earlier:
            return None
        year = earlier[-1].year
        years = [r.year for r in self.rounds if r.year < self.round.year]
        return earlier[-1] if years and years[-1] == year else None

    @property
    def change(self) -> str:
        if self.rating is None:
            return ""
        previous = self.previous
        previous_stars = previous.stars if previous else None
        stars = self.rating.stars
        if stars is None or previous_stars is None:
            change = ""
        elif stars > previous_stars:
            change = "up"
        elif stars < previous_stars:
            change = "down"
        else:
            change = "same"
        return change_words(change, previous_stars, stars)


def report_urls(slug: str, year: int) -> tuple[str | None, str | None]:
    """The performance report's HTML and PDF addresses, once those pages exist."""
    urls = []
    for name in ("council-report", "council-report-pdf"):
        try:
            urls.append(reverse(name, kwargs={"slug": slug, "year": year}))
        except NoReverseMatch:
            urls.append(None)
    return urls[0], urls[1]


def council_page(
    council: Council, year: int | None, now: dt.datetime, *, rounds=None
) -> CouncilPage | None:
    """Everything the council page shows for the published round of ``year`` (the latest
    published round if None). None if ``year`` is not a published round. ``rounds``: the
    published rounds, oldest first, if the caller has read them already."""
    if rounds is None:
        rounds = embargo.published_rounds(now)
    if year is None:
        round = rounds[-1] if rounds else None
    else:
        round = next((r for r in rounds if r.year == year), None)
        if round is None:
            return None
    ratings = list(selectors.council_ratings_with_judgements(council, now))
    history = _history(ratings)
    rating = None
    if round is not None:
        in_round = [r for r in ratings if r.round_id == round.pk]
        rating = in_round[-1] if in_round else None
    points = chart_points(history, rounds)
    chart = mark_safe(  # every text in the SVG is escaped by charts.history_chart
        charts.history_chart(
            points,
            title=f"Star ratings of {council.name}, {rounds[0].year} to {rounds[-1].year}"
            if rounds
            else f"Star ratings of {council.name}",
            id_prefix="history",
        )
    )
    page = CouncilPage(
        council=council,
        rounds=rounds,
        round=round,
        rating=rating,
        history=history,
        chart=chart,
        special_measures=special_measures_events(history),
    )
    if round is not None:
        page.indicators, page.key_indicators = indicators(round, council, now)
        page.report_url, page.report_pdf_url = report_urls(council.slug, round.year)
    # CPA results and group memberships for the years of the published rounds only.
    published_years = {r.year for r in rounds}
    page.cpa_results = selectors.cpa_results(council, published_years)
    page.groups = selectors.group_memberships(council, published_years)
    page.facts = selectors.published_facts(council)
    return page


# --- comparing councils -------------------------------------------------------------------


@dataclass
class Benchmark:
    """Average stars and shares of a set of councils in a round."""

    label: str
    councils: int
    average_stars: float | None
    two_or_three_percent: float | None
    adults_most_percent: float | None
    children_most_percent: float | None


def benchmark(label: str, rows: Sequence[Rating]) -> Benchmark:
    rated = [r for r in rows if r.status == RatingStatus.RATED and r.stars is not None]
    return Benchmark(
        label=label,
        councils=len(rated),
        average_stars=_average([r.stars for r in rated]),
        two_or_three_percent=percent(sum(1 for r in rated if r.stars >= 2), len(rated)),
        adults_most_percent=percent(
            sum(1 for r in rated if r.adults_serving in SERVING_MOST), len(rated)
        ),
        children_most_percent=percent(
            sum(1 for r in rated if r.children_serving in SERVING_MOST), len(rated)
        ),
    )


@dataclass
class ComparedCouncil:
    council: Council
    rating: Rating | None  # a row of selectors.round_ratings, or None
    history: dict[int, int | None]
    chart: SafeString
    region: Benchmark | None = None
    by_type: Benchmark | None = None

    @property
    def stars(self):
        return self.rating.stars if self.rating else None

    @property
    def change(self) -> str:
        if self.rating is None:
            return ""
        return change_words(self.rating.change, self.rating.previous_stars, self.rating.stars)

    def serving(self, service: str) -> str:
        return serving_words(getattr(self.rating, f"{service}_serving", None))

    @property
    def adults_serving(self):
        return self.serving("adults")

    @property
    def children_serving(self):
        return self.serving("children")

    @property
    def adults_prospects(self):
        return prospects_words(getattr(self.rating, "adults_prospects", None))

    @property
    def children_prospects(self):
        return prospects_words(getattr(self.rating, "children_prospects", None))

    def serving_most(self, service: str) -> str:
        if self.rating is None or self.rating.status != RatingStatus.RATED:
            return NOT_RATED
        return "Yes" if getattr(self.rating, f"{service}_serving") in SERVING_MOST else "No"

    @property
    def adults_serving_most(self):
        return self.serving_most("adults")

    @property
    def children_serving_most(self):
        return self.serving_most("children")


@dataclass
class Comparison:
    round: AssessmentRound | None
    rounds: list[AssessmentRound]
    councils: list[ComparedCouncil]
    england: Benchmark | None

    @property
    def history_rows(self) -> list[tuple[AssessmentRound, list[int | None]]]:
        return [(r, [c.history.get(r.year) for c in self.councils]) for r in self.rounds]


def compare(councils: Sequence[Council], now: dt.datetime) -> Comparison:
    """Councils side by side in the latest published round, each against its region, its
    type and England, with their histories (four queries)."""
    rounds = embargo.published_rounds(now)
    round = rounds[-1] if rounds else None
    previous = rounds[-2] if len(rounds) > 1 else None
    rows = list(selectors.round_ratings(round, now, previous=previous)) if round else []
    by_council = {r.council_id: r for r in rows}
    history = selectors.star_histories([c.pk for c in councils], now)
    compared = []
    for council in councils:
        points = [(str(r.year), history[council.pk].get(r.year)) for r in rounds]
        item = ComparedCouncil(
            council=council,
            rating=by_council.get(council.pk),
            history=history[council.pk],
            chart=mark_safe(  # escaped by charts.history_chart
                charts.history_chart(
                    points,
                    title=f"Star ratings of {council.name}",
                    id_prefix=f"chart-{council.slug}",
                )
            ),
        )
        if round is not None:
            item.region = benchmark(
                council.region.name, [r for r in rows if r.council.region_id == council.region_id]
            )
            item.by_type = benchmark(
                council_type_label(council.council_type),
                [r for r in rows if r.council.council_type == council.council_type],
            )
        compared.append(item)
    return Comparison(
        round=round,
        rounds=rounds,
        councils=compared,
        england=benchmark("England", rows) if round else None,
    )
