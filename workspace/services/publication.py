"""Rounds and publication: a round's status, scheduling its publication (every agreed
assessment becomes its council's rating, revision 1, through ``ratings.services``), and
corrections after publication (reopening a council from its latest revision, then
publishing the agreed correction as a new revision with its note). The evidence goes out
with each rating as a published copy."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ratings import embargo, services, signals
from ratings.models import AssessmentRound, Domain, Rating, RoundStatus
from ratings.presenters import words

from .. import workflow
from ..models import Assessment, Assignment, DomainEvidence
from .assessments import JUDGEMENT_FIELDS
from .errors import WorkflowError
from .moderation import _transition
from .reading import State, not_agreed_count


def set_round_status(round: AssessmentRound, status: str, user) -> AssessmentRound:
    if round.is_published():
        raise WorkflowError(f"The {round.year} round is published; its status cannot change.")
    round.status = status
    if status != RoundStatus.SCHEDULED:
        round.publication_at = None
    round._history_user = user
    round.save()
    return round


def _evidence_snapshot(round: AssessmentRound, council_ids) -> dict[int, dict]:
    snapshot: dict[int, dict] = {pk: {} for pk in council_ids}
    rows = DomainEvidence.objects.filter(round=round, council_id__in=council_ids).select_related(
        "domain"
    )
    for row in rows:
        snapshot[row.council_id][row.domain.slug] = {
            "summary": row.summary,
            "standards_notes": row.standards_notes,
        }
    return snapshot


PAST_TIME = (
    "The publication time must be in the future. To publish the round at once, use "
    "“Publish now”, which shows what will become public first."
)


@dataclass(frozen=True)
class PublicationPreview:
    """What scheduling the round would make public: how many councils, their stars, and a
    fingerprint of the agreed assessments, so that a confirmation given for one set of
    judgements cannot publish another."""

    councils: int
    stars: dict[str, int]  # "3 stars" ... "Not rated": councils
    fingerprint: str


def _planned(round: AssessmentRound, now) -> tuple[list[Assessment], list[services.Change]]:
    """Every agreed assessment of the round as the change it makes to its council's
    rating (revision 1, through the rules, the caps and special measures)."""
    assessments = list(
        Assessment.objects.filter(round=round, state=State.AGREED)
        .select_related("council")
        .order_by("pk")
    )
    council_ids = [a.council_id for a in assessments]
    caps = services.caps_for_round(round, council_ids)
    was_on = services.special_measures_before(round, council_ids)
    current = services.latest_ratings(round, council_ids)
    changes = []
    for assessment in assessments:
        proposal = services.propose(
            round,
            assessment.rules_judgements(),
            caps=caps.get(assessment.council_id, []),
            was_on=was_on.get(assessment.council_id, False),
        )
        changes.append(
            services.plan_change(
                round,
                assessment.council,
                proposal,
                current.get(assessment.council_id),
                published=False,
                now=now,
            )
        )
    return assessments, changes


def publication_preview(round: AssessmentRound, *, now=None) -> PublicationPreview:
    now = now or timezone.now()
    assessments, changes = _planned(round, now)
    counts = Counter(words.stars_words(change.proposal.stars) for change in changes)
    stars = {
        label: counts.get(label, 0)
        for label in [*(words.stars_words(s) for s in (3, 2, 1, 0)), words.stars_words(None)]
    }
    fingerprint = hashlib.sha256(
        "|".join(
            [str(round.pk), round.status, *(f"{a.pk}:{a.version}" for a in assessments)]
        ).encode()
    ).hexdigest()
    return PublicationPreview(len(changes), stars, fingerprint)


@transaction.atomic
def schedule_round(
    round: AssessmentRound,
    publication_at: dt.datetime | None,
    user,
    *,
    now=None,
    publish_now: bool = False,
    fingerprint: str | None = None,
) -> list[Rating]:
    """Schedule the round's publication: every council's agreed assessment becomes its
    rating (revision 1), public from ``publication_at`` and not a moment before.

    The time must be in the future: publishing at once is a separate, explicit choice
    (``publish_now``), made after seeing :func:`publication_preview` (pass its
    ``fingerprint``: if the agreed judgements changed since, nothing is published)."""
    now = now or timezone.now()
    round = AssessmentRound.objects.select_for_update().get(pk=round.pk)
    if round.is_published(now):
        raise WorkflowError(f"The {round.year} round is already published.")
    if publish_now:
        publication_at = now
    elif publication_at is None or publication_at <= now:
        raise WorkflowError(PAST_TIME)
    missing = not_agreed_count(round)
    if missing:
        raise WorkflowError(f"{missing} councils are not agreed yet.")
    if fingerprint is not None and fingerprint != publication_preview(round, now=now).fingerprint:
        raise WorkflowError(
            "The agreed judgements changed after you checked what would be published; "
            "check again before publishing."
        )
    assessments, changes = _planned(round, now)
    council_ids = [a.council_id for a in assessments]
    written = services.apply_changes(
        round, changes, now=now, evidence=_evidence_snapshot(round, council_ids), user=user
    )
    services.schedule_round(round, publication_at, now=now)
    round._history_user = user
    round.save()
    # Every report PDF and the ZIP, built before anyone asks (and served from then on).
    signals.announce_publication_scheduled(round.year)
    return written


@transaction.atomic
def reopen(assessment: Assessment, user, *, inspector, now=None) -> Assessment:
    """Reopen a published rating for correction, assigned to ``inspector``. The working
    copy starts from the council's latest revision, whatever was in it before."""
    round = assessment.round
    council = assessment.council
    latest = services.latest_ratings(round, [council]).get(council.pk)
    judgements = latest.rules_judgements() if latest else None
    current, _ = Assessment.objects.select_for_update().get_or_create(round=round, council=council)
    for name in JUDGEMENT_FIELDS:
        setattr(current, name, getattr(judgements, name) if judgements else "")
    current.state = State.DRAFT
    current.correction = True
    current.correction_note = ""
    current.return_comments = ""
    current.version += 1  # under select_for_update: no lost update
    current._history_user = user
    current.save()
    current.entered_by.clear()
    if latest is not None:
        for domain in Domain.objects.all():
            published = (latest.evidence or {}).get(domain.slug, {})
            row, _ = DomainEvidence.objects.get_or_create(
                round=round, council=council, domain=domain
            )
            summary = published.get("summary", "")
            notes = published.get("standards_notes", "")
            if (row.summary, row.standards_notes) != (summary, notes):
                row.summary, row.standards_notes = summary, notes
                row._history_user = user
                row.save()
    assignment = Assignment.objects.filter(round=round, council=council).first()
    if assignment is None:
        assignment = Assignment(round=round, council=council)
    if assignment.inspector_id != inspector.pk:
        assignment.inspector = inspector
        assignment._history_user = user
        assignment.save()
    return Assessment.objects.select_related("round", "council").get(pk=current.pk)


