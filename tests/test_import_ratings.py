"""`import_ratings`: one round's judgements from a CSV file, all or nothing."""

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ratings import imports, rules, vocabulary
from ratings.models import AssessmentRound, Rating, RatingStatus, RoundStatus, ServiceJudgement

from .factories import (
    AssessmentRoundFactory,
    CouncilFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    KeyIndicatorCapFactory,
    RatingFactory,
)

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[1]
HEADER = "council,adults_serving,adults_prospects,children_serving,children_prospects"
FULL_HEADER = HEADER + ",stars,special_measures"


def csv_of(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def run(text, *, year=2004, **options):
    return imports.import_ratings(io.StringIO(text), year=year, **options)


def failure(text, **options):
    with pytest.raises(imports.ImportFailed) as raised:
        run(text, **options)
    return [str(error) for error in raised.value.errors]


def counts():
    return (
        AssessmentRound.objects.count(),
        Rating.objects.count(),
        ServiceJudgement.objects.count(),
    )


def latest(council, year=2004):
    return Rating.objects.filter(council=council, round__year=year).order_by("revision").last()


def expected_stars(*judgements, methodology="2004"):
    return rules.rate(rules.Judgements(*judgements), methodology=methodology).stars


@pytest.fixture
def councils():
    return {
        "st_helens": CouncilFactory(name="St Helens", slug="st-helens"),
        "hull": CouncilFactory(
            name="Kingston upon Hull", slug="kingston-upon-hull", alternative_names=["Hull"]
        ),
        "barnet": CouncilFactory(name="Barnet", slug="barnet"),
        "cumbria": CouncilFactory(name="Cumbria", slug="cumbria"),
    }


GOOD_FILE = csv_of(
    "St Helens,most,promising,most,promising",
    "Hull,most,promising,some,uncertain",
    "Barnet,no,poor,yes,excellent",
)


# --- a good file -------------------------------------------------------------------------


def test_creates_the_round_and_a_rating_per_row(councils):
    result = run(GOOD_FILE)

    assert (result.created, result.revised, result.unchanged) == (3, 0, 0)
    assert result.summary() == "3 created, 0 revised, 0 unchanged"
    round = AssessmentRound.objects.get(year=2004)
    assert round.title == "Social services star ratings 2004"
    assert round.methodology_version == "2004"
    assert round.status == RoundStatus.DRAFT
    assert round.publication_at is None
    assert result.round_created

    st_helens = latest(councils["st_helens"])
    assert st_helens.revision == 1
    assert st_helens.status == RatingStatus.RATED
    assert st_helens.stars == 2
    assert st_helens.rules_judgements() == rules.Judgements(
        "most", "promising", "most", "promising"
    )
    assert st_helens.reasons == list(
        rules.rate(st_helens.rules_judgements(), methodology="2004").reasons
    )
    assert st_helens.published_at is None
    assert latest(councils["hull"]).stars == 1
    assert latest(councils["barnet"]).stars == 0
    assert not Rating.objects.filter(council=councils["cumbria"]).exists()
    assert ServiceJudgement.objects.count() == 6


def test_publish_at_schedules_a_new_round(councils):
    when = dt.datetime(2004, 11, 19, tzinfo=dt.UTC)
    result = run(GOOD_FILE, publish_at=when)
    round = AssessmentRound.objects.get(year=2004)
    assert round.status == RoundStatus.SCHEDULED
    assert round.publication_at == when
    assert any("scheduled" in note for note in result.notes)
    # Revision 1 follows the round.
    assert set(Rating.objects.values_list("published_at", flat=True)) == {None}


def test_reimporting_the_same_file_changes_nothing(councils):
    run(GOOD_FILE)
    before = list(Rating.objects.values().order_by("pk"))
    result = run(GOOD_FILE)
    assert result.summary() == "0 created, 0 revised, 3 unchanged"
    assert list(Rating.objects.values().order_by("pk")) == before


def test_the_published_wording_and_any_case_are_accepted(councils):
    run(
        csv_of(
            "st. helens,Yes,PROMISING,all,Excellent",
            "HULL,serving all people well,excellent,Serving Most People Well,promising",
            "barnet,none,poor,not serving people well,Uncertain",
            "Cumbria,some,promising,serving some people well,promising",
        )
    )
    assert latest(councils["st_helens"]).rules_judgements() == rules.Judgements(
        "yes", "promising", "yes", "excellent"
    )
    assert latest(councils["hull"]).rules_judgements() == rules.Judgements(
        "yes", "excellent", "most", "promising"
    )
    assert latest(councils["barnet"]).rules_judgements() == rules.Judgements(
        "no", "poor", "no", "uncertain"
    )
    assert latest(councils["cumbria"]).rules_judgements().children_serving == "some"


@pytest.mark.parametrize(
    ("word", "level"),
    [
        ("yes", "yes"),
        ("Yes", "yes"),
        ("all", "yes"),
        ("serving all people well", "yes"),
        ("most", "most"),
        ("serving most people well", "most"),
        ("some", "some"),
        ("Serving Some People Well", "some"),
        ("no", "no"),
        ("none", "no"),
        ("not serving people well", "no"),
        ("serving no people well", "no"),
    ],
)
def test_serving_vocabulary(word, level):
    assert vocabulary.parse_serving(word) == level


@pytest.mark.parametrize("word", ["poor", "Uncertain", "PROMISING", " excellent "])
def test_prospects_vocabulary(word):
    assert vocabulary.parse_prospects(word) == word.strip().lower()


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("yes", True),
        ("TRUE", True),
        ("on", True),
        ("y", True),
        ("no", False),
        ("false", False),
        ("off", False),
        ("N", False),
        ("left", False),
        ("", None),
    ],
)
def test_special_measures_vocabulary(word, value):
    assert vocabulary.parse_special_measures(word) is value


