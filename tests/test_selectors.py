"""The embargo gate: only published rounds and revisions are ever returned."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratings import selectors

from .factories import AssessmentRoundFactory, CouncilFactory, RatingFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2005, 1, 1, tzinfo=dt.UTC)


def test_unpublished_rounds_are_invisible():
    AssessmentRoundFactory(year=2003)
    AssessmentRoundFactory(year=2004, publication_at=NOW + dt.timedelta(minutes=1))
    AssessmentRoundFactory(year=2002, draft=True)
    assert [r.year for r in selectors.published_rounds(NOW)] == [2003]
    assert selectors.published_round(2004, NOW) is None
    assert selectors.published_round(2004, NOW + dt.timedelta(minutes=1)).year == 2004


def test_a_revision_waits_for_its_own_publication_time():
    rating = RatingFactory(round__year=2003)
    later = RatingFactory(
        round=rating.round,
        council=rating.council,
        revision=2,
        published_at=NOW + dt.timedelta(days=1),
        children_serving="yes",
    )
    assert list(selectors.current_ratings(NOW)) == [rating]
    assert list(selectors.current_ratings(NOW + dt.timedelta(days=1))) == [later]


def test_round_ratings_annotates_judgements_and_change():
    council = CouncilFactory()
    RatingFactory(round__year=2003, council=council, children_serving="some")
    current = AssessmentRoundFactory(year=2004)
    RatingFactory(round=current, council=council, children_serving="yes")
    (row,) = selectors.round_ratings(current, NOW)
    assert (row.previous_stars, row.stars, row.change, row.change_by) == (2, 3, "up", 1)
    assert row.children_serving == "yes"
    assert row.children_serving_rank == 3


def test_round_ratings_uses_a_fixed_number_of_queries():
    current = AssessmentRoundFactory(year=2004)
    previous = AssessmentRoundFactory(year=2003)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            rows = list(selectors.round_ratings(current, NOW))
            [(r.council.region.name, r.adults_serving, r.change) for r in rows]
        return len(queries), len(rows)

    for _ in range(3):
        council = CouncilFactory()
        RatingFactory(round=previous, council=council)
        RatingFactory(round=current, council=council)
    few = count_queries()
    for _ in range(20):
        RatingFactory(round=current)
    many = count_queries()
    assert few[0] == many[0] <= 3
    assert many[1] == 23
