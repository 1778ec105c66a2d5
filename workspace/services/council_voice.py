"""Councils in the loop: their contacts' pre-release view (each look logged, the access
list published with the round), factual-accuracy challenges, representations after
publication and the right of reply.

As elsewhere in ``workspace.services``, these check the data, not the person
(``workspace.workflow`` does that, in the views). Every change is a history row with its
author (django-simple-history), as the rest of the workspace's audit trail.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Case, When
from django.utils import timezone

from ratings.models import (
    AssessmentRound,
    Council,
    CouncilResponse,
    PreReleaseAccess,
    Rating,
    Representation,
)

from .. import workflow
from ..models import Challenge, CouncilContact, PreReleaseView
from .errors import WorkflowError


def council_of(user) -> Council | None:
    """The council ``user`` is a contact for, or None."""
    if not user.is_authenticated:
        return None
    contact = CouncilContact.objects.select_related("council__region").filter(user=user).first()
    return contact.council if contact else None


def is_rated_in(round: AssessmentRound, council: Council) -> bool:
    """Whether the round holds a rating of the council (made when it was scheduled)."""
    return Rating.objects.filter(round=round, council=council).exists()


def contact_rounds(council: Council, now=None) -> list[tuple[AssessmentRound, object]]:
    """Every round in which ``council`` is rated and which is scheduled or published, newest
    first, with when its contacts may see it (None once it is theirs to see)."""
    now = now or timezone.now()
    rounds = AssessmentRound.objects.filter(
        status=AssessmentRound.Status.SCHEDULED, ratings__council=council
    ).distinct()
    found = []
    for round in sorted(rounds, key=lambda r: r.year, reverse=True):
        opens = workflow.pre_release_opens_at(round)
        found.append((round, opens if opens and now < opens else None))
    return found


def log_pre_release_view(user, council: Council, round: AssessmentRound, path: str, now=None):
    """Keep this look at embargoed material, and put its person on the round's published
    pre-release access list (once, with the time of their first look)."""
    now = now or timezone.now()
    PreReleaseView.objects.create(user=user, round=round, council=council, path=path[:300], at=now)
    try:
        with transaction.atomic():
            PreReleaseAccess.objects.get_or_create(
                round=round,
                council=council,
                user=user,
                defaults={
                    "name": user.get_full_name() or user.get_username(),
                    "first_access_at": now,
                },
            )
    except IntegrityError:  # the same person's other tab, at the same moment
        pass


def open_first(found, field: str, then: str):
    """Those still open (``field`` is "open") first, each part oldest first."""
    return found.order_by(Case(When(**{field: "open"}, then=0), default=1), then)


def waiting_first(found):
    """Responses waiting for moderation first (oldest first), then the rest, newest first."""
    waiting = When(state=CouncilResponse.State.SUBMITTED, then=0)
    return found.order_by(
        Case(waiting, default=1),
        Case(When(state=CouncilResponse.State.SUBMITTED, then="submitted_at")),
        "-submitted_at",
    )


def challenges(round: AssessmentRound, council: Council | None = None):
    found = Challenge.objects.filter(round=round).select_related("council", "raised_by")
    return found.filter(council=council) if council is not None else found


def open_challenges(round: AssessmentRound):
    return challenges(round).filter(outcome=Challenge.Outcome.OPEN)


def raise_challenge(round, council, user, *, subject, about, evidence, evidence_file=None):
    challenge = Challenge(
        round=round,
        council=council,
        subject=subject,
        about=about,
        evidence=evidence,
        raised_by=user,
        raised_at=timezone.now(),
    )
    if evidence_file is not None:
        challenge.evidence_file = evidence_file
    challenge._history_user = user
    challenge.save()
    return challenge


@transaction.atomic
def answer_challenge(challenge: Challenge, user, *, outcome: str, answer: str) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not challenge.is_open:
        raise WorkflowError("This challenge has already been answered.")
    challenge.outcome = outcome
    challenge.answer = answer
    challenge.answered_by = user
    challenge.answered_at = timezone.now()
    challenge._history_user = user
    challenge.save()
    return challenge


def representations(round: AssessmentRound | None = None, council: Council | None = None):
    found = Representation.objects.select_related("round", "council", "submitted_by")
    if round is not None:
        found = found.filter(round=round)
    if council is not None:
        found = found.filter(council=council)
    return found


def has_open_representation(round, council) -> bool:
    return representations(round, council).filter(state=Representation.State.OPEN).exists()


def make_representation(round, council, user, *, grounds: str) -> Representation:
    representation = Representation(
        round=round,
        council=council,
        grounds=grounds,
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    representation._history_user = user
    try:
        with transaction.atomic():
            representation.save()
    except IntegrityError:
        raise WorkflowError(
            f"A representation about {council.name}'s rating is already being considered."
        ) from None
    return representation


@transaction.atomic
def decide_representation(representation, user, *, upheld: bool, decision: str):
    representation = Representation.objects.select_for_update().get(pk=representation.pk)
    if representation.state != Representation.State.OPEN:
        raise WorkflowError("This representation has already been decided.")
    representation.state = (
        Representation.State.UPHELD if upheld else Representation.State.NOT_UPHELD
    )
    representation.decision = decision
    representation.decided_by = user
    representation.decided_at = timezone.now()
    representation._history_user = user
    representation.save()
    return representation


def responses(round: AssessmentRound | None = None, council: Council | None = None):
    found = CouncilResponse.objects.select_related("round", "council", "submitted_by")
    if round is not None:
        found = found.filter(round=round)
    if council is not None:
        found = found.filter(council=council)
    return found


def response_waiting(round, council) -> bool:
    return responses(round, council).filter(state=CouncilResponse.State.SUBMITTED).exists()


def submit_response(round, council, user, *, text: str) -> CouncilResponse:
    response = CouncilResponse(
        round=round, council=council, text=text, submitted_by=user, submitted_at=timezone.now()
    )
    response._history_user = user
    response.full_clean()
    response.save()
    return response


@transaction.atomic
def moderate_response(response, user, *, publish: bool, reason: str) -> CouncilResponse:
    """Publish the response (the council's earlier one, if any, is replaced) or refuse it
    with the reason the council is shown."""
    response = CouncilResponse.objects.select_for_update().get(pk=response.pk)
    if response.state != CouncilResponse.State.SUBMITTED:
        raise WorkflowError("This response has already been moderated.")
    now = timezone.now()
    if publish:
        for earlier in CouncilResponse.objects.select_for_update().filter(
            round=response.round, council=response.council, state=CouncilResponse.State.PUBLISHED
        ):
            earlier.state = CouncilResponse.State.REPLACED
            earlier._history_user = user
            earlier.save()
        response.state = CouncilResponse.State.PUBLISHED
        response.published_at = now
    else:
        response.state = CouncilResponse.State.REJECTED
    response.moderation_reason = reason
    response.moderated_by = user
    response.moderated_at = now
    response._history_user = user
    response.save()
    return response
