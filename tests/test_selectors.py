"""The embargo gate: only published rounds and revisions are ever returned."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from ratings import embargo, selectors
from ratings.filters import LeagueTableFilter
from ratings.models import Council

from .factories import AssessmentRoundFactory, CouncilFactory, RatingFactory
from .transactions import settle

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2005, 1, 1, tzinfo=dt.UTC)


def test_unpublished_rounds_are_invisible():
    AssessmentRoundFactory(year=2003)
    AssessmentRoundFactory(year=2004, publication_at=NOW + dt.timedelta(minutes=1))
    AssessmentRoundFactory(year=2002, draft=True)
    assert [r.year for r in embargo.published_rounds(NOW)] == [2003]
    assert embargo.published_round(2004, NOW) is None
    assert embargo.published_round(2004, NOW + dt.timedelta(minutes=1)).year == 2004


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


# --- league_rows: the league table page's SQL, against round_ratings as the oracle ---------

# How the ORM path sorts each column (what ratings/tables.py did before league_rows).
ORM_ORDERING = {
    "council": "council__name",
    "stars": "stars",
    "adults_serving": "adults_serving_rank",
    "adults_prospects": "adults_prospects_rank",
    "children_serving": "children_serving_rank",
    "children_prospects": "children_prospects_rank",
    "change": "change_by",
    "previous": "previous_stars",
    "on_special_measures": "on_special_measures",
    "region": "council__region__name",
    "council_type": "council__council_type",
}


def shape(row) -> tuple:
    """What the page and the downloads read of a row, from either path."""
    council = row.council
    return (
        council.name,
        council.slug,
        council.council_type,
        council.region.name,
        row.round.year,
        row.revision,
        row.status,
        row.stars,
        bool(row.on_special_measures),
        row.adults_serving,
        row.adults_prospects,
        row.children_serving,
        row.children_prospects,
        row.previous_stars,
        None
        if row.previous_on_special_measures is None
        else bool(row.previous_on_special_measures),
        row.change,
        row.change_by,
    )


@pytest.fixture
def league(league_data, db):
    """The 2004 round of :func:`league_data`, as stored (a test may have changed the
    object before its changes were rolled back)."""
    league_data.refresh_from_db()
    return league_data


@pytest.fixture(scope="module")
def league_data(module_db):
    """40 councils over 4 regions and every type, rated in 2003 and 2004 with every
    judgement, some not rated, some unrated in 2003, corrections published and embargoed
    in both rounds, and group members in 2004 and 2003 (made once for the module)."""
    from ratings import rules
    from ratings.models import CouncilType, RatingStatus

    from .factories import GroupFactory, GroupMembershipFactory, RegionFactory

    rng = random.Random(2004)
    regions = [RegionFactory(name=f"Region {name}") for name in "DBCA"]
    types = list(CouncilType.values)
    r2003 = AssessmentRoundFactory(year=2003)
    r2004 = AssessmentRoundFactory(year=2004)
    councils = [
        CouncilFactory(
            name=f"Council {rng.randrange(10_000):04d}-{i}",
            region=regions[i % 4],
            council_type=types[i % len(types)],
        )
        for i in range(40)
    ]

    def rate(round, council, revision=1, published_at=None):
        if rng.random() < 0.1:
            return RatingFactory(
                round=round,
                council=council,
                revision=revision,
                published_at=published_at,
                status=RatingStatus.NOT_RATED,
                stars=None,
                on_special_measures=False,
            )
        return RatingFactory(
            round=round,
            council=council,
            revision=revision,
            published_at=published_at,
            adults_serving=rng.choice(rules.SERVING_LEVELS),
            adults_prospects=rng.choice(rules.PROSPECT_LEVELS),
            children_serving=rng.choice(rules.SERVING_LEVELS),
            children_prospects=rng.choice(rules.PROSPECT_LEVELS),
        )

    for i, council in enumerate(councils):
        if i % 9 != 0:  # a few councils with no 2003 rating
            rate(r2003, council)
        rate(r2004, council)
    for i in (1, 2, 3):  # corrections of 2003: published, published, embargoed
        published = NOW - dt.timedelta(days=10) if i < 3 else NOW + dt.timedelta(days=1)
        rate(r2003, councils[i], revision=2, published_at=published)
    rate(r2003, councils[2], revision=3, published_at=NOW - dt.timedelta(days=5))
    for i in (4, 5, 6):  # corrections of 2004: published, embargoed, published then embargoed
        published = NOW + dt.timedelta(days=1) if i == 5 else NOW - dt.timedelta(days=3)
        rate(r2004, councils[i], revision=2, published_at=published)
    rate(r2004, councils[6], revision=3, published_at=NOW + dt.timedelta(hours=1))
    other = GroupFactory(slug="coasting-councils", name="Coasting councils")
    for i in range(0, 40, 3):
        GroupMembershipFactory(council=councils[i], year=2004)
    GroupMembershipFactory(group=other, council=councils[0], year=2004)  # in two groups
    GroupMembershipFactory(group=other, council=councils[1], year=2003)  # another year
    settle()
    return r2004


def oracle(round, data=None, order_by="council", previous=selectors.UNKNOWN):
    queryset = selectors.round_ratings(round, NOW, previous=previous)
    if data is not None:
        filterset = LeagueTableFilter(data, queryset=queryset, round=round)
        assert filterset.is_valid(), filterset.errors
        queryset = filterset.qs
    field = F(ORM_ORDERING[order_by.removeprefix("-")])
    first = field.desc(nulls_last=True) if order_by.startswith("-") else field.asc(nulls_last=True)
    return [shape(r) for r in queryset.order_by(first, "council__name", "council_id")]


def sql_rows(round, data=None, **kwargs):
    filters = {}
    if data is not None:
        filterset = LeagueTableFilter(data, round=round)
        assert filterset.is_valid(), filterset.errors
        filters = filterset.form.cleaned_data
    rows, total = selectors.league_rows(round, NOW, filters=filters, **kwargs)
    return [shape(r) for r in rows], total


@pytest.mark.parametrize("column", ORM_ORDERING)
@pytest.mark.parametrize("descending", [False, True])
def test_league_rows_sort_every_column_as_the_orm_does(league, column, descending):
    order_by = f"-{column}" if descending else column
    expected = oracle(league, order_by=order_by)
    assert len(expected) == 40
    assert sql_rows(league, order_by=order_by) == (expected, 40)
    # A page in the middle is the same slice of the same order.
    assert sql_rows(league, order_by=order_by, offset=15, limit=10) == (expected[15:25], 40)


@pytest.mark.parametrize(
    "data",
    [
        {"region": "region-a"},
        {"type": "county"},
        {"type": "london_borough"},
        {"stars": ["0"]},
        {"stars": ["1", "3"]},
        {"special_measures": "yes"},
        {"special_measures": "no"},
        {"group": "childrens-trust-pathfinders"},
        {"group": "coasting-councils"},
        {"change": ["up"]},
        {"change": ["down"]},
        {"change": ["same"]},
        {"change": ["up", "down"]},
        {"region": "region-b", "stars": ["2", "3"], "change": ["up", "same"]},
        {"region": "", "type": "", "special_measures": "", "group": "", "stars": []},
        {"type": "unitary", "special_measures": "no", "group": "childrens-trust-pathfinders"},
    ],
)
@pytest.mark.parametrize("order_by", ["council", "-change", "adults_prospects"])
def test_league_rows_filter_as_the_orm_does(league, data, order_by):
    expected = oracle(league, data, order_by)
    assert sql_rows(league, data, order_by=order_by) == (expected, len(expected))
    assert sql_rows(league, data, order_by=order_by, limit=3) == (expected[:3], len(expected))


def test_league_rows_filters_narrow_the_table(league):
    assert 0 < sql_rows(league, {"change": ["up"]})[1] < 40
    assert 0 < sql_rows(league, {"group": "childrens-trust-pathfinders"})[1] < 40
    # Membership in 2003 does not count in 2004.
    rows, _ = sql_rows(league, {"group": "coasting-councils"})
    assert len(rows) == 1


def test_league_rows_show_the_latest_visible_revision_of_each_round(league):
    rows, total = sql_rows(league)
    assert total == len({row[0] for row in rows}) == 40
    by_name = {row[0]: row for row in rows}
    revisions = {
        c.name: (
            selectors.current_ratings(NOW).get(round=league, council=c),
            selectors.current_ratings(NOW).filter(round__year=2003, council=c).first(),
        )
        for c in Council.objects.all()
    }
    for name, (current, previous) in revisions.items():
        row = by_name[name]
        assert row[5] == current.revision  # never an embargoed correction
        assert row[7] == current.stars
        assert row[13] == (previous.stars if previous else None)
    shown = sorted(row[5] for row in rows)
    assert shown.count(2) == 2  # the published corrections of 2004 (the 6th council's)
    assert 3 not in shown  # its revision 3 is embargoed


def test_league_rows_pages_add_up(league):
    expected = oracle(league, order_by="-stars")
    pages = [sql_rows(league, order_by="-stars", offset=o, limit=7) for o in range(0, 42, 7)]
    assert [row for rows, _ in pages for row in rows] == expected
    assert {total for _, total in pages} == {40}
    assert sql_rows(league, offset=400, limit=7) == ([], 40)  # beyond the last page
    assert sql_rows(league, offset=35, limit=7) == (oracle(league)[35:], 40)  # the last page


def test_league_rows_with_no_previous_round(league):
    rows, _ = sql_rows(league, previous=None)
    assert {row[13] for row in rows} == {None}
    assert {row[15] for row in rows} == {""}
    assert rows == oracle(league, previous=None)


def test_league_rows_of_an_unpublished_round_are_empty(league):
    from ratings.models import RoundStatus

    embargoed = AssessmentRoundFactory(year=2005, publication_at=NOW + dt.timedelta(minutes=1))
    RatingFactory(round=embargoed, council=Council.objects.first())
    assert selectors.league_rows(embargoed, NOW) == ([], 0)
    assert len(selectors.league_rows(embargoed, NOW + dt.timedelta(minutes=1))[0]) == 1
    league.status = RoundStatus.DRAFT
    league.save()
    assert selectors.league_rows(league, NOW) == ([], 0)


def test_league_rows_refuse_unknown_columns_and_never_put_values_in_the_sql(league):
    with pytest.raises(ValueError):
        selectors.league_rows(league, NOW, order_by="stars; DROP TABLE ratings_rating")
    with pytest.raises(ValueError):
        selectors.league_rows(league, NOW, filters={"change": ["up' OR 1=1 --"]})
    hostile = {"region": "x' OR '1'='1", "type": "county' --", "group": "'; DELETE"}
    assert selectors.league_rows(league, NOW, filters=hostile) == ([], 0)
    assert Council.objects.count() == 40


def test_league_rows_use_one_query_and_a_count_only_when_needed(league):
    def queries(**kwargs):
        with CaptureQueriesContext(connection) as captured:
            selectors.league_rows(league, NOW, previous=None, **kwargs)
        return len(captured)

    assert queries() == 1
    assert queries(limit=200) == 1  # the whole table fits on the page
    assert queries(limit=10) == 2  # a full page: how many in all?
    assert queries(offset=30, limit=20) == 1  # the last page says how many
