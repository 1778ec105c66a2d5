"""The league table /ratings/<year>/: content, sorting, filters, downloads, embargo and the
number of queries."""

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from django.utils import timezone
from django.utils.http import http_date

from ratings import rules
from ratings.models import (
    AssessmentRound,
    Council,
    CouncilType,
    Rating,
    RatingStatus,
    RoundStatus,
    ServiceJudgement,
)

from .factories import (
    AssessmentRoundFactory,
    CouncilFactory,
    GroupMembershipFactory,
    RatingFactory,
    RegionFactory,
    rate_councils,
)

pytestmark = pytest.mark.django_db

URL = "/ratings/2004/"
ROW_HEADER = re.compile(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a></th>')


def names(response) -> list[str]:
    """The councils in the table, in order."""
    return ROW_HEADER.findall(response.content.decode())


def bulk_round(count: int, *, years=(2003, 2004), is_sample=False) -> list[Council]:
    """``count`` councils rated in published rounds of ``years``, made with bulk_create."""
    regions = [RegionFactory(name=f"Region {i}") for i in range(9)]
    types = list(CouncilType.values)
    councils = Council.objects.bulk_create(
        Council(
            name=f"Council {i:05d}",
            slug=f"council-{i:05d}",
            council_type=types[i % len(types)],
            region=regions[i % len(regions)],
        )
        for i in range(count)
    )
    for offset, year in enumerate(years):
        round = AssessmentRoundFactory(year=year, is_sample=is_sample)
        ratings = Rating.objects.bulk_create(
            Rating(
                round=round,
                council=council,
                stars=(i + offset) % 4,
                status=RatingStatus.RATED,
                on_special_measures=(i + offset) % 4 == 0,
                reasons=["Sample reason."],
            )
            for i, council in enumerate(councils)
        )
        ServiceJudgement.objects.bulk_create(
            ServiceJudgement(
                rating=rating,
                service=service,
                serving=rules.SERVING_LEVELS[(i + offset) % 4],
                prospects=rules.PROSPECT_LEVELS[(i + 2 * offset) % 4],
            )
            for i, rating in enumerate(ratings)
            for service in rules.SERVICES
        )
    return councils


@pytest.fixture
def league():
    """Five councils rated in 2003 and 2004 (2004 is sample data)."""
    north = RegionFactory(name="North West")
    london = RegionFactory(name="London")
    councils = {
        "Aford": CouncilFactory(name="Aford", region=north, council_type="county"),
        "Bford": CouncilFactory(name="Bford", region=north, council_type="metropolitan"),
        "Cford": CouncilFactory(name="Cford", region=london, council_type="london_borough"),
        "Dford": CouncilFactory(name="Dford", region=london, council_type="london_borough"),
        "Eford": CouncilFactory(name="Eford", region=north, council_type="unitary"),
    }
    r2003 = AssessmentRoundFactory(year=2003)
    r2004 = AssessmentRoundFactory(year=2004, is_sample=True)
    judgements_2003 = {
        "Aford": ("most", "promising", "most", "promising"),  # 2
        "Bford": ("some", "promising", "some", "promising"),  # 1
        "Cford": ("no", "poor", "some", "uncertain"),  # 0
        "Dford": ("yes", "promising", "most", "promising"),  # 3
        "Eford": ("some", "promising", "most", "promising"),  # 2
    }
    judgements_2004 = {
        "Aford": ("yes", "excellent", "most", "promising"),  # 3
        "Bford": ("some", "promising", "some", "promising"),  # 1
        "Cford": ("some", "promising", "some", "uncertain"),  # 1
        "Dford": ("most", "promising", "most", "promising"),  # 2
        "Eford": ("no", "poor", "most", "promising"),  # 0
    }
    for round, judgements in ((r2003, judgements_2003), (r2004, judgements_2004)):
        rate_councils(round, councils, judgements)
    GroupMembershipFactory(council=councils["Aford"], year=2004)
    GroupMembershipFactory(council=councils["Eford"], year=2004)
    GroupMembershipFactory(council=councils["Bford"], year=2003)
    return councils


def test_every_council_with_stars_judgements_change_and_flags(client, league):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert names(response) == ["Aford", "Bford", "Cford", "Dford", "Eford"]
    assert '★★★</span> <span class="stars__text">3 stars</span>' in html
    assert '☆☆☆</span> <span class="stars__text">0 stars</span>' in html
    for text in ["All people", "Most people", "Some people", "No people", "Excellent"]:
        assert text in html
    assert "Promising" in html and "Poor" in html
    assert "↑ Up from 2" in html  # Aford
    assert "↓ Down from 3" in html  # Dford
    assert "→ Same (1 star)" in html  # Bford
    assert "On special measures" in html  # Eford
    assert "North West" in html and "London borough" in html and "County council" in html
    assert "sample data, not the real published ratings" in html  # the banner
    assert '<caption id="league-table-caption"' in html
    assert html.count('scope="col"') >= 10
    assert 'aria-sort="ascending"' in html  # sorted by council name by default
    assert html.count("<h1") == 1


def test_a_round_that_is_not_published_is_not_found(client, league):
    AssessmentRoundFactory(year=2005, embargoed=True)
    AssessmentRoundFactory(year=2006, draft=True)
    for year in (2005, 2006, 2001, 2099):
        assert client.get(f"/ratings/{year}/").status_code == 404
    assert client.get("/ratings/99999999999999999999/").status_code == 404
    assert client.get("/ratings/2005/?_export=csv").status_code == 404


SORTS = {
    # column: (ascending order, descending order)
    "council": ("ABCDE", "EDCBA"),
    "stars": ("EBCDA", "ADBCE"),
    "adults_serving": ("EBCDA", "ADBCE"),
    "adults_prospects": ("EBCDA", "ABCDE"),
    "children_serving": ("BCADE", "ADEBC"),
    "children_prospects": ("CABDE", "ABDEC"),
    "change": ("EDBAC", "ACBDE"),
    "on_special_measures": ("ABCDE", "EABCD"),
    "region": ("CDABE", "ABECD"),
    "council_type": ("ACDBE", "EBCDA"),
}


@pytest.mark.parametrize("column", SORTS)
def test_every_column_sorts_both_ways(client, league, column):
    ascending, descending = SORTS[column]
    for sort, expected in ((column, ascending), (f"-{column}", descending)):
        response = client.get(URL, {"sort": sort})
        assert response.status_code == 200
        assert "".join(name[0] for name in names(response)) == expected, sort
        direction = "descending" if sort.startswith("-") else "ascending"
        assert response.content.decode().count(f'aria-sort="{direction}"') == 1


def test_sort_links_keep_the_filters_and_drop_the_page(client, league):
    html = client.get(URL, {"region": "london", "page": "1"}).content.decode()
    assert 'href="?region=london&amp;sort=stars"' in html


def test_an_unknown_sort_is_ignored(client, league):
    response = client.get(URL, {"sort": "password"})
    assert response.status_code == 200
    assert names(response) == ["Aford", "Bford", "Cford", "Dford", "Eford"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"region": "london"}, ["Cford", "Dford"]),
        ({"type": "london_borough"}, ["Cford", "Dford"]),
        ({"type": "county"}, ["Aford"]),
        ({"stars": ["1"]}, ["Bford", "Cford"]),
        ({"stars": ["0", "3"]}, ["Aford", "Eford"]),
        ({"special_measures": "yes"}, ["Eford"]),
        ({"special_measures": "no"}, ["Aford", "Bford", "Cford", "Dford"]),
        ({"group": "childrens-trust-pathfinders"}, ["Aford", "Eford"]),
        ({"change": ["up"]}, ["Aford", "Cford"]),
        ({"change": ["down"]}, ["Dford", "Eford"]),
        ({"change": ["same"]}, ["Bford"]),
        ({"change": ["up", "same"]}, ["Aford", "Bford", "Cford"]),
        ({"region": "north-west", "stars": ["1", "3"]}, ["Aford", "Bford"]),
        (
            {"region": "", "type": "", "special_measures": ""},
            ["Aford", "Bford", "Cford", "Dford", "Eford"],
        ),
    ],
)
def test_each_filter(client, league, query, expected):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert names(response) == expected


