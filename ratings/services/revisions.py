"""Writing ratings: applying planned changes (new revisions, updates in place, their
judgements and history rows, in a few queries, then announcing the change) and recording
one council's rating as the rules give it. A published revision is never changed here:
a change to it is a new revision, with a note ("Revised <date>" by default)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .. import rules, signals
from ..models import AssessmentRound, Council, Rating, ServiceJudgement
from .caps import caps_for
from .proposals import Action, Change, plan_change, propose
from .stored import latest_ratings, special_measures_before


def default_revision_note(published_at: dt.datetime) -> str:
    """e.g. "Revised 21 November 2002"."""
    day = timezone.localtime(published_at) if timezone.is_aware(published_at) else published_at
    return f"Revised {day.day} {day:%B %Y}"


def _judgement_rows(rating: Rating, judgements: rules.Judgements | None) -> list[ServiceJudgement]:
    if judgements is None:
        return []
    return [
        ServiceJudgement(
            rating=rating,
            service=service,
            serving=judgements.serving(service),
            prospects=judgements.prospects(service),
        )
        for service in rules.SERVICES
    ]


@transaction.atomic
def apply_changes(
    round: AssessmentRound,
    changes: Iterable[Change],
    *,
    published_at: dt.datetime | None = None,
    note: str = "",
    now: dt.datetime | None = None,
    evidence: dict[int, dict] | None = None,
    user=None,
) -> list[Rating]:
    """Write planned changes in a few queries; return the revisions written.

    New revisions of a published round (and ratings added to it late) get
    ``published_at`` (default now) and ``note`` (default "Revised <date>"). ``evidence``
    (by council id) is the published copy of the inspectors' evidence. Every revision
    written gets a history row naming ``user``.
    """
    now = now or timezone.now()
    when = published_at or now
    new: list[tuple[Rating, rules.Judgements | None]] = []
    updated: list[tuple[Rating, rules.Judgements | None]] = []
    for change in changes:
        proposal = change.proposal
        if change.action == Action.UNCHANGED:
            continue
        if change.in_place:  # revision 1 of a round not yet public (see plan_change)
            rating = change.current
            updated.append((rating, proposal.judgements))
        else:
            rating = Rating(round=round, council=change.council, revision=change.revision)
            if change.revision > 1:
                rating.published_at = when
                rating.note = note or default_revision_note(when)
            elif change.round_published:
                # Added to a round already public: it waits for its own publication time.
                rating.published_at = when
                rating.note = note
            new.append((rating, proposal.judgements))
        rating.status = proposal.status
        rating.stars = proposal.stars
        rating.reasons = list(proposal.reasons)
        rating.on_special_measures = proposal.on_special_measures
        if evidence is not None and change.council.pk in evidence:
            rating.evidence = evidence[change.council.pk]

    if updated:
        Rating.objects.bulk_update(
            [rating for rating, _ in updated],
            [
                "status",
                "stars",
                "reasons",
                "on_special_measures",
                "published_at",
                "note",
                "evidence",
            ],
        )
        ServiceJudgement.objects.filter(rating__in=[rating for rating, _ in updated]).delete()
        Rating.history.bulk_history_create(
            [rating for rating, _ in updated], update=True, default_user=user
        )
    if new:
        Rating.objects.bulk_create([rating for rating, _ in new])
        Rating.history.bulk_history_create([rating for rating, _ in new], default_user=user)
    ServiceJudgement.objects.bulk_create(
        [row for rating, judgements in updated + new for row in _judgement_rows(rating, judgements)]
    )
    if updated or new:
        signals.announce_data_changed()
    return [rating for rating, _ in updated + new]


@transaction.atomic
def record_rating(
    *,
    round: AssessmentRound,
    council: Council,
    judgements: rules.Judgements | None,
    on_special_measures: bool | None = None,
    published_at: dt.datetime | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> tuple[Rating, Action]:
    """Store one council's rating in a round, as the rules give it.

    Judgements None records "not rated". Raises :class:`CapExceeded` for a judgement
    above a key-indicator cap. Returns the latest revision afterwards and what was done.
    """
    now = now or timezone.now()
    round = AssessmentRound.objects.select_for_update().get(pk=round.pk)
    proposal = propose(
        round,
        judgements,
        caps=caps_for(round, council),
        on_special_measures=on_special_measures,
        was_on=special_measures_before(round, [council]).get(council.pk, False),
    )
    current = latest_ratings(round, [council]).get(council.pk)
    change = plan_change(
        round, council, proposal, current, published=round.is_published(now), now=now
    )
    written = apply_changes(round, [change], published_at=published_at, note=note, now=now)
    return (written[0] if written else current), change.action
