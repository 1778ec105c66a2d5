"""Finding a council: /councils/?q=, the suggestions endpoint and its script."""

import json

import pytest
from django.conf import settings

from ratings import search

from .factories import CouncilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    return {
        council.name: council
        for council in [
            CouncilFactory(name="St Helens", slug="st-helens"),
            CouncilFactory(name="Helensburgh Test", slug="helensburgh-test"),
            CouncilFactory(
                name="Kingston upon Hull", slug="kingston-upon-hull", alternative_names=["Hull"]
            ),
            CouncilFactory(name="Kingston upon Thames", slug="kingston-upon-thames"),
            CouncilFactory(
                name="Bath and North East Somerset", slug="bath-and-north-east-somerset"
            ),
        ]
    }


@pytest.mark.parametrize(
    "query",
    ["st helens", "St. Helens", "ST HELENS", "st-helens", "  St  Helens ", "St Helens Council"],
)
def test_an_exact_match_redirects_to_the_council(client, councils, query):
    response = client.get("/councils/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == "/councils/st-helens/"


def test_alternative_names(client, councils):
    response = client.get("/councils/", {"q": "hull"})
    assert response["Location"] == "/councils/kingston-upon-hull/"


def test_partial_names_list_the_matches(client, councils):
    response = client.get("/councils/", {"q": "helens"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'href="/councils/st-helens/"' in html
    assert 'href="/councils/helensburgh-test/"' in html
    assert [c.name for c in response.context["result"].councils] == [
        "Helensburgh Test",
        "St Helens",
    ]


def test_matching_ignores_case_punctuation_and_ampersands():
    CouncilFactory(name="St Helens", slug="st-helens")
    CouncilFactory(name="Bath and North East Somerset", slug="bath-and-north-east-somerset")
    assert [c.name for c in search.search("KINGS").councils] == []
    assert [c.name for c in search.search("st. hel").councils] == ["St Helens"]
    assert [c.name for c in search.search("bath & north").councils] == [
        "Bath and North East Somerset"
    ]
    assert [c.name for c in search.search("north somerset").councils] == [
        "Bath and North East Somerset"
    ]
    assert search.search("").councils == []


def test_ambiguous_names_list_every_council(client, councils):
    response = client.get("/councils/", {"q": "Kingston"})
    assert response.status_code == 200
    assert [c.name for c in response.context["result"].councils] == [
        "Kingston upon Hull",
        "Kingston upon Thames",
    ]


def test_no_match_suggests_close_names(client, councils):
    response = client.get("/councils/", {"q": "St Helns"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No council matches" in html
    assert "Did you mean" in html and "St Helens" in html


def test_an_empty_search_lists_every_council(client, councils):
    response = client.get("/councils/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Find a council" in html
    assert html.count('href="/councils/') >= len(councils)
    assert 'for="council-search-q"' in html  # the search box is labelled
    assert 'data-council-suggest="/councils/suggest/"' in html
    assert 'src="/static/ratings/search.js"' in html


def test_suggestions_are_json(client, councils):
    response = client.get("/councils/suggest/", {"q": "kingston"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == [
        {"name": "Kingston upon Hull", "url": "/councils/kingston-upon-hull/"},
        {"name": "Kingston upon Thames", "url": "/councils/kingston-upon-thames/"},
    ]
    assert json.loads(client.get("/councils/suggest/", {"q": "hull"}).content)[0] == {
        "name": "Kingston upon Hull",
        "url": "/councils/kingston-upon-hull/",
    }
    assert json.loads(client.get("/councils/suggest/").content) == []
    assert json.loads(client.get("/councils/suggest/", {"q": "zzzz"}).content) == []


def test_at_most_ten_suggestions(client):
    for i in range(15):
        CouncilFactory(name=f"Newtown {i:02d}")
    assert len(json.loads(client.get("/councils/suggest/", {"q": "newtown"}).content)) == 10


def test_suggestions_cost_one_query(client, councils, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/councils/suggest/", {"q": "king"})


def test_the_script_enhances_inputs_without_inline_code():
    script = (settings.BASE_DIR / "static" / "ratings" / "search.js").read_text()
    assert "input[data-council-suggest]" in script
    assert "datalist" in script
    assert "aria-live" in script
    assert "innerHTML" not in script  # names are set as text, never parsed as HTML
    assert ".style" not in script and "eval(" not in script
