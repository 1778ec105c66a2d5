"""Where each value the portal shows comes from: a published fact (with its citation) or
the sample data generated around the facts. Written once, here; pages, reports,
downloads and the API all ask this module.

A round entered by an inspectorate (``is_sample`` false) is its own publication: every
value in it is published, and its citation is the round's. In a sample round a value is
published only where a fact found in public reporting (``PublishedFact``) states it for
that council's rating as it then stood; everything else is sample.

Which revision a fact speaks of: a fact labelled with the round's first publication
("May" for 2002) describes revision 1; any other fact (a refresh, or no label: the round
as last published) describes the council's latest public revision of the round.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import embargo
from .models import PublishedFact, RatingStatus

PUBLISHED = "published"
SAMPLE = "sample"

# Labels of facts that describe a round's first publication.
FIRST_PUBLICATION_LABELS = frozenset({"may"})
JUDGEMENT_FIELDS = ("adults_serving", "adults_prospects", "children_serving", "children_prospects")
_URL = re.compile(r"https?://[^\s;,)]+")


@dataclass(frozen=True)
class Citation:
    """Where a published value is recorded: the text as the record gives it, and the
    first link in it, if any."""

    text: str
    url: str = ""

    @classmethod
    def of(cls, text: str, url: str = "") -> Citation:
        found = _URL.search(text or "")
        return cls(text=(text or "").strip(), url=url or (found.group(0) if found else ""))


@dataclass(frozen=True)
class Provenance:
    kind: str  # PUBLISHED or SAMPLE
    citation: Citation | None = None

    @property
    def is_published(self) -> bool:
        return self.kind == PUBLISHED

    @property
    def label(self) -> str:
        return "Published" if self.is_published else "Sample"

    def as_dict(self) -> dict:
        """The API's shape (``provenance`` on ratings and judgements)."""
        return {
            "kind": self.kind,
            "source": self.citation.text if self.citation else "",
            "url": self.citation.url if self.citation else "",
        }


SAMPLE_VALUE = Provenance(SAMPLE)


def round_citation(round) -> Citation:
    parts = [p for p in (round.publisher, round.title, round.source) if p]
    return Citation.of("; ".join(parts), round.source_url)


def describes_first_publication(fact) -> bool:
    return fact.round_label.strip().lower() in FIRST_PUBLICATION_LABELS


def fact_value(fact, field: str):
    """A fact's value for ``stars`` or a judgement field, or None where it says nothing.
    ``stars`` is the number, or ``RatingStatus.NOT_RATED``."""
    if field == "stars":
        return RatingStatus.NOT_RATED if fact.not_rated else fact.stars
    return getattr(fact, field) or None


_MISSING = object()


def rating_value(rating, field: str):
    """A rating's value for ``stars`` or a judgement field. A judgement is read from the
    attribute of that name where the rating has one (the selectors' annotated rows, the
    league table's rows), else from its judgements (prefetched): reading
    ``rating.judgements`` of an annotated row would be a query per row."""
    if field == "stars":
        return RatingStatus.NOT_RATED if rating.status == RatingStatus.NOT_RATED else rating.stars
    annotated = getattr(rating, field, _MISSING)
    if annotated is not _MISSING:
        return annotated or None
    service, kind = field.split("_", 1)
    judgement = rating.judgement(service)
    return getattr(judgement, kind) if judgement is not None else None


@dataclass(frozen=True)
class RatingProvenance:
    """The provenance of a rating revision's stars and of each of its four judgements,
    and the facts that speak of it."""

    stars: Provenance
    judgements: dict[str, Provenance]  # by JUDGEMENT_FIELDS name
    # Not in the repr: a fact's str() reads its council, a query per fact.
    facts: tuple = field(repr=False)

    def judgement(self, service: str, kind: str) -> Provenance:
        return self.judgements[f"{service}_{kind}"]

    @property
    def is_all_sample(self) -> bool:
        return not self.stars.is_published and not any(
            p.is_published for p in self.judgements.values()
        )


