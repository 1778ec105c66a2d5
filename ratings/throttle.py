"""Rate limits on the site's public forms (password reset, e-mail alerts, page feedback).

A limit of N in a period is N places in the ``throttle`` cache (shared by every worker,
never emptied to make room for pages). ``cache.add`` takes a place only if it is free, so
two requests at once cannot both take the last one (as a read, add one and write back
could), and each place lapses on its own, a period after it was taken, so the limit holds
over any period of that length. What is limited (a client address, an e-mail address) is
never stored: the key holds a keyed hash of it (HMAC with the secret key, so that it
cannot be turned back into an address by hashing every IPv4 address).
"""

from __future__ import annotations

import datetime as dt

from axes.helpers import get_client_ip_address
from django.core.cache import caches
from django.utils.crypto import salted_hmac


def take_a_place(kind: str, identity: str, limit: int, period: dt.timedelta) -> bool:
    """Take one of ``limit`` places for ``identity`` (of ``kind``: "feedback",
    "password-reset:email"...), each held for ``period``; False when all are taken."""
    digest = salted_hmac("ratings.throttle", f"{kind}|{identity}").hexdigest()
    seconds = int(period.total_seconds())
    throttle = caches["throttle"]
    return any(throttle.add(f"{kind}:{digest}:{place}", True, seconds) for place in range(limit))


def client_address(request) -> str:
    """The client's address as the sign-in throttle sees it (``portal.client_address``,
    through django-axes' ``AXES_CLIENT_IP_CALLABLE``: behind nginx, X-Forwarded-For from
    our own proxies only)."""
    return get_client_ip_address(request) or ""