@pytest.mark.parametrize("stars", ["9" * 400, "1" + "0" * 309, "9" * 400 + ".0", "-1", "-3"])
def test_a_star_rating_too_long_or_negative_is_an_error(councils, stars):
    # float("9" * 400) is infinity, and int() of it raised OverflowError; "-1" was read as 1.
    text = csv_of(f"St Helens,most,promising,most,promising,{stars},", header=FULL_HEADER)
    (error,) = failure(text)
    assert error.startswith("line 2, column stars: ")
    assert error.endswith("is not a star rating; use 0, 1, 2, 3 or 'not rated'")


def test_columns_may_come_in_any_order_with_any_case_and_a_byte_order_mark(councils):
    text = "\ufeffChildren_Prospects, Council ,adults serving,Adults_Prospects,children-serving\n"
    text += "promising,St Helens,most,promising,most\n"
    run(text)
    assert latest(councils["st_helens"]).stars == 2


def test_blank_lines_are_skipped_and_line_numbers_still_count_them(councils):
    text = HEADER + "\n\nSt Helens,most,promising,most,promising\n,,,,\nAtlantis,no,poor,no,poor\n"
    assert failure(text) == ["line 5, column council: 'Atlantis' is not a council"]


def test_unknown_columns_are_ignored_with_a_warning(councils):
    result = run(csv_of("St Helens,most,promising,most,promising,x", header=HEADER + ",comment"))
    assert result.created == 1
    assert result.warnings == [
        "column 'comment' is not used (the columns are council, adults_serving, "
        "adults_prospects, children_serving, children_prospects, stars, special_measures, "
        "published_outcome, published_outcome_note)"
    ]


# --- bad rows: every error, by line and column, and nothing written -----------------------


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            "Atlantis,most,promising,most,promising",
            "line 3, column council: 'Atlantis' is not a council",
        ),
        (
            "St Helen,most,promising,most,promising",
            "line 3, column council: 'St Helen' is not a council; did you mean 'St Helens'?",
        ),
        (
            ",most,promising,most,promising",
            "line 3, column council: missing; give the council's name",
        ),
        (
            "Barnet,most,promising,mostly,promising",
            "line 3, column children_serving: 'mostly' is not a judgement; use one of no, "
            "some, most, yes",
        ),
        (
            "Barnet,most,good,most,promising",
            "line 3, column adults_prospects: 'good' is not a judgement of prospects; use one "
            "of poor, uncertain, promising, excellent",
        ),
        (
            "Barnet,most,promising,,promising",
            "line 3, column children_serving: missing; use one of no, some, most, yes (or "
            "write 'not rated' in the stars column)",
        ),
        (
            "Barnet,most,promising,most",
            "line 3, column children_prospects: missing; use one of poor, uncertain, "
            "promising, excellent (or write 'not rated' in the stars column)",
        ),
        (
            "st-helens,most,promising,most,promising",
            "line 3, column council: St Helens is already on line 2",
        ),
        (
            "Barnet,most,promising,most,promising,extra,cells",
            "line 3: 7 cells, but the header names 5 columns",
        ),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(councils, row, error):
    before = counts()
    assert failure(csv_of("St Helens,most,promising,most,promising", row)) == [error]
    assert counts() == before


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            "Barnet,most,promising,most,promising,3,",
            "line 2, column stars: the file says 3 but the judgements give 2 under the 2004 "
            "methodology",
        ),
        (
            "Barnet,most,promising,most,promising,four,",
            "line 2, column stars: 'four' is not a star rating; use 0, 1, 2, 3 or 'not rated'",
        ),
        (
            "Barnet,most,promising,most,promising,2,maybe",
            "line 2, column special_measures: 'maybe' is not a special measures value; use "
            "yes or no (or leave it empty to follow from the stars)",
        ),
        (
            "Barnet,most,,,,not rated,",
            "line 2, column adults_serving: 'most': a council that is not rated has no "
            "judgements; leave it empty",
        ),
    ],
)
def test_bad_stars_and_special_measures(councils, row, error):
    before = counts()
    assert failure(csv_of(row, header=FULL_HEADER)) == [error]
    assert counts() == before


def test_missing_columns_are_each_reported_on_line_1(councils):
    before = counts()
    errors = failure("council,adults_serving,adults_prospects\nBarnet,most,promising\n")
    assert errors == [
        "line 1, column children_serving: missing column (the columns are council, "
        "adults_serving, adults_prospects, children_serving, children_prospects, stars, "
        "special_measures, published_outcome, published_outcome_note)",
        "line 1, column children_prospects: missing column (the columns are council, "
        "adults_serving, adults_prospects, children_serving, children_prospects, stars, "
        "special_measures, published_outcome, published_outcome_note)",
    ]
    assert counts() == before


