"""`ratings.services`: caps, special measures and storing ratings as the rules give them."""

import datetime as dt

import pytest
from django.utils import timezone

from ratings import rules, services
from ratings.models import Polarity, Rating, RatingStatus

from .factories import (
    AssessmentRoundFactory,
    CouncilFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    KeyIndicatorCapFactory,
    RatingFactory,
)

pytestmark = pytest.mark.django_db

GOOD = rules.Judgements("most", "promising", "most", "promising")
BEST = rules.Judgements("yes", "excellent", "yes", "excellent")


@pytest.fixture
def round():
    return AssessmentRoundFactory(year=2004, draft=True)


@pytest.fixture
def council():
    return CouncilFactory(name="Kingston upon Hull")


# --- caps ----------------------------------------------------------------------------------


def test_a_value_below_a_higher_is_better_threshold_caps(round, council):
    cap = KeyIndicatorCapFactory(
        indicator=IndicatorFactory(code="C20"), service="children", maximum="some", threshold=50
    )
    IndicatorValueFactory(round=round, council=council, indicator=cap.indicator, value=49.5)
    assert services.caps_for(round, council) == [
        rules.KeyIndicatorCap("C20", "children", "some", "below its threshold")
    ]


def test_a_value_above_a_lower_is_better_threshold_caps(round, council):
    indicator = IndicatorFactory(code="A6", polarity=Polarity.LOWER_IS_BETTER)
    KeyIndicatorCapFactory(indicator=indicator, service="adults", maximum="most", threshold=10)
    IndicatorValueFactory(round=round, council=council, indicator=indicator, value=12)
    assert services.caps_for(round, council) == [
        rules.KeyIndicatorCap("A6", "adults", "most", "above its threshold")
    ]


@pytest.mark.parametrize(
    ("value", "exempt"),
    [(50, False), (80, False), (None, False), (10, True)],
)
def test_no_cap_for_a_pass_a_missing_value_or_an_exemption(round, council, value, exempt):
    cap = KeyIndicatorCapFactory(threshold=50)
    IndicatorValueFactory(
        round=round, council=council, indicator=cap.indicator, value=value, exempt=exempt
    )
    assert services.caps_for(round, council) == []


def test_a_value_of_zero_is_a_value(round, council):
    cap = KeyIndicatorCapFactory(threshold=50)
    IndicatorValueFactory(round=round, council=council, indicator=cap.indicator, value=0)
    assert len(services.caps_for(round, council)) == 1


def test_only_caps_of_the_rounds_methodology_and_values_of_the_round_count(round, council):
    other_version = KeyIndicatorCapFactory(methodology_version="2003", threshold=50)
    IndicatorValueFactory(round=round, council=council, indicator=other_version.indicator, value=1)
    cap = KeyIndicatorCapFactory(threshold=50)
    IndicatorValueFactory(
        round=AssessmentRoundFactory(year=2003),
        council=council,
        indicator=cap.indicator,
        value=1,
    )
    assert services.caps_for(round, council) == []


def test_caps_for_a_round_in_two_queries(round, django_assert_num_queries):
    caps = [KeyIndicatorCapFactory(threshold=50, service=s) for s in ("adults", "children")]
    councils = [CouncilFactory() for _ in range(6)]
    for council in councils:
        for cap in caps:
            IndicatorValueFactory(round=round, council=council, indicator=cap.indicator, value=1)
    with django_assert_num_queries(2):
        by_council = services.caps_for_round(round)
    assert set(by_council) == {c.pk for c in councils}
    # Adults' caps come first, whatever the indicator codes.
    assert [cap.service for cap in by_council[councils[0].pk]] == ["adults", "children"]
    assert services.caps_for_round(round, councils[:2]).keys() == {
        councils[0].pk,
        councils[1].pk,
    }


def test_caps_for_an_unsaved_round_are_none(council):
    new_round, created = services.round_for_year(2005)
    assert created and new_round.pk is None
    assert services.caps_for_round(new_round) == {}


def test_cap_breaches():
    cap = rules.KeyIndicatorCap("C20", "children", "some")
    assert services.cap_breaches(GOOD, [cap]) == [(cap, "most")]
    assert services.cap_breaches(GOOD.with_serving("children", "some"), [cap]) == []


def test_propose_refuses_a_judgement_above_a_cap(round):
    cap = rules.KeyIndicatorCap("C20", "children", "some")
    with pytest.raises(services.CapExceeded) as raised:
        services.propose(round, GOOD, caps=[cap])
    assert str(raised.value) == (
        "'most' is above the cap 'some' set by key indicator C20 (below its threshold)"
    )


# --- proposals and special measures --------------------------------------------------------


def test_propose_gives_the_rules_answer(round):
    proposal = services.propose(round, GOOD)
    rating = rules.rate(GOOD, methodology="2004")
    assert (proposal.stars, proposal.reasons) == (rating.stars, rating.reasons)
    assert proposal.status == RatingStatus.RATED
    assert proposal.on_special_measures is False


@pytest.mark.parametrize(
    ("judgements", "was_on", "explicit", "expected"),
    [
        (rules.Judgements("no", "poor", "yes", "excellent"), False, None, True),  # 0 stars: on
        (rules.Judgements("most", "promising", "some", "uncertain"), True, None, False),  # 1: off
        (None, True, None, True),  # not rated keeps the previous state
        (None, False, None, False),
        (GOOD, False, True, True),  # an explicit value wins
        (rules.Judgements("no", "poor", "no", "poor"), True, False, False),
    ],
)
def test_special_measures(round, judgements, was_on, explicit, expected):
    proposal = services.propose(round, judgements, was_on=was_on, on_special_measures=explicit)
    assert proposal.on_special_measures is expected


