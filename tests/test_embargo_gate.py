"""The embargo's two predicates, read three ways (Python, the ORM, SQL), say the same
thing in every case; and the gate built on them answers from its schedule."""

import datetime as dt

import pytest
import time_machine
from django.db import connection

from ratings import embargo
from ratings.models import AssessmentRound, Rating, RoundStatus

from .factories import AssessmentRoundFactory, CouncilFactory, RatingFactory

pytestmark = pytest.mark.django_db

T = dt.datetime(2005, 11, 29, 9, 30, tzinfo=dt.UTC)
BEFORE, AFTER = T - dt.timedelta(seconds=1), T + dt.timedelta(seconds=1)
MOMENTS = [BEFORE, T, AFTER]


@pytest.fixture
def cases():
    """Rounds in every state, each with revision 1, a later revision published at T and
    one still to come."""
    rounds = [
        AssessmentRoundFactory(year=2002),  # published long ago
        AssessmentRoundFactory(year=2003, publication_at=T),  # published at T exactly
        AssessmentRoundFactory(year=2004, publication_at=T + dt.timedelta(days=1)),
        AssessmentRoundFactory(year=2005, draft=True),
        AssessmentRoundFactory(  # closed, never scheduled
            year=2006, methodology_version="2005", status=RoundStatus.CLOSED, publication_at=None
        ),
    ]
    council = CouncilFactory()
    for round in rounds:
        RatingFactory(round=round, council=council)
        RatingFactory(round=round, council=council, revision=2, published_at=T)
        RatingFactory(round=round, council=council, revision=3, published_at=AFTER)
    return rounds


def _sql_ids(table, alias_sql, params, now):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT x.id FROM {table} x WHERE {alias_sql}", params)
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("now", MOMENTS, ids=["before", "at", "after"])
def test_the_round_predicate_agrees_in_python_the_orm_and_sql(cases, now):
    python = {r.pk for r in AssessmentRound.objects.all() if embargo.round_is_public(r, now)}
    orm = set(
        AssessmentRound.objects.filter(embargo.public_rounds_q(now)).values_list("pk", flat=True)
    )
    sql, params = embargo.public_round_sql("x", now)
    assert python == orm == _sql_ids(AssessmentRound._meta.db_table, sql, params, now)
    assert python == {r.pk for r in AssessmentRound.objects.all() if r.is_published(now)}
    expected_years = {2002} | ({2003} if now >= T else set())
    assert {r.year for r in AssessmentRound.objects.filter(pk__in=python)} == expected_years


@pytest.mark.parametrize("now", MOMENTS, ids=["before", "at", "after"])
def test_the_revision_predicate_agrees_in_python_the_orm_and_sql(cases, now):
    ratings = Rating.objects.select_related("round")
    python = {r.pk for r in ratings if embargo.revision_is_public(r, now)}
    orm = set(Rating.objects.filter(embargo.public_revisions_q(now)).values_list("pk", flat=True))
    # SQL: the revision's own part, with its round's on the joined round.
    own, own_params = embargo.public_revision_sql("x", now)
    round_sql, round_params = embargo.public_round_sql("ar", now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT x.id FROM {Rating._meta.db_table} x "
            f"JOIN {AssessmentRound._meta.db_table} ar ON ar.id = x.round_id "
            f"WHERE {own} AND {round_sql}",
            [*own_params, *round_params],
        )
        sql = {row[0] for row in cursor.fetchall()}
    assert python == orm == sql == set(embargo.published_ratings(now).values_list("pk", flat=True))
    visible = {(r.round.year, r.revision) for r in ratings if r.pk in python}
    expected = {(2002, 1)} | ({(2002, 2), (2003, 1), (2003, 2)} if now >= T else set())
    expected |= {(2002, 3), (2003, 3)} if now >= AFTER else set()
    assert visible == expected


def test_timed_sql_is_the_same_test_for_revisions_with_a_time_of_their_own(cases):
    timed, params = embargo.public_revision_sql("x", T, timed=True)
    untimed, untimed_params = embargo.public_revision_sql("x", T)
    table = Rating._meta.db_table
    later = set(Rating.objects.filter(revision__gt=1).values_list("pk", flat=True))
    assert (
        _sql_ids(table, timed, params, T) & later
        == _sql_ids(table, untimed, untimed_params, T) & later
    )


def test_the_gate_answers_from_the_schedule_with_the_clock(cases, django_assert_num_queries):
    embargo.published_rounds(BEFORE)  # reads the schedule once
    with django_assert_num_queries(0):
        assert [r.year for r in embargo.published_rounds(BEFORE)] == [2002]
        assert [r.year for r in embargo.published_rounds(T)] == [2002, 2003]
        assert embargo.published_round(2003, BEFORE) is None
        assert embargo.published_round(2003, T).year == 2003
        assert embargo.latest_published_round(AFTER).year == 2003
        assert embargo.watermark(BEFORE) == dt.datetime(2002, 11, 18, tzinfo=dt.UTC)
        assert embargo.watermark(T) == T
        assert embargo.watermark(AFTER) == AFTER
        round_2003 = embargo.published_round(2003, AFTER)
        assert embargo.last_published_at(round_2003, T) == T
        assert embargo.last_published_at(round_2003, AFTER) == AFTER


def test_a_change_to_the_data_is_seen_by_the_gate_at_once(cases):
    assert [r.year for r in embargo.published_rounds(T)] == [2002, 2003]
    round_2004 = AssessmentRound.objects.get(year=2004)
    round_2004.publication_at = BEFORE
    round_2004.save()
    assert [r.year for r in embargo.published_rounds(T)] == [2002, 2003, 2004]


def test_becomes_public_at_and_published_at(cases):
    scheduled = AssessmentRound.objects.get(year=2004)
    with time_machine.travel(T, tick=False):
        assert embargo.becomes_public_at(scheduled) == scheduled.publication_at
        assert embargo.becomes_public_at(AssessmentRound.objects.get(year=2002)) is None
        assert embargo.becomes_public_at(AssessmentRound.objects.get(year=2005)) is None
    first = Rating.objects.get(round=scheduled, revision=1)
    second = Rating.objects.get(round=scheduled, revision=2)
    assert embargo.published_at(first) == scheduled.publication_at
    assert embargo.published_at(second) == T
    assert embargo.revision_is_pending(Rating.objects.get(round=scheduled, revision=3), T)
    assert not embargo.revision_is_pending(second, T)
