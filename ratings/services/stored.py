"""What is stored, as the writers read it: each council's latest revision in a round
(embargoed or not) and whether it was on special measures after an earlier round. These
reads serve the writers only; the public reads through ``ratings.selectors``. Each works
on a whole round, or on the councils named, in a query or two."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from ..models import AssessmentRound, Council, Rating, ServiceJudgement


def council_ids(councils: Iterable[Council | int] | None) -> list[int] | None:
    """The ids of ``councils`` (councils or ids); None, meaning every council, stays None."""
    if councils is None:
        return None
    return [c if isinstance(c, int) else c.pk for c in councils]


def latest_ratings(
    round: AssessmentRound, councils: Iterable[Council | int] | None = None
) -> dict[int, Rating]:
    """Each council's latest revision in the round (embargoed or not), by council id, with
    its judgements prefetched."""
    if round.pk is None:
        return {}
    ratings = (
        Rating.objects.filter(round=round)
        .select_related("council")
        .prefetch_related(Prefetch("judgements", queryset=ServiceJudgement.objects.all()))
        .order_by("council_id", "revision")
    )
    ids = council_ids(councils)
    if ids is not None:
        ratings = ratings.filter(council_id__in=ids)
    # Only the latest revisions are needed, but all of them are few (one or two a council).
    return {rating.council_id: rating for rating in ratings}


def special_measures_before(
    round: AssessmentRound, councils: Iterable[Council | int] | None = None
) -> dict[int, bool]:
    """Whether each council was on special measures after its latest rating in an earlier
    round, by council id. Councils never rated before are left out (not on them)."""
    rows = (
        Rating.objects.filter(round__year__lt=round.year)
        .order_by("round__year", "revision")
        .values_list("council_id", "on_special_measures")
    )
    ids = council_ids(councils)
    if ids is not None:
        rows = rows.filter(council_id__in=ids)
    return dict(rows)
