"""Provenance on every value: each rating's stars and each of its judgements is Published
(with its source) or Sample, on the council page, in the league table and its downloads,
in the API and in the PDF reports; and nothing under embargo shows through it."""

import csv
import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from ratings import provenance, selectors
from ratings.models import AssessmentRound, Council
from reports import assembly, rendering

from .factories import (
    AssessmentRoundFactory,
    CouncilFactory,
    PublishedFactFactory,
    RatingFactory,
    RegionFactory,
)
from .test_league_table import bulk_round

pytestmark = pytest.mark.django_db

FACT_SOURCE = "Community Care 25 November 2004; https://news.example/walsall-2004"
ROUND_2003_SOURCE = "SSI, Performance ratings 2003"
ROUND_2003_URL = "https://ssi.example/2003"
ZERO = {
    "adults_serving": "no",
    "adults_prospects": "poor",
    "children_serving": "no",
    "children_prospects": "poor",
}
SAMPLE = {"kind": "sample", "source": "", "url": ""}
REFRESH = dt.datetime(2002, 11, 19, tzinfo=dt.UTC)


@pytest.fixture
def record():
    """Walsall and Dudley, rated in 2003 (the inspectorate's own round: published) and in
    2004 (sample data), with one published fact: Walsall's 2004 stars and adults'
    "serving people well"."""
    region = RegionFactory(name="West Midlands")
    walsall = CouncilFactory(name="Walsall", region=region, council_type="metropolitan")
    dudley = CouncilFactory(name="Dudley", region=region, council_type="metropolitan")
    r2003 = AssessmentRoundFactory(
        year=2003,
        publisher="Social Services Inspectorate",
        source=ROUND_2003_SOURCE,
        source_url=ROUND_2003_URL,
    )
    r2004 = AssessmentRoundFactory(year=2004, is_sample=True)
    for council in (walsall, dudley):
        RatingFactory(round=r2003, council=council, adults_serving="some")
    rating = RatingFactory(round=r2004, council=walsall)
    RatingFactory(round=r2004, council=dudley, children_serving="some")
    fact = PublishedFactFactory(
        council=walsall, year=2004, stars=rating.stars, adults_serving="most", source=FACT_SOURCE
    )
    return {"walsall": walsall, "dudley": dudley, "rating": rating, "fact": fact}


def _section(html: str, start: str, end: str = "</table>") -> str:
    at = html.index(start)
    return html[at : html.index(end, at)]


def _history_rows(html: str) -> dict[str, str]:
    table = _section(html, "Every published rating of")
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, flags=re.S)[1:]
    return {re.search(r">(\d{4})</a>", row).group(1): row for row in rows}


