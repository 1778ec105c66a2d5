"""The Atom feeds: every publication, and each council's ratings. They parse as Atom, their
entries have stable ids, plain-English titles, the publication time and a link, and a
scheduled round or correction is in them only once its time has come."""

import datetime as dt
import html
import xml.etree.ElementTree as ET

import pytest
import time_machine

from . import release_data
from .release_data import (
    CORRECTION_AT,
    NOW,
    PAST_CORRECTION_AT,
    PAST_NOTE,
    PUBLISHED_2005,
    ROUND_AT,
    SECRET_NOTE,
    SECRET_TITLE,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
AFTER_CORRECTION = CORRECTION_AT + dt.timedelta(seconds=1)
AFTER_ROUND = ROUND_AT + dt.timedelta(seconds=1)


@pytest.fixture(scope="module")
def schedule(module_db):
    return release_data.make()


def feed(client, path, moment=NOW) -> tuple[ET.Element, list[dict], str]:
    """The feed at ``path`` as the clock reads ``moment``: its root, its entries (id,
    title, updated, link, summary) and its text."""
    with time_machine.travel(moment, tick=False):
        response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}link[@rel='self']").get("href").endswith(path.split("?")[0])
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        found = {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "updated": dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
            "link": entry.find(f"{ATOM}link").get("href"),
            # type="html": the text is HTML, escaped once more for the XML.
            "summary": html.unescape(entry.findtext(f"{ATOM}summary") or ""),
        }
        assert all(found.values()), found
        entries.append(found)
    return root, entries, text


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


# --- every publication --------------------------------------------------------------------


def test_the_publications_feed_lists_each_publication_that_has_happened(client, schedule):
    _, entries, text = feed(client, "/feeds/publications.atom")
    assert [(e["title"], path_of(e["link"]), e["updated"]) for e in entries] == [
        ("Revised 2005 star ratings: Leeds", "/councils/leeds/2005/", PAST_CORRECTION_AT),
        ("Star ratings 2005 published", "/ratings/2005/", PUBLISHED_2005),
    ]
    assert PAST_NOTE in entries[0]["summary"]
    assert len({e["id"] for e in entries}) == 2
    for secret in (SECRET_TITLE, SECRET_NOTE, "/ratings/2006/", "Walsall"):
        assert secret not in text, secret


def test_a_scheduled_correction_and_round_join_the_feed_when_their_time_comes(client, schedule):
    _, before, _ = feed(client, "/feeds/publications.atom")
    _, entries, text = feed(client, "/feeds/publications.atom", AFTER_CORRECTION)
    assert entries[0]["title"] == "Revised 2005 star ratings: Walsall"
    assert path_of(entries[0]["link"]) == "/councils/walsall/2005/"
    assert entries[0]["updated"] == CORRECTION_AT
    assert SECRET_NOTE in entries[0]["summary"]
    assert SECRET_TITLE not in text
    # The entries already there keep their ids.
    assert [e["id"] for e in entries[1:]] == [e["id"] for e in before]

    _, entries, text = feed(client, "/feeds/publications.atom", AFTER_ROUND)
    assert entries[0]["title"] == "Star ratings 2006 published"
    assert path_of(entries[0]["link"]) == "/ratings/2006/"
    assert SECRET_TITLE in entries[0]["summary"]  # the round's title, now public


def test_the_publications_feed_as_at_a_past_day(client, schedule):
    _, entries, _ = feed(client, "/feeds/publications.atom?as_at=2006-01-01")
    assert [e["title"] for e in entries] == ["Star ratings 2005 published"]


# --- one council --------------------------------------------------------------------------


def test_a_council_feed_lists_its_ratings_and_corrections_with_their_notes(client, schedule):
    _, entries, _ = feed(client, "/councils/leeds/feed.atom")
    assert [(e["title"], path_of(e["link"]), e["updated"]) for e in entries] == [
        (
            "Leeds: 3 stars, 2005 star ratings (revised)",
            "/councils/leeds/2005/",
            PAST_CORRECTION_AT,
        ),
        ("Leeds: 2 stars, 2005 star ratings", "/councils/leeds/2005/", PUBLISHED_2005),
    ]
    assert PAST_NOTE in entries[0]["summary"]
    # Stable: the same ids when the feed is built again after the next publication.
    _, later, _ = feed(client, "/councils/leeds/feed.atom", AFTER_CORRECTION)
    assert [e["id"] for e in later] == [e["id"] for e in entries]


def test_a_council_feed_shows_a_correction_only_once_its_time_comes(client, schedule):
    _, entries, text = feed(client, "/councils/walsall/feed.atom")
    assert [e["title"] for e in entries] == ["Walsall: 1 star, 2005 star ratings"]
    assert SECRET_NOTE not in text and "2006" not in text.split("<entry>", 1)[-1]

    _, entries, _ = feed(client, "/councils/walsall/feed.atom", AFTER_CORRECTION)
    assert entries[0]["title"] == "Walsall: 3 stars, 2005 star ratings (revised)"
    assert SECRET_NOTE in entries[0]["summary"]

    _, entries, _ = feed(client, "/councils/walsall/feed.atom", AFTER_ROUND)
    assert entries[0]["title"] == "Walsall: 3 stars, 2006 star ratings"
    assert path_of(entries[0]["link"]) == "/councils/walsall/2006/"


def test_a_feed_for_a_council_that_does_not_exist_is_not_found(client, schedule):
    with time_machine.travel(NOW, tick=False):
        assert client.get("/councils/atlantis/feed.atom").status_code == 404


# --- links to the feeds -------------------------------------------------------------------


def test_pages_link_their_feeds(client, schedule):
    with time_machine.travel(NOW, tick=False):
        home = client.get("/").content.decode()
        council = client.get("/councils/leeds/").content.decode()
    alternate = '<link rel="alternate" type="application/atom+xml"'
    publications = 'href="/feeds/publications.atom"'
    assert alternate in home and publications in home
    head = council[: council.index("</head>")]
    assert head.count(alternate) == 2
    assert publications in head and 'href="/councils/leeds/feed.atom"' in head
    body = council[council.index("<main") :]
    assert "Subscribe to updates (Atom feed)" in body
    assert 'href="/councils/leeds/feed.atom"' in body