def _latest_public_revisions(ratings, now) -> dict[tuple[int, int], int]:
    pairs = {(r.round_id, r.council_id) for r in ratings}
    if not pairs:
        return {}
    rows = (
        embargo.published_ratings(now)
        .filter(round_id__in={p[0] for p in pairs}, council_id__in={p[1] for p in pairs})
        .values_list("round_id", "council_id", "revision")
    )
    latest: dict[tuple[int, int], int] = {}
    for round_id, council_id, revision in rows:
        if revision > latest.get((round_id, council_id), 0):
            latest[(round_id, council_id)] = revision
    return latest


def _given_latest(ratings) -> dict[tuple[int, int], int]:
    latest: dict[tuple[int, int], int] = {}
    for rating in ratings:
        key = (rating.round_id, rating.council_id)
        latest[key] = max(latest.get(key, 0), rating.revision)
    return latest


# Past this many councils the facts are read by year alone (a round has a few dozen), not
# with a list of every council in the query.
_COUNCILS_IN_QUERY = 100


def facts_by_rating(ratings: Iterable, now=None, *, includes_latest: bool = False) -> dict:
    """The published facts that speak of each rating revision, by the rating's pk (two
    queries, whatever the number of ratings; one with ``includes_latest``: the ratings
    include the latest public revision of each council in each of their rounds, as a
    council's history or a round's current ratings do, so the latest is read from them).
    The ratings must be public ones (from the selectors): a fact is only ever joined to
    the ratings given."""
    ratings = list(ratings)
    if not ratings:
        return {}
    councils = {r.council_id for r in ratings}
    facts = defaultdict(list)
    query = PublishedFact.objects.filter(year__in={r.round.year for r in ratings})
    if len(councils) <= _COUNCILS_IN_QUERY:
        query = query.filter(council_id__in=councils)
    for fact in query:
        if fact.council_id in councils:
            facts[(fact.council_id, fact.year)].append(fact)
    latest = _given_latest(ratings) if includes_latest else _latest_public_revisions(ratings, now)
    found: dict[int, list] = {}
    for rating in ratings:
        speaks = []
        for fact in facts.get((rating.council_id, rating.round.year), ()):
            if describes_first_publication(fact):
                if rating.revision == 1:
                    speaks.append(fact)
            elif rating.revision == latest.get((rating.round_id, rating.council_id)):
                speaks.append(fact)
        found[rating.pk] = speaks
    return found


def _provenance_of(field: str, rating, facts) -> Provenance:
    value = rating_value(rating, field)
    for fact in facts:
        if value is not None and fact_value(fact, field) == value:
            return Provenance(PUBLISHED, Citation.of(fact.source))
    return SAMPLE_VALUE


def rating_provenance(rating, facts=()) -> RatingProvenance:
    """Where a rating revision's stars and judgements come from. ``facts``: those that
    speak of it (:func:`facts_by_rating`); ignored for a round that is not sample data."""
    if not rating.round.is_sample:
        published = Provenance(PUBLISHED, round_citation(rating.round))
        return RatingProvenance(
            stars=published, judgements=dict.fromkeys(JUDGEMENT_FIELDS, published), facts=()
        )
    return RatingProvenance(
        stars=_provenance_of("stars", rating, facts),
        judgements={field: _provenance_of(field, rating, facts) for field in JUDGEMENT_FIELDS},
        facts=tuple(facts),
    )


def provenance_for(
    ratings: Iterable, now=None, *, includes_latest: bool = False
) -> dict[int, RatingProvenance]:
    """:func:`rating_provenance` of many ratings at once, by pk (ratings with their round
    and judgements loaded: ``select_related("round")``, and ``prefetch_related("judgements")``
    or the judgements as attributes). No query when no rating is in a sample round;
    ``includes_latest``: as :func:`facts_by_rating`."""
    ratings = list(ratings)
    sample = [r for r in ratings if r.round.is_sample]
    facts = facts_by_rating(sample, now, includes_latest=includes_latest) if sample else {}
    return {r.pk: rating_provenance(r, facts.get(r.pk, ())) for r in ratings}
