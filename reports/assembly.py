"""The performance reports' content, assembled from published data only.

:func:`council_report` and :func:`national_report` read through the embargo gate
(``ratings.embargo``) and ``ratings.selectors``, and reuse what the public pages show: the
council page's presenter (``ratings.presenters.council_page``: judgements, reasons,
consequences, indicators with bands and averages, key-indicator results, history and its
chart, CPA, groups) and the national summary (``ratings.summary.national_summary``: every
national figure and the headline sentences). Nothing is worked out here that those modules
already work out.

A report is plain data (strings, numbers, dates and the chart's SVG), formatted once, so
that the HTML page and the PDF, rendered from the same template, show the same figures,
and so that :meth:`CouncilReport.fingerprint` can hash everything the document shows: a
correction (a new revision), any change to the data, or a new ``REPORT_FORMAT_VERSION``
gives a new fingerprint; the same data gives the same one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import timezone

from ratings import embargo, presenters, selectors
from ratings import summary as national
from ratings.models import AssessmentRound, Council, Domain, RatingStatus

# Bump when the reports' layout or content changes, so that stored files are rebuilt.
REPORT_FORMAT_VERSION = "1"

NO_EVIDENCE = "No evidence summary was published with this rating."
NO_STANDARDS_NOTES = "No standards notes were published with this rating."
NO_VALUE = "No value"
DASH = "–"


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _is_published(round: AssessmentRound, now: dt.datetime) -> bool:
    """Whether ``round`` is public at ``now``, asked of the embargo gate (not of the round
    object, which may be stale)."""
    published = embargo.published_round(round.year, now)
    return published is not None and published.pk == round.pk


# The same formatting as the council page's template (floatformat:"-1" for values,
# floatformat:1 for averages), so that the report and the page print the same figures.
def _value(value) -> str:
    return NO_VALUE if value is None else str(floatformat(value, "-1"))


def _average(value) -> str:
    return DASH if value is None else str(floatformat(value, 1))


def _fingerprint(kind: str, report) -> str:
    payload = json.dumps(
        {"format": REPORT_FORMAT_VERSION, "kind": kind, "report": dataclasses.asdict(report)},
        sort_keys=True,
        default=str,  # datetimes (ISO 8601) and decimals
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class Stars:
    value: int | None
    symbols: str  # "★★☆" ("" when not rated)
    words: str  # "2 stars", "Not rated"

    @classmethod
    def of(cls, stars: int | None) -> Stars:
        return cls(
            value=stars,
            symbols=presenters.STAR_SYMBOLS.get(stars, "") if stars is not None else "",
            words=presenters.stars_words(stars),
        )


# --- the council report --------------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    service: str  # "Adults' services"
    serving: str  # "Most people"
    prospects: str  # "Promising"


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    title: str
    unit: str
    polarity: str  # "Higher is better"
    value: str
    band: str  # "1" to "5", or "–"
    exempt: bool
    note: str
    national: str
    regional: str
    by_type: str


@dataclass(frozen=True)
class DomainSection:
    slug: str
    name: str
    evidence_summary: str
    standards_notes: str
    has_evidence: bool
    indicators: list[IndicatorLine]


@dataclass(frozen=True)
class KeyIndicatorLine:
    code: str
    title: str
    value: str
    minimum: str
    result: str  # "Passed", "Failed", "Exempt", "No value"
    caps: str


@dataclass(frozen=True)
class HistoryLine:
    label: str  # "2004" or "2004 rev. 2"
    year: int
    revision: int
    stars: Stars
    on_special_measures: bool
    published_at: dt.datetime | None
    note: str
    is_sample: bool


@dataclass(frozen=True)
class RevisionNote:
    revision: int
    published_at: dt.datetime | None
    stars: Stars
    note: str


@dataclass(frozen=True)
class CPALine:
    year: int
    category: str
    education: str
    childrens_social_care: str
    note: str
    is_sample: bool


@dataclass(frozen=True)
class GroupLine:
    year: int
    groups: list[str]
    is_sample: bool


@dataclass(frozen=True)
class CouncilReport:
    publisher: str
    portal_name: str
    # The cover.
    council: str
    council_slug: str
    council_type: str
    region: str
    year: int
    round_title: str
    methodology_version: str
    is_sample: bool
    stars: Stars
    status: str  # "rated" or "not_rated"
    published_at: dt.datetime  # of the shown revision (revision 1: the round's)
    revision: int
    # The summary.
    judgements: list[Judgement]
    change: str
    reasons: list[str]
    on_special_measures: bool
    consequences: list[str]
    special_measures_events: list[str]
    # The domains, each with its evidence and indicators.
    domains: list[DomainSection]
    key_indicators: list[KeyIndicatorLine]
    # History.
    chart_svg: str
    history: list[HistoryLine]
    # Context.
    cpa_results: list[CPALine]
    groups: list[GroupLine]
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
    history = [e for e in page.history if e.year <= round.year]

    by_domain = defaultdict(list)
    for row in page.indicators:
        by_domain[row.domain].append(
            IndicatorLine(
                code=row.code,
                title=row.title,
                unit=row.unit,
                polarity=row.polarity_words,
                value=_value(row.value),
                band=str(row.band) if row.band else DASH,
                exempt=row.exempt,
                note=row.note,
                national=_average(row.national),
                regional=_average(row.regional),
                by_type=_average(row.by_type),
            )
        )
    evidence = rating.evidence if isinstance(rating.evidence, dict) else {}
    domains = []
    for domain in Domain.objects.order_by("order", "name"):
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

    published_at = embargo.published_at(rating, round)
    return CouncilReport(
        publisher=settings.INSPECTORATE_NAME,
        portal_name=settings.PORTAL_NAME,
        council=council.name,
        council_slug=council.slug,
        council_type=presenters.council_type_label(council.council_type),
        region=council.region.name,
        year=round.year,
        round_title=round.title,
        methodology_version=round.methodology_version,
        is_sample=round.is_sample,
        stars=Stars.of(rating.stars),
        status=rating.status,
        published_at=published_at,
        revision=rating.revision,
        judgements=[Judgement(**j) for j in page.judgements],
        change=page.change,
        reasons=[str(reason) for reason in rating.reasons or []],
        on_special_measures=rating.on_special_measures,
        consequences=list(page.consequences),
        special_measures_events=[
            e.description for e in page.special_measures if e.year <= round.year
        ],
        domains=domains,
        key_indicators=[
            KeyIndicatorLine(
                code=k.code,
                title=k.title,
                value=_value(k.value),
                minimum=k.minimum,
                result=k.result,
                caps=k.caps,
            )
            for k in page.key_indicators
        ],
        chart_svg=str(page.chart),
        history=[
            HistoryLine(
                label=e.label,
                year=e.year,
                revision=e.revision,
                stars=Stars.of(e.stars),
                on_special_measures=e.on_special_measures,
                published_at=e.published_at,
                note=e.note,
                is_sample=e.is_sample,
            )
            for e in history
        ],
        cpa_results=[
            CPALine(
                year=c.year,
                category=c.get_category_display(),
                education=DASH if c.education_score is None else str(c.education_score),
                childrens_social_care=DASH
                if c.childrens_social_care_score is None
                else str(c.childrens_social_care_score),
                note=c.note,
                is_sample=c.is_sample,
            )
            for c in page.cpa_results
        ],
        groups=[
            GroupLine(
                year=year,
                groups=[m.group.name for m in memberships],
                is_sample=any(m.is_sample for m in memberships),
            )
            for year, memberships in page.groups
        ],
        revision_notes=[
            RevisionNote(
                revision=e.revision,
                published_at=e.published_at,
                stars=Stars.of(e.stars),
                note=e.note,
            )
            for e in page.revisions
            if e.revision > 1 or e.note
        ],
    )


# --- the national report -------------------------------------------------------------------


@dataclass(frozen=True)
class StarsLine:
    stars: Stars
    councils: int
    share: float | None
    change: int | None  # councils more (+) or fewer (-) than in the previous round

    @property
    def change_text(self) -> str:
        if self.change is None:
            return DASH
        if self.change == 0:
            return "No change"
        return f"+{self.change}" if self.change > 0 else f"−{-self.change}"


@dataclass(frozen=True)
class ShareLine:
    label: str
    councils: int
    share: float | None


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


@dataclass(frozen=True)
class SpecialMeasuresLine:
    council: str
    stars: Stars
    since: str  # "Went on to special measures in 2004", "Already on special measures"


@dataclass(frozen=True)
class GroupComparisonLine:
    group: str
    members: int
    members_two_or_three: int
    members_percent: float | None
    others: int
    others_two_or_three: int
    others_percent: float | None


@dataclass(frozen=True)
class NationalReport:
    publisher: str
    portal_name: str
    year: int
    round_title: str
    is_sample: bool
    published_at: dt.datetime  # the latest publication time of the round or a revision
    previous_year: int | None
    headlines: list[str]
    councils: int
    not_rated: list[str]
    stars: list[StarsLine]
    two_or_three: int
    two_or_three_percent: float | None
    previous_two_or_three_percent: float | None
    change_points: float | None
    change_text: str  # "↑ Up 4.2 percentage points (from 40.0%)"
    moved_up: int
    moved_down: int
    shares: list[ShareLine]
    movers_up: list[str]
    movers_down: list[str]
    zero_stars: list[str]
    special_measures: list[SpecialMeasuresLine]
    special_measures_entered: list[str]
    special_measures_left: list[str]
    groups: list[GroupComparisonLine]
    cpa_year: int | None
    cpa_categories: list[tuple[str, int]]
    education_minus_social_care: list[tuple[int, int]]
    league_table: list[LeagueLine] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Social services star ratings {self.year}: national report"

    @property
    def filename(self) -> str:
        return f"{self.year}-national-report.pdf"

    def fingerprint(self) -> str:
        """A sha256 hex digest of everything the report shows and the format version."""
        return _fingerprint("national", self)


def national_report(
    round: AssessmentRound, now: dt.datetime | None = None
) -> NationalReport | None:
    """The national report of a published round, as the public may see it at ``now``; None
    if the round is not published (callers answer 404)."""
    now = _now(now)
    if not _is_published(round, now):
        return None
    summary = national.national_summary(round, now)
    previous = summary.previous_round
    rows = list(selectors.round_ratings(round, now, previous=previous))
    changes = summary.stars_change or {}
    entered = set(summary.special_measures_entered)
    register = [
        SpecialMeasuresLine(
            council=row.council.name,
            stars=Stars.of(row.stars),
            since=f"Went on to special measures in {round.year}"
            if row.council.name in entered
            else "Already on special measures",
        )
        for row in rows
        if row.on_special_measures
    ]
    return NationalReport(
        publisher=settings.INSPECTORATE_NAME,
        portal_name=settings.PORTAL_NAME,
        year=round.year,
        round_title=round.title,
        is_sample=round.is_sample,
        published_at=embargo.last_published_at(round, now),
        previous_year=previous.year if previous else None,
        headlines=list(summary.headlines),
        councils=summary.councils,
        not_rated=list(summary.not_rated),
        stars=[
            StarsLine(Stars.of(stars), count, summary.stars_percent[stars], changes.get(stars))
            for stars, count in summary.stars.items()
        ],
        two_or_three=summary.two_or_three,
        two_or_three_percent=summary.two_or_three_percent,
        previous_two_or_three_percent=summary.previous_two_or_three_percent,
        change_points=summary.change_points,
        change_text=summary.change_text,
        moved_up=summary.moved_up,
        moved_down=summary.moved_down,
        shares=[ShareLine(label, count, percent) for label, count, percent in summary.shares],
        movers_up=[m.describe() for m in summary.movers_up],
        movers_down=[m.describe() for m in summary.movers_down],
        zero_stars=list(summary.zero_stars),
        special_measures=register,
        special_measures_entered=list(summary.special_measures_entered),
        special_measures_left=list(summary.special_measures_left),
        groups=[
            GroupComparisonLine(
                group=g.group,
                members=g.members,
                members_two_or_three=g.members_two_or_three,
                members_percent=g.members_percent,
                others=g.others,
                others_two_or_three=g.others_two_or_three,
                others_percent=g.others_percent,
            )
            for g in summary.groups
        ],
        cpa_year=summary.cpa_year,
        cpa_categories=list(summary.cpa_categories.items()),
        education_minus_social_care=list(summary.education_minus_social_care.items()),
        league_table=[
            LeagueLine(
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
            )
            for row in rows
        ],
    )