def _api(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- compare -----------------------------------------------------------------------------


def test_compare_says_where_each_councils_stars_come_from(client, record):
    html = client.get("/compare/", {"councils": "walsall,dudley"}).content.decode()
    history = _section(html, "Stars in each published round")
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', history, flags=re.S)[1:]
    by_year = {re.search(r">(\d{4})</th>", row).group(1): row for row in rows}
    cells = {year: re.findall(r"<td.*?</td>", row, flags=re.S) for year, row in by_year.items()}
    # Columns: Walsall, Dudley. 2004 is sample data but for Walsall's published stars; 2003
    # is the inspectorate's own round.
    assert "provenance--published" in cells["2004"][0]
    assert "provenance--sample" in cells["2004"][1]
    assert all("provenance--published" in cell for cell in cells["2003"])
    assert 'govuk-tag--yellow">Sample</strong>' not in history


# --- the council page -------------------------------------------------------------------------


def test_a_published_fact_shows_published_with_its_source_on_the_council_page(client, record):
    html = client.get("/councils/walsall/2004/").content.decode()
    stars = _section(html, "council-stars__source", "</p>")
    assert "Published" in stars and 'href="#source-1"' in stars
    sources = _section(html, 'id="sources"', "</ol>")
    assert '<li id="source-1">Community Care 25 November 2004;' in sources
    assert 'href="https://news.example/walsall-2004"' in sources
    # The fact states adults' "serving people well" and nothing else of the judgements.
    judgements = _section(html, "The four judgements behind")
    assert judgements.count("provenance--published") == 1
    assert judgements.count("provenance--sample") == 3
    assert "Sample</span>" in judgements  # in words, not colour alone
    # The history: 2004 cites the fact, 2003 (not sample data) its round.
    rows = _history_rows(html)
    assert 'href="#source-1"' in rows["2004"]
    assert 'href="#source-2"' in rows["2003"]
    assert (
        f"Social Services Inspectorate; Social services star ratings 2003; {ROUND_2003_SOURCE}"
        in (sources)
    )
    assert f'href="{ROUND_2003_URL}"' in sources
    # No blanket "Sample" tag on a published value; the round's sample notice stays.
    assert 'govuk-tag--yellow">Sample</strong>' not in html
    assert "ratings on this page are sample data" in html


def test_a_value_no_fact_supports_shows_sample(client, record):
    html = client.get("/councils/dudley/2004/").content.decode()
    stars = _section(html, "council-stars__source", "</p>")
    assert "Sample" in stars and "Published" not in stars
    judgements = _section(html, "The four judgements behind")
    assert judgements.count("provenance--sample") == 4
    rows = _history_rows(html)
    assert "provenance--sample" in rows["2004"]
    assert 'href="#source-1"' in rows["2003"]  # the only source cited: the 2003 round


def test_a_round_that_is_not_sample_data_is_published_with_its_citation(client, record):
    html = client.get("/councils/dudley/2003/").content.decode()
    judgements = _section(html, "The four judgements behind")
    assert judgements.count("provenance--published") == 4
    assert "provenance--sample" not in judgements
    assert "ratings on this page are sample data" not in html


# --- the API ------------------------------------------------------------------------------


def test_the_api_council_history_says_where_each_value_comes_from(client, record):
    ratings = {r["year"]: r for r in _api(client, "/api/councils/walsall/")["ratings"]}
    cited = {"kind": "published", "source": FACT_SOURCE, "url": "https://news.example/walsall-2004"}
    assert ratings[2004]["provenance"] == cited
    assert ratings[2004]["judgement_provenance"] == {
        "adults_serving": cited,
        "adults_prospects": SAMPLE,
        "children_serving": SAMPLE,
        "children_prospects": SAMPLE,
    }
    round_cited = {
        "kind": "published",
        "source": "Social Services Inspectorate; Social services star ratings 2003; "
        + ROUND_2003_SOURCE,
        "url": ROUND_2003_URL,
    }
    assert ratings[2003]["provenance"] == round_cited
    assert set(map(json.dumps, ratings[2003]["judgement_provenance"].values())) == {
        json.dumps(round_cited)
    }


def test_the_api_round_ratings_and_their_csv(client, record):
    results = {r["council"]: r for r in _api(client, "/api/rounds/2004/ratings/")["results"]}
    assert results["Walsall"]["provenance"]["kind"] == "published"
    assert results["Walsall"]["provenance"]["source"] == FACT_SOURCE
    assert results["Dudley"]["provenance"] == SAMPLE
    assert results["Dudley"]["judgement_provenance"]["adults_serving"] == SAMPLE
    rows = {
        r["council"]: r for r in _csv(client.get("/api/rounds/2004/ratings/", {"format": "csv"}))
    }
    assert rows["Walsall"]["provenance.kind"] == "published"
    assert rows["Walsall"]["provenance.source"] == FACT_SOURCE
    assert rows["Walsall"]["judgement_provenance.adults_serving.kind"] == "published"
    assert rows["Walsall"]["judgement_provenance.children_serving.kind"] == "sample"
    assert rows["Dudley"]["provenance.kind"] == "sample"
    # New columns come after every existing one.
    header = list(rows["Walsall"])
    assert header.index("is_sample") < header.index("provenance.kind")


# --- the league table and its downloads ----------------------------------------------------


def test_the_league_table_marks_each_rows_stars(client, record):
    html = client.get("/ratings/2004/").content.decode()
    rows = {
        name: row
        for row in re.findall(r'<tr class="govuk-table__row"><th scope="row".*?</tr>', html, re.S)
        for name in re.findall(r'">([A-Z][a-z]+)</a></th>', row)
    }
    assert 'provenance--published">Published</span>' in rows["Walsall"]
    assert 'provenance--sample">Sample</span>' in rows["Dudley"]
    html_2003 = client.get("/ratings/2003/").content.decode()
    assert html_2003.count('provenance--published">Published</span>') == 2
    assert "provenance--sample" not in html_2003


def test_the_league_table_downloads_have_provenance_and_source_columns(client, record):
    rows = {r["council"]: r for r in _csv(client.get("/ratings/2004/", {"_export": "csv"}))}
    assert (rows["Walsall"]["provenance"], rows["Walsall"]["source"]) == ("published", FACT_SOURCE)
    assert (rows["Dudley"]["provenance"], rows["Dudley"]["source"]) == ("sample", "")
    assert list(rows["Walsall"])[-3:] == ["is_sample", "provenance", "source"]
    data = json.loads(client.get("/ratings/2004/", {"_export": "json"}).content)
    assert {r["council"]: r["provenance"] for r in data} == {
        "Dudley": "sample",
        "Walsall": "published",
    }


def test_a_source_is_never_a_formula_in_a_spreadsheet(client, record):
    record["fact"].source = '=HYPERLINK("https://evil.example","x")'
    record["fact"].save()
    league = {r["council"]: r for r in _csv(client.get("/ratings/2004/", {"_export": "csv"}))}
    assert league["Walsall"]["source"] == "'" + record["fact"].source
    api = {
        r["council"]: r for r in _csv(client.get("/api/rounds/2004/ratings/", {"format": "csv"}))
    }
    assert api["Walsall"]["provenance.source"] == "'" + record["fact"].source


# --- which revision a fact speaks of ------------------------------------------------------


def test_the_may_2002_fact_describes_revision_1_and_a_refresh_the_latest(client):
    r2002 = AssessmentRoundFactory(year=2002, is_sample=True)
    refreshed = CouncilFactory(name="Bexley")
    first = RatingFactory(round=r2002, council=refreshed, **ZERO)
    later = RatingFactory(
        round=r2002,
        council=refreshed,
        revision=2,
        published_at=REFRESH,
    )
    assert first.stars != later.stars
    PublishedFactFactory(
        council=refreshed, year=2002, round_label="May", stars=first.stars, source="HSJ 30 May 2002"
    )
    PublishedFactFactory(
        council=refreshed,
        year=2002,
        round_label="November refresh",
        stars=later.stars,
        source="Community Care 21 November 2002",
    )
    # The same stars in both revisions, and only the May fact: it speaks of revision 1.
    unchanged = CouncilFactory(name="Bromley")
    kept = RatingFactory(round=r2002, council=unchanged)
    RatingFactory(
        round=r2002,
        council=unchanged,
        revision=2,
        published_at=REFRESH,
    )
    PublishedFactFactory(
        council=unchanged, year=2002, round_label="May", stars=kept.stars, source="HSJ 30 May 2002"
    )

    bexley = _api(client, "/api/councils/bexley/")["ratings"]
    assert [(r["revision"], r["provenance"]["source"]) for r in bexley] == [
        (1, "HSJ 30 May 2002"),
        (2, "Community Care 21 November 2002"),
    ]
    bromley = _api(client, "/api/councils/bromley/")["ratings"]
    assert [(r["revision"], r["provenance"]["kind"]) for r in bromley] == [
        (1, "published"),
        (2, "sample"),
    ]
    # The league table shows each council's latest revision: the refresh's fact.
    rows = {r["council"]: r for r in _csv(client.get("/ratings/2002/", {"_export": "csv"}))}
    assert rows["Bexley"]["source"] == "Community Care 21 November 2002"
    assert rows["Bromley"]["provenance"] == "sample"


def test_an_unlabelled_fact_describes_the_latest_public_revision_only(record):
    """A revision under embargo is not the latest: the fact is matched with the revision
    the public sees (and does not hold for it)."""
    walsall = record["walsall"]
    r2004 = AssessmentRound.objects.get(year=2004)
    pending = RatingFactory(
        round=r2004,
        council=walsall,
        revision=2,
        published_at=timezone.now() + dt.timedelta(days=7),
        **ZERO,
    )
    ratings = list(selectors.council_ratings(walsall))
    assert pending.pk not in {r.pk for r in ratings}
    found = provenance.facts_by_rating(ratings)
    # Revision 1 is still the latest public revision, so the fact speaks of it...
    assert found[record["rating"].pk] == [record["fact"]]
    # ...and reading the latest from a council's whole history agrees with the query.
    assert provenance.facts_by_rating(ratings, includes_latest=True) == found


# --- the embargo --------------------------------------------------------------------------


def test_nothing_under_embargo_shows_through_provenance(client, record):
    walsall, r2004 = record["walsall"], AssessmentRound.objects.get(year=2004)
    publication = timezone.now() + dt.timedelta(days=7)
    # A correction to come, which a refresh's fact describes...
    RatingFactory(round=r2004, council=walsall, revision=2, published_at=publication, **ZERO)
    record["fact"].round_label = "May"  # (the first publication's fact stays with revision 1)
    record["fact"].save()
    PublishedFactFactory(
        council=walsall, year=2004, round_label="refresh", stars=0, source="SECRET REFRESH"
    )
    # ...and a round still under embargo, with a fact about it.
    r2005 = AssessmentRoundFactory(year=2005, is_sample=True, embargoed=True)
    RatingFactory(round=r2005, council=walsall)
    PublishedFactFactory(council=walsall, year=2005, stars=2, source="SECRET 2005")

    api = client.get("/api/councils/walsall/").content.decode()
    league = client.get("/ratings/2004/", {"_export": "csv"}).content.decode()
    ratings = client.get("/api/rounds/2004/ratings/", {"format": "csv"}).content.decode()
    html = client.get("/councils/walsall/").content.decode()
    sources = _section(html, 'id="sources"', "</ol>")
    for text in (api, league, ratings, sources):
        assert "SECRET" not in text
    assert client.get("/api/rounds/2005/ratings/").status_code == 404
    assert [r["revision"] for r in json.loads(api)["ratings"] if r["year"] == 2004] == [1]

    # Once the correction is published, the refresh's fact speaks of it.
    with time_machine.travel(publication + dt.timedelta(minutes=1), tick=False):
        history = _api(client, "/api/councils/walsall/")["ratings"]
    by_revision = {r["revision"]: r for r in history if r["year"] == 2004}
    assert by_revision[2]["provenance"]["source"] == "SECRET REFRESH"
    assert by_revision[1]["provenance"]["source"] == FACT_SOURCE


# --- queries ------------------------------------------------------------------------------


def test_provenance_adds_no_query_per_row(client, django_assert_max_num_queries):
    councils = bulk_round(300, is_sample=True)
    round = AssessmentRound.objects.get(year=2004)
    for council in councils[:40]:
        PublishedFactFactory(council=council, year=2004, stars=1)
    with django_assert_max_num_queries(8):
        assert client.get("/ratings/2004/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/ratings/2004/", {"_export": "csv"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/rounds/2004/ratings/", {"format": "csv"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/councils/{councils[3].slug}/").status_code == 200
    # The league table's rows and their provenance: two queries in a sample round.
    with CaptureQueriesContext(connection) as captured:
        rows, _ = selectors.league_rows(round, previous=None, with_provenance=True)
    assert len(captured) == 2
    assert all(row.provenance is not None for row in rows)
    assert Council.objects.count() == 300


# --- the reports --------------------------------------------------------------------------


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.pdf
def test_the_council_report_says_where_its_figures_come_from_on_every_page(record):
    r2004 = AssessmentRound.objects.get(year=2004)
    report = assembly.council_report(record["walsall"], r2004)
    assert report.stars_source.is_published
    assert [s.text for s in report.sources][0] == FACT_SOURCE
    pages = _pages(rendering.council_report_pdf(report, base_url="https://ratings.example"))
    assert len(pages) >= 2
    sources_page = next(
        n
        for n, text in enumerate(pages, 1)
        if "Sources of the figures The values" in text and "Community Care 25 November" in text
    )
    # Every page's footer: sample data around published facts, and where the sources are.
    footer = "Sample data around published facts: the sources are listed under “Sources of the"
    for text in pages:
        assert footer in text
        assert f"figures” (page {sources_page})" in text
    everything = " ".join(pages)
    assert "Community Care 25 November 2004" in everything
    assert "Published (source 1" in everything


@pytest.mark.pdf
def test_a_published_rounds_report_says_so_on_every_page(record):
    r2003 = AssessmentRound.objects.get(year=2003)
    report = assembly.council_report(record["dudley"], r2003)
    pages = _pages(rendering.council_report_pdf(report))
    for text in pages:
        assert "Published ratings" in text
        assert "Sample data" not in text
    assert ROUND_2003_SOURCE in " ".join(pages)


@pytest.mark.pdf
def test_the_national_report_footer_and_its_rows(record):
    report = assembly.national_report(AssessmentRound.objects.get(year=2004))
    assert {line.council: line.stars_source for line in report.league_table} == {
        "Dudley": "Sample",
        "Walsall": "Published",
    }
    for text in _pages(rendering.national_report_pdf(report)):
        assert "Sample data around published facts" in text
