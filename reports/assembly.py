"""The performance reports' content, assembled from published data only.

:func:`council_report` and :func:`national_report` read through the embargo gate
(``ratings.embargo``) and ``ratings.selectors``, and are what the public pages show: a
council report *is* the council page's record (``ratings.presenters.CouncilRecord``, from
``council_page``: judgements, reasons, consequences, indicators with bands and averages,
key-indicator results, history and its chart, CPA, groups) with what only the document
has (the cover, the evidence by domain, revision notes); the national report *is* the
national summary page's figures (``ratings.presenters.NationalFigures``) with the
special-measures register and every council's rating. Nothing is worked out or formatted
here that those modules already do, and the page and the report draw their common
sections with the same templates (``templates/sections/``).

A report is plain data (strings, numbers, dates and the chart's SVG), so that the HTML
page and the PDF, rendered from the same template, show the same figures, and so that
:meth:`CouncilReport.fingerprint` can hash everything the document shows: a correction (a
new revision), any change to the data, or a new ``REPORT_FORMAT_VERSION`` gives a new
fingerprint; the same data gives the same one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from ratings import embargo, presenters, selectors
from ratings import materialised as national
from ratings.models import AssessmentRound, Council, RatingStatus
from ratings.presenters import DASH, IndicatorLine, Stars

# Bump when the reports' layout or content changes, so that stored files are rebuilt.
REPORT_FORMAT_VERSION = "4"

NO_EVIDENCE = "No evidence summary was published with this rating."
NO_STANDARDS_NOTES = "No standards notes were published with this rating."


def _now(now: dt.datetime | None) -> dt.datetime:
    return embargo.now(now)


def _is_published(round: AssessmentRound, now: dt.datetime) -> bool:
    """Whether ``round`` is public at ``now``, asked of the embargo gate (not of the round
    object, which may be stale)."""
    published = embargo.published_round(round.year, now)
    return published is not None and published.pk == round.pk


def _fields(shown) -> dict:
    """A presenter's dataclass as keyword arguments for the report that extends it (a
    shallow copy: its lines stay the presenter's objects)."""
    return {f.name: getattr(shown, f.name) for f in dataclasses.fields(shown)}


def _fingerprint(kind: str, report) -> str:
    # Kept on the (frozen, immutable) report: storing, naming and serving a report each
    # ask for it, and hashing every field is most of a text rendering's cost.
    version, known = report.__dict__.get("_fingerprint", (None, None))
    if version == REPORT_FORMAT_VERSION:
        return known
    payload = json.dumps(
        {"format": REPORT_FORMAT_VERSION, "kind": kind, "report": dataclasses.asdict(report)},
        sort_keys=True,
        default=str,  # datetimes (ISO 8601) and decimals
        ensure_ascii=False,
    )
    fingerprint = hashlib.sha256(payload.encode()).hexdigest()
    report.__dict__["_fingerprint"] = (REPORT_FORMAT_VERSION, fingerprint)
    return fingerprint


# --- the council report --------------------------------------------------------------------


@dataclass(frozen=True)
class DomainSection:
    slug: str
    name: str
    evidence_summary: str
    standards_notes: str
    has_evidence: bool
    indicators: list[IndicatorLine]


@dataclass(frozen=True)
class RevisionNote:
    revision: int
    published_at: dt.datetime | None
    stars: Stars
    note: str


@dataclass(frozen=True)
class CouncilReport(presenters.CouncilRecord):
    """The council page's record as of the report's round, and the document's own parts."""

    publisher: str
    portal_name: str
    # The cover.
    round_title: str
    methodology_version: str
    is_sample: bool
    status: str  # "rated" or "not_rated"
    published_at: dt.datetime  # of the shown revision (revision 1: the round's)
    revision: int
    on_special_measures: bool
    # The domains, each with its evidence and indicators.
    domains: list[DomainSection]
    revision_notes: list[RevisionNote]

    @property
    def title(self) -> str:
        return f"{self.council}: social services performance report {self.year}"

    @property
    def rated(self) -> bool:
        return self.status == RatingStatus.RATED

    @property
    def indicator_count(self) -> int:
        return sum(len(d.indicators) for d in self.domains)

    @property
    def filename(self) -> str:
        return f"{self.council_slug}-{self.year}-performance-report.pdf"

    def fingerprint(self) -> str:
        """A sha256 hex digest of everything the report shows and the format version."""
        return _fingerprint("council", self)


def _domains(rating, indicators: list[IndicatorLine]) -> list[DomainSection]:
    """The framework's domains, each with the evidence the rating published for it and its
    indicators."""
    by_domain = defaultdict(list)
    for line in indicators:
        by_domain[line.domain].append(line)
    evidence = rating.evidence if isinstance(rating.evidence, dict) else {}
    domains = []
    for domain in selectors.domains():
        published = evidence.get(domain.slug) or {}
        summary = (published.get("summary") or "").strip()
        notes = (published.get("standards_notes") or "").strip()
        domains.append(
            DomainSection(
                slug=domain.slug,
                name=domain.name,
                evidence_summary=summary or NO_EVIDENCE,
                standards_notes=notes or NO_STANDARDS_NOTES,
                has_evidence=bool(summary or notes),
                indicators=by_domain.pop(domain.name, []),
            )
        )
    for name, lines in by_domain.items():  # an indicator of a domain no longer listed
        domains.append(DomainSection(name, name, NO_EVIDENCE, NO_STANDARDS_NOTES, False, lines))
    return domains


