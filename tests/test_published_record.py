"""The published record against the bundled data, one test per fact.

Every row of ``known-ratings.csv``, every 2002-2005 row of ``more-facts-2002-2008.csv``,
every row of ``known-cpa.csv`` and each national statement of the domain README ("National
figures") is checked against the data ``load_portal_data`` loads. A fact the data cannot
honour (a conflict between two facts) is not skipped: its test checks that the conflict
is recorded and that the fact the portal follows holds.
"""

import csv
from collections import Counter
from pathlib import Path

import pytest

from ratings import embargo, later_facts, rules, summary
from ratings.models import CPAResult, GroupMembership, PublishedFact, Rating

pytestmark = [pytest.mark.django_db, pytest.mark.record]

DATA = Path(__file__).resolve().parents[1] / "ratings" / "data"
FIELDS = ("adults_serving", "adults_prospects", "children_serving", "children_prospects")
MOST = ("most", "yes")
GOOD = ("promising", "excellent")


def _rows(name):
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


COUNCIL_ROWS = _rows("councils.csv")
NAME = {row["name"]: row["name"] for row in COUNCIL_ROWS} | {
    alias.strip(): row["name"]
    for row in COUNCIL_ROWS
    for alias in row["alternative_names"].split(";")
    if alias.strip()
}
KNOWN = _rows("known-ratings.csv")
LATER = later_facts.read_later_facts(DATA / later_facts.LATER_FACTS_FILE)
KNOWN_CPA = _rows("known-cpa.csv")


@pytest.fixture
def loaded(bundled):
    """The bundled data, loaded once for the module (``tests/conftest.py``)."""


# --- reading the loaded data ---------------------------------------------------------------


def ratings_of(year, *, may=False):
    """Each council's rating in a year's round by name: revision 1 for May 2002, else the
    latest revision (the rating in force after the November 2002 refresh)."""
    found = {}
    for rating in (
        Rating.objects.filter(round__year=year)
        .select_related("council")
        .prefetch_related("judgements")
        .order_by("revision")
    ):
        if may and rating.revision != 1:
            continue
        found[rating.council.name] = rating
    return found


def stars_of(year, *, may=False):
    return {name: r.stars for name, r in ratings_of(year, may=may).items()}


def holds(rating, stars, judgements, *, not_rated=False):
    """Whether a rating says what a fact says (empty cells are unknown)."""
    if not_rated:
        return rating.stars is None
    if stars is not None and rating.stars != stars:
        return False
    given = rating.rules_judgements()
    return all(
        given is not None and getattr(given, name) == value for name, value in judgements.items()
    )


def star_counts(stars):
    counts = Counter(stars.values())
    return tuple(counts[s] for s in range(4))


def moves(before, after):
    up = down = 0
    for council, a in before.items():
        b = after.get(council)
        if a is None or b is None:
            continue
        up += b > a
        down += b < a
    return up, down


# --- known-ratings.csv ---------------------------------------------------------------------


def _known_id(row):
    return "-".join(part for part in (row["council"], row["year"], row["round"]) if part)


@pytest.mark.parametrize("row", KNOWN, ids=[_known_id(r) for r in KNOWN])
def test_known_rating_fact(loaded, row):
    council, year = NAME[row["council"]], int(row["year"])
    may = row["round"] == "May"
    rating = ratings_of(year, may=may)[council]
    stars = row["stars"].strip()
    judgements = {name: row[name].strip() for name in FIELDS if row[name].strip()}
    assert holds(
        rating,
        int(stars) if stars and stars != "not rated" else None,
        judgements,
        not_rated=stars == "not rated",
    ), (rating.stars, rating.rules_judgements())
    special = row["special_measures"].strip()
    if special == "yes":
        assert rating.on_special_measures
    elif special == "left":
        assert not rating.on_special_measures and rating.stars >= 1
    fact = PublishedFact.objects.get(
        council__name=council,
        year=year,
        round_label=row["round"].strip(),
        source_file="known-ratings.csv",
    )
    assert fact.source == row["source"].strip()
    assert "seed" not in fact.source.lower()


# --- more-facts-2002-2008.csv (2002-2005) --------------------------------------------------


