"""Who asked for alerts, and which alerts each has been sent.

A :class:`Subscription` keeps the address (it is needed to send) beside a keyed hash of
it (``alerts.addresses``), by which it is found: the address is never looked up as it
is. One address has at most one confirmed subscription and at most one waiting for
confirmation (a new request while confirmed waits beside it, so that nobody can change
another person's alerts without their inbox). Unsubscribing deletes the row, and with
it everything kept about the address.

An :class:`AlertDelivery` is one alert to one subscription for one publication (a
round's year and the moment it, or a correction of it, became public): unique, and
written before the e-mail is sent, so that no subscriber gets a publication twice
however many times, or in how many workers at once, the sending runs.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ratings.models import Council


class Subscription(models.Model):
    email = models.EmailField(max_length=254)
    # HMAC-SHA256 of the normalised address under a key derived from SECRET_KEY.
    email_hash = models.CharField(max_length=64, db_index=True)
    # Every publication, or only those that cover one of ``councils``.
    everything = models.BooleanField(default=False)
    councils = models.ManyToManyField(Council, blank=True, related_name="+")
    # Random, in every link's signed value: a new request makes the old links useless.
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email_hash"],
                condition=Q(confirmed_at__isnull=False),
                name="alerts_one_confirmed_subscription_per_address",
            ),
            models.UniqueConstraint(
                fields=["email_hash"],
                condition=Q(confirmed_at__isnull=True),
                name="alerts_one_waiting_subscription_per_address",
            ),
        ]

    def __str__(self):
        state = "confirmed" if self.confirmed_at else "waiting"
        return f"Subscription {self.pk} ({state})"


class AlertDelivery(models.Model):
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    year = models.PositiveSmallIntegerField()
    # The publication's moment: the round's publication time, or a correction's.
    moment = models.DateTimeField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "year", "moment"],
                name="alerts_one_alert_per_subscription_and_publication",
            ),
        ]

    def __str__(self):
        return f"Alert of {self.year} at {self.moment:%Y-%m-%d %H:%M} to {self.subscription_id}"
