"""Asking for alerts, confirming, unsubscribing and forgetting unconfirmed addresses.

Double opt-in: a request makes (or replaces) the address's subscription *waiting* for
confirmation and e-mails a link; nothing is sent to the address until the link is
followed. If the address already has a confirmed subscription, it stays as it is until
the new choice is confirmed, which then replaces its choices (keeping its unsubscribe
link and what it has been sent). Whether an address was subscribed before is never told.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import addresses, tokens
from .models import Subscription


def _nonce() -> str:
    return secrets.token_urlsafe(16)


def request(email: str, *, everything: bool, council_ids, now: dt.datetime | None = None):
    """The address's subscription waiting for confirmation, made or replaced (a new
    nonce: the links sent before stop working)."""
    now = now or timezone.now()
    email = addresses.normalise(email)
    digest = addresses.keyed_hash(email)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                waiting = (
                    Subscription.objects.select_for_update()
                    .filter(email_hash=digest, confirmed_at__isnull=True)
                    .first()
                ) or Subscription(email_hash=digest)
                waiting.email = email
                waiting.everything = everything
                waiting.nonce = _nonce()
                waiting.created_at = now
                waiting.save()
                waiting.councils.set([] if everything else council_ids)
                return waiting
        except IntegrityError:
            # Another request for the same address made its waiting row first: use that.
            continue
    raise RuntimeError("could not record the subscription")  # pragma: no cover


def find(pk: int, nonce: str) -> Subscription | None:
    return Subscription.objects.filter(pk=pk, nonce=nonce).first()


@transaction.atomic
def confirm(subscription: Subscription, now: dt.datetime | None = None) -> Subscription:
    """The confirmed subscription of the address, with the waiting one's choices."""
    now = now or timezone.now()
    waiting = Subscription.objects.select_for_update().filter(pk=subscription.pk).first()
    if waiting is None or waiting.confirmed_at is not None:
        return waiting or subscription
    confirmed = (
        Subscription.objects.select_for_update()
        .filter(email_hash=waiting.email_hash, confirmed_at__isnull=False)
        .first()
    )
    if confirmed is None:
        waiting.confirmed_at = now
        waiting.save(update_fields=["confirmed_at"])
        return waiting
    confirmed.email = waiting.email
    confirmed.everything = waiting.everything
    # The new choice is confirmed now: no alert of an earlier publication for it.
    confirmed.confirmed_at = now
    confirmed.save(update_fields=["email", "everything", "confirmed_at"])
    confirmed.councils.set(waiting.councils.all())
    waiting.delete()
    return confirmed


def unsubscribe(pk: int, nonce: str) -> bool:
    """Delete the subscription, its address and its record of alerts sent. False if
    there was none (unsubscribed already)."""
    deleted, _ = Subscription.objects.filter(pk=pk, nonce=nonce).delete()
    return bool(deleted)


def prune(now: dt.datetime | None = None) -> int:
    """Delete the subscriptions never confirmed whose link has expired; how many."""
    now = now or timezone.now()
    deleted, by_model = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - tokens.confirmation_lifetime()
    ).delete()
    return by_model.get(Subscription._meta.label, 0)
