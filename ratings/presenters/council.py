"""The council page and the record it shares with the council's performance report.

:func:`council_page` formats, once, what both show (:class:`CouncilRecord`: stars,
judgements, reasons, indicators, key indicators, history and its chart, CPA, groups); the
section templates in ``templates/sections/council/`` read those fields, on the page and in
the report (``reports.assembly.CouncilReport`` is a ``CouncilRecord``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from .. import charts, embargo, rules, selectors
from ..models import (
    AssessmentRound,
    Council,
    CPAResult,
    GroupMembership,
    PublishedFact,
    Rating,
    RatingStatus,
)
from .history import (
    HistoryLine,
    SpecialMeasuresEvent,
    chart_points,
    history_lines,
    special_measures_events,
)
from .indicators import (
    IndicatorLine,
    KeyIndicatorLine,
    indicator_line,
    indicators,
    key_indicator_line,
)
from .provenance import SourceNote, SourceNotes, ValueSource, provenance_note
from .words import (
    DASH,
    Stars,
    change_words,
    council_type_label,
    prospects_words,
    serving_words,
)


@dataclass(frozen=True)
class Judgement:
    service: str  # "Adults' services"
    serving: str  # "Most people"
    prospects: str  # "Promising"
    serving_source: ValueSource | None = None  # published (with its source) or sample
    prospects_source: ValueSource | None = None


@dataclass(frozen=True)
class CPALine:
    year: int
    category: str
    education: str
    childrens_social_care: str
    note: str
    is_sample: bool
    # A published result can carry sample scores where the record gives none.
    education_is_sample: bool = False
    childrens_social_care_is_sample: bool = False


@dataclass(frozen=True)
class GroupLine:
    year: int
    groups: list[str]
    is_sample: bool


@dataclass(frozen=True)
class ResponseLine:
    """The council's right of reply, as published beside its rating."""

    text: str
    attribution: str  # "Response from Leeds, published 3 December 2006"


@dataclass(frozen=True)
class CouncilRecord:
    """What a council's page and its report both show, in a published round, as plain
    values (so that a report's fingerprint can hash all of it)."""

    council: str
    council_slug: str
    council_type: str  # "Metropolitan district"
    region: str
    year: int | None  # of the shown round; None before any round is published
    stars: Stars
    judgements: list[Judgement]
    change: str
    reasons: list[str]
    consequences: list[str]
    key_indicators: list[KeyIndicatorLine]
    indicators: list[IndicatorLine]
    chart_svg: str  # every text in it escaped by charts.history_chart
    history: list[HistoryLine]
    special_measures_events: list[SpecialMeasuresEvent]
    cpa_results: list[CPALine]
    groups: list[GroupLine]
    # Where the shown values come from: the stars of the shown rating (None without one),
    # the sources cited (numbered; judgements and history lines point to them), and what
    # a report's page footer says of its figures.
    stars_source: ValueSource | None
    sources: list[SourceNote]
    provenance_note: str
    # What the council said: its published response to the shown rating (None without
    # one), and whether a representation about it is being considered.
    response: ResponseLine | None
    representation_open: bool


@dataclass
class CouncilPage:
    """The council page: the record, and what only the page shows (the years to choose
    from, the published record, the links to the report)."""

    council: Council
    rounds: list[AssessmentRound]
    round: AssessmentRound | None
    rating: Rating | None
    record: CouncilRecord
    chart: SafeString
    facts: list[PublishedFact] = field(default_factory=list)
    report_url: str | None = None
    report_pdf_url: str | None = None

    @property
    def history(self) -> list[HistoryLine]:
        return self.record.history

    @property
    def has_any_rating(self) -> bool:
        return bool(self.record.history)

    @property
    def change(self) -> str:
        return self.record.change

    @property
    def revisions(self) -> list[HistoryLine]:
        """The visible revisions of the shown round."""
        return [e for e in self.history if self.round and e.year == self.round.year]


def _council_voice(council: Council, rating) -> tuple[ResponseLine | None, bool]:
    """What the council said of the shown rating: its published response (right of
    reply) and whether a representation about it is being considered."""
    if rating is None:
        return None, False
    found = selectors.response_of(rating)
    line = ResponseLine(found.text, found.attribution) if found else None
    return line, rating.representation_open


def _judgements(rating: Rating | None, found, notes: SourceNotes) -> list[Judgement]:
    """``found``: the rating's :class:`~ratings.provenance.RatingProvenance`."""
    if rating is None or rating.status != RatingStatus.RATED:
        return []
    return [
        Judgement(
            service=rules.SERVICE_LABELS[service].capitalize(),
            serving=serving_words(getattr(rating, f"{service}_serving")),
            prospects=prospects_words(getattr(rating, f"{service}_prospects")),
            serving_source=notes.cite(found.judgement(service, "serving")),
            prospects_source=notes.cite(found.judgement(service, "prospects")),
        )
        for service in rules.SERVICES
    ]


