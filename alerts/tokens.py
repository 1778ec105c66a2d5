"""The links in the e-mails: signed, so that nothing secret is stored to check them.

Each link carries ``<subscription id>.<nonce>`` signed with ``SECRET_KEY`` under its own
salt (Django's ``signing``): a confirmation link cannot be used to unsubscribe, nor the
other way round. The confirmation link is timestamped and works for
``ALERTS_CONFIRMATION_DAYS``; the unsubscribe link works for as long as the subscription
exists. The nonce is the subscription's own, replaced whenever the address asks again,
so an old link stops working then, and a link never reaches a later subscription that
happens to get the same id.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"


class BadLink(Exception):
    """The link is not one we made (``expired`` False), or is too old (True)."""

    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "not valid")
        self.expired = expired


def confirmation_lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.ALERTS_CONFIRMATION_DAYS)


def _value(subscription) -> str:
    return f"{subscription.pk}.{subscription.nonce}"


def confirmation_token(subscription) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(_value(subscription))


def unsubscribe_token(subscription) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(_value(subscription))


def _parts(value: str) -> tuple[int, str]:
    pk, _, nonce = value.partition(".")
    if not pk.isdigit() or not nonce or len(pk) > 18:
        raise BadLink
    return int(pk), nonce


def read_confirmation(token: str) -> tuple[int, str]:
    """The subscription id and nonce a confirmation link carries; :class:`BadLink` if it
    is not ours or has expired."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=confirmation_lifetime()
        )
    except signing.SignatureExpired:
        raise BadLink(expired=True) from None
    except signing.BadSignature:
        raise BadLink from None
    return _parts(value)


def read_unsubscribe(token: str) -> tuple[int, str]:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        raise BadLink from None
    return _parts(value)
