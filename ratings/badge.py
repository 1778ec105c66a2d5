"""The embeddable badge of a council's current rating: its stars in symbols and words and
the round, as an SVG another site can show with a link back.

The rating is the latest visible revision in the latest published round (through the
gate: nothing embargoed, ``?as_at=`` holds), or "not rated" / "no rating yet".
"""

from __future__ import annotations

from dataclasses import dataclass

from . import embargo, selectors
from .models import Council

SYMBOLS = {3: "★★★", 2: "★★☆", 1: "★☆☆", 0: "☆☆☆"}


@dataclass(frozen=True)
class Badge:
    council: str
    stars: int | None  # None: not rated in the round, or no round yet
    year: int | None
    is_sample: bool

    @property
    def words(self) -> str:
        if self.year is None:
            return "No published rating yet"
        if self.stars is None:
            return "Not rated"
        return f"{self.stars} star{'' if self.stars == 1 else 's'}"

    @property
    def symbols(self) -> str:
        return SYMBOLS.get(self.stars, "") if self.year is not None else ""

    @property
    def round_text(self) -> str:
        if self.year is None:
            return "Social services star ratings"
        return (
            f"Social services star rating {self.year}{' (sample data)' if self.is_sample else ''}"
        )

    @property
    def description(self) -> str:
        """The badge in one sentence: its title, and the alt text of the snippet."""
        return (
            f"{self.council}: {self.words.lower() if self.year else self.words}, {self.round_text}"
        )


def badge(council: Council, now=None) -> Badge:
    round = embargo.latest_published_round(now)
    if round is None:
        return Badge(council.name, None, None, False)
    latest = (
        selectors.council_ratings(council, now)
        .filter(round=round)
        .prefetch_related(None)
        .order_by("-revision")
        .first()
    )
    return Badge(council.name, latest.stars if latest else None, round.year, round.is_sample)
