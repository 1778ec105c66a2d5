"""The release calendar: the page, the API and the iCalendar file list each scheduled
publication by its time and kind, nothing of its content, and drop it once its time has
come (when the page's "Recently published" takes it up)."""

import datetime as dt
import re

import icalendar
import pytest
import time_machine

from ratings import embargo, release_calendar

from . import release_data
from .factories import RatingFactory
from .release_data import CORRECTION_AT, NOW, ROUND_AT, SECRET_NOTE, SECRET_TITLE

pytestmark = pytest.mark.django_db

AFTER_CORRECTION = CORRECTION_AT + dt.timedelta(seconds=1)
AFTER_ROUND = ROUND_AT + dt.timedelta(seconds=1)


@pytest.fixture(scope="module")
def schedule(module_db):
    return release_data.make()


def at(moment):
    return time_machine.travel(moment, tick=False)


def get(client, path, moment=NOW):
    with at(moment):
        response = client.get(path)
    assert response.status_code == 200, path
    return response


def upcoming_section(html: str) -> str:
    return html[html.index('id="upcoming"') : html.index('id="recent"')]


# --- the schedule, from the gate ----------------------------------------------------------


def test_the_gate_lists_the_publications_to_come_with_their_kind(schedule):
    assert embargo.upcoming_publications(NOW) == [
        embargo.Upcoming(2005, CORRECTION_AT, "correction"),
        embargo.Upcoming(2006, ROUND_AT, "round"),
    ]
    assert embargo.upcoming_publications(AFTER_CORRECTION) == [
        embargo.Upcoming(2006, ROUND_AT, "round")
    ]
    assert embargo.upcoming_publications(AFTER_ROUND) == []


def test_a_revision_of_a_round_to_come_is_a_correction_only_if_timed_after_it(schedule):
    # Timed before its round: it comes out with the round, not on its own.
    RatingFactory(
        round=schedule["2006"],
        council=schedule["leeds"],
        revision=2,
        published_at=ROUND_AT - dt.timedelta(days=1),
    )
    later = ROUND_AT + dt.timedelta(days=3)
    RatingFactory(
        round=schedule["2006"], council=schedule["walsall"], revision=2, published_at=later
    )
    assert [(u.year, u.at, u.kind) for u in embargo.upcoming_publications(NOW)] == [
        (2005, CORRECTION_AT, "correction"),
        (2006, ROUND_AT, "round"),
        (2006, later, "correction"),
    ]


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (ROUND_AT, "Tuesday 14 November 2006 at 9:30am"),
        (dt.datetime(2006, 6, 1, 8, 30, tzinfo=dt.UTC), "Thursday 1 June 2006 at 9:30am"),  # BST
        (dt.datetime(2006, 1, 2, 12, 0, tzinfo=dt.UTC), "Monday 2 January 2006 at midday"),
        (dt.datetime(2006, 1, 2, 0, 0, tzinfo=dt.UTC), "Monday 2 January 2006 at midnight"),
        (dt.datetime(2006, 1, 2, 17, 0, tzinfo=dt.UTC), "Monday 2 January 2006 at 5pm"),
    ],
)
def test_times_are_written_in_uk_time(moment, words):
    assert release_calendar.when_text(moment) == words


# --- the page -----------------------------------------------------------------------------


def test_the_calendar_names_each_publication_and_its_time_and_nothing_of_its_content(
    client, schedule
):
    html = get(client, "/ratings/upcoming/").content.decode()
    coming = upcoming_section(html)
    assert "Star ratings 2006" in coming
    assert "Tuesday 14 November 2006 at 9:30am" in coming
    assert "Revised 2005 star ratings" in coming
    assert "Thursday 2 November 2006 at 10am" in coming
    assert coming.index("Revised 2005") < coming.index("Star ratings 2006")
    for secret in (SECRET_TITLE, SECRET_NOTE, "/ratings/2006/", "Walsall", "3 stars"):
        assert secret not in html, secret
    # The publications that have happened, newest first, linked to their round.
    recent = html[html.index('id="recent"') :]
    assert re.search(r'href="/ratings/2005/">Revised 2005 star ratings</a>', recent)
    assert re.search(r'href="/ratings/2005/">Star ratings 2005</a>', recent)
    assert 'href="/ratings/upcoming.ics"' in html
    assert 'href="/feeds/publications.atom"' in html


