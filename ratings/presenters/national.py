"""The national figures of a published round, as the national summary page and the national
report both show them.

:func:`national_figures` formats a :class:`ratings.summary.NationalSummary` (every figure
is worked out there) into plain values; the section templates in
``templates/sections/national/`` read them, on the page and in the report
(``reports.assembly.NationalReport`` is a ``NationalFigures``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..summary import NationalSummary
from .words import DASH, Stars

_POINT_WORDS = {1: "One point higher", 2: "Two points higher", 3: "Three points higher"}


@dataclass(frozen=True)
class StarsLine:
    stars: Stars
    councils: int
    share: float | None
    change: int | None  # councils more (+) or fewer (-) than in the previous round
    change_text: str  # "+2", "−1", "No change", or "–" for a first round
    published: str = ""  # "Published: 10; this sample data: 12" where they differ


@dataclass(frozen=True)
class ShareLine:
    label: str
    councils: int
    share: float | None
    published: str = ""  # as StarsLine.published


@dataclass(frozen=True)
class MoverLine:
    council: str
    slug: str
    text: str  # "Aford: from two to three stars in two years"


@dataclass(frozen=True)
class GroupComparisonLine:
    group: str
    slug: str
    members: int
    members_two_or_three: int
    members_percent: float | None
    others: int
    others_two_or_three: int
    others_percent: float | None


@dataclass(frozen=True)
class NationalFigures:
    """Every national figure and headline of a round, as plain values (so that a report's
    fingerprint can hash all of it)."""

    year: int
    round_title: str
    is_sample: bool
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
    shares: list[ShareLine]  # two or three stars, then the four judgement shares
    movers_up: list[MoverLine]
    movers_down: list[MoverLine]
    zero_stars: list[str]
    special_measures_on: list[str]
    special_measures_entered: list[str]
    special_measures_left: list[str]
    groups: list[GroupComparisonLine]
    cpa_year: int | None
    cpa_categories: list[tuple[str, int]]
    # Councils whose CPA education score is higher than, the same as or lower than their
    # children's social care score: ("Two points higher", 4), ("Same", 80), ("Lower", 9).
    education: list[tuple[str, int]]
    # Every figure published for the publication shown that these figures do not
    # reproduce: "Councils with no stars. Published: 10; this sample data: 12".
    published_differences: list[str]
    # The CPA categories each year as the Audit Commission published them (to the round's
    # year): the years, then a row per category, then the sources.
    cpa_published_years: list[int]
    cpa_published: list[tuple[str, list[int]]]
    cpa_published_sources: list[tuple[int, str]]


def _change_text(change: int | None) -> str:
    if change is None:
        return DASH
    if change == 0:
        return "No change"
    return f"+{change}" if change > 0 else f"−{-change}"


def _education(differences: dict[int, int]) -> list[tuple[str, int]]:
    lines = [(_POINT_WORDS[d], differences[d]) for d in (3, 2, 1) if d in differences]
    if differences:
        lines.append(("Same", differences.get(0, 0)))
        lines.append(("Lower", sum(n for d, n in differences.items() if d < 0)))
    return lines


def _mover(mover) -> MoverLine:
    return MoverLine(council=mover.council, slug=mover.slug, text=mover.describe())


# The share lines' figures, in the order of NationalFigures.shares (the two-or-three line
# first): the keys of published-figures.csv that each line shows.
_SHARE_FIGURES = (
    ("two_or_three_stars.count", "two_or_three_stars.percent"),
    ("serving_most_adults_well_percent",),
    ("serving_most_children_well_percent",),
    ("adults_prospects_promising_or_excellent_percent",),
    ("children_prospects_promising_or_excellent_percent",),
)


def _published(checks, keys, is_sample: bool) -> str:
    """Where the published figures of ``keys`` differ from the portal's: what each says."""
    ours = "this sample data" if is_sample else "this portal"
    return "; ".join(
        f"Published: {checks[k].published}; {ours}: {checks[k].portal}" for k in keys if k in checks
    )


def national_figures(summary: NationalSummary, differences=None) -> NationalFigures:
    """``differences``: the published figures of the publication shown that the portal
    does not reproduce, by figure key (``ratings.record.summary_differences``)."""
    checks = differences or {}
    sample = summary.round.is_sample
    changes = summary.stars_change or {}
    previous = summary.previous_round
    return NationalFigures(
        year=summary.year,
        round_title=summary.round.title,
        is_sample=summary.round.is_sample,
        previous_year=previous.year if previous else None,
        headlines=list(summary.headlines),
        councils=summary.councils,
        not_rated=list(summary.not_rated),
        stars=[
            StarsLine(
                stars=Stars.of(stars),
                councils=count,
                share=summary.stars_percent[stars],
                change=changes.get(stars),
                change_text=_change_text(changes.get(stars)),
                published=_published(checks, [f"stars.{stars}"], sample),
            )
            for stars, count in summary.stars.items()
        ],
        two_or_three=summary.two_or_three,
        two_or_three_percent=summary.two_or_three_percent,
        previous_two_or_three_percent=summary.previous_two_or_three_percent,
        change_points=summary.change_points,
        change_text=summary.change_text,
        moved_up=summary.moved_up,
        moved_down=summary.moved_down,
        shares=[
            ShareLine(label, count, share, _published(checks, keys, sample))
            for (label, count, share), keys in zip(
                [
                    ("Two or three stars", summary.two_or_three, summary.two_or_three_percent),
                    *summary.shares,
                ],
                _SHARE_FIGURES,
                strict=True,
            )
        ],
        movers_up=[_mover(m) for m in summary.movers_up],
        movers_down=[_mover(m) for m in summary.movers_down],
        zero_stars=list(summary.zero_stars),
        special_measures_on=list(summary.special_measures_on),
        special_measures_entered=list(summary.special_measures_entered),
        special_measures_left=list(summary.special_measures_left),
        groups=[
            GroupComparisonLine(
                group=g.group,
                slug=g.slug,
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
        education=_education(summary.education_minus_social_care),
        published_differences=[
            f"{check.label}. Published: {check.published}; "
            f"{'this sample data' if sample else 'this portal'}: {check.portal}"
            for _key, check in checks.items()
        ],
        cpa_published_years=[year for year, _, _ in summary.cpa_published],
        cpa_published=[
            (category, [counts[category] for _, counts, _ in summary.cpa_published])
            for category in (summary.cpa_published[0][1] if summary.cpa_published else ())
        ],
        cpa_published_sources=[(year, source) for year, _, source in summary.cpa_published],
    )
