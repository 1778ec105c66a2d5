"""Limits on the subscribe form, as ``portal.accounts`` limits password reset e-mails.

A client address may ask ``ALERTS_SUBSCRIBE_LIMIT`` times in ``ALERTS_LIMIT_PERIOD``
(then the form answers 429 and says how long to wait), and one e-mail address is sent at
most ``ALERTS_EMAIL_LIMIT`` confirmation e-mails in that period (then the request gets
the same "check your email" page as any other, so that the limit tells nobody whether the
address asked before). The places are kept in the ``throttle`` cache, which every worker
shares and which never drops entries to make room for pages.
"""

from __future__ import annotations

from django.conf import settings

from ratings import throttle


def take_a_place(kind: str, identity: str, limit: int) -> bool:
    """Take one of ``limit`` places for ``identity``, each held for ALERTS_LIMIT_PERIOD
    (``ratings.throttle``); False when all are taken."""
    return throttle.take_a_place(f"alerts:{kind}", identity, limit, settings.ALERTS_LIMIT_PERIOD)


def client_may_ask(request) -> bool:
    return take_a_place("client", throttle.client_address(request), settings.ALERTS_SUBSCRIBE_LIMIT)


def may_email(email_hash: str) -> bool:
    return take_a_place("email", email_hash, settings.ALERTS_EMAIL_LIMIT)