def test_special_measures_before_is_the_latest_earlier_rating(council):
    r2002 = AssessmentRoundFactory(year=2002)
    r2003 = AssessmentRoundFactory(year=2003)
    r2004 = AssessmentRoundFactory(year=2004)
    other = CouncilFactory()
    RatingFactory(round=r2002, council=council, adults_serving="no")
    RatingFactory(round=r2002, council=other, adults_serving="no")
    RatingFactory(round=r2003, council=council)
    RatingFactory(
        round=r2003,
        council=council,
        revision=2,
        adults_serving="no",
        published_at=r2003.publication_at,
    )
    RatingFactory(round=r2004, council=council)  # the round itself does not count
    assert services.special_measures_before(r2004) == {council.pk: True, other.pk: True}
    assert services.special_measures_before(r2003) == {council.pk: True, other.pk: True}
    assert services.special_measures_before(r2002) == {}
    assert services.special_measures_before(r2004, [other]) == {other.pk: True}


# --- rounds --------------------------------------------------------------------------------


def test_round_for_year_makes_an_unsaved_draft():
    round, created = services.round_for_year(2003)
    assert created
    assert (round.pk, round.title, round.methodology_version, round.status) == (
        None,
        "Social services star ratings 2003",
        "2003",
        "draft",
    )


def test_round_for_year_finds_an_existing_round(round):
    assert services.round_for_year(2004) == (round, False)
    assert services.round_for_year(2004, methodology="2004") == (round, False)


@pytest.mark.parametrize(
    ("year", "methodology", "message"),
    [
        (2006, None, "there is no 2006 methodology; name one with --methodology: 2002, 2003"),
        (2003, "1999", "methodology '1999' is not known; use one of 2002, 2003, 2004, 2005"),
        (1999, None, "year 1999 is out of range"),
    ],
)
def test_round_for_year_errors(year, methodology, message):
    with pytest.raises(services.RoundError, match=message):
        services.round_for_year(year, methodology=methodology)


def test_schedule_round(round):
    when = timezone.now() + dt.timedelta(days=1)
    assert services.schedule_round(round, when)
    assert (round.status, round.publication_at) == ("scheduled", when)
    assert not services.schedule_round(round, when)


def test_a_published_round_cannot_be_rescheduled():
    with pytest.raises(services.RoundError, match="already published"):
        services.schedule_round(AssessmentRoundFactory(year=2003), timezone.now())


def test_default_revision_note_is_the_london_date():
    # 23:30 UTC on 20 June is already 21 June in London (summer time).
    assert services.default_revision_note(dt.datetime(2003, 6, 20, 23, 30, tzinfo=dt.UTC)) == (
        "Revised 21 June 2003"
    )


# --- record_rating -------------------------------------------------------------------------


def test_record_rating_creates_then_updates_an_unpublished_round_in_place(round, council):
    rating, action = services.record_rating(round=round, council=council, judgements=GOOD)
    assert (action, rating.revision, rating.stars) == (services.Action.CREATED, 1, 2)
    assert rating.rules_judgements() == GOOD

    again, action = services.record_rating(round=round, council=council, judgements=GOOD)
    assert (action, again.pk) == (services.Action.UNCHANGED, rating.pk)

    updated, action = services.record_rating(round=round, council=council, judgements=BEST)
    assert (action, updated.pk, updated.revision, updated.stars) == (
        services.Action.REVISED,
        rating.pk,
        1,
        3,
    )
    assert Rating.objects.get().rules_judgements() == BEST


def test_record_rating_in_a_published_round_adds_a_revision(council):
    round = AssessmentRoundFactory(year=2003)
    first = RatingFactory(round=round, council=council)
    when = dt.datetime(2003, 12, 1, tzinfo=dt.UTC)
    rating, action = services.record_rating(
        round=round, council=council, judgements=BEST, published_at=when, note="Corrected"
    )
    assert action == services.Action.REVISED
    assert (rating.revision, rating.stars, rating.published_at, rating.note) == (
        2,
        3,
        when,
        "Corrected",
    )
    first.refresh_from_db()
    assert (first.revision, first.stars, first.published_at) == (1, 2, None)


def test_record_rating_not_rated(round, council):
    rating, _ = services.record_rating(round=round, council=council, judgements=None)
    assert (rating.status, rating.stars, rating.judgements.count()) == ("not_rated", None, 0)


def test_record_rating_refuses_a_judgement_above_a_cap(round, council):
    cap = KeyIndicatorCapFactory(indicator=IndicatorFactory(code="C20"), threshold=50)
    IndicatorValueFactory(round=round, council=council, indicator=cap.indicator, value=10)
    with pytest.raises(services.CapExceeded, match="set by key indicator C20"):
        services.record_rating(round=round, council=council, judgements=GOOD)
    assert not Rating.objects.exists()


def test_plan_change_in_a_published_round_ignores_reasons_alone(round, council):
    rating = RatingFactory(round=round, council=council, reasons=["Old wording."])
    proposal = services.propose(round, GOOD)
    unpublished = services.plan_change(round, council, proposal, rating, published=False)
    published = services.plan_change(round, council, proposal, rating, published=True)
    assert unpublished.action == services.Action.REVISED and unpublished.in_place
    assert published.action == services.Action.UNCHANGED
