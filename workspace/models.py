"""The workspace's own records: who assesses which council, the assessment as the
inspectorate works on it, and the evidence working copy. Nothing here is public.

These models began in the ``ratings`` app and moved here (workspace migration 0001); they
keep their tables (``ratings_assessment`` and so on) so that an existing database upgrades
with ``migrate`` and loses nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ratings import rules
from ratings.models import PROSPECT_CHOICES, SERVING_CHOICES, AssessmentRound, Council, Domain


class AssessmentState(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    AGREED = "agreed", "Agreed"


class Assignment(models.Model):
    """The inspector who assesses a council in a round."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="assignments")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="assignments")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )

    history = HistoricalRecords(table_name="ratings_historicalassignment")

    class Meta:
        db_table = "ratings_assignment"
        ordering = ["round__year", "council__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "council"], name="one_inspector_per_council"),
        ]

    def __str__(self):
        return f"{self.council} {self.round.year}: {self.inspector}"


class Assessment(models.Model):
    """A council's assessment in a round as the inspectorate works on it: the four
    judgements and where they are in moderation.

    Nothing here is public. Scheduling the round turns each agreed assessment into the
    council's published rating (revision 1); after publication, a reopened assessment
    (``correction``) becomes a new revision when the publisher publishes it. ``version``
    counts saves, so that a save made from an out-of-date form is refused.
    """

    State = AssessmentState

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="assessments")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="assessments")
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_STARTED)
    adults_serving = models.CharField(
        "adults: serving people well?", max_length=10, choices=SERVING_CHOICES, blank=True
    )
    adults_prospects = models.CharField(
        "adults: capacity for improvement", max_length=10, choices=PROSPECT_CHOICES, blank=True
    )
    children_serving = models.CharField(
        "children: serving people well?", max_length=10, choices=SERVING_CHOICES, blank=True
    )
    children_prospects = models.CharField(
        "children: capacity for improvement", max_length=10, choices=PROSPECT_CHOICES, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    # Everyone who has saved judgements since the assessment was last agreed: none of them
    # may agree it (the two-person rule).
    entered_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    return_comments = models.TextField(
        blank=True, help_text="The lead inspector's comments when returning it."
    )
    # Reopened after publication: publishing it adds a revision with ``correction_note``.
    correction = models.BooleanField(default=False)
    correction_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(table_name="ratings_historicalassessment")

    class Meta:
        db_table = "ratings_assessment"
        ordering = ["round__year", "council__name"]
        permissions = [
            ("enter_judgements", "Can enter judgements for assigned councils"),
            ("moderate_assessment", "Can return or agree assessments"),
            ("publish_round", "Can open, close and schedule rounds and publish corrections"),
            (
                "view_own_council",
                "Can see their own council's rating before publication and reply to it",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["round", "council"], name="one_assessment_per_round"),
            models.CheckConstraint(
                condition=Q(state__in=AssessmentState.values), name="assessment_state_allowed"
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.round.year}: {self.get_state_display()}"

    def rules_judgements(self) -> rules.Judgements | None:
        """The four judgements for the rules engine, or None while any is missing."""
        values = (
            self.adults_serving,
            self.adults_prospects,
            self.children_serving,
            self.children_prospects,
        )
        if not all(values):
            return None
        return rules.Judgements(*values)


class DomainEvidence(models.Model):
    """Inspectors' evidence summary and standards notes for one domain of a council's
    assessment in a round: the workspace's working copy. The public sees the copy taken
    into ``Rating.evidence`` when a revision is published."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="evidence")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="evidence")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="evidence")
    summary = models.TextField("evidence summary", blank=True)
    standards_notes = models.TextField(blank=True)

    history = HistoricalRecords(table_name="ratings_historicaldomainevidence")

    class Meta:
        db_table = "ratings_domainevidence"
        verbose_name_plural = "domain evidence"
        ordering = ["round__year", "council__name", "domain__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "council", "domain"], name="one_evidence_per_domain"
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.round.year}: {self.domain}"


class CouncilContact(models.Model):
    """A person at a council, told the council's rating before publication (the council
    contact role). Each person speaks for one council; a council has several."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_contact"
    )
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="contacts")
    job_title = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "user__username"]

    def __str__(self):
        return f"{self.user} ({self.council})"


class PreReleaseView(models.Model):
    """One look by a council contact at embargoed material: every one is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="+")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["round", "council", "at"])]

    def __str__(self):
        return f"{self.user} viewed {self.path} at {self.at:%Y-%m-%d %H:%M}"


class ChallengeSubject(models.TextChoices):
    JUDGEMENT = "judgement", "A judgement"
    INDICATOR = "indicator", "An indicator value"
    STATEMENT = "statement", "A statement in the evidence or report"


class ChallengeOutcome(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Upheld"
    PARTLY = "partly", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class Challenge(models.Model):
    """A council's challenge to the factual accuracy of its rating, raised in the
    pre-release window and answered by a lead inspector."""

    Subject = ChallengeSubject
    Outcome = ChallengeOutcome

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="+")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="challenges")
    subject = models.CharField(max_length=20, choices=Subject.choices)
    # What exactly: "Adults: serving people well?", an indicator's code and name, or the
    # statement quoted.
    about = models.CharField("what is challenged", max_length=300)
    evidence = models.TextField(validators=[MaxLengthValidator(5000)])
    evidence_file = models.FileField(upload_to="challenge-evidence/%Y/", blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    answer = models.TextField("reasons", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=ChallengeOutcome.values), name="challenge_outcome_allowed"
            ),
            models.CheckConstraint(
                condition=Q(subject__in=ChallengeSubject.values), name="challenge_subject_allowed"
            ),
        ]

    def __str__(self):
        return f"Challenge by {self.council} ({self.round.year}): {self.about}"

    @property
    def is_open(self) -> bool:
        return self.outcome == ChallengeOutcome.OPEN