def test_a_repeated_column_is_an_error(councils):
    assert failure(
        csv_of("Barnet,most,promising,most,promising,no", header=HEADER + ",council")
    ) == ["line 1, column council: the column appears more than once"]


def test_every_error_in_the_file_is_listed_in_line_order(councils):
    before = counts()
    errors = failure(
        csv_of(
            "St Helens,most,promising,most,promising",
            "Atlantis,most,promising,mostly,promising",
            "Hull,most,promising,most,promising",
            "Barnet,most,promising,most,great",
            "hull,some,poor,some,poor",
        )
    )
    assert errors == [
        "line 3, column council: 'Atlantis' is not a council",
        "line 3, column children_serving: 'mostly' is not a judgement; use one of no, some, "
        "most, yes",
        "line 5, column children_prospects: 'great' is not a judgement of prospects; use one "
        "of poor, uncertain, promising, excellent",
        "line 6, column council: Kingston upon Hull is already on line 4",
    ]
    assert counts() == before


def test_a_judgement_above_a_key_indicator_cap_is_an_error(councils):
    round = AssessmentRoundFactory(year=2004, draft=True)
    cap = KeyIndicatorCapFactory(
        indicator=IndicatorFactory(code="C20"),
        methodology_version="2004",
        service="children",
        maximum="some",
        threshold=50,
    )
    IndicatorValueFactory(round=round, council=councils["hull"], indicator=cap.indicator, value=40)
    before = counts()
    assert failure(
        csv_of(
            "St Helens,most,promising,most,promising",
            "Hull,most,promising,most,promising",
        )
    ) == [
        "line 3, column children_serving: 'most' is above the cap 'some' set by key "
        "indicator C20 (below its threshold)"
    ]
    assert counts() == before


def test_a_judgement_within_a_cap_is_rated_with_the_cap_in_the_reasons(councils):
    round = AssessmentRoundFactory(year=2004, draft=True)
    cap = KeyIndicatorCapFactory(
        indicator=IndicatorFactory(code="C20"), service="children", maximum="some"
    )
    IndicatorValueFactory(round=round, council=councils["hull"], indicator=cap.indicator, value=40)
    run(csv_of("Hull,most,promising,some,promising"))
    rating = latest(councils["hull"])
    assert rating.stars == expected_stars("most", "promising", "some", "promising")
    assert rating.reasons[0].startswith("Indicator C20 is below its threshold")


def test_a_council_whose_value_passes_or_is_exempt_is_not_capped(councils):
    round = AssessmentRoundFactory(year=2004, draft=True)
    cap = KeyIndicatorCapFactory(indicator=IndicatorFactory(code="C20"), threshold=50)
    IndicatorValueFactory(round=round, council=councils["hull"], indicator=cap.indicator, value=60)
    IndicatorValueFactory(
        round=round, council=councils["barnet"], indicator=cap.indicator, value=10, exempt=True
    )
    result = run(csv_of("Hull,yes,excellent,yes,excellent", "Barnet,yes,excellent,yes,excellent"))
    assert result.created == 2
    assert latest(councils["barnet"]).stars == 3


def test_nothing_is_written_when_the_round_would_be_new(councils):
    assert failure(csv_of("Atlantis,most,promising,most,promising"))
    assert not AssessmentRound.objects.exists()


# --- not rated, stars and special measures ------------------------------------------------


def test_a_not_rated_row_stores_no_stars_and_no_judgements(councils):
    result = run(
        csv_of(
            "St Helens,,,,,not rated,",
            "Hull,most,promising,most,promising,2,",
            header=FULL_HEADER,
        )
    )
    assert result.created == 2
    rating = latest(councils["st_helens"])
    assert rating.status == RatingStatus.NOT_RATED
    assert rating.stars is None
    assert rating.reasons == []
    assert not rating.judgements.exists()
    assert rating.on_special_measures is False


def test_matching_stars_are_accepted(councils):
    result = run(
        csv_of(
            "Barnet,no,poor,yes,excellent,0,",
            "Hull,most,promising,some,uncertain,1 star,",
            header=FULL_HEADER,
        )
    )
    assert result.created == 2


def test_zero_stars_puts_a_council_on_special_measures(councils):
    run(csv_of("Barnet,no,poor,yes,excellent", "Hull,most,promising,most,promising"))
    assert latest(councils["barnet"]).on_special_measures is True
    assert latest(councils["hull"]).on_special_measures is False


def test_one_star_takes_a_council_off_special_measures_from_the_previous_round(councils):
    RatingFactory(
        round=AssessmentRoundFactory(year=2003),
        council=councils["hull"],
        adults_serving="no",
        adults_prospects="poor",
    )
    assert latest(councils["hull"], 2003).on_special_measures is True
    run(csv_of("Hull,most,promising,some,uncertain"))
    rating = latest(councils["hull"])
    assert rating.stars == 1
    assert rating.on_special_measures is False


def test_not_rated_keeps_the_previous_rounds_special_measures(councils):
    previous = AssessmentRoundFactory(year=2003)
    RatingFactory(
        round=previous, council=councils["hull"], adults_serving="no", adults_prospects="poor"
    )
    RatingFactory(round=previous, council=councils["barnet"])
    run(csv_of("Hull,,,,,not rated,", "Barnet,,,,,not rated,", header=FULL_HEADER))
    assert latest(councils["hull"]).on_special_measures is True
    assert latest(councils["barnet"]).on_special_measures is False