def test_a_publication_leaves_the_calendar_when_its_time_comes(client, schedule):
    html = get(client, "/ratings/upcoming/", AFTER_CORRECTION).content.decode()
    assert "Revised 2005 star ratings" not in upcoming_section(html)
    assert "Star ratings 2006" in upcoming_section(html)
    recent = html[html.index('id="recent"') :]
    assert "Thursday 2 November 2006 at 10am" in recent
    assert SECRET_TITLE not in html

    html = get(client, "/ratings/upcoming/", AFTER_ROUND).content.decode()
    assert "No publications are scheduled." in html
    assert re.search(r'href="/ratings/2006/">Star ratings 2006</a>', html)


def test_the_calendar_as_at_a_past_day_lists_what_was_still_to_come(client, schedule):
    html = get(client, "/ratings/upcoming/?as_at=2006-01-01").content.decode()
    # The Leeds correction of 10 January 2006 was still to come on 1 January.
    assert "Tuesday 10 January 2006 at 9:30am" in upcoming_section(html)


def test_the_calendar_is_linked_from_the_rounds_page_and_the_navigation(client, schedule):
    html = get(client, "/ratings/").content.decode()
    assert html.count('href="/ratings/upcoming/"') == 2


# --- the API ------------------------------------------------------------------------------


def test_the_api_lists_the_publications_to_come(client, schedule):
    found = get(client, "/api/publications/upcoming/").json()
    assert found == [
        {
            "year": 2005,
            "kind": "correction",
            "title": "Revised 2005 star ratings",
            "publication_at": found[0]["publication_at"],
        },
        {
            "year": 2006,
            "kind": "round",
            "title": "Star ratings 2006",
            "publication_at": found[1]["publication_at"],
        },
    ]
    assert [dt.datetime.fromisoformat(f["publication_at"]) for f in found] == [
        CORRECTION_AT,
        ROUND_AT,
    ]
    assert all(dt.datetime.fromisoformat(f["publication_at"]).tzinfo for f in found)
    assert get(client, "/api/publications/upcoming/", AFTER_ROUND).json() == []


def test_the_api_answers_in_csv(client, schedule):
    text = get(client, "/api/publications/upcoming/?format=csv").content.decode()
    assert text.splitlines()[0] == "year,kind,title,publication_at"
    assert SECRET_TITLE not in text


# --- the iCalendar file -------------------------------------------------------------------


def test_the_ical_file_has_an_event_for_each_publication_to_come(client, schedule, settings):
    settings.PORTAL_BASE_URL = "https://ratings.example.org"
    response = get(client, "/ratings/upcoming.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Revised 2005 star ratings",
        "Star ratings 2006",
    ]
    assert [e.decoded("DTSTART") for e in events] == [CORRECTION_AT, ROUND_AT]
    assert body.count(b"DTSTART:20061114T093000Z") == 1
    assert [str(e["UID"]) for e in events] == [
        "2005-correction-20061102T100000Z@ratings.example.org",
        "2006-round-20061114T093000Z@ratings.example.org",
    ]
    assert {str(e["URL"]) for e in events} == {"https://ratings.example.org/ratings/upcoming/"}
    assert all("DTSTAMP" in e for e in events)
    assert SECRET_TITLE.encode() not in body and SECRET_NOTE.encode() not in body

    later = icalendar.Calendar.from_ical(
        get(client, "/ratings/upcoming.ics", AFTER_CORRECTION).content
    )
    assert [str(e["SUMMARY"]) for e in later.walk("VEVENT")] == ["Star ratings 2006"]
