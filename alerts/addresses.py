"""E-mail addresses as the alerts keep them: normalised, and found by a keyed hash.

The hash is an HMAC-SHA256 of the normalised address under a key derived from
``SECRET_KEY`` (Django's ``salted_hmac``), so a copy of the table alone does not say
whether an address is in it. The address itself is kept too, because an alert has to be
sent to it; it goes when the subscriber unsubscribes. Rotating ``SECRET_KEY`` changes
every hash, so an address subscribed before the change is no longer recognised when it
subscribes again (it may get a second subscription; each has its own unsubscribe link).
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac

_SALT = "alerts.addresses.email"


def normalise(address: str) -> str:
    """The address as kept and compared: no surrounding space, all lower case (mail
    systems treat the local part's case as the same mailbox in practice)."""
    return address.strip().casefold()


def keyed_hash(address: str) -> str:
    return salted_hmac(_SALT, normalise(address), algorithm="sha256").hexdigest()
