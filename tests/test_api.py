"""The open data API at /api/: fields, filters, CSV, pagination, 404s, the embargo and
query counts. The 2003 and 2004 rounds are the hand-counted CSV rounds of test_summary."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from api.serializers import SummarySerializer, stars_text
from ratings import embargo, models
from ratings.summary import national_summary

from .factories import (
    AssessmentRoundFactory,
    CouncilFactory,
    GroupFactory,
    GroupMembershipFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    KeyIndicatorCapFactory,
    RatingFactory,
    RegionFactory,
)
from .test_summary import NAMES, import_rounds

pytestmark = pytest.mark.django_db

COUNCIL_FIELDS = ["name", "slug", "type", "type_label", "region", "region_slug", "ons_code", "url"]
REVISION_FIELDS = [
    "year",
    "revision",
    "is_current",
    "stars",
    "stars_text",
    "status",
    "adults_serving",
    "adults_prospects",
    "children_serving",
    "children_prospects",
    "reasons",
    "on_special_measures",
    "published_at",
    "note",
    "is_sample",
    "round",
    "provenance",
    "judgement_provenance",
]
ROUND_FIELDS = [
    "year",
    "title",
    "methodology_version",
    "methodology",
    "publication_at",
    "is_sample",
    "url",
    "ratings_url",
    "summary_url",
    "indicator_values_url",
    # Added with the publication record (issue 11), after the original columns.
    "publisher",
    "source",
    "source_url",
    "publications",
]
RATING_FIELDS = [
    "year",
    "council",
    "council_slug",
    "region",
    "region_slug",
    "council_type",
    "stars",
    "stars_text",
    "status",
    "adults_serving",
    "adults_prospects",
    "children_serving",
    "children_prospects",
    "previous_stars",
    "change",
    "change_by",
    "on_special_measures",
    "previous_on_special_measures",
    "revision",
    "is_sample",
    "provenance",
    "judgement_provenance",
]
JUDGEMENTS = ["adults_serving", "adults_prospects", "children_serving", "children_prospects"]
# In CSV the provenance objects are flattened, at the end of the row.
RATING_CSV_FIELDS = [
    *RATING_FIELDS[:-2],
    "provenance.kind",
    "provenance.source",
    "provenance.url",
    *(f"judgement_provenance.{j}.{key}" for j in JUDGEMENTS for key in ("kind", "source", "url")),
]
INDICATOR_FIELDS = [
    "code",
    "title",
    "domain",
    "domain_name",
    "unit",
    "polarity",
    "band_thresholds",
    "description",
    "key_indicator_caps",
]
VALUE_FIELDS = [
    "year",
    "council",
    "council_slug",
    "indicator",
    "value",
    "band",
    "exempt",
    "is_sample",
]
# Stars in 2004 (2003 in brackets), from the CSVs of test_summary:
# Aford 3 (2) up, Bford 1 (1) same, Cford 1 (0) up, Dford 2 (3) down, Eford 0 (2) down.
STARS_2004 = {"Aford": 3, "Bford": 1, "Cford": 1, "Dford": 2, "Eford": 0}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def rounds():
    """Five councils in two regions, rated in 2003 and 2004 from the summary test's CSVs,
    a group, indicators with values and a key-indicator cap."""
    london = RegionFactory(name="London")
    councils = {
        name: CouncilFactory(
            name=name,
            region=london
            if name in ("Cford", "Dford", "Eford")
            else RegionFactory(name="North East"),
            council_type=(
                models.CouncilType.LONDON_BOROUGH
                if name in ("Cford", "Dford", "Eford")
                else models.CouncilType.COUNTY
            ),
        )
        for name in NAMES
    }
    import_rounds()
    group = GroupFactory()
    GroupMembershipFactory(group=group, council=councils["Aford"], year=2004)
    GroupMembershipFactory(group=group, council=councils["Eford"], year=2004)
    GroupMembershipFactory(group=group, council=councils["Bford"], year=2003)
    round_2004 = models.AssessmentRound.objects.get(year=2004)
    lower = IndicatorFactory(code="A1", polarity="lower", band_thresholds=[10, 13, 16, 20])
    higher = IndicatorFactory(code="B2", polarity="higher", band_thresholds=[20, 40, 60, 80])
    neutral = IndicatorFactory(code="C3", polarity="neutral", band_thresholds=[])
    KeyIndicatorCapFactory(indicator=lower, methodology_version="2004", threshold=20)
    IndicatorValueFactory(round=round_2004, council=councils["Aford"], indicator=lower, value=9)
    IndicatorValueFactory(round=round_2004, council=councils["Aford"], indicator=higher, value=85)
    IndicatorValueFactory(
        round=round_2004, council=councils["Bford"], indicator=lower, value=25, exempt=True
    )
    IndicatorValueFactory(round=round_2004, council=councils["Bford"], indicator=neutral, value=3)
    IndicatorValueFactory(round=round_2004, council=councils["Cford"], indicator=higher, value=None)
    return councils


def get(api, url, **params):
    response = api.get(url, params)
    assert response.status_code == 200, (url, response.status_code, response.content[:500])
    return response.json()


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def csv_header(response) -> list[str]:
    return next(csv.reader(io.StringIO(response.content.decode("utf-8"))))


# --- every endpoint ------------------------------------------------------------------------


def test_root_lists_the_endpoints(api, rounds):
    links = get(api, "/api/")
    assert links == {
        "councils": "http://testserver/api/councils/",
        "rounds": "http://testserver/api/rounds/",
        "indicators": "http://testserver/api/indicators/",
        "latest_round": "http://testserver/api/rounds/2004/",
        "schema": "http://testserver/api/schema/",
        "docs": "http://testserver/api/docs/",
    }


def test_councils(api, rounds):
    page = get(api, "/api/councils/")
    assert page["count"] == 5
    first = page["results"][0]
    assert list(first) == COUNCIL_FIELDS
    assert first == {
        "name": "Aford",
        "slug": "aford",
        "type": "county",
        "type_label": "County council",
        "region": "North East",
        "region_slug": "north-east",
        "ons_code": "",
        "url": "http://testserver/api/councils/aford/",
    }


def test_council_detail_has_its_published_history(api, rounds):
    council = get(api, "/api/councils/eford/")
    assert list(council) == [
        *COUNCIL_FIELDS,
        "alternative_names",
        "ratings",
        "responses",
        "representations_being_considered",
    ]
    assert (council["responses"], council["representations_being_considered"]) == ([], [])
    assert [(r["year"], r["revision"], r["stars"]) for r in council["ratings"]] == [
        (2003, 1, 2),
        (2004, 1, 0),
    ]
    latest = council["ratings"][-1]
    assert list(latest) == REVISION_FIELDS
    assert latest["stars_text"] == "0 stars"
    assert latest["status"] == "rated"
    assert (latest["adults_serving"], latest["adults_prospects"]) == ("some", "poor")
    assert (latest["children_serving"], latest["children_prospects"]) == ("most", "promising")
    assert latest["reasons"] and all(isinstance(r, str) for r in latest["reasons"])
    assert latest["on_special_measures"] is True
    assert latest["is_current"] is True
    assert latest["is_sample"] is False
    # Revision 1 has no time of its own: it was published with the round.
    assert latest["published_at"] == "2004-11-18T00:00:00Z"
    assert latest["round"] == "http://testserver/api/rounds/2004/"


def test_rounds_and_round_detail(api, rounds):
    page = get(api, "/api/rounds/")
    assert [r["year"] for r in page["results"]] == [2003, 2004]
    round_2004 = page["results"][1]
    assert list(round_2004) == ROUND_FIELDS
    assert round_2004["publication_at"] == "2004-11-18T00:00:00Z"
    assert round_2004["methodology_version"] == "2004"
    assert round_2004["ratings_url"] == "http://testserver/api/rounds/2004/ratings/"
    assert round_2004["summary_url"] == "http://testserver/api/rounds/2004/summary/"
    assert round_2004["indicator_values_url"] == (
        "http://testserver/api/rounds/2004/indicator-values/"
    )
    assert get(api, "/api/rounds/2004/") == round_2004


ROUND_2004_CITED = {"kind": "published", "source": "Social services star ratings 2004", "url": ""}


def test_round_ratings(api, rounds):
    page = get(api, "/api/rounds/2004/ratings/")
    assert page["count"] == 5
    assert {r["council"]: r["stars"] for r in page["results"]} == STARS_2004
    eford = page["results"][-1]
    assert list(eford) == RATING_FIELDS
    assert eford == {
        "year": 2004,
        "council": "Eford",
        "council_slug": "eford",
        "region": "London",
        "region_slug": "london",
        "council_type": "london_borough",
        "stars": 0,
        "stars_text": "0 stars",
        "status": "rated",
        "adults_serving": "some",
        "adults_prospects": "poor",
        "children_serving": "most",
        "children_prospects": "promising",
        "previous_stars": 2,
        "change": "down",
        "change_by": -2,
        "on_special_measures": True,
        "previous_on_special_measures": False,
        "revision": 1,
        "is_sample": False,
        # Not sample data: every value is published, and cites the round.
        "provenance": ROUND_2004_CITED,
        "judgement_provenance": dict.fromkeys(JUDGEMENTS, ROUND_2004_CITED),
    }
    first = get(api, "/api/rounds/2003/ratings/")["results"][0]
    assert (first["previous_stars"], first["change"], first["change_by"]) == (None, "", None)


def test_summary_is_the_national_summary(api, rounds):
    result = get(api, "/api/rounds/2004/summary/")
    round_2004 = embargo.published_round(2004)
    assert result == national_summary(round_2004, timezone.now()).as_dict()
    # The hand counts of test_summary.
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
    assert result["headlines"][0] == (
        "Two councils (40%) were awarded two or three stars, down 20 percentage points on 2003."
    )


def test_the_summary_serializer_describes_the_summary_exactly(rounds):
    """The schema documents the summary through SummarySerializer: it must have every key
    of as_dict, nested ones too, and give back the same values."""
    result = national_summary(embargo.published_round(2004), timezone.now()).as_dict()
    assert SummarySerializer(result).data == result
    first = national_summary(embargo.published_round(2003), timezone.now()).as_dict()
    assert SummarySerializer(first).data == first


def test_indicators(api, rounds):
    page = get(api, "/api/indicators/")
    by_code = {i["code"]: i for i in page["results"]}
    assert list(by_code["A1"]) == INDICATOR_FIELDS
    assert by_code["A1"]["polarity"] == "lower"
    assert by_code["A1"]["band_thresholds"] == [10, 13, 16, 20]
    assert by_code["A1"]["key_indicator_caps"] == [
        {"methodology_version": "2004", "service": "children", "maximum": "some", "threshold": 20.0}
    ]
    assert by_code["C3"]["band_thresholds"] == []
    assert by_code["B2"]["key_indicator_caps"] == []
    domain = get(api, "/api/indicators/", domain="children-and-families")
    assert domain["count"] == 3
    assert api.get("/api/indicators/", {"domain": "nowhere"}).status_code == 400


def test_indicator_values_with_bands(api, rounds):
    page = get(api, "/api/rounds/2004/indicator-values/")
    rows = {(r["council_slug"], r["indicator"]): r for r in page["results"]}
    assert list(rows["aford", "A1"]) == VALUE_FIELDS
    assert rows["aford", "A1"]["value"] == 9.0
    assert rows["aford", "A1"]["band"] == 5  # lower is better: 9 is under the first cut
    assert rows["aford", "B2"]["band"] == 5  # higher is better: 85 is above the last cut
    assert (rows["bford", "A1"]["band"], rows["bford", "A1"]["exempt"]) == (1, True)
    assert rows["bford", "C3"]["band"] is None  # neutral
    assert (rows["cford", "B2"]["value"], rows["cford", "B2"]["band"]) == (None, None)
    assert get(api, "/api/rounds/2003/indicator-values/")["count"] == 0


def test_stars_text():
    assert [stars_text(s) for s in (None, 0, 1, 2, 3)] == [
        "Not rated",
        "0 stars",
        "1 star",
        "2 stars",
        "3 stars",
    ]


def test_a_council_not_rated(api, rounds):
    round_2004 = models.AssessmentRound.objects.get(year=2004)
    RatingFactory(
        round=round_2004,
        council=CouncilFactory(name="Fford"),
        status=models.RatingStatus.NOT_RATED,
        stars=None,
        reasons=[],
        on_special_measures=False,
    )
    row = get(api, "/api/rounds/2004/ratings/", status="not_rated")["results"]
    assert [(r["council"], r["stars"], r["stars_text"], r["adults_serving"]) for r in row] == [
        ("Fford", None, "Not rated", None)
    ]
    history = get(api, "/api/councils/fford/")["ratings"]
    assert (history[0]["stars_text"], history[0]["children_prospects"]) == ("Not rated", None)
    # Not rated councils sort last whichever way the stars are sorted.
    for ordering in ("stars", "-stars"):
        rows = get(api, "/api/rounds/2004/ratings/", ordering=ordering)["results"]
        assert rows[-1]["council"] == "Fford"


# --- filters -------------------------------------------------------------------------------


def councils_of(api, url, **params):
    return [r.get("council") or r["name"] for r in get(api, url, **params)["results"]]


def test_council_filters(api, rounds):
    assert councils_of(api, "/api/councils/", region="london") == ["Cford", "Dford", "Eford"]
    assert councils_of(api, "/api/councils/", type="county") == ["Aford", "Bford"]
    assert councils_of(api, "/api/councils/", region="london", type="county") == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "north-east"}, ["Aford", "Bford"]),
        ({"type": "london_borough"}, ["Cford", "Dford", "Eford"]),
        ({"stars": "1"}, ["Bford", "Cford"]),
        ({"stars": ["2", "3"]}, ["Aford", "Dford"]),
        ({"special_measures": "true"}, ["Eford"]),
        ({"special_measures": "false"}, ["Aford", "Bford", "Cford", "Dford"]),
        ({"group": "childrens-trust-pathfinders"}, ["Aford", "Eford"]),
        ({"change": "up"}, ["Aford", "Cford"]),
        ({"change": "down"}, ["Dford", "Eford"]),
        ({"change": "same"}, ["Bford"]),
        ({"status": "rated"}, ["Aford", "Bford", "Cford", "Dford", "Eford"]),
        ({"region": "london", "stars": ["0", "1"]}, ["Cford", "Eford"]),
        ({"ordering": "-stars"}, ["Aford", "Dford", "Bford", "Cford", "Eford"]),
        ({"ordering": "change_by"}, ["Eford", "Dford", "Bford", "Aford", "Cford"]),
        ({"ordering": "-region,-council"}, ["Bford", "Aford", "Eford", "Dford", "Cford"]),
        ({"ordering": "-adults_serving"}, ["Aford", "Dford", "Bford", "Cford", "Eford"]),
    ],
)
def test_round_rating_filters(api, rounds, params, expected):
    assert councils_of(api, "/api/rounds/2004/ratings/", **params) == expected


def test_group_membership_is_of_the_rounds_year(api, rounds):
    assert councils_of(api, "/api/rounds/2003/ratings/", group="childrens-trust-pathfinders") == [
        "Bford"
    ]


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/api/rounds/2004/ratings/", {"stars": "5"}, "stars"),
        ("/api/rounds/2004/ratings/", {"stars": "two"}, "stars"),
        ("/api/rounds/2004/ratings/", {"special_measures": "maybe"}, "special_measures"),
        ("/api/rounds/2004/ratings/", {"group": "nobody"}, "group"),
        ("/api/rounds/2004/ratings/", {"change": "sideways"}, "change"),
        ("/api/rounds/2004/ratings/", {"region": "atlantis"}, "region"),
        ("/api/rounds/2004/ratings/", {"type": "parish"}, "type"),
        ("/api/rounds/2004/ratings/", {"status": "pending"}, "status"),
        ("/api/rounds/2004/ratings/", {"ordering": "password"}, "ordering"),
        ("/api/councils/", {"region": "atlantis"}, "region"),
        ("/api/councils/", {"type": "parish"}, "type"),
        ("/api/rounds/2004/indicator-values/", {"council": "nowhere"}, "council"),
        ("/api/rounds/2004/indicator-values/", {"indicator": "ZZ9"}, "indicator"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(api, rounds, url, params, parameter):
    response = api.get(url, params)
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [parameter]
    assert errors[parameter][0]


def test_bad_filter_messages_say_what_is_wrong(api, rounds):
    errors = api.get("/api/rounds/2004/ratings/", {"region": "atlantis"}).json()
    assert errors == {"region": ["There is no region with the slug “atlantis”."]}
    errors = api.get("/api/rounds/2004/ratings/", {"special_measures": "maybe"}).json()
    assert errors == {"special_measures": ["Use true or false, not “maybe”."]}


def test_indicator_value_filters(api, rounds):
    page = get(api, "/api/rounds/2004/indicator-values/", council="aford")
    assert [r["indicator"] for r in page["results"]] == ["A1", "B2"]
    page = get(api, "/api/rounds/2004/indicator-values/", indicator="A1")
    assert [r["council_slug"] for r in page["results"]] == ["aford", "bford"]


# --- CSV -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "fields", "count"),
    [
        ("/api/councils/", COUNCIL_FIELDS, 5),
        ("/api/rounds/", ROUND_FIELDS, 2),
        ("/api/rounds/2004/ratings/", RATING_CSV_FIELDS, 5),
        ("/api/indicators/", INDICATOR_FIELDS, 3),
        ("/api/rounds/2004/indicator-values/", VALUE_FIELDS, 5),
    ],
)
def test_every_list_as_csv(api, rounds, url, fields, count):
    response = api.get(url, {"format": "csv"})
    rows = read_csv(response)
    assert csv_header(response) == fields
    assert len(rows) == count
    json_rows = get(api, url)["results"]
    assert [row[fields[0]] for row in rows] == [str(row[fields[0]]) for row in json_rows]
    assert response["Content-Disposition"].startswith("attachment; filename=")


def test_csv_by_accept_header_and_unpaginated(api, rounds):
    response = api.get("/api/rounds/2004/ratings/?page_size=2", HTTP_ACCEPT="text/csv")
    rows = read_csv(response)
    assert len(rows) == 5  # CSV holds every row, whatever the page size
    eford = rows[-1]
    assert eford["council"] == "Eford"
    assert (eford["stars"], eford["stars_text"], eford["previous_stars"]) == ("0", "0 stars", "2")
    assert (eford["on_special_measures"], eford["change_by"]) == ("true", "-2")
    assert response["Content-Disposition"] == 'attachment; filename="ratings-2004.csv"'


def test_csv_follows_the_filters_and_ordering(api, rounds):
    response = api.get(
        "/api/rounds/2004/ratings/", {"format": "csv", "stars": ["2", "3"], "ordering": "stars"}
    )
    assert [row["council"] for row in read_csv(response)] == ["Dford", "Aford"]


def test_an_empty_list_as_csv_still_has_its_header(api, rounds):
    response = api.get(
        "/api/rounds/2004/ratings/", {"format": "csv", "region": "london", "stars": "3"}
    )
    assert read_csv(response) == []
    assert csv_header(response) == RATING_CSV_FIELDS


def test_summary_as_csv_is_one_flattened_row(api, rounds):
    response = api.get("/api/rounds/2004/summary/", {"format": "csv"})
    (row,) = read_csv(response)
    assert row["stars.0"] == "1"
    assert row["two_or_three_stars.count"] == "2"
    assert row["two_or_three_stars.change_points"] == "-20.0"
    assert row["special_measures.entered"] == "Eford"
    assert row["zero_stars"] == "Eford"


def test_council_detail_as_csv(api, rounds):
    (row,) = read_csv(api.get("/api/councils/aford/", {"format": "csv"}))
    assert row["name"] == "Aford"
    assert '"year": 2004' in row["ratings"]  # the history, as JSON in one cell


def test_csv_of_an_error_is_still_an_error(api, rounds):
    response = api.get("/api/rounds/2099/ratings/", {"format": "csv"})
    assert response.status_code == 404
    assert "Content-Disposition" not in response


# --- pagination ----------------------------------------------------------------------------


def test_pagination(api, rounds):
    first = get(api, "/api/rounds/2004/ratings/", page_size=2)
    assert first["count"] == 5
    assert [r["council"] for r in first["results"]] == ["Aford", "Bford"]
    assert first["previous"] is None
    assert first["next"].endswith("/api/rounds/2004/ratings/?page=2&page_size=2")
    last = get(api, "/api/rounds/2004/ratings/", page_size=2, page=3)
    assert [r["council"] for r in last["results"]] == ["Eford"]
    assert last["next"] is None
    assert api.get("/api/rounds/2004/ratings/", {"page": 4, "page_size": 2}).status_code == 404


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page": "9999999999999999999999999"}, 404),
        ({"page": "9" * 5000}, 404),
        ({"page": str(2**63)}, 404),
        ({"page": "-1"}, 404),
        ({"page": "0"}, 404),
        ({"page": "1e400"}, 404),
        ({"page": "x"}, 404),
        ({"page_size": "9999999999999999999999999"}, 200),
        ({"page_size": "-1"}, 200),
        ({"page_size": "0"}, 200),
        ({"page_size": "1e400"}, 200),
        ({"page_size": "9999999999999999999999999", "page": "9999999999999999999999999"}, 404),
    ],
)
def test_a_page_or_page_size_that_makes_no_sense_is_never_a_server_error(
    api, rounds, params, status
):
    for url in ("/api/rounds/2004/ratings/", "/api/councils/", "/api/indicators/"):
        response = api.get(url, params)
        assert response.status_code == status, url
        if status == 404:
            assert response.json() == {"detail": "Invalid page."}


def test_page_size_is_100_by_default_and_at_most_1000():
    region = RegionFactory(name="North East")
    models.Council.objects.bulk_create(
        models.Council(
            name=f"Council {n:04}", slug=f"council-{n:04}", council_type="unitary", region=region
        )
        for n in range(1005)
    )
    api = APIClient()
    assert len(get(api, "/api/councils/")["results"]) == 100
    assert len(get(api, "/api/councils/", page_size=5000)["results"]) == 1000
    assert len(read_csv(api.get("/api/councils/", {"format": "csv"}))) == 1005


# --- 404s and the rest ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/rounds/2099/",
        "/api/rounds/2099/ratings/",
        "/api/rounds/2099/summary/",
        "/api/rounds/2099/indicator-values/",
        "/api/rounds/99999999999999999999999/ratings/",
        "/api/rounds/0/",
    ],
)
def test_an_unknown_year_is_a_json_404(api, rounds, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"There is no published round for {int(url.split('/')[3])}."
    }


def test_an_unknown_council_is_a_json_404(api, rounds):
    response = api.get("/api/councils/atlantis/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no council with the slug “atlantis”."}


@pytest.mark.parametrize("version", ["%0A", "a%0D%0Ab", "%00", "2.0"])
def test_the_schema_has_one_version_whatever_the_query_string_says(api, version):
    # drf-spectacular put ?version= into the schema and into the Content-Disposition
    # header, where a line break was a server error (BadHeaderError).
    response = api.get(f"/api/schema/?format=json&version={version}")
    assert response.status_code == 200
    assert response.json()["info"]["version"] == "1.0.0"
    assert response["Content-Disposition"] == (
        'inline; filename="Star Ratings Portal open data API.json"'
    )


def test_the_schema_is_made_once_per_language_not_for_every_request(api, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    made = []
    real = SchemaGenerator.get_schema
    monkeypatch.setattr(
        SchemaGenerator, "get_schema", lambda self, **kw: made.append(1) or real(self, **kw)
    )
    first = api.get("/api/schema/?format=json").json()
    for query in ("format=json&x=1", "format=yaml", "x=2&page=99999999999"):
        assert api.get(f"/api/schema/?{query}").status_code == 200
    assert api.get("/api/schema/?format=json&x=3").json() == first
    assert len(made) == 1
    assert api.get("/api/schema/?format=json&lang=de").status_code == 200
    assert api.get("/api/schema/?format=json&lang=de&x=1").status_code == 200
    assert api.get("/api/schema/?format=json&lang=not-a-language").status_code == 200
    assert len(made) == 2  # German made once; a language Django does not know is English


def test_a_language_django_does_not_know_is_the_default_not_a_new_translation(api):
    # Django keeps a translation object for every language code it is asked to activate:
    # ?lang=<anything> made one (and searched every app's locale folders) per new value.
    from django.utils.translation import trans_real

    english = api.get("/api/schema/?format=json").json()
    before = set(trans_real._translations)
    for lang in ("zz", "not-a-language", "x" * 500, "de\n", "..%2F..%2Fetc"):
        response = api.get(f"/api/schema/?format=json&lang={lang}")
        assert response.status_code == 200
        assert response.json() == english
    assert set(trans_real._translations) == before


@pytest.mark.parametrize("url", ["/api/nowhere/", "/api/rounds/abc/", "/api/councils/a%20b/"])
def test_any_other_api_address_is_a_json_404(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(api, rounds, method):
    response = getattr(api, method)("/api/rounds/2004/ratings/", {}, format="json")
    assert response.status_code == 405


def test_no_authentication_and_no_cookies(api, rounds):
    response = api.get("/api/rounds/2004/ratings/")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize(
    "url",
    [
        "/api/",
        "/api/councils/",
        "/api/councils/aford/",
        "/api/rounds/",
        "/api/rounds/2004/",
        "/api/rounds/2004/ratings/",
        "/api/rounds/2004/summary/",
        "/api/indicators/",
        "/api/rounds/2004/indicator-values/",
    ],
)
def test_the_browsable_api(api, rounds, url):
    response = api.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_docs_page_serves_its_assets_locally(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn." not in page and "https://" not in page


def test_summary_when_every_council_is_in_a_group(api):
    rating = RatingFactory(round__year=2004)
    GroupMembershipFactory(council=rating.council, year=2004)
    assert get(api, "/api/rounds/2004/summary/")["councils"] == 1


def test_sample_rounds_are_marked(api):
    sample = AssessmentRoundFactory(year=2002, is_sample=True)
    RatingFactory(round=sample)
    assert get(api, "/api/rounds/")["results"][0]["is_sample"] is True
    assert get(api, "/api/rounds/2002/ratings/")["results"][0]["is_sample"] is True
    assert get(api, "/api/rounds/2002/summary/")["is_sample"] is True


# --- the embargo ---------------------------------------------------------------------------


@pytest.fixture
def embargoed(rounds):
    """The 2005 round scheduled for a week from now, with ratings and indicator values,
    and a 2004 revision for Aford that is published only tomorrow."""
    now = timezone.now()
    round_2005 = AssessmentRoundFactory(year=2005, publication_at=now + dt.timedelta(days=7))
    for council in rounds.values():
        RatingFactory(round=round_2005, council=council, adults_serving="no")
    IndicatorValueFactory(
        round=round_2005, council=rounds["Aford"], indicator=IndicatorFactory(code="D4")
    )
    RatingFactory(
        round=models.AssessmentRound.objects.get(year=2004),
        council=rounds["Aford"],
        revision=2,
        published_at=now + dt.timedelta(days=1),
        adults_serving="no",
        note="Corrected.",
    )
    AssessmentRoundFactory(year=2006, draft=True)
    return now


def test_an_embargoed_round_is_nowhere(api, embargoed):
    assert [r["year"] for r in get(api, "/api/rounds/")["results"]] == [2003, 2004]
    assert get(api, "/api/")["latest_round"].endswith("/api/rounds/2004/")
    for year in (2005, 2006):
        for suffix in ("", "ratings/", "summary/", "indicator-values/"):
            response = api.get(f"/api/rounds/{year}/{suffix}")
            assert response.status_code == 404
            assert response.json() == {"detail": f"There is no published round for {year}."}
    history = get(api, "/api/councils/aford/")["ratings"]
    assert [(r["year"], r["revision"]) for r in history] == [(2003, 1), (2004, 1)]


def test_a_revision_waits_for_its_own_publication_time(api, embargoed):
    aford = get(api, "/api/rounds/2004/ratings/")["results"][0]
    assert (aford["council"], aford["revision"], aford["stars"]) == ("Aford", 1, 3)
    summary = get(api, "/api/rounds/2004/summary/")
    assert summary["stars"] == {"0": 1, "1": 2, "2": 1, "3": 1}


def test_everything_appears_once_published(api, embargoed):
    with time_machine.travel(embargoed + dt.timedelta(days=1, minutes=1), tick=False):
        aford = get(api, "/api/rounds/2004/ratings/")["results"][0]
        assert (aford["revision"], aford["adults_serving"], aford["stars"]) == (2, "no", 0)
        history = get(api, "/api/councils/aford/")["ratings"]
        assert [(r["year"], r["revision"], r["is_current"]) for r in history] == [
            (2003, 1, True),
            (2004, 1, False),
            (2004, 2, True),
        ]
        published_at = dt.datetime.fromisoformat(history[-1]["published_at"].replace("Z", "+00:00"))
        assert published_at == embargoed + dt.timedelta(days=1)
        assert history[-1]["note"] == "Corrected."
        assert api.get("/api/rounds/2005/").status_code == 404
    with time_machine.travel(embargoed + dt.timedelta(days=7, minutes=1), tick=False):
        assert [r["year"] for r in get(api, "/api/rounds/")["results"]] == [2003, 2004, 2005]
        assert get(api, "/api/rounds/2005/ratings/")["count"] == 5
        assert get(api, "/api/rounds/2005/summary/")["councils"] == 5
        assert get(api, "/api/rounds/2005/indicator-values/")["count"] == 1
        assert get(api, "/api/")["latest_round"].endswith("/api/rounds/2005/")
        assert api.get("/api/rounds/2006/").status_code == 404  # a draft never shows


# --- query counts --------------------------------------------------------------------------


def _dataset(councils: int):
    previous = AssessmentRoundFactory(year=2003)
    current = AssessmentRoundFactory(year=2004)
    group = GroupFactory()
    indicator = IndicatorFactory(code="A1")
    KeyIndicatorCapFactory(indicator=indicator)
    for n in range(councils):
        council = CouncilFactory()
        RatingFactory(round=previous, council=council, children_serving="some")
        RatingFactory(round=current, council=council)
        if n % 5 == 0:
            RatingFactory(
                round=current,
                council=council,
                revision=2,
                published_at=dt.datetime(2004, 12, 1, tzinfo=dt.UTC),
            )
        if n % 2 == 0:
            GroupMembershipFactory(group=group, council=council, year=2004)
        IndicatorValueFactory(round=current, council=council, indicator=indicator)
    return council.slug


LIST_URLS = [
    "/api/",
    "/api/councils/",
    "/api/councils/{slug}/",
    "/api/rounds/",
    "/api/rounds/2004/",
    "/api/rounds/2004/ratings/",
    "/api/rounds/2004/ratings/?stars=2&stars=3&group=childrens-trust-pathfinders&ordering=-stars",
    "/api/rounds/2004/ratings/?format=csv",
    "/api/indicators/",
    "/api/rounds/2004/indicator-values/",
    "/api/rounds/2004/indicator-values/?format=csv",
]
# The summary is the round's lookup plus national_summary's own fixed eight queries.
SUMMARY_URL = "/api/rounds/2004/summary/"


def _query_counts(api, slug, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    for url in [*LIST_URLS, SUMMARY_URL]:
        url = url.format(slug=slug)
        with django_assert_max_num_queries(8) as captured:
            assert api.get(url).status_code == 200
        counts[url.replace(slug, "{slug}")] = len(captured)
    return counts


def test_a_fixed_number_of_queries_whatever_the_number_of_councils(
    api, django_assert_max_num_queries
):
    slug = _dataset(10)
    few = _query_counts(api, slug, django_assert_max_num_queries)
    slug = _dataset_more(50)
    many = _query_counts(api, slug, django_assert_max_num_queries)
    assert models.Council.objects.count() == 60
    assert few == many
    assert max(count for url, count in many.items() if url != SUMMARY_URL) <= 8


def _dataset_more(councils: int) -> str:
    previous, current = (models.AssessmentRound.objects.get(year=y) for y in (2003, 2004))
    group = models.Group.objects.get()
    indicator = models.Indicator.objects.get(code="A1")
    for n in range(councils):
        council = CouncilFactory()
        RatingFactory(round=previous, council=council)
        RatingFactory(round=current, council=council, adults_serving="yes")
        if n % 2 == 0:
            GroupMembershipFactory(group=group, council=council, year=2004)
        IndicatorValueFactory(round=current, council=council, indicator=indicator)
    return council.slug
