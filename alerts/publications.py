"""The publications alerts are sent for, and which councils each covers: from the embargo
gate only, so that nothing is announced before the gate says it is public.

A publication is one of a round's moments (``ratings.publications``): its first
publication, then each refresh or correction. Only moments that have passed by the time
asked about are listed (the gate's ``publication_moments``), whatever queued the asking.

- The **first** publication covers every council with a rating in the round.
- A **later** one covers the councils whose revision became public at that moment: the
  revisions public then that were not public at the round's previous moment (there is
  no moment in between, so they are exactly the ones published at it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ratings import embargo, publications, selectors
from ratings.presenters import words


@dataclass(frozen=True)
class CouncilLine:
    council_id: int
    name: str
    slug: str
    stars: str  # "2 stars", "Not rated"
    note: str  # a revision's public note; empty for a first publication


@dataclass(frozen=True)
class Publication:
    year: int
    moment: dt.datetime
    is_first: bool
    date_text: str  # "30 May 2002"
    councils: tuple[CouncilLine, ...]

    @property
    def council_ids(self) -> set[int]:
        return {line.council_id for line in self.councils}


def due(now: dt.datetime, *, after: dt.datetime) -> list[Publication]:
    """Every publication whose moment is after ``after`` and not after ``now``, oldest
    first, with the councils it covers."""
    found = []
    for round in embargo.published_rounds(now):
        happened = publications.publications(round, now)
        for index, publication in enumerate(happened):
            moment = publication.published_at
            if moment <= after:
                continue
            previous = happened[index - 1].published_at if index else None
            found.append(
                Publication(
                    year=round.year,
                    moment=moment,
                    is_first=publication.is_first,
                    date_text=publication.date_text,
                    councils=_covered(round, moment, previous),
                )
            )
    return sorted(found, key=lambda p: p.moment)


def _covered(round, moment: dt.datetime, previous: dt.datetime | None) -> tuple[CouncilLine, ...]:
    if previous is None:
        ratings = selectors.current_ratings(moment).filter(round=round)
    else:
        before = embargo.published_ratings(previous).filter(round=round).values("pk")
        ratings = embargo.published_ratings(moment).filter(round=round).exclude(pk__in=before)
    rows = ratings.order_by("council__name", "-revision").values_list(
        "council_id", "council__name", "council__slug", "stars", "note"
    )
    lines: dict[int, CouncilLine] = {}
    for council_id, name, slug, stars, note in rows:
        lines.setdefault(
            council_id,
            CouncilLine(
                council_id=council_id,
                name=name,
                slug=slug,
                stars=words.stars_words(stars),
                note="" if previous is None else note,
            ),
        )
    return tuple(lines.values())
