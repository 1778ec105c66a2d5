"""Saving an inspector's judgements and evidence, with optimistic locking: a form
carries the version it was built from and a save from an older one is refused
(``StaleAssessment``), as is a judgement above a key-indicator cap. Also what the form
shows while judgements are chosen: the rating the rules would give, and why a capped
judgement is refused."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ratings import rules, services
from ratings.models import AssessmentRound, Council

from ..models import Assessment, DomainEvidence
from .errors import StaleAssessment, WorkflowError
from .reading import State

JUDGEMENT_FIELDS = ("adults_serving", "adults_prospects", "children_serving", "children_prospects")


def cap_messages(round: AssessmentRound, council: Council, judgements: dict) -> list[str]:
    """Why each 'serving people well' judgement above a key-indicator cap is refused."""
    messages = []
    for cap in services.caps_for(round, council):
        chosen = judgements.get(f"{cap.service}_serving")
        if chosen and rules.SERVING_LEVELS.index(chosen) > rules.SERVING_LEVELS.index(cap.maximum):
            messages.append(
                f"{rules.SERVICE_LABELS[cap.service].capitalize()} cannot be judged "
                f"'{rules.SERVING_LABELS[chosen]}': key indicator {cap.indicator_code} is "
                f"{cap.failing_because}, which caps the judgement at "
                f"'{rules.SERVING_LABELS[cap.maximum]}'."
            )
    return messages


def what_if(round: AssessmentRound, council: Council, judgements: dict) -> rules.Rating | None:
    """What the rules would give for these judgements, caps included; None until all four
    are chosen."""
    values = [judgements.get(name) or "" for name in JUDGEMENT_FIELDS]
    if not all(values):
        return None
    return rules.rate(
        rules.Judgements(*values),
        methodology=round.methodology_version,
        caps=services.caps_for(round, council),
    )


@transaction.atomic
def save_assessment(
    assessment: Assessment,
    *,
    judgements: dict,
    evidence: dict[int, tuple[str, str]],
    expected_version: int,
    user,
) -> Assessment:
    """Save judgements and evidence from a form built at ``expected_version``.

    Raises :class:`StaleAssessment` if someone saved in between (nothing is written), and
    :class:`services.CapExceeded`-like ``WorkflowError`` for a judgement above a cap.
    """
    current = (
        Assessment.objects.select_for_update()
        .select_related("round", "council")
        .filter(round=assessment.round, council=assessment.council)
        .first()
    ) or Assessment(round=assessment.round, council=assessment.council)
    if current.version != expected_version:
        raise StaleAssessment(current)
    messages = cap_messages(current.round, current.council, judgements)
    if messages:
        raise WorkflowError(" ".join(messages))

    judgements_changed = any(
        getattr(current, name) != (judgements.get(name) or "") for name in JUDGEMENT_FIELDS
    )
    for name in JUDGEMENT_FIELDS:
        setattr(current, name, judgements.get(name) or "")
    if current.state == State.NOT_STARTED:
        current.state = State.DRAFT
    current.version += 1  # under select_for_update: no lost update
    current._history_user = user
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        # Someone else started the same assessment a moment ago.
        raise StaleAssessment(
            Assessment.objects.select_related("round", "council").get(
                round=current.round, council=current.council
            )
        ) from None
    if judgements_changed:
        current.entered_by.add(user)

    saved = {
        row.domain_id: row
        for row in DomainEvidence.objects.filter(round=current.round, council=current.council)
    }
    for domain_id, (summary, notes) in evidence.items():
        row = saved.get(domain_id)
        if row is None:
            if not (summary or notes):
                continue
            row = DomainEvidence(round=current.round, council=current.council, domain_id=domain_id)
        elif row.summary == summary and row.standards_notes == notes:
            continue
        row.summary, row.standards_notes = summary, notes
        row._history_user = user
        row.save()
    return current