def test_group_filter_offers_only_groups_with_members_that_year(client, league):
    html = client.get(URL).content.decode()
    assert 'value="childrens-trust-pathfinders"' in html
    html_2003 = client.get("/ratings/2003/").content.decode()
    assert 'value="childrens-trust-pathfinders"' in html_2003  # Bford in 2003
    # Membership in another year does not count: Bford is not a 2004 member.
    response = client.get("/ratings/2003/", {"group": "childrens-trust-pathfinders"})
    assert names(response) == ["Bford"]


def test_a_council_in_two_groups_is_listed_once(client, league):
    from .factories import GroupFactory

    other = GroupFactory(slug="coasting-councils", name="Coasting councils")
    GroupMembershipFactory(group=other, council=league["Aford"], year=2004)
    for group in ("childrens-trust-pathfinders", "coasting-councils"):
        response = client.get(URL, {"group": group})
        assert names(response).count("Aford") == 1


@pytest.mark.parametrize(
    "query",
    [
        {"stars": ["7"]},
        {"stars": ["two"]},
        {"region": "atlantis"},
        {"type": "parish"},
        {"special_measures": "maybe"},
        {"group": "nope"},
        {"change": ["sideways"]},
    ],
)
def test_an_invalid_filter_is_a_form_error_not_a_server_error(client, league, query):
    response = client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "govuk-error-message" in html
    assert "Select a valid choice" in html
    assert response.context["filter"].errors
    # Downloads with a bad filter are refused the same way.
    assert client.get(URL, {**query, "_export": "csv"}).status_code == 400


