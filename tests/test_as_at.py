"""The record as it stood on a day (``?as_at=``), each round's publications as they
happened, its publisher, and the special measures register, read through real requests
on the bundled data."""

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache

from ratings import as_at, embargo, publications, special_measures

# The bundled data is loaded once for the module (make test runs a file's tests on one
# worker: --dist loadfile).
pytestmark = pytest.mark.django_db

REMOVED_MAY_2002 = ["Hackney", "Lambeth", "Lancashire", "Newham", "Peterborough", "Sheffield"]


@pytest.fixture
def loaded(bundled):
    """The bundled data, loaded once for the module (``tests/conftest.py``)."""
    cache.clear()


def summary(client, year, query=""):
    response = client.get(f"/api/rounds/{year}/summary/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_2002_as_first_published(client, loaded):
    figures = summary(client, 2002, "?as_at=2002-06-01")
    assert figures["stars"] == {"0": 10, "1": 82, "2": 50, "3": 8}
    assert figures["special_measures"]["on"] == 10
    assert figures["special_measures"]["left"] == REMOVED_MAY_2002
    # "four already were, six were added": counted, and not named, since the record
    # names only one of the four.
    assert figures["special_measures"]["entered_count"] == 6
    assert figures["special_measures"]["entered"] == []
    assert "not name every one" in figures["special_measures"]["note"]
    assert (
        "Six councils went on to special measures and six came off them." in (figures["headlines"])
    )
    assert figures["as_at"] == "2002-06-01"
    assert figures["publication"]["label"] == "as first published, 30 May 2002"
    assert figures["publisher"] == "Social Services Inspectorate"


def test_2002_as_revised_is_the_default_and_says_so(client, loaded):
    figures = summary(client, 2002)
    assert figures["stars"] == {"0": 12, "1": 75, "2": 52, "3": 11}
    assert figures["as_at"] is None
    assert figures["publication"]["label"] == "as revised, November 2002"
    assert figures["publication"]["first"] is False
    assert figures["first_publication"]["as_at"] == "2002-05-30"
    assert [p["label"] for p in figures["publications"]] == [
        "as first published, 30 May 2002",
        "as revised, November 2002",
    ]
    # The refresh is compared with the May publication: 18 councils re-rated.
    assert (figures["moved_up"], figures["moved_down"]) == (12, 6)
    assert figures["special_measures"]["on"] == 12


def test_the_league_table_names_the_publication_it_shows(client, loaded):
    first = client.get("/ratings/2002/?as_at=2002-06-01").content.decode()
    assert "as first published, 30 May 2002" in first
    assert "The record as it stood" in first
    latest = client.get("/ratings/2002/").content.decode()
    assert "as revised, November 2002" in latest
    assert 'href="/ratings/2002/?as_at=2002-05-30"' in latest
    assert "Social Services Inspectorate" in latest


def test_the_2002_summary_shows_both_publications_side_by_side(client, loaded):
    html = client.get("/ratings/2002/summary/").content.decode()
    table = html[
        html.index('id="publications"') : html.index("</table>", html.index('id="publications"'))
    ]
    assert "As first published, 30 May 2002" in table
    assert "As revised, November 2002" in table
    cells = [c.split("<")[0] for c in table.split('numeric">')[1:]]
    assert cells[-10:] == ["10", "12", "82", "75", "50", "52", "8", "11", "10", "12"]


def test_a_day_before_a_round_was_published_shows_nothing_of_it(client, loaded):
    assert client.get("/api/rounds/2003/summary/?as_at=2003-01-01").status_code == 404
    assert client.get("/ratings/2003/?as_at=2003-01-01").status_code == 404
    rounds = client.get("/api/rounds/?as_at=2003-01-01").json()
    assert [r["year"] for r in rounds["results"]] == [2002]


def test_each_public_page_answers_as_at(client, loaded):
    for path in (
        "/",
        "/ratings/",
        "/ratings/2002/",
        "/ratings/2002/summary/",
        "/councils/bedfordshire/",
        "/compare/?councils=bedfordshire,walsall",
        "/api/councils/bedfordshire/",
        "/api/rounds/2002/ratings/",
    ):
        response = client.get(path + ("&" if "?" in path else "?") + "as_at=2002-06-01")
        assert response.status_code == 200, path
    # Bedfordshire fell to zero in the refresh: before it, its page shows one star.
    may = client.get("/api/councils/bedfordshire/?as_at=2002-06-01").json()
    latest = client.get("/api/councils/bedfordshire/").json()
    assert len(may["ratings"]) < len(latest["ratings"])


@pytest.mark.parametrize(
    "value", ["2002-13-01", "yesterday", "2002-6-1", "20020601", "2002-02-30", "９９９９-01-01"]
)
def test_a_date_that_is_not_a_date_is_a_400_that_says_how_to_write_one(client, loaded, value):
    page = client.get("/ratings/2002/", {"as_at": value})
    assert page.status_code == 400
    assert "YYYY-MM-DD" in page.content.decode()
    api = client.get("/api/rounds/2002/summary/", {"as_at": value})
    assert api.status_code == 400
    assert "YYYY-MM-DD" in api.json()["as_at"][0]


def test_a_day_still_to_come_is_today_never_later(client, loaded):
    assert summary(client, 2002, "?as_at=9999-12-31")["stars"] == summary(client, 2002)["stars"]
    # Far in the past: before any round, and not an error.
    assert client.get("/api/rounds/?as_at=0001-01-01").json()["results"] == []


def test_cached_pages_are_kept_apart_by_day(client, loaded):
    latest = client.get("/ratings/2002/summary/").content
    first = client.get("/ratings/2002/summary/?as_at=2002-06-01").content
    assert latest != first
    assert client.get("/ratings/2002/summary/").content == latest


def test_the_clock_is_held_back_never_forward():
    moment = as_at.end_of_day(dt.date(2002, 6, 1))
    assert moment == dt.datetime(2002, 6, 1, 22, 59, 59, 999999, tzinfo=dt.UTC)  # BST
    token = embargo.hold_clock(moment)
    try:
        assert embargo.now() == moment
        assert embargo.now(dt.datetime(2001, 1, 1, tzinfo=dt.UTC)).year == 2001
    finally:
        embargo.release_clock(token)
    assert embargo.now() > moment


def test_staff_areas_keep_the_real_clock(client, loaded):
    # The admin's sign-in page is not a public page: as_at is not read there.
    assert client.get("/accounts/login/?as_at=nonsense").status_code == 200


def test_publications_of_a_round_and_their_labels(loaded):
    round = embargo.published_round(2002)
    found = publications.publications(round)
    assert [p.label for p in found] == [
        "as first published, 30 May 2002",
        "as revised, November 2002",
    ]
    assert found[1].citation.url.startswith("http://www.publicnet.co.uk/")
    before_refresh = dt.datetime(2002, 11, 1, tzinfo=dt.UTC)
    assert [p.number for p in publications.publications(round, before_refresh)] == [1]


def test_the_rounds_name_their_real_publishers(client, loaded):
    publishers = {r["year"]: r["publisher"] for r in client.get("/api/rounds/").json()["results"]}
    assert publishers == {
        2002: "Social Services Inspectorate",
        2003: "Social Services Inspectorate",
        2004: "Commission for Social Care Inspection",
        2005: "Commission for Social Care Inspection",
    }
    assert "Commission for Social Care Inspection" in client.get("/ratings/2004/").content.decode()


def test_the_register_before_the_first_round(loaded):
    names, unnamed = special_measures.before_first_round()
    assert names == {*REMOVED_MAY_2002, "North East Lincolnshire"}
    assert unnamed == 3


def test_register_changes_name_who_joined_only_when_certain():
    certain = special_measures.change({"A", "B"}, {"B", "C"})
    assert (certain.entered, certain.entered_count, certain.left) == (("A",), 1, ("C",))
    unsure = special_measures.change({"A", "B", "D"}, {"C"}, unnamed_before=1)
    assert (unsure.entered, unsure.entered_count, unsure.left) == ((), 2, ("C",))


def test_movers_are_councils_that_moved_since_the_last_publication(loaded):
    from ratings import summary as national
    from ratings.models import Rating

    figures = national.national_summary(embargo.published_round(2004))
    movers = figures.movers_up + figures.movers_down
    assert len(movers) == min(figures.moved_up, 10) + min(figures.moved_down, 10)
    for mover in movers:
        published = list(
            Rating.objects.filter(council__name=mover.council, round__year__lte=2004)
            .order_by("round__year", "revision")
            .values_list("round__year", "stars")
        )
        by_year = dict(published)  # each round's latest revision last, so it stays
        # Every mover changed between 2003 and 2004, whatever it did before; the move is
        # told from the start of its run in the same direction, through every publication.
        assert by_year[2004] == mover.to_stars != by_year[2003]
        starts = [
            i for i, step in enumerate(published) if step == (mover.from_year, mover.from_stars)
        ]
        assert starts
        run = [stars for _, stars in published[starts[-1] :]]
        direction = mover.to_stars - mover.from_stars
        assert all((b - a) * direction >= 0 for a, b in zip(run, run[1:], strict=False))
    described = [m.describe() for m in figures.movers_up]
    # The published story (Community Care, 19 November 2004; Children Now, November 2004).
    assert "Tower Hamlets: from one to three stars in three years" in described
    # East Sussex rose in 2003 and stayed at two stars in 2004: not a 2004 mover.
    assert "East Sussex" not in {m.council for m in movers}


def test_no_day_shows_a_round_before_its_publication_time(client, loaded):
    from tests.factories import AssessmentRoundFactory, RatingFactory

    embargoed = AssessmentRoundFactory(year=2006, methodology_version="2005", embargoed=True)
    walsall = embargo.published_round(2005).ratings.get(council__slug="walsall").council
    RatingFactory(round=embargoed, council=walsall)
    for query in ("", "?as_at=2099-01-01", f"?as_at={dt.date.today().isoformat()}"):
        assert client.get(f"/api/rounds/2006/summary/{query}").status_code == 404
        assert client.get(f"/ratings/2006/{query}").status_code == 404
        years = [r["year"] for r in client.get(f"/api/rounds/{query}").json()["results"]]
        assert 2006 not in years
        council = client.get(f"/api/councils/walsall/{query}").json()
        assert 2006 not in [r["year"] for r in council["ratings"]]


def test_downloads_follow_the_day(client, loaded):
    def zero_stars(query):
        response = client.get("/ratings/2002/", {"_export": "csv", **query})
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        return sum(1 for row in rows if row["stars"] == "0")

    assert zero_stars({"as_at": "2002-06-01"}) == 10
    assert zero_stars({}) == 12


@pytest.mark.pdf
def test_a_councils_pdf_report_as_it_stood(download, loaded):
    import pypdf

    def text(query):
        response = download("/councils/bedfordshire/2002/report.pdf" + query)
        assert response.status_code == 200
        pdf = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
        return " ".join(page.extract_text() for page in pdf.pages)

    # Bedfordshire had one star in May 2002 and fell to zero in the November refresh.
    assert "1 star" in text("?as_at=2002-06-01")
    assert "0 stars" in text("")


def test_a_council_page_lists_the_facts_of_the_rounds_published_by_then(client, loaded):
    latest = client.get("/councils/tower-hamlets/").content.decode()
    first = client.get("/councils/tower-hamlets/?as_at=2002-06-01").content.decode()
    # The 2004 fact (three stars; Children Now, November 2004) is no part of June 2002.
    assert "Children Now, November 2004" in latest
    assert "Children Now, November 2004" not in first
    assert "then-there-were-three" in first  # the 2002 facts' source