def test_not_rated_follows_the_latest_revision_of_the_previous_round(councils):
    previous = AssessmentRoundFactory(year=2003)
    RatingFactory(round=previous, council=councils["hull"])
    RatingFactory(
        round=previous,
        council=councils["hull"],
        revision=2,
        published_at=previous.publication_at,
        on_special_measures=True,
    )
    run(csv_of("Hull,,,,,not rated,", header=FULL_HEADER))
    assert latest(councils["hull"]).on_special_measures is True


def test_an_explicit_special_measures_value_wins(councils):
    run(
        csv_of(
            "Hull,most,promising,most,promising,,yes",
            "Barnet,no,poor,yes,excellent,,left",
            "St Helens,most,promising,most,promising,,",
            header=FULL_HEADER,
        )
    )
    assert latest(councils["hull"]).on_special_measures is True
    assert latest(councils["barnet"]).on_special_measures is False
    assert latest(councils["st_helens"]).on_special_measures is False


# --- rounds not yet published: revision 1 in place ----------------------------------------


def test_an_unpublished_round_is_updated_in_place(councils):
    round = AssessmentRoundFactory(year=2004, draft=True)
    rating = RatingFactory(round=round, council=councils["hull"])
    RatingFactory(round=round, council=councils["barnet"])

    result = run(csv_of("Hull,no,poor,most,promising"))

    assert result.summary() == "0 created, 1 revised, 0 unchanged"
    assert Rating.objects.filter(council=councils["hull"]).count() == 1
    rating.refresh_from_db()
    assert rating.revision == 1
    assert rating.stars == 0
    assert rating.on_special_measures is True
    assert rating.rules_judgements().adults_serving == "no"
    assert rating.judgements.count() == 2
    assert latest(councils["barnet"]).stars == 2  # not in the file: left alone


def test_a_rated_council_can_become_not_rated_before_publication(councils):
    round = AssessmentRoundFactory(year=2004, draft=True)
    rating = RatingFactory(round=round, council=councils["hull"])
    run(csv_of("Hull,,,,,not rated,", header=FULL_HEADER))
    rating.refresh_from_db()
    assert (rating.status, rating.stars, rating.judgements.count()) == ("not_rated", None, 0)


def test_publish_at_schedules_an_existing_unpublished_round(councils):
    AssessmentRoundFactory(year=2004, draft=True)
    when = timezone.now() + dt.timedelta(days=3)
    run(GOOD_FILE, publish_at=when)
    round = AssessmentRound.objects.get(year=2004)
    assert (round.status, round.publication_at) == (RoundStatus.SCHEDULED, when)


def test_a_round_scheduled_for_later_is_not_changed_by_a_later_import(councils):
    # Issue 10: what is scheduled stays as scheduled; cancel or reschedule it first.
    round = AssessmentRoundFactory(year=2004, embargoed=True)
    RatingFactory(round=round, council=councils["hull"])
    before = list(Rating.objects.values_list("revision", "stars"))
    with pytest.raises(imports.ImportFailed) as failed:
        run(csv_of("Hull,yes,excellent,yes,excellent"))
    (error,) = failed.value.errors
    assert "the 2004 round is scheduled for publication at" in str(error)
    assert "lines 2 would change them" in str(error)
    assert list(Rating.objects.values_list("revision", "stars")) == before
    # The same ratings again change nothing, and are not refused.
    assert run(csv_of("Hull,most,promising,most,promising")).summary() == (
        "0 created, 0 revised, 1 unchanged"
    )


# --- published rounds: new revisions -------------------------------------------------------


@pytest.fixture
def published_2002(councils):
    round = AssessmentRoundFactory(
        year=2002, publication_at=dt.datetime(2002, 5, 29, tzinfo=dt.UTC)
    )
    return {
        "round": round,
        "hull": RatingFactory(round=round, council=councils["hull"], children_serving="some"),
        "barnet": RatingFactory(round=round, council=councils["barnet"]),
        "st_helens": RatingFactory(round=round, council=councils["st_helens"]),
    }


def test_a_refresh_of_a_published_round_adds_revision_2(councils, published_2002):
    hull_before = Rating.objects.filter(pk=published_2002["hull"].pk).values().get()
    when = dt.datetime(2002, 11, 21, tzinfo=dt.UTC)

    result = run(
        csv_of(
            "Hull,most,promising,most,promising",  # children's services improved
            "Barnet,most,promising,most,promising",  # the same as before
        ),
        year=2002,
        publish_at=when,
        note="Revised 21 November 2002: refreshed after the November review.",
    )

    assert result.summary() == "0 created, 1 revised, 1 unchanged"
    revision_2 = latest(councils["hull"], 2002)
    assert revision_2.revision == 2
    assert revision_2.stars == 2
    assert revision_2.published_at == when
    assert revision_2.note == "Revised 21 November 2002: refreshed after the November review."
    assert revision_2.judgements.count() == 2
    # The published revision is never changed, and the round keeps its publication time.
    assert Rating.objects.filter(pk=published_2002["hull"].pk).values().get() == hull_before
    round = AssessmentRound.objects.get(year=2002)
    assert round.publication_at == dt.datetime(2002, 5, 29, tzinfo=dt.UTC)
    # Unchanged and absent councils get no new revision.
    assert Rating.objects.filter(council=councils["barnet"]).count() == 1
    assert Rating.objects.filter(council=councils["st_helens"]).count() == 1