@pytest.mark.parametrize("fact", LATER, ids=[f.key for f in LATER])
def test_later_fact(loaded, fact):
    council = NAME[fact.council]
    stored = PublishedFact.objects.get(
        council__name=council, year=fact.year, source_file=later_facts.LATER_FACTS_FILE
    )
    assert (stored.stars, stored.source, stored.quote) == (fact.stars, fact.source, fact.quote)
    for doubt in fact.doubt:  # every doubt the file carries stays visible
        assert doubt in stored.doubt
    other = later_facts.conflicting_known_fact(fact, KNOWN, NAME.get)
    if fact.conflict or other is not None:
        # Not honoured: the conflict is recorded, and the fact the portal follows holds.
        assert other is not None
        assert stored.conflict.startswith("Conflicts with another published fact")
        assert other["source"].strip() in stored.conflict
        rating = ratings_of(fact.year)[council]
        assert not holds(rating, fact.stars, fact.judgements)
        assert holds(
            rating,
            None if other["stars"] in ("", "not rated") else int(other["stars"]),
            {},
            not_rated=other["stars"] == "not rated",
        )
        return
    assert stored.conflict == ""
    # Honoured in the year it names, or in one of the years it may mean ("2004 or 2005").
    assert any(
        holds(ratings_of(year)[council], fact.stars, fact.judgements)
        for year in fact.possible_years
    ), fact


def test_the_later_facts_outside_the_rounds_stay_in_the_file_but_are_not_loaded(loaded):
    rows = _rows(later_facts.LATER_FACTS_FILE)
    assert any("2006 (adults)" in row["year"] for row in rows)
    assert not PublishedFact.objects.filter(year__gt=2005).exists()
    assert PublishedFact.objects.filter(source_file=later_facts.LATER_FACTS_FILE).count() == len(
        LATER
    )


# --- known-cpa.csv -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row", KNOWN_CPA, ids=[f"CPA-{r['council']}-{r['year']}" for r in KNOWN_CPA]
)
def test_cpa_fact(loaded, row):
    result = CPAResult.objects.get(council__name=NAME[row["council"]], year=int(row["year"]))
    assert not result.is_sample
    assert result.category == row["category"]
    assert (result.note, result.source) == (row["note"].strip(), row["source"].strip())
    if row["core_service_score"].strip():
        assert result.core_service_score == int(row["core_service_score"])
        assert "core_service_score" not in result.sample_fields
    # The record gives no education or children's social care score: the sample's are
    # there, so that national counts run over every council, and marked as sample.
    for column in ("education_score", "childrens_social_care_score"):
        assert getattr(result, column) is not None
        assert column in result.sample_fields


# --- national statements -------------------------------------------------------------------

STARS = {  # evidence.md 7.1
    "stars-2002-May": (2002, True, (10, 82, 50, 8)),
    "stars-2002-November-refresh": (2002, False, (12, 75, 52, 11)),
    "stars-2003": (2003, False, (8, 52, 74, 16)),
    "stars-2004": (2004, False, (8, 40, 82, 20)),
    "stars-2005": (2005, False, (3, 31, 83, 26)),
}


@pytest.mark.parametrize(("year", "may", "counts"), STARS.values(), ids=STARS.keys())
def test_national_star_counts(loaded, year, may, counts):
    stars = stars_of(year, may=may)
    assert len(stars) == 150
    assert star_counts(stars) == counts
    if year == 2005:
        # 3 + 31 + 83 + 26 = 143 rated; the rest not rated while reviews were under way
        assert sum(s is None for s in stars.values()) == 150 - sum(counts)


def test_national_summary_2004_two_or_three_stars(loaded):
    result = summary.national_summary(embargo.published_round(2004)).as_dict()
    assert result["two_or_three_stars"]["count"] == 102


NAMED = {  # evidence.md 7.4; complete lists
    "three-stars-2002-May": (
        2002,
        True,
        3,
        {
            "Bexley",
            "Cornwall",
            "Kensington and Chelsea",
            "Leicestershire",
            "Newcastle upon Tyne",
            "Sunderland",
            "Wandsworth",
            "Westminster",
        },
    ),
    "zero-stars-2002-May": (
        2002,
        True,
        0,
        {
            "Birmingham",
            "Bromley",
            "Coventry",
            "East Sussex",
            "Haringey",
            "Merton",
            "North East Lincolnshire",
            "Swindon",
            "Wakefield",
            "Walsall",
        },
    ),
    "three-stars-2003": (
        2003,
        False,
        3,
        {
            "Bexley",
            "Blackburn with Darwen",
            "Bolton",
            "Cornwall",
            "Derbyshire",
            "Kensington and Chelsea",
            "Kent",
            "Kingston upon Thames",
            "Kirklees",
            "Knowsley",
            "Leicestershire",
            "Newcastle upon Tyne",
            "North Lincolnshire",
            "Sunderland",
            "Wandsworth",
            "Westminster",
        },
    ),
    "zero-stars-2003": (
        2003,
        False,
        0,
        {
            "Bedfordshire",
            "Birmingham",
            "Bromley",
            "Cumbria",
            "Oldham",
            "Plymouth",
            "Swindon",
            "Waltham Forest",
        },
    ),
    "zero-stars-2004": (
        2004,
        False,
        0,
        {
            "Bedfordshire",
            "Birmingham",
            "Cumbria",
            "Oldham",
            "Plymouth",
            "Swindon",
            "Ealing",
            "Isles of Scilly",
        },
    ),
    "zero-stars-2005": (2005, False, 0, {"Isles of Scilly", "Plymouth", "Sandwell"}),
}


