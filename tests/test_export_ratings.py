"""`export_ratings`: a round in the import format; importing it again is the identity."""

import datetime as dt
import io

import pytest
from django.core.management.base import CommandError

from ratings import imports
from ratings.models import AssessmentRound, Rating, RatingStatus, ServiceJudgement

from .factories import (
    AssessmentRoundFactory,
    CouncilFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    KeyIndicatorCapFactory,
    RatingFactory,
)

pytestmark = pytest.mark.django_db

COLUMNS = (
    "council,adults_serving,adults_prospects,children_serving,children_prospects,stars,"
    "special_measures"
)


@pytest.fixture
def round_2004():
    round = AssessmentRoundFactory(year=2004)
    hull = CouncilFactory(name="Kingston upon Hull", alternative_names=["Hull"])
    barnet = CouncilFactory(name="Barnet")
    st_helens = CouncilFactory(name="St Helens")
    cumbria = CouncilFactory(name="Cumbria")
    CouncilFactory(name="Unrated Council")  # no rating in the round: not in the export
    RatingFactory(round=round, council=hull, children_serving="some", children_prospects="poor")
    RatingFactory(round=round, council=barnet, adults_serving="yes", adults_prospects="excellent")
    RatingFactory(
        round=round,
        council=st_helens,
        status=RatingStatus.NOT_RATED,
        stars=None,
        reasons=[],
        on_special_measures=True,
    )
    # Cumbria was refreshed: the export has its latest revision.
    RatingFactory(round=round, council=cumbria)
    RatingFactory(
        round=round,
        council=cumbria,
        revision=2,
        adults_serving="yes",
        adults_prospects="excellent",
        children_serving="yes",
        children_prospects="excellent",
        published_at=dt.datetime(2004, 12, 1, tzinfo=dt.UTC),
        note="Revised 1 December 2004",
    )
    return round


def export(year=2004):
    target = io.StringIO()
    imports.export_ratings(target, year=year)
    return target.getvalue()


def test_exports_the_latest_revision_of_each_council_in_name_order(round_2004, call):
    status, out, err = call("export_ratings", "--year", "2004")
    assert (status, err) == (0, "")
    assert out == (
        f"{COLUMNS}\n"
        "Barnet,yes,excellent,most,promising,3,no\n"
        "Cumbria,yes,excellent,yes,excellent,3,no\n"
        "Kingston upon Hull,most,promising,some,poor,0,yes\n"
        "St Helens,,,,,not rated,yes\n"
    )
    assert out == export()


def test_reimporting_an_export_changes_nothing(round_2004):
    before = list(Rating.objects.values().order_by("pk"))
    result = imports.import_ratings(io.StringIO(export()), year=2004)
    assert result.summary() == "0 created, 0 revised, 4 unchanged"
    assert list(Rating.objects.values().order_by("pk")) == before


def test_reimporting_an_export_of_a_draft_round_changes_nothing(round_2004, call, tmp_path):
    AssessmentRound.objects.filter(pk=round_2004.pk).update(status="draft", publication_at=None)
    path = tmp_path / "ratings-2004.csv"
    path.write_text(call("export_ratings", "--year", "2004")[1])
    status, out, _ = call("import_ratings", str(path), "--year", "2004")
    assert status == 0
    assert out.strip().endswith("0 created, 0 revised, 4 unchanged")


def test_export_import_export_into_an_empty_database_is_byte_identical(round_2004):
    first = export()
    Rating.objects.all().delete()
    AssessmentRound.objects.all().delete()
    assert not ServiceJudgement.objects.exists()

    result = imports.import_ratings(io.StringIO(first), year=2004)

    assert result.summary() == "4 created, 0 revised, 0 unchanged"
    assert export() == first


def test_round_trip_with_a_cap_and_special_measures_from_the_previous_round():
    previous = AssessmentRoundFactory(year=2003)
    round = AssessmentRoundFactory(year=2004, draft=True)
    councils = [CouncilFactory(name=name) for name in ("Alpha", "Beta", "Gamma, The")]
    RatingFactory(round=previous, council=councils[0], adults_serving="no")
    cap = KeyIndicatorCapFactory(indicator=IndicatorFactory(code="C20"), maximum="some")
    IndicatorValueFactory(round=round, council=councils[1], indicator=cap.indicator, value=10)
    imports.import_ratings(
        io.StringIO(
            "council,adults_serving,adults_prospects,children_serving,children_prospects,stars\n"
            "Alpha,,,,,not rated\n"
            "Beta,most,promising,some,promising,2\n"
            '"Gamma, The",no,poor,no,poor,0\n'
        ),
        year=2004,
    )
    first = export()
    assert first.splitlines()[1:] == [
        "Alpha,,,,,not rated,yes",
        "Beta,most,promising,some,promising,2,no",
        '"Gamma, The",no,poor,no,poor,0,yes',
    ]
    assert imports.import_ratings(io.StringIO(first), year=2004).unchanged == 3
    assert export() == first


def test_a_round_without_ratings_exports_the_header(call):
    AssessmentRoundFactory(year=2005)
    assert call("export_ratings", "--year", "2005") == (0, f"{COLUMNS}\n", "")


def test_unknown_year_is_a_command_error(round_2004, call):
    with pytest.raises(CommandError, match=r"there is no 1999 round \(rounds: 2004\)"):
        call("export_ratings", "--year", "1999")


def test_export_returns_the_number_of_rows(round_2004):
    assert imports.export_ratings(io.StringIO(), year=2004) == 4


def test_export_queries_do_not_grow_with_councils(django_assert_max_num_queries):
    round = AssessmentRoundFactory(year=2004)
    for _ in range(10):
        RatingFactory(round=round)
    with django_assert_max_num_queries(3):
        export()
