"""At most LIMIT pieces of feedback from one client in PERIOD (``ratings.throttle``)."""

from __future__ import annotations

import datetime as dt

from ratings import throttle

LIMIT = 10
PERIOD = dt.timedelta(minutes=10)


def take_a_place(request) -> bool:
    """Take one of LIMIT places for the request's client; False when all are taken."""
    return throttle.take_a_place("feedback", throttle.client_address(request), LIMIT, PERIOD)
