"""Limits on the subscribe form, as ``portal.accounts`` limits password reset e-mails.

A client address may ask ``ALERTS_SUBSCRIBE_LIMIT`` times in ``ALERTS_LIMIT_PERIOD``
(then the form answers 429 and says how long to wait), and one e-mail address is sent at
most ``ALERTS_EMAIL_LIMIT`` confirmation e-mails in that period (then the request gets
the same "check your email" page as any other, so that the limit tells nobody whether the
address asked before). The places are kept in the ``throttle`` cache, which every worker
shares and which never drops entries to make room for pages.
"""

from __future__ import annotations

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import caches


def take_a_place(kind: str, identity: str, limit: int) -> bool:
    """Take one of ``limit`` places for ``identity``, each held for ALERTS_LIMIT_PERIOD
    from when it was taken; False when all are taken. ``cache.add`` takes a place only if
    it is free, so two requests at once cannot both take the last one."""
    digest = hashlib.sha256(f"{kind}|{identity}".encode()).hexdigest()
    period = int(settings.ALERTS_LIMIT_PERIOD.total_seconds())
    throttle = caches["throttle"]
    return any(
        throttle.add(f"alerts:{kind}:{digest}:{place}", True, period) for place in range(limit)
    )


def client_may_ask(request) -> bool:
    # The client's address as the sign-in throttle sees it (portal.client_address, through
    # django-axes' AXES_CLIENT_IP_CALLABLE): behind nginx, from X-Forwarded-For.
    address = get_client_ip_address(request) or ""
    return take_a_place("client", address, settings.ALERTS_SUBSCRIBE_LIMIT)


def may_email(email_hash: str) -> bool:
    return take_a_place("email", email_hash, settings.ALERTS_EMAIL_LIMIT)