def council_report(
    council: Council, round: AssessmentRound, now: dt.datetime | None = None
) -> CouncilReport | None:
    """The performance report of ``council`` in ``round`` as the public may see it at
    ``now``: None if the round is not published or the council has no published rating in
    it (callers answer 404)."""
    now = _now(now)
    rounds = [r for r in embargo.published_rounds(now) if r.year <= round.year]
    if not rounds or rounds[-1].pk != round.pk:
        return None
    round = rounds[-1]
    # The council page's presenter, with the rounds up to the report's: the report is the
    # record as of its round, so its history, chart, CPA and groups stop there.
    page = presenters.council_page(council, round.year, now, rounds=rounds)
    if page is None or page.rating is None:
        return None
    rating = page.rating
    return CouncilReport(
        **_fields(page.record),
        publisher=round.publisher or settings.INSPECTORATE_NAME,
        portal_name=settings.PORTAL_NAME,
        round_title=round.title,
        methodology_version=round.methodology_version,
        is_sample=round.is_sample,
        status=rating.status,
        published_at=embargo.published_at(rating, round),
        revision=rating.revision,
        on_special_measures=rating.on_special_measures,
        domains=_domains(rating, page.record.indicators),
        revision_notes=[
            RevisionNote(
                revision=e.revision, published_at=e.published_at, stars=e.stars, note=e.note
            )
            for e in page.revisions
            if e.revision > 1 or e.note
        ],
    )


# --- the national report -------------------------------------------------------------------


@dataclass(frozen=True)
class LeagueLine:
    council: str
    slug: str
    region: str
    council_type: str
    stars: Stars
    adults_serving: str
    adults_prospects: str
    children_serving: str
    children_prospects: str
    change: str
    on_special_measures: bool
    stars_source: str = ""  # "Published" or "Sample"


@dataclass(frozen=True)
class SpecialMeasuresLine:
    council: str
    stars: Stars
    since: str  # "Went on to special measures in 2004", "Already on special measures"


@dataclass(frozen=True)
class NationalReport(presenters.NationalFigures):
    """The national summary page's figures, the special-measures register and every
    council's rating."""

    publisher: str
    portal_name: str
    published_at: dt.datetime  # the latest publication time of the round or a revision
    special_measures: list[SpecialMeasuresLine]
    league_table: list[LeagueLine] = field(default_factory=list)
    # What every page's footer says of the figures: published or sample.
    provenance_note: str = ""
    # The round's citation when it is not sample data (every rating in it is published).
    round_source: str = ""

    @property
    def title(self) -> str:
        return f"Social services star ratings {self.year}: national report"

    @property
    def filename(self) -> str:
        return f"{self.year}-national-report.pdf"

    def fingerprint(self) -> str:
        """A sha256 hex digest of everything the report shows and the format version."""
        return _fingerprint("national", self)


def _league_line(row, source: presenters.ValueSource) -> LeagueLine:
    return LeagueLine(
        council=row.council.name,
        slug=row.council.slug,
        region=row.council.region.name,
        council_type=presenters.council_type_label(row.council.council_type),
        stars=Stars.of(row.stars),
        adults_serving=presenters.serving_words(row.adults_serving) or DASH,
        adults_prospects=presenters.prospects_words(row.adults_prospects) or DASH,
        children_serving=presenters.serving_words(row.children_serving) or DASH,
        children_prospects=presenters.prospects_words(row.children_prospects) or DASH,
        change=presenters.change_words(row.change, row.previous_stars, row.stars),
        on_special_measures=row.on_special_measures,
        stars_source=source.label,
    )


def _national_provenance_note(round: AssessmentRound, sources) -> str:
    if not round.is_sample:
        return "Published ratings: every rating in this report is as published"
    published = sum(1 for s in sources if s.is_published)
    if published:
        return (
            f"Sample data around published facts: {published} council"
            f"{'' if published == 1 else 's'}’ stars marked “Published” are as published"
        )
    return "Sample data: not the ratings the inspectorate published"


def national_report(
    round: AssessmentRound, now: dt.datetime | None = None
) -> NationalReport | None:
    """The national report of a published round, as the public may see it at ``now``; None
    if the round is not published (callers answer 404)."""
    now = _now(now)
    if not _is_published(round, now):
        return None
    summary = national.national_summary(round, now)
    rows = list(selectors.round_ratings(round, now, previous=summary.previous_round))
    # The round's current ratings: the latest revision of each council is among them.
    found = selectors.rating_provenance(rows, now, includes_latest=True)
    notes = presenters.SourceNotes()
    sources = [notes.cite(found[row.pk].stars) for row in rows]
    entered = set(summary.special_measures_entered)
    return NationalReport(
        **_fields(presenters.national_figures(summary)),
        publisher=round.publisher or settings.INSPECTORATE_NAME,
        portal_name=settings.PORTAL_NAME,
        published_at=embargo.last_published_at(round, now),
        special_measures=[
            SpecialMeasuresLine(
                council=row.council.name,
                stars=Stars.of(row.stars),
                since=f"Went on to special measures in {round.year}"
                if row.council.name in entered
                else "Already on special measures",
            )
            for row in rows
            if row.on_special_measures
        ],
        league_table=[_league_line(row, source) for row, source in zip(rows, sources, strict=True)],
        provenance_note=_national_provenance_note(round, sources),
        round_source="" if round.is_sample or not notes.notes else notes.notes[0].text,
    )
