"""Sending the alerts that are due: never before a publication's moment, once each.

:func:`send_due_alerts` asks the embargo gate, at the time it runs, which publications
have happened (``alerts.publications``), so a run that comes early (a task run before its
time, a queue that ignores ``run_after``, the test suite's immediate backend) finds the
publication not yet public and sends nothing for it. Each confirmed subscription gets
each publication after its confirmation that covers what it follows, once:

- its :class:`~alerts.models.AlertDelivery` row is written first (unique per
  subscription and publication); a run that cannot write it (another run, here or in
  another worker, has) sends nothing;
- then the e-mail is sent, and the row marked sent. If sending fails, the row is deleted
  and the next run tries again; if the process dies between the two, that alert is
  lost rather than sent twice.

It also deletes subscriptions never confirmed whose link has expired.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone

from ratings import embargo

from . import emails, subscriptions
from .models import AlertDelivery, Subscription
from .publications import Publication, due

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    publications: int = 0
    sent: int = 0
    failed: int = 0
    pruned: int = 0

    def __str__(self) -> str:
        return (
            f"{self.sent} alert{'' if self.sent == 1 else 's'} sent"
            f" for {self.publications} publication{'' if self.publications == 1 else 's'}"
            f", {self.failed} failed, {self.pruned} unconfirmed address"
            f"{'' if self.pruned == 1 else 'es'} deleted"
        )


def send_due_alerts(now: dt.datetime | None = None) -> Outcome:
    # The real time unless a test passes one, through the gate's clock: never a moment
    # the gate is rendering ahead for (``embargo.rendering_for``), which would be later.
    now = embargo.now(now or timezone.now())
    outcome = Outcome(pruned=subscriptions.prune(now))
    earliest = Subscription.objects.filter(confirmed_at__isnull=False).aggregate(
        first=Min("confirmed_at")
    )["first"]
    if earliest is None:
        return outcome
    connection = mail.get_connection()
    try:
        for publication in due(now, after=earliest):
            recipients = _recipients(publication)
            if recipients:
                outcome.publications += 1
            for subscription, councils in recipients:
                _send(connection, subscription, publication, councils, outcome)
    finally:
        connection.close()
    return outcome


def _recipients(publication: Publication) -> list[tuple[Subscription, tuple]]:
    """The confirmed subscriptions, confirmed before the publication, not sent it yet,
    that follow everything or a council it covers; each with the councils it is about."""
    sent = AlertDelivery.objects.filter(
        subscription=OuterRef("pk"), year=publication.year, moment=publication.moment
    )
    covered = publication.council_ids
    waiting = (
        Subscription.objects.filter(confirmed_at__lt=publication.moment)
        .filter(~Exists(sent))
        .filter(Q(everything=True) | Q(councils__in=covered))
        .distinct()
        .prefetch_related("councils")
        .order_by("pk")
    )
    found = []
    for subscription in waiting:
        if subscription.everything:
            councils = publication.councils
        else:
            followed = {c.pk for c in subscription.councils.all()}
            councils = tuple(line for line in publication.councils if line.council_id in followed)
        if councils:
            found.append((subscription, councils))
    return found


def _claim(subscription: Subscription, publication: Publication) -> AlertDelivery | None:
    try:
        with transaction.atomic():
            return AlertDelivery.objects.create(
                subscription=subscription, year=publication.year, moment=publication.moment
            )
    except IntegrityError:
        # Sent, or being sent, by another run; or the subscriber has just unsubscribed.
        return None


def _send(connection, subscription, publication, councils, outcome: Outcome) -> None:
    delivery = _claim(subscription, publication)
    if delivery is None:
        return
    try:
        connection.send_messages([emails.alert(subscription, publication, councils)])
    except Exception:
        logger.exception(
            "alert of %s at %s to subscription %s not sent",
            publication.year,
            publication.moment.isoformat(),
            subscription.pk,
        )
        AlertDelivery.objects.filter(pk=delivery.pk).delete()
        outcome.failed += 1
        return
    AlertDelivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
    outcome.sent += 1