def correction_published_by(assessment: Assessment, user) -> Rating | None:
    """The revision ``user`` published from this correction, if that is the last thing
    that happened to it (so a second "publish" is a repeat, not a new correction)."""
    if assessment.correction or not assessment.correction_note:
        return None
    latest = services.latest_ratings(assessment.round, [assessment.council]).get(
        assessment.council_id
    )
    if latest is None or latest.revision < 2 or latest.note != assessment.correction_note:
        return None
    record = latest.history.order_by("-history_date", "-history_id").first()
    return latest if record is not None and record.history_user_id == user.pk else None


@transaction.atomic
def publish_correction(
    assessment: Assessment, user, *, note: str, published_at: dt.datetime | None = None
) -> Rating:
    """Publish an agreed correction as a new revision; the earlier ones stay as they were.

    The assessment is locked and the rules asked again about it as it is now: a second
    request for the same publication (a double click) gets the revision the first one
    wrote, and nothing is written twice."""
    now = timezone.now()
    published_at = published_at or now
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("round", "council")
        .get(pk=assessment.pk)
    )
    already = correction_published_by(assessment, user)
    if already is not None:
        return already
    decision = workflow.can_publish_correction(user, assessment, now)
    if not decision:
        raise WorkflowError(decision.reason)
    round = assessment.round
    council = assessment.council
    current = services.latest_ratings(round, [council]).get(council.pk)
    if current is None:
        raise WorkflowError(f"{council.name} has no published rating in {round.year} to correct.")
    if current.revision > 1 and embargo.revision_is_pending(current, now):
        raise WorkflowError(
            f"Revision {current.revision} is still waiting for its publication time."
        )
    proposal = services.propose(
        round,
        assessment.rules_judgements(),
        caps=services.caps_for(round, council),
        was_on=services.special_measures_before(round, [council]).get(council.pk, False),
    )
    change = services.Change(
        council,
        proposal,
        current,
        services.Action.REVISED,
        current.revision + 1,
        in_place=False,
        round_published=True,
    )
    note = note.strip() or services.default_revision_note(published_at)
    (rating,) = services.apply_changes(
        round,
        [change],
        published_at=published_at,
        note=note,
        now=now,
        evidence=_evidence_snapshot(round, [council.pk]),
        user=user,
    )
    _transition(assessment, user, correction=False, correction_note=note)
    signals.announce_publication_scheduled(round.year)
    return rating
