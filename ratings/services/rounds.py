"""Assessment rounds as the writers make them: a round's title and default methodology,
finding or making the round of a year (checked against the known methodology versions),
and scheduling a round's publication. Nothing here saves: callers save the round with
whatever else they write."""

from __future__ import annotations

import datetime as dt

from .. import rules
from ..models import AssessmentRound, RoundStatus

YEAR_RANGE = (2000, 2100)


class RoundError(ValueError):
    """A round that cannot be found or made as asked (unknown methodology, bad year)."""


def round_title(year: int) -> str:
    return f"Social services star ratings {year}"


def default_methodology(year: int) -> str:
    """The methodology version named after the year, or RoundError listing the versions."""
    versions = rules.methodology_versions()
    if str(year) in versions:
        return str(year)
    raise RoundError(
        f"there is no {year} methodology; name one with --methodology: {', '.join(versions)}"
    )


def round_for_year(year: int, *, methodology: str | None = None) -> tuple[AssessmentRound, bool]:
    """The round of ``year`` and False, or a new, unsaved draft round and True.

    A new round uses ``methodology``, or by default the version named after the year. For
    an existing round, ``methodology`` must be the round's own or None.
    """
    if not YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]:
        raise RoundError(f"year {year} is out of range ({YEAR_RANGE[0]}-{YEAR_RANGE[1]})")
    versions = rules.methodology_versions()
    if methodology is not None and methodology not in versions:
        raise RoundError(
            f"methodology {methodology!r} is not known; use one of {', '.join(versions)}"
        )
    existing = AssessmentRound.objects.filter(year=year).first()
    if existing is not None:
        if methodology is not None and methodology != existing.methodology_version:
            raise RoundError(
                f"the {year} round uses the {existing.methodology_version} methodology, "
                f"not {methodology}"
            )
        return existing, False
    return (
        AssessmentRound(
            year=year,
            title=round_title(year),
            methodology_version=methodology or default_methodology(year),
            status=RoundStatus.DRAFT,
        ),
        True,
    )


def schedule_round(
    round: AssessmentRound, publication_at: dt.datetime, *, now: dt.datetime | None = None
) -> bool:
    """Set the round to be published at ``publication_at`` (unsaved); True if that changed
    anything. A round that is already published keeps its publication time (RoundError)."""
    if round.is_published(now):
        raise RoundError(f"the {round.year} round is already published")
    changed = round.status != RoundStatus.SCHEDULED or round.publication_at != publication_at
    round.status = RoundStatus.SCHEDULED
    round.publication_at = publication_at
    return changed
