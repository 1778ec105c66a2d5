"""The API's reads, built only on the embargo gate (``ratings.embargo``) and the public
selectors (``ratings.selectors``).

Rounds come from the gate; ratings and indicator values through the selectors, never from
the models directly; councils, regions, groups and indicators are reference data and are
not embargoed.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ratings import embargo, rules, selectors
from ratings.models import AssessmentRound, Council, IndicatorValue, Rating

JUDGEMENT_ATTRIBUTES = tuple(
    f"{service}_{field}" for service in rules.SERVICES for field in ("serving", "prospects")
)


def published_round(year: int, now) -> AssessmentRound | None:
    """The round of ``year`` if it is published at ``now``; None for unknown or embargoed."""
    return embargo.published_round(year, now)


def published_rounds(now) -> QuerySet[AssessmentRound]:
    return embargo.published_rounds_queryset(now)


def latest_published_round(now) -> AssessmentRound | None:
    return embargo.latest_published_round(now)


def round_ratings(round: AssessmentRound, now) -> QuerySet[Rating]:
    """One row per council: the current visible revision, annotated (see selectors)."""
    return selectors.round_ratings(round, now)


def council_history(council: Council, now) -> list[Rating]:
    """Every visible revision of a council's ratings, oldest first, each with its four
    judgements as attributes (None when not rated) and ``is_current`` (the latest visible
    revision of its round). Two queries whatever the number of revisions."""
    ratings = list(selectors.council_ratings(council, now))
    latest: dict[int, int] = {}
    for rating in ratings:
        latest[rating.round_id] = max(latest.get(rating.round_id, 0), rating.revision)
        judgements = {j.service: j for j in rating.judgements.all()}
        for service in rules.SERVICES:
            judgement = judgements.get(service)
            setattr(rating, f"{service}_serving", judgement.serving if judgement else None)
            setattr(rating, f"{service}_prospects", judgement.prospects if judgement else None)
    for rating in ratings:
        rating.is_current = rating.revision == latest[rating.round_id]
    # Every visible revision of the council: the latest of each round is among them.
    return with_provenance(ratings, now, includes_latest=True)


def with_provenance(ratings, now, *, includes_latest: bool = False) -> list[Rating]:
    """``ratings`` (public ones, from the selectors), each with ``provenance`` (of its
    stars) and ``judgement_provenance`` (by judgement) as the API shows them: at most two
    queries, one with ``includes_latest`` (see ``ratings.provenance.facts_by_rating``)."""
    ratings = list(ratings)
    found = selectors.rating_provenance(ratings, now, includes_latest=includes_latest)
    for rating in ratings:
        where = found[rating.pk]
        rating.provenance = where.stars.as_dict()
        rating.judgement_provenance = {
            name: where.judgements[name].as_dict() for name in JUDGEMENT_ATTRIBUTES
        }
    return ratings


def round_indicator_values(round: AssessmentRound, now) -> QuerySet[IndicatorValue]:
    """The indicator values of a round the caller got from ``published_round``."""
    return selectors.round_indicator_values(round, now)