@pytest.mark.parametrize(("year", "may", "stars", "councils"), NAMED.values(), ids=NAMED.keys())
def test_named_list(loaded, year, may, stars, councils):
    found = {name for name, s in stars_of(year, may=may).items() if s == stars}
    assert found == councils


def judgements_of(year):
    return {
        name: r.rules_judgements() for name, r in ratings_of(year).items() if r.stars is not None
    }


def test_2004_the_five_not_serving_children_well_and_none_not_serving_adults(loaded):
    found = judgements_of(2004)
    assert {c for c, j in found.items() if j.children_serving == "no"} == {
        "Bedfordshire",
        "Birmingham",
        "Cumbria",
        "Plymouth",
        "Swindon",
    }
    assert not [c for c, j in found.items() if j.adults_serving == "no"]


def test_2005_not_serving_children_well_and_poor_childrens_capacity(loaded):
    found = judgements_of(2005)
    assert {c for c, j in found.items() if j.children_serving == "no"} == {"Plymouth", "Sandwell"}
    assert [c for c, j in found.items() if j.children_prospects == "poor"] == ["Isles of Scilly"]
    assert not [c for c, j in found.items() if j.adults_serving == "no"]


def test_2004_bracknell_forest_the_only_one_star_council_serving_most_children_well(loaded):
    stars, found = stars_of(2004), judgements_of(2004)
    assert [c for c, j in found.items() if stars[c] == 1 and j.children_serving in MOST] == [
        "Bracknell Forest"
    ]


def test_2004_ealing_the_only_zero_star_council_serving_most_children_well(loaded):
    stars, found = stars_of(2004), judgements_of(2004)
    assert [c for c, j in found.items() if stars[c] == 0 and j.children_serving in MOST] == [
        "Ealing"
    ]
    assert found["Ealing"].children_prospects == "uncertain"


def test_2004_ealing_carries_its_published_outcome_not_an_invented_failure(loaded):
    ealing = ratings_of(2004)["Ealing"]
    judgements = ealing.rules_judgements()
    assert ealing.stars == 0
    # No failure on the adults' side is invented to make the table give zero.
    assert not (judgements.adults_serving == "some" and judgements.adults_prospects == "poor")
    by_table = rules.rate(judgements, methodology="2004").stars
    assert by_table > 0
    reasons = " ".join(ealing.reasons)
    assert ealing.reasons[0].startswith("Published outcome: zero stars.")
    assert f"table gives {rules.stars_in_words(by_table)}" in reasons
    assert "children's uncertain capacity for improvement as the cause" in reasons
    assert "adults' capacity for improvement was not published" in reasons


def test_every_other_rating_is_what_the_table_gives(loaded):
    exceptions = []
    for rating in Rating.objects.select_related("round", "council").prefetch_related("judgements"):
        if rating.stars is None:
            continue
        by_table = rules.rate(
            rating.rules_judgements(), methodology=rating.round.methodology_version
        )
        if by_table.stars != rating.stars:
            exceptions.append((rating.council.name, rating.round.year))
            assert rules.published_outcome_note(rating.reasons)
    assert exceptions == [("Ealing", 2004)]


MOVES = {  # evidence.md 7.2
    "refresh-2002-12-up-6-down": ((2002, True), (2002, False), (12, 6)),
    "2003-41-up-6-down": ((2002, False), (2003, False), (41, 6)),
    "2005-36-up-15-down": ((2004, False), (2005, False), (36, 15)),
}


