"""Councils side by side (the compare page): each in the latest published round, against
its region, its type of council and England, with its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from .. import charts, embargo, selectors
from ..models import AssessmentRound, Council, Rating, RatingStatus
from .words import (
    NOT_RATED,
    SERVING_MOST,
    average,
    change_words,
    council_type_label,
    percent,
    prospects_words,
    serving_words,
)


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
        average_stars=average([r.stars for r in rated]),
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
    # Where its stars in each round come from (ratings.provenance.Provenance), by year.
    sources: dict = field(default_factory=dict)
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
    def history_rows(self) -> list[tuple[AssessmentRound, list[tuple[int | None, object]]]]:
        """Each round, with each council's stars in it and where they come from."""
        return [
            (r, [(c.history.get(r.year), c.sources.get(r.year)) for c in self.councils])
            for r in self.rounds
        ]


def compare(councils: Sequence[Council], now: dt.datetime) -> Comparison:
    """Councils side by side in the latest published round, each against its region, its
    type and England, with their histories (four queries)."""
    rounds = embargo.published_rounds(now)
    round = rounds[-1] if rounds else None
    previous = rounds[-2] if len(rounds) > 1 else None
    rows = list(selectors.round_ratings(round, now, previous=previous)) if round else []
    by_council = {r.council_id: r for r in rows}
    history = selectors.star_histories([c.pk for c in councils], now)
    sources = selectors.star_sources([c.pk for c in councils], now)
    compared = []
    for council in councils:
        points = [(str(r.year), history[council.pk].get(r.year)) for r in rounds]
        item = ComparedCouncil(
            council=council,
            rating=by_council.get(council.pk),
            history=history[council.pk],
            sources={year: s for (pk, year), s in sources.items() if pk == council.pk},
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
