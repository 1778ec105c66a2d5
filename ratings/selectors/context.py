"""What surrounds a council's ratings on its page: CPA results and group memberships in
the years of published rounds, and the published record; and the indicator domains a
report is laid out by. Reference data, not embargoed, but shown only for years the public
can see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from .. import embargo, provenance
from ..models import Council, CPAResult, Domain, GroupMembership, PublishedFact


def cpa_results(council: Council, years: Collection[int]) -> list[CPAResult]:
    return [
        r for r in CPAResult.objects.filter(council=council).order_by("year") if r.year in years
    ]


def group_memberships(
    council: Council, years: Collection[int]
) -> list[tuple[int, list[GroupMembership]]]:
    """(year, memberships) pairs, oldest first, groups by name."""
    by_year = defaultdict(list)
    for membership in (
        GroupMembership.objects.filter(council=council)
        .select_related("group")
        .order_by("year", "group__name")
    ):
        if membership.year in years:
            by_year[membership.year].append(membership)
    return sorted(by_year.items())


def published_facts(council: Council, now=None) -> list[PublishedFact]:
    """The published facts about a council's ratings in the rounds published by ``now``:
    a fact about a round still under embargo (or after the day asked for with ``as_at``)
    is not listed before the round is."""
    years = [r.year for r in embargo.published_rounds(now)]
    return list(
        PublishedFact.objects.filter(council=council, year__in=years).order_by(
            "year", "round_label"
        )
    )


def domains() -> list[Domain]:
    """The indicator domains in the order of the framework."""
    return list(Domain.objects.order_by("order", "name"))


def rating_provenance(
    ratings, now=None, *, includes_latest: bool = False
) -> dict[int, provenance.RatingProvenance]:
    """Where each rating's stars and judgements come from, by the rating's pk: at most two
    queries whatever the number of ratings (``ratings.provenance.provenance_for``). The
    ratings must come from the selectors: facts are joined only to the ratings given, so
    nothing under embargo is looked at."""
    return provenance.provenance_for(ratings, now, includes_latest=includes_latest)