@pytest.mark.parametrize(("before", "after", "expected"), MOVES.values(), ids=MOVES.keys())
def test_movements(loaded, before, after, expected):
    assert moves(stars_of(before[0], may=before[1]), stars_of(after[0], may=after[1])) == expected


def test_refresh_2002_re_rated_18(loaded):
    assert Rating.objects.filter(round__year=2002, revision=2).count() == 18


def test_2004_eleven_dropped_a_star(loaded):
    assert moves(stars_of(2003), stars_of(2004))[1] == 11


def test_2005_four_three_star_councils_fell_to_two_and_six_zero_star_rose(loaded):
    before, after = stars_of(2004), stars_of(2005)
    assert sum(after[c] == 2 for c, s in before.items() if s == 3) == 4
    assert not [c for c, s in before.items() if s == 3 and after[c] in (0, 1)]
    zeros = [c for c, s in before.items() if s == 0]
    assert sum(after[c] is not None and after[c] > 0 for c in zeros) == 6


def test_tower_hamlets_one_star_in_2002_three_in_2004(loaded):
    assert stars_of(2002, may=True)["Tower Hamlets"] == 1
    assert stars_of(2004)["Tower Hamlets"] == 3


def within_rounding(count, total, published_percent):
    """A share that rounds to the published whole percentage."""
    return round(100 * count / total) == published_percent


SHARES = {  # evidence.md 7.3; 2005 as shares of the councils rated
    "2004-most-adults-60%": (2004, lambda j: j.adults_serving in MOST, 60),
    "2004-adults-prospects-91%": (2004, lambda j: j.adults_prospects in GOOD, 91),
    "2004-children-prospects-81%": (2004, lambda j: j.children_prospects in GOOD, 81),
    "2005-most-adults-77%": (2005, lambda j: j.adults_serving in MOST, 77),
    "2005-most-children-63%": (2005, lambda j: j.children_serving in MOST, 63),
}


@pytest.mark.parametrize(("year", "test", "percent"), SHARES.values(), ids=SHARES.keys())
def test_judgement_share(loaded, year, test, percent):
    found = judgements_of(year)
    assert within_rounding(sum(test(j) for j in found.values()), len(found), percent)


def test_2004_just_over_half_serving_most_children_well(loaded):
    found = judgements_of(2004)
    share = 100 * sum(j.children_serving in MOST for j in found.values()) / len(found)
    assert 50 < share <= 55


def test_2005_uncertain_childrens_capacity_in_15(loaded):
    found = judgements_of(2005)
    assert sum(j.children_prospects == "uncertain" for j in found.values()) == 15


@pytest.mark.parametrize("may", [True, False], ids=["2002-May", "2002-November-refresh"])
def test_2002_about_a_third_serving_most_people_well(loaded, may):
    found = {c: r.rules_judgements() for c, r in ratings_of(2002, may=may).items()}
    for service in ("adults", "children"):
        share = 100 * sum(j.serving(service) in MOST for j in found.values()) / len(found)
        assert abs(share - 100 / 3) <= 2.5, service


def test_cpa_2004_categories(loaded):
    found = Counter(CPAResult.objects.filter(year=2004).values_list("category", flat=True))
    assert CPAResult.objects.filter(year=2004).count() == 150
    assert [found[k] for k in ("excellent", "good", "fair", "weak", "poor")] == [41, 60, 33, 15, 1]


def test_cpa_2004_education_against_childrens_social_care_over_every_council(loaded):
    """Community Care, 7 January 2005: two points higher in almost a fifth, one point
    higher in 68, lower in six; the portal's summary counts every council with results."""
    result = summary.national_summary(embargo.published_round(2004))
    gaps = result.education_minus_social_care
    assert sum(gaps.values()) == 150
    assert gaps.get(1) == 68
    assert 27 <= gaps.get(2, 0) < 30  # "almost a fifth" of 150
    assert sum(n for gap, n in gaps.items() if gap < 0) == 6


def test_childrens_trust_pathfinders_2004(loaded):
    pathfinders = GroupMembership.objects.filter(
        group__slug="childrens-trust-pathfinders", year=2004
    ).values_list("council__name", flat=True)
    stars = stars_of(2004)
    assert len(pathfinders) == 35
    assert sum(stars[c] >= 2 for c in pathfinders) == 28


def test_nothing_bundled_names_an_internal_research_file():
    for path in [*DATA.glob("*.csv"), *DATA.glob("sample/*.csv"), DATA / "README.md"]:
        text = path.read_text(encoding="utf-8").lower()
        assert "seed 0" not in text, path.name
