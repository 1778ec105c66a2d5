"""National figures against hand counts, for rounds imported from CSV."""

import datetime as dt
import io

import pytest

from ratings import embargo, imports, summary

from .factories import CouncilFactory, CPAResultFactory, GroupMembershipFactory

pytestmark = pytest.mark.django_db

HEADER = "council,adults_serving,adults_prospects,children_serving,children_prospects\n"
ROUND_2003 = """Aford,most,promising,most,promising
Bford,some,promising,some,promising
Cford,no,poor,some,uncertain
Dford,yes,promising,most,promising
Eford,some,promising,most,promising
"""
ROUND_2004 = """Aford,yes,excellent,most,promising
Bford,some,promising,some,promising
Cford,some,promising,some,uncertain
Dford,most,promising,most,promising
Eford,some,poor,most,promising
"""
NOW = dt.datetime(2005, 1, 1, tzinfo=dt.UTC)
NAMES = ["Aford", "Bford", "Cford", "Dford", "Eford"]


def import_rounds():
    """The two rounds above, imported from CSV as an inspectorate would (councils exist)."""
    for year, rows, published in (
        (2003, ROUND_2003, dt.datetime(2003, 11, 13, tzinfo=dt.UTC)),
        (2004, ROUND_2004, dt.datetime(2004, 11, 18, tzinfo=dt.UTC)),
    ):
        imports.import_ratings(io.StringIO(HEADER + rows), year=year, publish_at=published)


@pytest.fixture
def rounds():
    councils = {name: CouncilFactory(name=name) for name in NAMES}
    import_rounds()
    return councils


def test_figures_match_hand_counts(rounds):
    result = summary.national_summary(embargo.published_round(2004, NOW), NOW).as_dict()
    assert result["year"] == 2004
    assert result["councils"] == 5
    assert result["stars"] == {"0": 1, "1": 2, "2": 1, "3": 1}
    assert result["two_or_three_stars"] == {"count": 2, "percent": 40.0, "change_points": -20.0}
    assert result["serving_most_adults_well_percent"] == 40.0
    assert result["serving_most_children_well_percent"] == 60.0
    assert result["adults_prospects_promising_or_excellent_percent"] == 80.0
    assert result["children_prospects_promising_or_excellent_percent"] == 80.0
    assert result["special_measures"] == {
        "on": 1,
        "entered": ["Eford"],
        "entered_count": 1,
        "left": ["Cford"],
        "note": "",
    }
    assert result["zero_stars"] == ["Eford"]
    assert (result["moved_up"], result["moved_down"]) == (2, 2)


def test_headlines_are_generated_from_the_figures(rounds):
    lines = summary.national_summary(embargo.published_round(2004, NOW), NOW).headlines
    assert lines[0] == (
        "Two councils (40%) were awarded two or three stars, down 20 percentage points on 2003."
    )
    assert lines[1] == "One council (20%) was awarded three stars and one council (20%) zero stars."
    assert "Since 2003, two councils gained at least one star and two lost at least one." in lines
    assert "One council went on to special measures and one came off them." in lines


def test_first_round_has_no_change(rounds):
    result = summary.national_summary(embargo.published_round(2003, NOW), NOW).as_dict()
    assert result["two_or_three_stars"] == {"count": 3, "percent": 60.0, "change_points": None}
    assert result["special_measures"]["entered"] == ["Cford"]


def test_movers_groups_and_cpa(rounds):
    GroupMembershipFactory(council=rounds["Aford"], year=2004)
    GroupMembershipFactory(council=rounds["Eford"], year=2004)
    CPAResultFactory(
        council=rounds["Aford"], year=2004, education_score=4, childrens_social_care_score=2
    )
    CPAResultFactory(
        council=rounds["Bford"],
        year=2004,
        category="weak",
        education_score=2,
        childrens_social_care_score=2,
    )
    result = summary.national_summary(embargo.published_round(2004, NOW), NOW)
    assert [m.describe() for m in result.movers_up] == [
        "Aford: from two to three stars in two years",
        "Cford: from zero to one star in two years",
    ]
    (group,) = result.groups
    assert (group.members, group.members_two_or_three, group.others, group.others_two_or_three) == (
        2,
        1,
        3,
        1,
    )
    assert result.cpa_categories == {"excellent": 0, "good": 1, "fair": 0, "weak": 1, "poor": 0}
    assert result.education_minus_social_care == {0: 1, 2: 1}


def test_an_embargoed_round_is_not_counted_as_previous(rounds):
    later = dt.datetime(2003, 12, 1, tzinfo=dt.UTC)
    assert embargo.published_round(2004, later) is None
    result = summary.national_summary(embargo.published_round(2003, later), later)
    assert result.previous_round is None


def test_change_at_each_star_level(rounds):
    result = summary.national_summary(embargo.published_round(2004, NOW), NOW)
    # 2003: 0/1/2/3 = 1, 1, 2, 1; 2004: 1, 2, 1, 1.
    assert result.previous_stars == {0: 1, 1: 1, 2: 2, 3: 1}
    assert result.stars_change == {0: 0, 1: 1, 2: -1, 3: 0}