def test_the_filter_form_is_labelled(client, league):
    html = client.get(URL).content.decode()
    for field in ("region", "type", "group"):
        assert f'<label class="govuk-label" for="id_{field}">' in html
    for legend in ("Stars", "Special measures", "Change since the previous round"):
        assert f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}' in html
    assert 'method="get"' in html


def test_a_region_name_with_an_ampersand_is_escaped_once(client):
    """In the table's cells and in the region filter's options alike."""
    region = RegionFactory(name="A & B", slug="a-b")
    RatingFactory(round__year=2004, council__name="Ayton", council__region=region)
    RatingFactory(
        round__year=2004,
        council__name="Beeton & Sea",
        council__slug="beeton-sea",
        council__region=region,
    )

    for query in ({}, {"region": "a-b"}):
        html = client.get(URL, query).content.decode()
        assert "&amp;amp;" not in html
        assert html.count('<td class="govuk-table__cell">A &amp; B</td>') == 2
        assert re.search(r'<option value="a-b"( selected)?>A &amp; B</option>', html)
        assert ">Beeton &amp; Sea</a></th>" in html

    download = client.get(URL, {"_export": "csv"}).content.decode("utf-8-sig")
    assert {row["region"] for row in csv.DictReader(io.StringIO(download))} == {"A & B"}


# --- downloads ----------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "council",
    "region",
    "type",
    "stars",
    "adults_serving",
    "adults_prospects",
    "children_serving",
    "children_prospects",
    "change",
    "on_special_measures",
    "is_sample",
    "provenance",
    "source",
]


