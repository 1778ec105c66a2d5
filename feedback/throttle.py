"""At most LIMIT pieces of feedback from one client in PERIOD.

As for password reset e-mails (``portal.accounts``): LIMIT places in the ``throttle``
cache, each taken with ``cache.add`` (so two requests at once cannot both take the last
one) and each lapsing PERIOD after it was taken. The client's address is the one
django-axes reads (``AXES_CLIENT_IP_CALLABLE``: ``portal.client_address``, which
believes ``X-Forwarded-For`` only from our own proxies). It is never stored: the cache key
is a keyed hash of it (HMAC with the secret key, so that the key cannot be turned back
into the address by hashing every IPv4 address), and lapses with the place.
"""

from __future__ import annotations

import datetime as dt

from axes.helpers import get_client_ip_address
from django.core.cache import caches
from django.utils.crypto import salted_hmac

LIMIT = 10
PERIOD = dt.timedelta(minutes=10)


def take_a_place(request) -> bool:
    """Take one of LIMIT places for the request's client; False when all are taken."""
    address = get_client_ip_address(request) or ""
    digest = salted_hmac("feedback.throttle", address).hexdigest()
    seconds = int(PERIOD.total_seconds())
    throttle = caches["throttle"]
    return any(throttle.add(f"feedback:{digest}:{place}", True, seconds) for place in range(LIMIT))
