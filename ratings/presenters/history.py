"""A council's visible rating revisions, its special-measures events and the points of its
history chart, from ratings the selectors have returned."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .. import embargo
from ..models import AssessmentRound, Rating
from .provenance import SAMPLE_SOURCE, ValueSource
from .words import Stars


@dataclass(frozen=True)
class HistoryLine:
    """One visible rating revision of a council."""

    label: str  # "2004" or "2004 rev. 2"
    year: int
    revision: int
    stars: Stars
    on_special_measures: bool
    published_at: dt.datetime | None
    note: str
    is_sample: bool
    source: ValueSource = SAMPLE_SOURCE  # of the stars: published (with its source) or sample


@dataclass(frozen=True)
class SpecialMeasuresEvent:
    year: int
    revision: int
    entered: bool
    published_at: dt.datetime | None
    description: str  # "2004: Went on to special measures"


def history_lines(
    ratings: Iterable[Rating], sources: Mapping[int, ValueSource] | None = None
) -> list[HistoryLine]:
    """``sources``: the provenance of each rating's stars, by the rating's pk."""
    sources = sources or {}
    return [
        HistoryLine(
            label=str(r.round.year) if r.revision == 1 else f"{r.round.year} rev. {r.revision}",
            year=r.round.year,
            revision=r.revision,
            stars=Stars.of(r.stars),
            on_special_measures=r.on_special_measures,
            published_at=embargo.published_at(r),
            note=r.note,
            is_sample=r.round.is_sample,
            source=sources.get(r.pk, SAMPLE_SOURCE),
        )
        for r in ratings
    ]


def special_measures_events(history: Sequence[HistoryLine]) -> list[SpecialMeasuresEvent]:
    """Each time a council went on to or came off special measures, oldest first."""
    events = []
    was_on = False
    for entry in history:
        if entry.on_special_measures != was_on:
            when = (
                str(entry.year)
                if entry.revision == 1
                else f"{entry.year} (revision {entry.revision})"
            )
            verb = (
                "Went on to special measures"
                if entry.on_special_measures
                else "Came off special measures"
            )
            events.append(
                SpecialMeasuresEvent(
                    year=entry.year,
                    revision=entry.revision,
                    entered=entry.on_special_measures,
                    published_at=entry.published_at,
                    description=f"{when}: {verb}",
                )
            )
            was_on = entry.on_special_measures
    return events


def chart_points(
    history: Sequence[HistoryLine], rounds: Sequence[AssessmentRound]
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
            points.append((entry.label, entry.stars.value))
    return points