def test_csv_download(client, league):
    response = client.get(URL, {"_export": "csv", "region": "london"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="star-ratings-2004.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert rows == [
        {
            "council": "Cford",
            "region": "London",
            "type": "london_borough",
            "stars": "1",
            "adults_serving": "some",
            "adults_prospects": "promising",
            "children_serving": "some",
            "children_prospects": "uncertain",
            "change": "up",
            "on_special_measures": "no",
            "is_sample": "yes",
            "provenance": "sample",
            "source": "",
        },
        {
            "council": "Dford",
            "region": "London",
            "type": "london_borough",
            "stars": "2",
            "adults_serving": "most",
            "adults_prospects": "promising",
            "children_serving": "most",
            "children_prospects": "promising",
            "change": "down",
            "on_special_measures": "no",
            "is_sample": "yes",
            "provenance": "sample",
            "source": "",
        },
    ]
    assert "★" not in response.content.decode()


def test_json_download_follows_the_sort(client, league):
    response = client.get(URL, {"_export": "json", "sort": "-stars"})
    assert response.status_code == 200
    assert 'filename="star-ratings-2004.json"' in response["Content-Disposition"]
    rows = json.loads(response.content)
    assert [row["council"] for row in rows] == ["Aford", "Dford", "Bford", "Cford", "Eford"]
    assert rows[0]["stars"] == 3
    assert rows[-1]["on_special_measures"] == "yes"
    assert set(rows[0]) == set(EXPORT_COLUMNS)


def test_xlsx_download(client, league):
    response = client.get(URL, {"_export": "xlsx", "special_measures": "yes"})
    assert response.status_code == 200
    assert 'filename="star-ratings-2004.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert rows[1][:4] == ("Eford", "North West", "unitary", 0)
    assert len(rows) == 2


def test_download_of_a_real_round_says_it_is_not_sample(client, league):
    rows = list(csv.DictReader(io.StringIO(client.get("/ratings/2003/?_export=csv").text)))
    assert {row["is_sample"] for row in rows} == {"no"}
    assert {row["change"] for row in rows} == {""}  # no earlier round


@pytest.mark.parametrize("fmt", ["yaml", "ods", "latex", "pdf", ""])
def test_other_download_formats_are_refused(client, league, fmt):
    response = client.get(URL, {"_export": fmt})
    assert response.status_code == 400
    assert "Choose a download format" in response.content.decode()


def test_the_page_links_to_the_downloads_of_the_filtered_view(client, league):
    html = client.get(URL, {"region": "london"}).content.decode()
    assert 'href="?region=london&amp;_export=csv"' in html
    assert 'href="?region=london&amp;_export=xlsx"' in html
    assert 'href="?region=london&amp;_export=json"' in html


# --- embargo ------------------------------------------------------------------------------


def test_a_future_revision_is_not_shown_or_downloaded(client, league):
    RatingFactory(
        round=AssessmentRound.objects.get(year=2004),
        council=league["Eford"],
        revision=2,
        published_at=timezone.now() + dt.timedelta(days=3),
        adults_serving="yes",
        adults_prospects="excellent",
        children_serving="yes",
        children_prospects="excellent",
        note="Corrected after appeal",
    )
    html = client.get(URL, {"sort": "-stars"}).content.decode()
    assert names(client.get(URL, {"sort": "-stars"}))[-1] == "Eford"  # still 0 stars
    assert "Corrected after appeal" not in html
    rows = json.loads(client.get(URL, {"_export": "json"}).content)
    assert [r["stars"] for r in rows if r["council"] == "Eford"] == [0]
    assert client.get(URL, {"stars": "3"}).context["table"].paginator.count == 1


def test_a_published_revision_replaces_the_first(client, league):
    RatingFactory(
        round=AssessmentRound.objects.get(year=2004),
        council=league["Eford"],
        revision=2,
        published_at=timezone.now() - dt.timedelta(days=1),
        adults_serving="most",
    )
    response = client.get(URL, {"sort": "-stars"})
    assert names(response).count("Eford") == 1
    assert names(response)[:2] == ["Aford", "Dford"]


def test_an_embargoed_round_is_not_the_previous_round(client, league):
    AssessmentRound.objects.filter(year=2003).update(
        publication_at=timezone.now() + dt.timedelta(days=1)
    )
    html = client.get(URL).content.decode()
    assert "Up from" not in html and "Down from" not in html
    assert "No earlier rating" in html


# --- conditional requests -----------------------------------------------------------------


@pytest.fixture
def imported_before_publication(league):
    Rating.objects.update(created_at=dt.datetime(2003, 10, 1, tzinfo=dt.UTC))


def test_last_modified_and_not_modified(client, imported_before_publication):
    response = client.get(URL)
    last_modified = response["Last-Modified"]
    assert last_modified == http_date(dt.datetime(2004, 11, 18, tzinfo=dt.UTC).timestamp())
    assert response.has_header("ETag")  # from ConditionalGetMiddleware
    again = client.get(URL, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert again.status_code == 304


def test_a_newly_visible_revision_changes_last_modified(client, imported_before_publication):
    league = {c.name: c for c in Council.objects.all()}
    before = client.get(URL)["Last-Modified"]
    RatingFactory(
        round=AssessmentRound.objects.get(year=2004),
        council=league["Eford"],
        revision=2,
        published_at=timezone.now() - dt.timedelta(seconds=5),
    )
    after = client.get(URL, HTTP_IF_MODIFIED_SINCE=before)
    assert after.status_code == 200
    assert after["Last-Modified"] != before


# --- size: pagination and queries ---------------------------------------------------------


def test_no_pagination_up_to_200_councils(client):
    bulk_round(200)
    response = client.get(URL)
    assert len(names(response)) == 200
    assert "govuk-pagination" not in response.content.decode()


def test_200_a_page_beyond_that(client):
    bulk_round(450)
    first = client.get(URL)
    assert len(names(first)) == 200
    assert 'class="govuk-pagination"' in first.content.decode()
    third = client.get(URL, {"page": "3"})
    assert names(third) == [f"Council {i:05d}" for i in range(400, 450)]
    assert client.get(URL, {"page": "99"}).status_code == 404  # past the last page
    assert client.get(URL, {"page": "x"}).status_code == 400  # not a page number
    # Downloads hold every council, not one page.
    rows = list(csv.DictReader(io.StringIO(client.get(URL, {"_export": "csv"}).text)))
    assert len(rows) == 450


@pytest.mark.parametrize(
    "page",
    [
        "4",
        "9999999999999999999999999",
        "9" * 5000,
        str(2**63),
        str(2**31),
    ],
)
def test_a_page_past_the_end_is_not_found(client, page):
    bulk_round(450)
    response = client.get(URL, {"page": page})
    assert response.status_code == 404
    assert client.get(URL, {"page": page, "region": "region-1"}).status_code == 404


def test_league_rows_never_ask_the_database_for_an_offset_it_cannot_hold():
    from ratings.tables import LeagueRows

    asked = []

    def fetch(*, order_by, offset, limit):
        asked.append((offset, limit))
        return [], 450

    rows = LeagueRows(fetch, page=10**25, per_page=200)
    assert len(rows) == 450
    assert asked == [(0, 200)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "x"}, "Page number must be a whole number, like 2"),
        ({"page": "0"}, "Page number must be 1 or more"),
        ({"page": "000"}, "Page number must be 1 or more"),
        ({"page": "-1"}, "Page number must be a whole number, like 2"),
        ({"page": "-9999999999999999999999999"}, "Page number must be a whole number, like 2"),
        ({"page": "1.5"}, "Page number must be a whole number, like 2"),
        ({"page": "1e400"}, "Page number must be a whole number, like 2"),
        ({"page": "\u0663"}, "Page number must be a whole number, like 2"),  # Arabic-Indic 3
        ({"per_page": "0"}, "Councils per page must be a whole number from 1 to 200"),
        ({"per_page": "-5"}, "Councils per page must be a whole number from 1 to 200"),
        ({"per_page": "201"}, "Councils per page must be a whole number from 1 to 200"),
        ({"per_page": "9" * 30}, "Councils per page must be a whole number from 1 to 200"),
        ({"per_page": "lots"}, "Councils per page must be a whole number from 1 to 200"),
    ],
)
def test_a_page_that_is_not_a_page_number_is_a_400_with_a_message(client, query, message):
    bulk_round(450)
    response = client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert len(names(response)) == 200  # the first page, as if no page had been asked for


