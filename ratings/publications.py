"""A round's publications as they happened: its first publication, then each refresh or
correction (a moment at which later revisions became public), each with its date as the
record gives it and its source.

The moments come from the embargo gate's schedule (the round's publication time and its
revisions' own times); what the record says of each (the date shown, a description, the
source) from ``PublicationDetail``. Only publications that have happened by the gate's
clock are listed, so ``?as_at=`` and the embargo hold here too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from . import as_at, embargo
from .models import PublicationDetail
from .provenance import Citation, round_citation


@dataclass(frozen=True)
class Publication:
    round: object
    published_at: dt.datetime
    number: int  # 1 for the first publication
    date_shown: str = PublicationDetail.DateShown.DAY
    description: str = ""
    citation: Citation | None = None

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def day(self) -> dt.date:
        return as_at.day_of(self.published_at)

    @property
    def date_text(self) -> str:
        """ "30 May 2002", or "November 2002" where the day is not confirmed."""
        if self.date_shown == PublicationDetail.DateShown.MONTH:
            return f"{self.day:%B %Y}"
        return f"{self.day.day} {self.day:%B %Y}"

    @property
    def label(self) -> str:
        """ "as first published, 30 May 2002" or "as revised, November 2002"."""
        return f"as {'first published' if self.is_first else 'revised'}, {self.date_text}"

    @property
    def as_at_value(self) -> str:
        """The ``?as_at=`` value that shows the record as this publication left it."""
        return self.day.isoformat()

    def as_dict(self) -> dict:
        return {
            "published_at": self.published_at.isoformat(),
            "date": self.date_text,
            "label": self.label,
            "first": self.is_first,
            "description": self.description,
            "source": self.citation.text if self.citation else "",
            "url": self.citation.url if self.citation else "",
            "as_at": self.as_at_value,
        }


def publications(round, now=None, *, details=None) -> list[Publication]:
    """The round's publications that have happened by ``now``, first first. Empty for a
    round that is not public. ``details``: the round's ``PublicationDetail`` rows, when
    the caller has read them (:func:`for_rounds`)."""
    moments = embargo.publication_moments(round, now)
    if not moments:
        return []
    if details is None:
        details = PublicationDetail.objects.filter(round=round)
    details = {d.published_at: d for d in details}
    found = []
    for number, at in enumerate(moments, start=1):
        detail = details.get(at)
        citation = None
        if detail is not None and detail.source:
            citation = Citation.of(detail.source, detail.source_url)
        elif number == 1:
            citation = round_citation(round)
        found.append(
            Publication(
                round=round,
                published_at=at,
                number=number,
                date_shown=detail.date_shown if detail else PublicationDetail.DateShown.DAY,
                description=detail.description if detail else "",
                citation=citation,
            )
        )
    return found


def details_by_round(rounds) -> dict[int, list]:
    """The ``PublicationDetail`` rows of several rounds (a list or a queryset), by round
    pk, in one query: for :func:`publications` of each."""
    found: dict[int, list] = defaultdict(list)
    for detail in PublicationDetail.objects.filter(round__in=rounds):
        found[detail.round_id].append(detail)
    return found


@dataclass(frozen=True)
class Shown:
    """Which publication of a round a page shows, and the round's others."""

    current: Publication
    first: Publication
    all: tuple[Publication, ...]
    as_at: dt.date | None  # the day asked for with ?as_at=, if any

    @property
    def is_revised(self) -> bool:
        return not self.current.is_first


def shown(round, now=None) -> Shown | None:
    found = publications(round, now)
    if not found:
        return None
    return Shown(current=found[-1], first=found[0], all=tuple(found), as_at=_asked_day())


def _asked_day() -> dt.date | None:
    moment = embargo.as_at_moment()
    return as_at.day_of(moment) if moment is not None else None
