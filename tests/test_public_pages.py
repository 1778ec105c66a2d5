"""The other public ratings pages (rounds, national summary, compare), the sitemap, and
what holds for every page: the embargo, one h1, no inline script or style."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.utils import timezone

from ratings import embargo, summary
from ratings.models import AssessmentRound, Rating

from .factories import (
    AssessmentRoundFactory,
    CouncilFactory,
    CPAResultFactory,
    GroupMembershipFactory,
    RatingFactory,
    RegionFactory,
    rate_councils,
)
from .test_league_table import bulk_round

pytestmark = pytest.mark.django_db

JUDGEMENTS = {
    2003: {
        "Aford": ("most", "promising", "most", "promising"),  # 2
        "Bford": ("some", "promising", "some", "promising"),  # 1
        "Cford": ("no", "poor", "some", "uncertain"),  # 0
        "Dford": ("yes", "promising", "most", "promising"),  # 3
        "Eford": ("some", "promising", "most", "promising"),  # 2
    },
    2004: {
        "Aford": ("yes", "excellent", "most", "promising"),  # 3
        "Bford": ("some", "promising", "some", "promising"),  # 1
        "Cford": ("some", "promising", "some", "uncertain"),  # 1
        "Dford": ("most", "promising", "most", "promising"),  # 2
        "Eford": ("no", "poor", "most", "promising"),  # 0
    },
}


@pytest.fixture
def rounds():
    north = RegionFactory(name="North West")
    london = RegionFactory(name="London")
    regions = {"Aford": north, "Bford": north, "Cford": london, "Dford": london, "Eford": north}
    types = {"Aford": "county", "Bford": "unitary", "Cford": "london_borough"}
    councils = {
        name: CouncilFactory(
            name=name, region=regions[name], council_type=types.get(name, "unitary")
        )
        for name in regions
    }
    for year, judgements in JUDGEMENTS.items():
        round = AssessmentRoundFactory(year=year, is_sample=year == 2004)
        rate_councils(round, councils, judgements)
    GroupMembershipFactory(council=councils["Aford"], year=2004)
    GroupMembershipFactory(council=councils["Eford"], year=2004)
    CPAResultFactory(council=councils["Aford"], education_score=4, childrens_social_care_score=2)
    CPAResultFactory(
        council=councils["Bford"], category="weak", education_score=2, childrens_social_care_score=2
    )
    CPAResultFactory(
        council=councils["Cford"], category="poor", education_score=1, childrens_social_care_score=3
    )
    return councils


def get(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, url
    return response.content.decode()


# --- rounds -------------------------------------------------------------------------------


def test_rounds_lists_published_rounds_with_links(client, rounds):
    AssessmentRoundFactory(year=2005, embargoed=True)
    html = get(client, "/ratings/")
    assert html.count("<h1") == 1
    assert 'href="/ratings/2004/"' in html and 'href="/ratings/2004/summary/"' in html
    assert 'href="/ratings/2003/"' in html and 'href="/ratings/2003/summary/"' in html
    assert "2005" not in html
    assert html.index("ratings 2004") < html.index("ratings 2003")  # newest first
    assert "Sample data" in html


def test_rounds_with_nothing_published(client):
    assert "No ratings have been published yet" in get(client, "/ratings/")


# --- the national summary -----------------------------------------------------------------


def test_summary_shows_every_figure_from_national_summary(client, rounds):
    html = get(client, "/ratings/2004/summary/")
    expected = summary.national_summary(embargo.published_round(2004))
    assert html.count("<h1") == 1
    for line in expected.headlines:
        assert line.replace("'", "&#x27;") in html
    assert html.index("Headlines") < html.index("Councils by number of stars")
    assert "sample data, not the real published ratings" in html
    # Star distribution, counts and shares.
    assert '☆☆☆</span> <span class="stars__text">0 stars</span>' in html
    assert "20.0%" in html and "40.0%" in html
    # Two or three stars, and the change since 2003 (60% to 40%).
    assert "↓ Down 20.0 percentage points (from 60.0%)" in html
    # Serving most people well, and prospects.
    assert "Serving most or all adults well" in html
    assert "Children’s prospects promising or excellent" in html
    # Movers.
    for mover in expected.movers_up + expected.movers_down:
        assert mover.describe() in html
    assert "Aford: from two to three stars in two years" in html
    # Zero stars and special measures.
    assert "Eford" in html[html.index("Zero stars and special measures") :]
    assert "Went on to special measures" in html and "Came off special measures" in html
    # Groups.
    assert "Children&#x27;s Trust pathfinders" in html
    assert 'href="/ratings/2004/?group=childrens-trust-pathfinders"' in html
    # CPA categories and education against children's social care.
    assert "Councils by CPA category, 2004" in html
    cpa = html[html.index("Education score compared") :]
    assert re.search(r"Two points higher</th>\s*<td[^>]*>1<", cpa)
    assert re.search(r"Same</th>\s*<td[^>]*>1<", cpa)
    assert re.search(r"Lower</th>\s*<td[^>]*>1<", cpa)


def test_summary_of_the_first_round_has_no_change(client, rounds):
    html = get(client, "/ratings/2003/summary/")
    assert "Change since" not in html
    assert "sample data, not the real published ratings" not in html


def test_summary_of_an_unpublished_round_is_not_found(client, rounds):
    AssessmentRoundFactory(year=2005, embargoed=True)
    get(client, "/ratings/2005/summary/", 404)
    get(client, "/ratings/1999/summary/", 404)


def test_summary_last_modified(client, rounds):
    Rating.objects.update(created_at=dt.datetime(2004, 1, 1, tzinfo=dt.UTC))
    response = client.get("/ratings/2004/summary/")
    assert response["Last-Modified"] == "Thu, 18 Nov 2004 00:00:00 GMT"
    again = client.get("/ratings/2004/summary/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.parametrize("count", [150, 1500])
def test_summary_queries(client, django_assert_max_num_queries, count):
    bulk_round(count)
    # A fixed number whatever the number of councils: the figures, and one query each
    # for the publication's details, the published figures it is checked against and the
    # CPA categories as published.
    with django_assert_max_num_queries(10):
        get(client, "/ratings/2004/summary/")


# --- compare ------------------------------------------------------------------------------


def test_compare_two_councils(client, rounds):
    html = get(client, "/compare/", councils="aford,dford")
    assert html.count("<h1") == 1
    assert "councils side by side" in html
    table = html[html.index("councils side by side") : html.index("Against England")]
    assert table.index("Aford") < table.index("Dford")
    assert '★★★</span> <span class="stars__text">3 stars</span>' in table
    assert "All people" in table and "Excellent" in table
    assert "↑ Up from 2" in table and "↓ Down from 3" in table
    assert "Stars in each published round" in html
    assert html.count('role="img"') == 2
    assert 'value="aford, dford"' in html


def test_compare_four_councils_by_name_or_slug(client, rounds):
    response = client.get("/compare/", {"councils": "Aford, bford,CFORD,d-ford"})
    assert response.status_code == 400  # "d-ford" is not a council
    response = client.get("/compare/", {"councils": "Aford, bford,CFORD,dford"})
    assert response.status_code == 200
    assert [c.council.name for c in response.context["comparison"].councils] == [
        "Aford",
        "Bford",
        "Cford",
        "Dford",
    ]


def test_compare_one_council_against_region_type_and_england(client, rounds):
    html = get(client, "/compare/", councils="eford")
    assert "Eford against its region, its type and England, 2004" in html
    # England: stars 3,1,1,2,0 (average 1.4); North West: Aford 3, Bford 1, Eford 0.
    assert "England (5 councils)" in html and "1.4" in html
    assert "North West (3 councils)" in html and "1.3" in html
    # Unitary authorities: Bford 1, Dford 2, Eford 0 -> 1.0.
    assert "Unitary authority (3 councils)" in html
    # Serving most adults well in England: Aford (yes) and Dford (most): 40%.
    assert "40.0%" in html
    assert "Serving most children well" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"councils": ""}, "Enter at least one council"),
        ({"councils": " , ,"}, "Enter at least one council"),
        ({"councils": "aford,bford,cford,dford,eford"}, "Compare at most 4 councils"),
        ({"councils": "aford,nowhere"}, "&#x27;nowhere&#x27; is not a council"),
        ({"councils": "Afrod"}, "did you mean Aford"),
    ],
)
def test_compare_bad_input_is_a_clear_error(client, rounds, query, message):
    response = client.get("/compare/", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert '<label class="govuk-label govuk-label--s" for="councils">' in html


def test_compare_counts_a_very_long_list_of_names_quickly(client, rounds):
    import time

    names = ",".join(f"council {i}" for i in range(20_000))  # 250 KB of names
    started = time.perf_counter()
    response = client.get("/compare/", {"councils": names})
    assert time.perf_counter() - started < 2  # each name was compared with every other
    assert response.status_code == 400
    assert "Compare at most 4 councils; you entered 20,000." in response.content.decode()


def test_compare_without_a_choice_shows_the_form(client, rounds):
    html = get(client, "/compare/")
    assert 'name="councils"' in html
    assert "There is a problem" not in html


def test_compare_repeats_are_ignored(client, rounds):
    response = client.get("/compare/", {"councils": ["aford", "Aford,aford"]})
    assert response.status_code == 200
    assert len(response.context["comparison"].councils) == 1


def test_compare_queries(client, django_assert_max_num_queries):
    bulk_round(1500)
    with django_assert_max_num_queries(8):
        get(client, "/compare/", councils="council-00001,council-00002,council-00003")
    with django_assert_max_num_queries(8):
        get(client, "/compare/", councils="council-00001")


# --- the sitemap --------------------------------------------------------------------------


def sitemap_urls(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def test_sitemap_lists_rounds_and_councils(client, rounds):
    urls = sitemap_urls(client)
    for path in (
        "/ratings/",
        "/ratings/2004/",
        "/ratings/2004/summary/",
        "/ratings/2003/",
        "/councils/aford/",
        "/councils/aford/2003/",
        "/councils/eford/2004/",
    ):
        assert f"http://testserver{path}" in urls


# --- the embargo, on every page -----------------------------------------------------------


@pytest.fixture
def embargoed(rounds):
    """A round scheduled for next week and a correction due tomorrow."""
    future = AssessmentRoundFactory(year=2005, embargoed=True)
    for council in rounds.values():
        RatingFactory(
            round=future,
            council=council,
            adults_serving="no",
            note="EMBARGOED-ROUND",
        )
    RatingFactory(
        round=AssessmentRound.objects.get(year=2004),
        council=rounds["Eford"],
        revision=2,
        published_at=timezone.now() + dt.timedelta(days=1),
        adults_serving="yes",
        adults_prospects="excellent",
        children_serving="yes",
        children_prospects="excellent",
        note="EMBARGOED-REVISION",
    )
    return rounds


PAGES = [
    "/ratings/",
    "/ratings/2004/",
    "/ratings/2004/?sort=-stars",
    "/ratings/2004/?_export=csv",
    "/ratings/2004/?_export=json",
    "/ratings/2004/summary/",
    "/councils/eford/",
    "/councils/eford/2004/",
    "/councils/aford/",
    "/compare/?councils=eford",
    "/compare/?councils=eford,aford",
    "/councils/?q=ford",
    "/councils/suggest/?q=ford",
    "/sitemap.xml",
]


@pytest.mark.parametrize("url", PAGES)
def test_nothing_embargoed_appears(client, embargoed, url):
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "EMBARGOED" not in text
    assert "/2005/" not in text and "2005:" not in text and "ratings 2005" not in text


def test_the_embargoed_revision_does_not_change_the_figures(client, embargoed):
    html = get(client, "/ratings/2004/summary/")
    assert "Eford" in html[html.index("Zero stars and special measures") :]
    rows = client.get("/ratings/2004/", {"_export": "json"}).json()
    assert {row["council"]: row["stars"] for row in rows}["Eford"] == 0


def test_everything_appears_once_published(client, embargoed):
    AssessmentRound.objects.filter(year=2005).update(
        publication_at=timezone.now() - dt.timedelta(minutes=1)
    )
    Rating.objects.filter(revision=2).update(published_at=timezone.now() - dt.timedelta(minutes=1))
    assert get(client, "/ratings/2005/")
    assert "EMBARGOED-REVISION" in get(client, "/councils/eford/2004/")
    assert "http://testserver/ratings/2005/" in sitemap_urls(client)


# --- every page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [p for p in PAGES if "_export" not in p and "xml" not in p and "suggest" not in p]
)
def test_one_h1_breadcrumbs_and_no_inline_script_or_style(client, rounds, url):
    html = get(client, url)
    assert html.count("<h1") == 1
    assert 'class="govuk-breadcrumbs"' in html
    assert " style=" not in html
    for script in re.findall(r"<script[^>]*>", html):
        assert "src=" in script


def test_templates_have_no_inline_script_or_style():
    folder = settings.BASE_DIR / "templates" / "ratings"
    for template in folder.rglob("*.html"):
        text = template.read_text()
        assert " style=" not in text, template
        assert "<style" not in text, template
        for script in re.findall(r"<script[^>]*>", text):
            assert "src=" in script, template
        assert not re.search(r"\son[a-z]+=", text), template  # no onclick= and the like