def test_rows_per_page_can_be_fewer(client):
    bulk_round(450)
    response = client.get(URL, {"per_page": "50", "page": "9"})
    assert response.status_code == 200
    assert names(response) == [f"Council {i:05d}" for i in range(400, 450)]
    assert client.get(URL, {"per_page": "50", "page": "10"}).status_code == 404
    assert client.get(URL, {"page": ""}).status_code == 200  # an empty field is no page


def test_a_later_page_is_sorted_over_every_council_and_fully_annotated(client):
    # Beyond one page the page's keys are read first, then its annotated rows.
    bulk_round(450)
    rank = {level: index for index, level in enumerate(rules.SERVING_LEVELS)}
    everyone = sorted(
        ((rank[rules.SERVING_LEVELS[(i + 1) % 4]], f"Council {i:05d}") for i in range(450)),
        key=lambda item: (-item[0], item[1]),
    )
    response = client.get(URL, {"sort": "-children_serving", "page": "2"})
    assert names(response) == [name for _, name in everyone[200:400]]
    html = response.content.decode()
    assert html.count("Up from") + html.count("Down from") + html.count("Same (") == 200
    assert "No earlier rating" not in html


@pytest.mark.parametrize("count", [150, 1500])
def test_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    bulk_round(count)
    GroupMembershipFactory(council=Council.objects.first(), year=2004)
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(names(response)) == min(count, 200)
    with django_assert_max_num_queries(8):
        response = client.get(
            URL,
            {
                "sort": "-children_serving",
                "region": "region-1",
                "type": "county",
                "stars": ["1", "2"],
                "special_measures": "no",
                "group": "childrens-trust-pathfinders",
                "change": ["up", "down", "same"],
                "page": "1",
            },
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(URL, {"_export": "csv"}).status_code == 200


def test_round_status_other_than_scheduled_is_never_shown(client, league):
    AssessmentRound.objects.filter(year=2004).update(status=RoundStatus.CLOSED)
    assert client.get(URL).status_code == 404
