"""The release calendar in words: what is to be published when, and what was lately.

A publication still to come is named by its round's year and its kind alone ("Star
ratings 2006", "Revised 2005 star ratings"): never the round's title, the
councils or the note, which are its content and under embargo until then. The schedule
is the embargo gate's (``embargo.upcoming_publications``); the publications that have
happened are ``ratings.publications``'s, so ``?as_at=`` holds for both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from . import embargo, publications
from .as_at import LONDON
from .models import PublicationDetail

RECENT = 5  # publications under "Recently published"


@dataclass(frozen=True)
class Entry:
    """One publication in the calendar, to come or past."""

    year: int
    kind: str  # embargo.ROUND_PUBLICATION or embargo.CORRECTION
    at: dt.datetime
    title: str  # "Star ratings 2006"
    when: str  # "Tuesday 14 November 2006 at 9:30am"
    url: str = ""  # the round's page, once it is public; never before
    description: str = ""  # what the record says of a past publication, if anything

    @property
    def uid(self) -> str:
        """Stable for the same publication (year, kind, moment), whoever asks."""
        return f"{self.year}-{self.kind}-{self.at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def site_host() -> str:
    """The site's host, from ``PORTAL_BASE_URL``: the same in every answer, whichever
    address a request came to, as the ids of calendar events and feed entries must be."""
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"


def site_url(path: str) -> str:
    """A full address on the site, from ``PORTAL_BASE_URL``: a cached answer (a feed, a
    calendar file) is the same whichever address its first request came to."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def label(year: int, kind: str) -> str:
    """What a publication is, in words that give nothing of its content."""
    if kind == embargo.ROUND_PUBLICATION:
        return f"Star ratings {year}"
    # "Revised", not "Correction": a later publication of a round may be a correction or,
    # as in November 2002, a refresh of some councils' ratings.
    return f"Revised {year} star ratings"


def time_text(moment: dt.datetime) -> str:
    """ "9:30am", "2pm", "midday" or "midnight", UK time (GOV.UK style)."""
    local = moment.astimezone(LONDON)
    if local.minute == 0 and local.hour in (0, 12):
        return "midnight" if local.hour == 0 else "midday"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def when_text(moment: dt.datetime) -> str:
    """ "Tuesday 14 November 2006 at 9:30am", UK time."""
    local = moment.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B %Y} at {time_text(moment)}"


def upcoming(now: dt.datetime | None = None) -> list[Entry]:
    """Every scheduled publication still to come, soonest first, without a link: what it
    will publish is not public yet."""
    return [
        Entry(year=u.year, kind=u.kind, at=u.at, title=label(u.year, u.kind), when=when_text(u.at))
        for u in embargo.upcoming_publications(now)
    ]


def recent(now: dt.datetime | None = None, limit: int = RECENT) -> list[Entry]:
    """The latest ``limit`` publications that have happened, newest first, each linked to
    its round's page."""
    rounds = embargo.published_rounds(now)
    details = publications.details_by_round([r.pk for r in rounds])
    found = [
        _past(publication)
        for round in rounds
        for publication in publications.publications(round, now, details=details.get(round.pk, []))
    ]
    return sorted(found, key=lambda e: e.at, reverse=True)[:limit]


def _past(publication: publications.Publication) -> Entry:
    year = publication.round.year
    kind = embargo.ROUND_PUBLICATION if publication.is_first else embargo.CORRECTION
    confirmed = publication.date_shown == PublicationDetail.DateShown.DAY
    return Entry(
        year=year,
        kind=kind,
        at=publication.published_at,
        title=label(year, kind),
        # Where the record gives only the month, so do we.
        when=when_text(publication.published_at) if confirmed else publication.date_text,
        url=reverse("league-table", args=[year]),
        description=publication.description,
    )
