"""What the Atom feeds hold, as plain entries: every publication of the ratings, and each
council's ratings and revisions.

Everything comes through the embargo gate at the gate's clock (``?as_at=`` holds): the
publications from ``ratings.publications`` (those that have happened), a council's
revisions from ``ratings.selectors``, the corrected ratings from
``embargo.published_ratings``. Nothing scheduled appears before its time.

Each entry's id is a tag URI (RFC 4151) made of the site's host, the day of the
publication and what it is, so a feed reader sees the same entry as the same entry.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse

from . import as_at, embargo, publications, selectors
from .presenters.words import stars_words
from .release_calendar import label, site_host

SAMPLE_NOTE = "Sample data, not the real published ratings."
NAMED_COUNCILS = 3  # a correction of more councils than this is titled with their number


@dataclass(frozen=True)
class FeedEntry:
    id: str  # a tag URI, stable
    title: str  # plain text
    link: str  # a path on the site
    updated: dt.datetime  # the publication time
    summary: str = ""  # plain text


def tag(moment: dt.datetime, specific: str) -> str:
    """``tag:host,YYYY-MM-DD:specific``, the day being that of the publication (UK)."""
    return f"tag:{site_host()},{as_at.day_of(moment).isoformat()}:{specific}"


def _publication_id(publication: publications.Publication, what: str) -> str:
    """``tag:host,day:ratings/2005/revised/20051129T093000Z``: the round and the moment."""
    moment = publication.published_at
    return tag(
        moment,
        f"ratings/{publication.round.year}/{what}/{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
    )


def _sentence(text: str) -> str:
    """A description from the record ("the November 2002 refresh: ...") as a sentence."""
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}." if text else ""


# --- every publication --------------------------------------------------------------------


def publication_entries(now: dt.datetime | None = None) -> list[FeedEntry]:
    """Every publication that has happened, newest first: each round's first publication
    (linked to its league table) and each later one, a correction or refresh (linked to
    the council's page when it revised one council, else to the league table)."""
    now = embargo.now(now)
    rounds = embargo.published_rounds(now)
    details = publications.details_by_round([r.pk for r in rounds])
    revised = _revised_by_publication(now)
    entries = []
    for round in rounds:
        for publication in publications.publications(round, now, details=details.get(round.pk, [])):
            if publication.is_first:
                entries.append(_first_publication(publication))
            else:
                found = revised.get((round.pk, publication.published_at), [])
                entries.append(_later_publication(publication, found))
    return sorted(entries, key=lambda e: e.updated, reverse=True)


def _revised_by_publication(now: dt.datetime) -> dict[tuple[int, dt.datetime], list]:
    """The public revisions after the first, by (round pk, publication time)."""
    found = defaultdict(list)
    ratings = (
        embargo.published_ratings(now)
        .filter(revision__gt=1)
        .select_related("council", "round")
        .order_by("council__name", "revision")
    )
    for rating in ratings:
        found[(rating.round_id, embargo.published_at(rating))].append(rating)
    return found


def _first_publication(publication: publications.Publication) -> FeedEntry:
    round = publication.round
    parts = [f"{round.title}, published {publication.date_text}."]
    if publication.description:
        parts.append(_sentence(publication.description))
    if round.is_sample:
        parts.append(SAMPLE_NOTE)
    return FeedEntry(
        id=_publication_id(publication, "published"),
        title=f"{label(round.year, embargo.ROUND_PUBLICATION)} published",
        link=reverse("league-table", args=[round.year]),
        updated=publication.published_at,
        summary=" ".join(parts),
    )


def _later_publication(publication: publications.Publication, ratings: list) -> FeedEntry:
    round = publication.round
    year = round.year
    names = [r.council.name for r in ratings]
    title = label(year, embargo.CORRECTION)
    if len(names) > NAMED_COUNCILS:
        title += f": {len(names)} councils"
    elif names:
        title += f": {_joined(names)}"
    if len(ratings) == 1:
        link = reverse("council-year", args=[ratings[0].council.slug, year])
    else:
        link = reverse("league-table", args=[year])
    parts = [f"Published {publication.date_text}."]
    if publication.description:
        parts.append(_sentence(publication.description))
    for rating in ratings:
        line = f"{rating.council.name}: now {_stars(rating.stars)}."
        if rating.note:
            line += f" {rating.note}"
        parts.append(line)
    if round.is_sample:
        parts.append(SAMPLE_NOTE)
    return FeedEntry(
        id=_publication_id(publication, "revised"),
        title=title,
        link=link,
        updated=publication.published_at,
        summary="\n".join(parts),
    )


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _stars(stars: int | None) -> str:
    words = stars_words(stars)
    return words if stars is not None else words.lower()


# --- one council --------------------------------------------------------------------------


def council_entries(council, now: dt.datetime | None = None) -> list[FeedEntry]:
    """A council's published ratings, one entry per visible revision (its rating in each
    round as first published, then each correction or refresh with its public note),
    newest first."""
    now = embargo.now(now)
    ratings = selectors.council_ratings(council, now).prefetch_related(None)
    entries = [_rating_entry(council, rating) for rating in ratings]
    entries += [_response_entry(council, r) for r in selectors.council_responses(council, now)]
    return sorted(entries, key=lambda e: e.updated, reverse=True)


def _response_entry(council, response) -> FeedEntry:
    """The council's right of reply to its rating in a round, as published."""
    year = response.round.year
    published = response.published_at
    return FeedEntry(
        id=tag(published, f"councils/{council.slug}/{year}/response/{response.pk}"),
        title=f"{council.name}: the council's response to its {year} star rating",
        link=reverse("council-year", args=[council.slug, year]) + "#council-response-title",
        updated=published,
        summary=f"{response.attribution}: {response.text}",
    )


def _rating_entry(council, rating) -> FeedEntry:
    year = rating.round.year
    published = embargo.published_at(rating, rating.round)
    stars = _stars(rating.stars)
    if rating.revision == 1:
        title = f"{council.name}: {stars}, {year} star ratings"
        parts = [f"{council.name} was rated {stars} in the {year} star ratings."]
    else:
        title = f"{council.name}: {stars}, {year} star ratings (revised)"
        parts = [f"{council.name}'s {year} rating was revised to {stars}."]
        if rating.note:
            parts.append(rating.note)
    if rating.on_special_measures:
        parts.append("On special measures.")
    if rating.round.is_sample:
        parts.append(SAMPLE_NOTE)
    return FeedEntry(
        id=tag(published, f"councils/{council.slug}/{year}/revision/{rating.revision}"),
        title=title,
        link=reverse("council-year", args=[council.slug, year]),
        updated=published,
        summary=" ".join(parts),
    )
