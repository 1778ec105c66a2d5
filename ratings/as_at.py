"""The record as it stood on a day: ``?as_at=YYYY-MM-DD`` on any public page, download or
API request.

The answer is what was public at the end of that day, UK time: the embargo gate's clock
is held back to that moment for the request (``ratings.embargo.hold_clock``), so every
read in the request (rounds, revisions, summaries, reports, caches' keys) agrees without
each view knowing. A day still to come is the present: the clock is never moved forward.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

PARAMETER = "as_at"
LONDON = ZoneInfo("Europe/London")
# No rating was published before 2002; a date this early is kept in range for the
# conversions below rather than refused.
EARLIEST = dt.date(1990, 1, 1)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ERROR = "The date in as_at must be a real date written as YYYY-MM-DD, like 2002-06-01"


class AsAtError(ValueError):
    """``as_at`` is not a date."""


def parse(value: str) -> dt.date:
    if not _DATE.fullmatch(value.strip()):
        raise AsAtError(ERROR)
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise AsAtError(ERROR) from None


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` in the UK."""
    day = max(day, EARLIEST)
    if day >= dt.date.max - dt.timedelta(days=1):
        day = dt.date.max - dt.timedelta(days=2)
    start_of_next = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
    return (start_of_next - dt.timedelta(microseconds=1)).astimezone(dt.UTC)


def requested(query) -> dt.date | None:
    """The day asked for in a query string (a ``QueryDict``), None when none is; raises
    :class:`AsAtError` for anything that is not a date."""
    values = query.getlist(PARAMETER)
    if not values or not any(v.strip() for v in values):
        return None
    if len(values) > 1:
        raise AsAtError("Give as_at once")
    return parse(values[0])


def day_of(moment: dt.datetime) -> dt.date:
    """The UK date of a moment: what ``?as_at=`` takes to show the record as it stood
    then."""
    return moment.astimezone(LONDON).date()