def _change(
    history: Sequence[HistoryLine],
    rounds: Sequence[AssessmentRound],
    round: AssessmentRound | None,
    rating: Rating | None,
) -> str:
    """The change from the council's current rating in the published round before the
    shown one (none if it was not rated in that round)."""
    if rating is None or round is None:
        return ""
    earlier = [e for e in history if e.year < round.year]
    years = [r.year for r in rounds if r.year < round.year]
    previous = earlier[-1] if earlier and years and years[-1] == earlier[-1].year else None
    previous_stars = previous.stars.value if previous else None
    stars = rating.stars
    if stars is None or previous_stars is None:
        change = ""
    elif stars > previous_stars:
        change = "up"
    elif stars < previous_stars:
        change = "down"
    else:
        change = "same"
    return change_words(change, previous_stars, stars)


def _cpa_line(result: CPAResult) -> CPALine:
    return CPALine(
        year=result.year,
        category=result.get_category_display(),
        education=DASH if result.education_score is None else str(result.education_score),
        childrens_social_care=DASH
        if result.childrens_social_care_score is None
        else str(result.childrens_social_care_score),
        note=result.note,
        is_sample=result.is_sample,
        education_is_sample="education_score" in result.sample_fields,
        childrens_social_care_is_sample="childrens_social_care_score" in result.sample_fields,
    )


def _group_line(year: int, memberships: Sequence[GroupMembership]) -> GroupLine:
    return GroupLine(
        year=year,
        groups=[m.group.name for m in memberships],
        is_sample=any(m.is_sample for m in memberships),
    )


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
    published rounds, oldest first, if the caller has read them already; the record stops
    at the last of them (a report passes the rounds up to its own)."""
    if rounds is None:
        rounds = embargo.published_rounds(now)
    if year is None:
        round = rounds[-1] if rounds else None
    else:
        round = next((r for r in rounds if r.year == year), None)
        if round is None:
            return None
    ratings = list(selectors.council_ratings_with_judgements(council, now))
    # Every visible revision of the council: the latest of each round is among them.
    found = selectors.rating_provenance(ratings, now, includes_latest=True)
    last_year = rounds[-1].year if rounds else None
    shown = [r for r in ratings if last_year is not None and r.round.year <= last_year]
    rating = None
    if round is not None:
        in_round = [r for r in ratings if r.round_id == round.pk]
        rating = in_round[-1] if in_round else None
    # Sources are numbered as the page reads: the shown rating, then the history.
    notes = SourceNotes()
    stars_source = notes.cite(found[rating.pk].stars) if rating else None
    judgements = _judgements(rating, found.get(rating.pk) if rating else None, notes)
    history = history_lines(shown, {r.pk: notes.cite(found[r.pk].stars) for r in shown})
    chart = mark_safe(  # every text in the SVG is escaped by charts.history_chart
        charts.history_chart(
            chart_points(history, rounds),
            title=f"Star ratings of {council.name}, {rounds[0].year} to {rounds[-1].year}"
            if rounds
            else f"Star ratings of {council.name}",
            id_prefix="history",
        )
    )
    indicator_rows, key_results = indicators(round, council, now) if round else ([], [])
    response, representation_open = _council_voice(council, rating)
    # CPA results and group memberships for the years of the published rounds only.
    published_years = {r.year for r in rounds}
    record = CouncilRecord(
        council=council.name,
        council_slug=council.slug,
        council_type=council_type_label(council.council_type),
        region=council.region.name,
        year=round.year if round else None,
        stars=Stars.of(rating.stars if rating else None),
        judgements=judgements,
        change=_change(history, rounds, round, rating),
        reasons=[str(reason) for reason in rating.reasons or []] if rating else [],
        consequences=list(rules.consequences(rating.stars)) if rating else [],
        key_indicators=[key_indicator_line(k) for k in key_results],
        indicators=[indicator_line(row) for row in indicator_rows],
        chart_svg=str(chart),
        history=history,
        special_measures_events=special_measures_events(history),
        cpa_results=[_cpa_line(c) for c in selectors.cpa_results(council, published_years)],
        groups=[
            _group_line(year, memberships)
            for year, memberships in selectors.group_memberships(council, published_years)
        ],
        stars_source=stars_source,
        sources=notes.notes,
        provenance_note=provenance_note(
            [stars_source, *(s for j in judgements for s in (j.serving_source, j.prospects_source))]
            if stars_source
            else [],
            is_sample=bool(round and round.is_sample),
        ),
        response=response,
        representation_open=representation_open,
    )
    report_url, report_pdf_url = report_urls(council.slug, round.year) if round else (None, None)
    return CouncilPage(
        council=council,
        rounds=rounds,
        round=round,
        rating=rating,
        record=record,
        chart=chart,
        facts=selectors.published_facts(council, now),
        report_url=report_url,
        report_pdf_url=report_pdf_url,
    )
