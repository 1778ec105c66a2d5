"""The workspace's reads: the round being worked on, a council's assessment, inspector
and evidence in a round, who entered its judgements, and the dashboard's rows (every
council of a round, or one inspector's, with its state and the counts by state). Unsaved
objects stand for what is not started yet, so that pages need no special case."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from ratings.models import AssessmentRound, Council, Domain

from ..models import Assessment, AssessmentState, Assignment, DomainEvidence

State = AssessmentState


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
