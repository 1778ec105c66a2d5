"""The release calendar as an iCalendar file (RFC 5545), for calendar applications to
subscribe to: one event per publication still to come, named as the calendar page names
it and no more. The ``icalendar`` package writes the CRLF line endings and folds lines at
75 octets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import icalendar

from .release_calendar import Entry, site_host

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODUCT = "-//Star Ratings Portal//Release calendar//EN"


def calendar_file(
    entries: Iterable[Entry], *, stamp: dt.datetime, page_url: str, name: str
) -> bytes:
    """``entries`` (publications to come) as a calendar; ``stamp``: when it was made,
    ``page_url``: the calendar page's full address, ``name``: the calendar's name."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = stamp.astimezone(dt.UTC).replace(microsecond=0)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", f"{entry.uid}@{site_host()}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.at.astimezone(dt.UTC))
        event.add("summary", entry.title)
        event.add("url", page_url)
        calendar.add_component(event)
    return calendar.to_ical()