def test_a_refresh_without_a_note_or_time_says_when_it_was_revised(
    councils, published_2002, settings
):
    before = timezone.now()
    run(csv_of("Hull,yes,excellent,yes,excellent"), year=2002)
    revision_2 = latest(councils["hull"], 2002)
    assert revision_2.published_at >= before
    today = timezone.localtime(revision_2.published_at)
    assert revision_2.note == f"Revised {today.day} {today:%B %Y}"


def test_the_default_note_uses_the_publication_date(councils, published_2002):
    when = dt.datetime(2002, 11, 21, 9, tzinfo=dt.UTC)
    run(csv_of("Hull,yes,excellent,yes,excellent"), year=2002, publish_at=when)
    assert latest(councils["hull"], 2002).note == "Revised 21 November 2002"


def test_reimporting_a_refresh_changes_nothing(councils, published_2002):
    text = csv_of("Hull,yes,excellent,yes,excellent")
    when = dt.datetime(2002, 11, 21, tzinfo=dt.UTC)
    run(text, year=2002, publish_at=when)
    result = run(text, year=2002, publish_at=when)
    assert result.summary() == "0 created, 0 revised, 1 unchanged"
    assert Rating.objects.filter(council=councils["hull"]).count() == 2


def test_a_second_refresh_adds_revision_3(councils, published_2002):
    run(
        csv_of("Hull,yes,excellent,yes,excellent"),
        year=2002,
        publish_at=dt.datetime(2002, 11, 21, tzinfo=dt.UTC),
    )
    run(
        csv_of("Hull,some,promising,some,promising"),
        year=2002,
        publish_at=dt.datetime(2003, 2, 1, tzinfo=dt.UTC),
    )
    assert list(
        Rating.objects.filter(council=councils["hull"]).values_list("revision", "stars")
    ) == [(1, 2), (2, 3), (3, 1)]


@pytest.mark.parametrize("second_time", ["now", None])
def test_a_scheduled_correction_is_not_changed_by_a_later_import(
    councils, published_2002, second_time
):
    # Issue 10, failure 1: a later import moved the scheduled revision's note and time.
    later = dt.datetime(2031, 1, 1, 9, tzinfo=dt.UTC)
    run(csv_of("Hull,yes,excellent,yes,excellent"), year=2002, publish_at=later, note="First")
    with pytest.raises(imports.ImportFailed) as failed:
        run(
            csv_of("Hull,most,excellent,most,excellent"),
            year=2002,
            publish_at=timezone.now() if second_time == "now" else None,
        )
    assert [str(e) for e in failed.value.errors] == [
        "line 2, column council: Kingston upon Hull's revision 2 is scheduled for publication "
        "at 09:00 on 1 January 2031 and cannot change before then; reschedule or cancel it "
        "first (the publication page of the round in the workspace)"
    ]
    revisions = Rating.objects.filter(council=councils["hull"]).order_by("revision")
    assert [(r.revision, r.stars) for r in revisions] == [(1, 2), (2, 3)]
    assert (revisions[1].published_at, revisions[1].note) == (later, "First")
    assert revisions[1].rules_judgements().adults_serving == "yes"


def test_the_import_says_truthfully_when_its_revisions_become_public(councils, published_2002):
    later = timezone.now() + dt.timedelta(days=2)
    scheduled = run(csv_of("Hull,yes,excellent,yes,excellent"), year=2002, publish_at=later)
    assert "scheduled for publication at" in scheduled.notes[-1]
    assert "none of them is public before then" in scheduled.notes[-1]
    at_once = run(csv_of("Barnet,yes,excellent,yes,excellent"), year=2002)
    assert at_once.notes[-1].startswith("Round 2002 is already published")
    assert "published at" in at_once.notes[-1]
    barnet = latest(councils["barnet"], 2002)
    assert barnet.published_at <= timezone.now()


def test_a_round_scheduled_in_the_past_is_reported_public_at_once(councils):
    result = run(GOOD_FILE, publish_at=dt.datetime(2004, 11, 19, tzinfo=dt.UTC))
    assert any(n.endswith("which has passed: it is public at once.") for n in result.notes)
    future = run(GOOD_FILE, year=2005, publish_at=timezone.now() + dt.timedelta(days=1))
    (note,) = [n for n in future.notes if "scheduled for publication" in n]
    assert note.startswith("Round 2005 was scheduled for publication at")
    assert note.endswith(".") and "passed" not in note


def test_a_change_in_special_measures_alone_is_a_new_revision(councils, published_2002):
    result = run(
        csv_of("Barnet,most,promising,most,promising,2,yes", header=FULL_HEADER), year=2002
    )
    assert result.revised == 1
    assert latest(councils["barnet"], 2002).on_special_measures is True


