"""Councils are found by name, slug or alternative name, whatever the case and punctuation."""

import pytest

from ratings.councils import CouncilMatcher, CouncilNotFound, find_council, normalise

from .factories import CouncilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    return {
        "st_helens": CouncilFactory(name="St Helens", slug="st-helens"),
        "hull": CouncilFactory(
            name="Kingston upon Hull",
            slug="kingston-upon-hull",
            alternative_names=["Hull", "City of Kingston upon Hull"],
        ),
        "brighton": CouncilFactory(
            name="Brighton and Hove",
            slug="brighton-and-hove",
            alternative_names=["Brighton & Hove"],
        ),
        "barnet": CouncilFactory(name="Barnet", slug="barnet"),
        "city": CouncilFactory(name="City of London", slug="city-of-london"),
        "kingston": CouncilFactory(name="Kingston upon Thames", slug="kingston-upon-thames"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("St. Helens", "st helens"),
        ("  ST   HELENS ", "st helens"),
        ("st-helens", "st helens"),
        ("Brighton & Hove", "brighton and hove"),
        ("King's Lynn", "kings lynn"),
        ("Telford and Wrekin.", "telford and wrekin"),
        ("", ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "council"),
    [
        ("St Helens", "st_helens"),
        ("st. helens", "st_helens"),
        ("ST HELENS", "st_helens"),
        ("St.Helens", "st_helens"),
        ("st-helens", "st_helens"),
        ("  st   helens  ", "st_helens"),
        ("Hull", "hull"),
        ("HULL", "hull"),
        ("kingston-upon-hull", "hull"),
        ("City of Kingston upon Hull", "hull"),
        ("Kingston upon Hull City Council", "hull"),
        ("Brighton & Hove", "brighton"),
        ("brighton and hove", "brighton"),
        ("London Borough of Barnet", "barnet"),
        ("Barnet Council", "barnet"),
        ("City of London", "city"),
    ],
)
def test_finds_a_council_by_any_of_its_names(councils, text, council):
    assert CouncilMatcher().find(text) == councils[council]


def test_unknown_council_says_so_and_suggests_the_nearest(councils):
    with pytest.raises(CouncilNotFound) as raised:
        CouncilMatcher().find("St Helen")
    assert str(raised.value) == "'St Helen' is not a council; did you mean 'St Helens'?"


def test_unknown_council_without_a_near_name(councils):
    with pytest.raises(CouncilNotFound, match=r"^'Atlantis' is not a council$"):
        CouncilMatcher().find("Atlantis")


def test_empty_name(councils):
    with pytest.raises(CouncilNotFound, match="no council given"):
        CouncilMatcher().find("  ")


def test_a_name_two_councils_share_is_refused_not_guessed():
    CouncilFactory(name="Newtown", slug="newtown", alternative_names=["Old Town"])
    CouncilFactory(name="Oldtown", slug="oldtown", alternative_names=["Old Town"])
    with pytest.raises(CouncilNotFound, match="could be any of Newtown, Oldtown"):
        CouncilMatcher().find("old town")


def test_alternative_names_may_be_a_semicolon_separated_string():
    council = CouncilFactory(name="Kingston upon Hull", alternative_names="Hull; City of Hull")
    assert find_council("city of hull") == council


def test_get_returns_none_for_an_unknown_name(councils):
    matcher = CouncilMatcher()
    assert matcher.get("Atlantis") is None
    assert matcher.get("hull") == councils["hull"]


def test_matcher_loads_councils_in_one_query(councils, django_assert_num_queries):
    with django_assert_num_queries(1):
        matcher = CouncilMatcher()
    with django_assert_num_queries(0):
        for name in ["hull", "St. Helens", "Barnet", "brighton & hove"]:
            matcher.find(name)
