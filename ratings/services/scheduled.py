"""What is scheduled stays as scheduled: a revision (or a round's ratings) waiting for its
publication time is not changed in place by a later import or correction; it can be
rescheduled or cancelled before its time, on purpose, by name, and that is audited.

Why refuse rather than write around it: a scheduled correction carries a public note
written for it, and its time was chosen for it. Editing it in place (as imports once did)
let a later import move the note's publication to "now" with other content; adding a
newer revision on top would leave the scheduled one to surface later, out of order."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .. import embargo
from ..models import AssessmentRound, Rating, RoundStatus


class ScheduledChange(ValueError):
    """A change to something scheduled for publication and not yet public."""


def _when(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M on %-d %B %Y}"


def pending_revision_message(rating: Rating) -> str:
    return (
        f"{rating.council.name}'s revision {rating.revision} is scheduled for publication at "
        f"{_when(rating.published_at)} and cannot change before then; reschedule or cancel "
        "it first (the publication page of the round in the workspace)"
    )


def scheduled_round_message(round: AssessmentRound) -> str:
    return (
        f"the {round.year} round is scheduled for publication at "
        f"{_when(round.publication_at)}, so its ratings cannot change before then; cancel the "
        "schedule first (set the round's status in the workspace), or reschedule it"
    )


def round_is_scheduled_not_public(round: AssessmentRound, now: dt.datetime | None = None) -> bool:
    return round.status == RoundStatus.SCHEDULED and not embargo.round_is_public(round, now)


def pending_revisions(round: AssessmentRound, now: dt.datetime | None = None) -> list[Rating]:
    """The round's later revisions still waiting for their own publication time, soonest
    first, with their councils."""
    return sorted(
        (
            rating
            for rating in Rating.objects.filter(round=round, revision__gt=1).select_related(
                "council", "round"
            )
            if embargo.revision_is_pending(rating, now)
        ),
        key=lambda rating: (rating.published_at, rating.council.name),
    )


def _pending(rating: Rating, now: dt.datetime) -> Rating:
    locked = Rating.objects.select_for_update().select_related("council", "round").get(pk=rating.pk)
    if locked.revision < 2 or not embargo.revision_is_pending(locked, now):
        raise ScheduledChange(
            f"{locked.council.name}'s revision {locked.revision} is not waiting for a "
            "publication time: it is public, and a public revision never changes."
        )
    return locked


@transaction.atomic
def reschedule_revision(
    rating: Rating, when: dt.datetime, *, user=None, now: dt.datetime | None = None
) -> Rating:
    """Move a scheduled revision's publication time (to a time still in the future)."""
    now = now or timezone.now()
    rating = _pending(rating, now)
    if when <= now:
        raise ScheduledChange("The new publication time must be in the future.")
    rating.published_at = when
    rating._history_user = user
    rating.save(update_fields=["published_at"])
    return rating


@transaction.atomic
def cancel_revision(rating: Rating, *, user=None, now: dt.datetime | None = None) -> None:
    """Withdraw a scheduled revision before its time: nobody has seen it, and the audit
    trail keeps what it said and who withdrew it."""
    now = now or timezone.now()
    rating = _pending(rating, now)
    rating._history_user = user
    rating.delete()