def test_a_council_added_to_a_published_round_waits_for_its_publication_time(
    councils, published_2002
):
    when = dt.datetime(2002, 11, 21, tzinfo=dt.UTC)
    result = run(csv_of("Cumbria,most,promising,most,promising"), year=2002, publish_at=when)
    assert result.created == 1
    rating = latest(councils["cumbria"], 2002)
    assert (rating.revision, rating.published_at) == (1, when)


# --- dry run, methodology, queries, progress -----------------------------------------------


def test_dry_run_writes_nothing_and_says_what_would_change(councils, published_2002):
    before = counts()
    result = run(
        csv_of("Hull,yes,excellent,yes,excellent", "Cumbria,most,promising,most,promising"),
        year=2002,
        dry_run=True,
    )
    assert counts() == before
    assert result.summary() == "1 created, 1 revised, 0 unchanged"
    assert result.changes == [
        "line 2: Kingston upon Hull: 2 stars -> 3 stars (new revision 2)",
        "line 3: Cumbria: 2 stars (new rating)",
    ]
    assert result.lines()[-1] == "Dry run, nothing written: 1 created, 1 revised, 0 unchanged"


def test_dry_run_of_a_new_round_creates_no_round(councils):
    result = run(GOOD_FILE, dry_run=True, publish_at=dt.datetime(2004, 11, 19, tzinfo=dt.UTC))
    assert not AssessmentRound.objects.exists()
    assert result.created == 3
    assert result.notes[0].startswith("Round 2004 (Social services star ratings 2004, 2004 ")
    assert "would be created" in result.notes[0]


def test_dry_run_still_reports_errors(councils):
    assert failure(csv_of("Atlantis,most,promising,most,promising"), dry_run=True)


def test_a_year_without_a_methodology_needs_one(councils):
    with pytest.raises(imports.UsageError, match="there is no 2006 methodology.*2002, 2003"):
        run(GOOD_FILE, year=2006)
    run(GOOD_FILE, year=2006, methodology="2005")
    assert AssessmentRound.objects.get(year=2006).methodology_version == "2005"


def test_an_unknown_methodology_is_refused(councils):
    with pytest.raises(imports.UsageError, match="methodology '1999' is not known"):
        run(GOOD_FILE, methodology="1999")


def test_a_methodology_that_is_not_the_rounds_is_refused(councils):
    AssessmentRoundFactory(year=2004, draft=True)
    with pytest.raises(imports.UsageError, match="uses the 2004 methodology, not 2003"):
        run(GOOD_FILE, methodology="2003")


def test_sample_marks_the_round(councils):
    run(GOOD_FILE, sample=True)
    assert AssessmentRound.objects.get(year=2004).is_sample


def test_the_number_of_queries_does_not_grow_with_the_rows():
    names = [CouncilFactory().name for _ in range(12)]

    def queries(rows):
        AssessmentRound.objects.all().delete()
        with CaptureQueriesContext(connection) as context:
            run(csv_of(*rows))
        return len(context.captured_queries)

    small = queries([f"{name},most,promising,some,uncertain" for name in names[:2]])
    large = queries([f"{name},most,promising,some,uncertain" for name in names])
    assert small == large


def test_progress_goes_to_standard_error_only_when_asked(councils, capsys):
    run(GOOD_FILE, progress=False)
    assert capsys.readouterr() == ("", "")
    run(GOOD_FILE, progress=True)
    assert "Checking" in capsys.readouterr().err


# --- the command ---------------------------------------------------------------------------


