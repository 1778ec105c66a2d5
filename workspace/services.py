"""The workspace's writes: saving judgements, moderation, rounds, publication, corrections.

Each function checks nothing about *who* is asking (``workspace.workflow`` does, in the
views) but everything about the data: the version a form was built from, the caps, that
every council is agreed before a round is scheduled. Ratings themselves are written by
``ratings.services``, the only code that stores stars.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from ratings import embargo, rules, services, signals
from ratings.models import AssessmentRound, Council, Domain, IndicatorValue, Rating, RoundStatus

from .models import Assessment, AssessmentState, Assignment, DomainEvidence

State = AssessmentState
JUDGEMENT_FIELDS = ("adults_serving", "adults_prospects", "children_serving", "children_prospects")


class StaleAssessment(Exception):
    """Someone else saved the assessment after this form was loaded."""

    def __init__(self, current: Assessment):
        self.current = current
        super().__init__(
            f"{current.council.name} was changed by someone else while you were editing."
        )


class WorkflowError(ValueError):
    """A step the data does not allow (e.g. scheduling a round with councils not agreed)."""


# --- reading -------------------------------------------------------------------------------


def working_round(now=None) -> AssessmentRound | None:
    """The round the inspectorate is working on: the latest not yet published, else the
    latest of all."""
    now = now or timezone.now()
    rounds = list(AssessmentRound.objects.order_by("-year"))
    for round in rounds:
        if not round.is_published(now):
            return round
    return rounds[0] if rounds else None


def assessment_for(round: AssessmentRound, council: Council) -> Assessment:
    """The council's assessment in the round; unsaved (not started) if there is none."""
    assessment = (
        Assessment.objects.filter(round=round, council=council)
        .select_related("round", "council", "submitted_by", "moderated_by")
        .first()
    )
    return assessment or Assessment(round=round, council=council)


def inspector_id(round: AssessmentRound, council: Council) -> int | None:
    return (
        Assignment.objects.filter(round=round, council=council)
        .values_list("inspector_id", flat=True)
        .first()
    )


def entered_by_ids(assessment: Assessment) -> list[int]:
    if assessment.pk is None:
        return []
    return list(assessment.entered_by.values_list("pk", flat=True))


def evidence_for(round: AssessmentRound, council: Council) -> list[DomainEvidence]:
    """One evidence row per domain, in domain order (unsaved where nothing is entered)."""
    saved = {
        row.domain_id: row for row in DomainEvidence.objects.filter(round=round, council=council)
    }
    return [
        saved.get(domain.pk) or DomainEvidence(round=round, council=council, domain=domain)
        for domain in Domain.objects.all()
    ]


@dataclass
class CouncilProgress:
    council: Council
    state: str
    inspector: object | None
    assessment: Assessment | None

    @property
    def state_label(self) -> str:
        return State(self.state).label


@dataclass
class RoundProgress:
    round: AssessmentRound
    rows: list[CouncilProgress]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.rows)

    def states(self) -> list[tuple[str, str, int, float]]:
        """(state, label, count, percent) for every state, in workflow order."""
        total = self.total or 1
        return [
            (
                state.value,
                state.label,
                self.counts.get(state, 0),
                100 * self.counts.get(state, 0) / total,
            )
            for state in State
        ]


def round_progress(round: AssessmentRound, *, inspector=None) -> RoundProgress:
    """Every council of the round (or ``inspector``'s) with its state; three queries."""
    assignments = {
        a.council_id: a.inspector
        for a in Assignment.objects.filter(round=round).select_related("inspector")
    }
    assessments = {a.council_id: a for a in Assessment.objects.filter(round=round)}
    councils = Council.objects.select_related("region").order_by("name")
    if inspector is not None:
        councils = councils.filter(assignments__round=round, assignments__inspector=inspector)
    rows = []
    counts: dict[str, int] = {}
    for council in councils:
        assessment = assessments.get(council.pk)
        state = assessment.state if assessment else State.NOT_STARTED
        counts[state] = counts.get(state, 0) + 1
        rows.append(CouncilProgress(council, state, assignments.get(council.pk), assessment))
    return RoundProgress(round, rows, counts)


def not_agreed_count(round: AssessmentRound) -> int:
    return (
        Council.objects.count() - Assessment.objects.filter(round=round, state=State.AGREED).count()
    )


# --- the judgement form ------------------------------------------------------------------------


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


def _transition(assessment: Assessment, user, **changes) -> Assessment:
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        for name, value in changes.items():
            setattr(current, name, value)
        current.version += 1  # under select_for_update: no lost update
        current._history_user = user
        current.save()
    return Assessment.objects.select_related("round", "council").get(pk=current.pk)


def submit(assessment: Assessment, user) -> Assessment:
    return _transition(
        assessment,
        user,
        state=State.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
    )


def return_to_inspector(assessment: Assessment, user, comments: str) -> Assessment:
    return _transition(
        assessment,
        user,
        state=State.RETURNED,
        moderated_by=user,
        moderated_at=timezone.now(),
        return_comments=comments,
    )


def agree(assessment: Assessment, user) -> Assessment:
    return _transition(
        assessment,
        user,
        state=State.AGREED,
        moderated_by=user,
        moderated_at=timezone.now(),
        return_comments="",
    )


# --- rounds and publication --------------------------------------------------------------------


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


@transaction.atomic
def schedule_round(
    round: AssessmentRound, publication_at: dt.datetime, user, *, now=None
) -> list[Rating]:
    """Schedule the round's publication: every council's agreed assessment becomes its
    rating (revision 1), public from ``publication_at`` and not a moment before."""
    now = now or timezone.now()
    round = AssessmentRound.objects.select_for_update().get(pk=round.pk)
    if round.is_published(now):
        raise WorkflowError(f"The {round.year} round is already published.")
    missing = not_agreed_count(round)
    if missing:
        raise WorkflowError(f"{missing} councils are not agreed yet.")
    assessments = list(
        Assessment.objects.filter(round=round, state=State.AGREED).select_related("council")
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


@transaction.atomic
def publish_correction(
    assessment: Assessment, user, *, note: str, published_at: dt.datetime | None = None
) -> Rating:
    """Publish an agreed correction as a new revision; the earlier ones stay as they were."""
    now = timezone.now()
    published_at = published_at or now
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


@transaction.atomic
def save_indicator_values(round, council, values: dict[int, tuple], user) -> int:
    """Store one council's indicator values (value, exempt) by indicator id; return how
    many changed. An empty value with no exemption removes nothing but clears the value."""
    existing = {
        v.indicator_id: v for v in IndicatorValue.objects.filter(round=round, council=council)
    }
    changed = 0
    for indicator_id, (value, exempt) in values.items():
        row = existing.get(indicator_id)
        if row is None:
            if value is None and not exempt:
                continue
            row = IndicatorValue(round=round, council=council, indicator_id=indicator_id)
        elif row.value == value and row.exempt == exempt:
            continue
        row.value, row.exempt = value, exempt
        row._history_user = user
        row.save()
        changed += 1
    return changed