@pytest.fixture
def write(tmp_path):
    def write(text, name="ratings.csv", encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
        return str(path)

    return write


def test_command_imports_and_reports(call, councils, write):
    status, out, err = call(
        "import_ratings",
        write(GOOD_FILE),
        "--year",
        "2004",
        "--publish-at",
        "2004-11-19T00:00+00:00",
    )
    assert (status, err) == (0, "")
    assert "3 created, 0 revised, 0 unchanged" in out
    round = AssessmentRound.objects.get(year=2004)
    assert round.publication_at == dt.datetime(2004, 11, 19, tzinfo=dt.UTC)
    assert round.status == RoundStatus.SCHEDULED

    status, out, err = call("import_ratings", write(GOOD_FILE), "--year", "2004")
    assert (status, err) == (0, "")
    assert out.strip().endswith("0 created, 0 revised, 3 unchanged")


def test_command_refresh_with_note(call, councils, published_2002, write):
    status, out, _ = call(
        "import_ratings",
        write(csv_of("Hull,yes,excellent,yes,excellent")),
        "--year",
        "2002",
        "--publish-at",
        "2002-11-21",
        "--note",
        "Revised 21 November 2002: the November refresh.",
    )
    assert status == 0
    rating = latest(councils["hull"], 2002)
    assert rating.revision == 2
    assert rating.note == "Revised 21 November 2002: the November refresh."
    assert rating.published_at == dt.datetime(2002, 11, 21, tzinfo=dt.UTC)  # GMT in November


def test_command_failure_exits_1_listing_every_error_on_stderr(call, councils, write):
    before = counts()
    status, out, err = call(
        "import_ratings",
        write(csv_of("Atlantis,most,promising,most,promising", "Hull,most,promising,mostly,poor")),
        "--year",
        "2004",
    )
    assert status == 1
    assert out == ""
    assert err.splitlines() == [
        "Import failed: 2 errors; nothing was written.",
        "  line 2, column council: 'Atlantis' is not a council",
        "  line 3, column children_serving: 'mostly' is not a judgement; use one of no, some, "
        "most, yes",
    ]
    assert counts() == before


def test_command_dry_run(call, councils, write):
    status, out, _ = call("import_ratings", write(GOOD_FILE), "--year", "2004", "--dry-run")
    assert status == 0
    assert "Dry run, nothing written: 3 created, 0 revised, 0 unchanged" in out
    assert "line 2: St Helens: 2 stars (new rating)" in out
    assert counts() == (0, 0, 0)


def test_command_verbose_lists_the_changes(call, councils, write):
    _, out, _ = call("import_ratings", write(GOOD_FILE), "--year", "2004", "--verbosity", "2")
    assert "line 4: Barnet: 0 stars (new rating)" in out


def test_command_missing_file_is_a_command_error(call, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call("import_ratings", str(tmp_path / "nope.csv"), "--year", "2004")


def test_command_directory_is_a_command_error(call, tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        call("import_ratings", str(tmp_path), "--year", "2004")


@pytest.mark.parametrize("value", ["tomorrow", "2004-13-45", "2004-11-19T25:00"])
def test_command_bad_publish_at_is_a_command_error(call, councils, write, value):
    with pytest.raises(CommandError, match="--publish-at .* is not a date and time"):
        call("import_ratings", write(GOOD_FILE), "--year", "2004", "--publish-at", value)
    assert counts() == (0, 0, 0)


def test_command_unknown_methodology_is_a_command_error(call, councils, write):
    with pytest.raises(CommandError, match="no 2007 methodology.*2002, 2003, 2004, 2005"):
        call("import_ratings", write(GOOD_FILE), "--year", "2007")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty; its first line must name the columns"),
        ("\n\n", "the file is empty"),
        (HEADER + "\n", "line 2: the file has no rows"),
        ("St Helens,most,promising,most,promising\n", "line 1, column council: missing column"),
        (
            b"council,adults_serving,adults_prospects,children_serving,children_prospects\n"
            b"St Helens,most,promising,most,promising\nSt Helens\xe9,most\n",
            "line 3: the file is not UTF-8 text (byte 0xe9)",
        ),
        (HEADER + "\nSt Helens," + "x" * 200_000 + "\n", "not a readable CSV file"),
    ],
)
def test_command_bad_files_exit_1_with_a_clear_message(call, councils, write, content, message):
    status, out, err = call("import_ratings", write(content), "--year", "2004")
    assert status == 1
    assert message in err
    assert "Traceback" not in err
    assert counts() == (0, 0, 0)


def test_command_accepts_a_utf8_file_with_byte_order_mark(call, councils, write):
    status, out, _ = call(
        "import_ratings", write(GOOD_FILE, encoding="utf-8-sig"), "--year", "2004"
    )
    assert status == 0
    assert "3 created" in out


def test_command_bad_usage_from_the_shell_exits_1_without_a_traceback(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_ratings",
            str(tmp_path / "nope.csv"),
            "--year",
            "2004",
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 1
    assert "CommandError" in result.stderr and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_year_is_required(call, write):
    with pytest.raises(CommandError, match="--year"):
        call("import_ratings", write(GOOD_FILE))


def test_command_warnings_go_to_standard_error(call, councils, write):
    text = csv_of("St Helens,most,promising,most,promising,x", header=HEADER + ",comment")
    status, out, err = call("import_ratings", write(text), "--year", "2004")
    assert status == 0
    assert err.startswith("Warning: column 'comment' is not used")
    assert out.strip().endswith("1 created, 0 revised, 0 unchanged")


def test_command_says_when_changes_become_new_revisions(call, councils, published_2002, write):
    status, out, _ = call(
        "import_ratings",
        write(csv_of("Hull,yes,excellent,yes,excellent")),
        "--year",
        "2002",
        "--publish-at",
        "2002-11-21T09:30",
    )
    assert status == 0
    assert (
        "Round 2002 is already published: the changes are new revisions, published at "
        "2002-11-21 09:30 GMT." in out
    )
    assert latest(councils["hull"], 2002).published_at == dt.datetime(
        2002, 11, 21, 9, 30, tzinfo=dt.UTC
    )


def test_errors_of_one_line_follow_the_column_order(councils):
    errors = failure(csv_of("Atlantis,most,promising,mostly,promising,9,maybe", header=FULL_HEADER))
    assert [error.split(":")[0] for error in errors] == [
        "line 2, column council",
        "line 2, column children_serving",
        "line 2, column stars",
        "line 2, column special_measures",
    ]


def test_a_row_with_too_many_cells_is_reported_with_the_other_errors(councils):
    errors = failure(
        csv_of("Barnet,most,promising,most,promising,x", "Atlantis,most,promising,most,promising")
    )
    assert errors == [
        "line 2: 6 cells, but the header names 5 columns",
        "line 3, column council: 'Atlantis' is not a council",
    ]


def test_a_short_row_leaves_the_optional_cells_empty(councils):
    run(csv_of("Barnet,no,poor,yes,excellent", header=FULL_HEADER))
    assert latest(councils["barnet"]).on_special_measures is True  # derived from 0 stars


def test_a_note_for_an_unpublished_round_is_not_used_and_says_so(councils):
    result = run(GOOD_FILE, note="Revised 21 November 2002")
    assert result.warnings == [
        "the note is for new revisions of a published round; round 2004 is not published, "
        "so it is not used"
    ]
    assert set(Rating.objects.values_list("note", flat=True)) == {""}


# --- a published outcome the reconstructed table cannot give --------------------------------

OUTCOME_HEADER = FULL_HEADER + ",published_outcome,published_outcome_note"
EALING_NOTE = "The published record names the children's uncertain capacity as the cause."


def test_a_published_outcome_is_accepted_only_when_marked(councils):
    # Children most/uncertain, adults some/uncertain: the table gives one star.
    assert expected_stars("some", "uncertain", "most", "uncertain") == 1
    unmarked = csv_of("Cumbria,some,uncertain,most,uncertain,0,yes,,", header=OUTCOME_HEADER)
    assert failure(unmarked) == [
        "line 2, column stars: the file says 0 but the judgements give 1 under the 2004 methodology"
    ]
    marked = csv_of(
        f'Cumbria,some,uncertain,most,uncertain,0,yes,yes,"{EALING_NOTE}"',
        header=OUTCOME_HEADER,
    )
    assert run(marked).created == 1
    rating = latest(councils["cumbria"])
    assert (rating.stars, rating.on_special_measures) == (0, True)
    assert rating.reasons[0] == (
        "Published outcome: zero stars. The portal's reconstructed conversion table gives one "
        "star for these judgements; the rating is the published one, not the table's."
    )
    assert rating.reasons[1] == EALING_NOTE
    assert rules.published_outcome_note(rating.reasons) == EALING_NOTE
    assert run(marked).unchanged == 1


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            f'Cumbria,most,promising,most,promising,2,no,yes,"{EALING_NOTE}"',
            "line 2, column published_outcome: the 2004 conversion table already gives two "
            "stars for these judgements; leave published_outcome empty",
        ),
        (
            "Cumbria,some,uncertain,most,uncertain,0,yes,yes,",
            "line 2, column published_outcome_note: missing; say what the published record "
            "gives as the cause of the outcome",
        ),
        (
            f'Cumbria,some,uncertain,most,uncertain,,yes,yes,"{EALING_NOTE}"',
            "line 2, column stars: a published outcome needs the published stars, 0 to 3",
        ),
        (
            f'Cumbria,some,uncertain,most,uncertain,1,no,,"{EALING_NOTE}"',
            "line 2, column published_outcome_note: a note is only for a published outcome; "
            "write yes in published_outcome or leave the note empty",
        ),
    ],
)
def test_a_published_outcome_must_be_one(councils, row, error):
    assert failure(csv_of(row, header=OUTCOME_HEADER)) == [error]


def test_the_export_keeps_a_published_outcome(councils):
    marked = csv_of(
        f'Cumbria,some,uncertain,most,uncertain,0,yes,yes,"{EALING_NOTE}"',
        "Barnet,most,promising,most,promising,2,no,,",
        header=OUTCOME_HEADER,
    )
    run(marked)
    out = io.StringIO()
    imports.export_ratings(out, year=2004)
    assert out.getvalue().splitlines() == [
        OUTCOME_HEADER,
        "Barnet,most,promising,most,promising,2,no,,",
        f'Cumbria,some,uncertain,most,uncertain,0,yes,yes,"{EALING_NOTE}"'.replace('"', ""),
    ]
    assert run(out.getvalue()).unchanged == 2


# --- the reports are queued, as after the workspace's publication ---------------------------

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued_tasks(settings):
    """The tasks queued (not run): django-tasks' dummy backend."""
    from django_tasks import task_backends

    settings.REPORTS_BUILD_ON_PUBLICATION = True
    settings.TASKS = DUMMY_TASKS
    backend = task_backends["default"]
    backend.clear()
    return backend.results


@pytest.mark.parametrize("command", ["import_ratings", "import_indicator_values"])
def test_command_queues_the_rounds_reports_once_committed(
    call, councils, write, queued_tasks, django_capture_on_commit_callbacks, command
):
    # A round scheduled from the command line, and values imported into it.
    when = (timezone.now() + dt.timedelta(days=7)).isoformat()
    ratings = ("import_ratings", write(GOOD_FILE), "--publish-at", when)
    values = (
        "import_indicator_values",
        write(
            f"council,indicator,value\nSt Helens,{IndicatorFactory(code='C28').code},12\n",
            name="values.csv",
        ),
    )
    if command == "import_indicator_values":
        call(*ratings, "--year", "2004")
    with django_capture_on_commit_callbacks() as callbacks:
        status, _, err = call(
            *(ratings if command == "import_ratings" else values), "--year", "2004"
        )
        assert queued_tasks == []  # not before the import is committed
    assert (status, err) == (0, ""), err
    for callback in callbacks:
        callback()
    assert [(r.task.name, r.args) for r in queued_tasks] == [("build_round_reports", [2004])]


def test_command_queues_nothing_on_a_dry_run_or_a_failure(
    call, councils, write, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call("import_ratings", write(GOOD_FILE), "--year", "2004", "--dry-run")
        call(
            "import_ratings",
            write(csv_of("Atlantis,most,promising,most,promising")),
            "--year",
            "2004",
        )
    assert queued_tasks == []
