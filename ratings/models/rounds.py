"""What is published: a year's round, each council's rating in it (one row per revision)
with its two service judgements, and the councils' indicator values in the round.

Everything here is under embargo until ``ratings.embargo`` says otherwise."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .. import rules
from .choices import (
    PROSPECT_CHOICES,
    SERVICE_CHOICES,
    SERVING_CHOICES,
    RatingStatus,
    RoundStatus,
)
from .councils import Council
from .framework import Indicator


class AssessmentRound(models.Model):
    """One year's ratings round: the unit that is moderated and published together.

    A round is public once ``publication_at`` has passed and it is scheduled; nothing of it
    shows before (``ratings.embargo`` is the only gate).
    """

    Status = RoundStatus

    year = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(max_length=200)
    methodology_version = models.CharField(max_length=20)
    publication_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="Nothing of the round is public before this time.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_sample = models.BooleanField(
        default=False, help_text="Generated sample data, not the real published ratings."
    )
    # As in the original process, each council was told its rating a few days before
    # publication: its contacts see it in the workspace from this many days before.
    pre_release_days = models.PositiveSmallIntegerField(
        "pre-release days",
        default=4,
        validators=[MaxValueValidator(30)],
        help_text="Days before publication from which a council's contacts see its rating.",
    )
    # The body that published the round, which is not always the portal's operator: the
    # Social Services Inspectorate published 2002 and 2003, the Commission for Social Care
    # Inspection 2004 and 2005.
    publisher = models.CharField(
        max_length=200, blank=True, help_text="The body that published the round."
    )
    source = models.TextField(
        blank=True, help_text="Where the round's publication is recorded (a citation)."
    )
    source_url = models.URLField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values),
                name="round_status_allowed",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publication_at__isnull=False),
                name="scheduled_round_has_publication_time",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.methodology_version not in rules.methodology_versions():
            raise ValidationError(
                {
                    "methodology_version": (
                        f"Unknown methodology; use one of "
                        f"{', '.join(rules.methodology_versions())}."
                    )
                }
            )

    def is_published(self, now=None) -> bool:
        # The embargo's round predicate (the gate imports this module, so not at the top).
        from ..embargo import round_is_public

        return round_is_public(self, now)


class IndicatorValue(models.Model):
    """A council's value for an indicator in a round."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="indicator_values"
    )
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    # Small councils, where one person would swing the figure, are exempt from key caps.
    exempt = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round__year", "council__name", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "council", "indicator"], name="one_value_per_council_indicator"
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.indicator.code} {self.round.year}: {self.value}"


class Rating(models.Model):
    """One revision of a council's rating in a round.

    Revision 1 is published with the round. A refresh or correction adds a new revision
    with its own publication time and public note; a published revision is never changed
    in place. The stars and reasons are what ``rules.rate`` gave for the judgements.
    """

    Status = RatingStatus

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="ratings")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="ratings")
    revision = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RATED)
    stars = models.PositiveSmallIntegerField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    on_special_measures = models.BooleanField(
        default=False, help_text="Whether the council is on special measures after this rating."
    )
    # Revisions after the first carry their own publication time; revision 1 follows the round.
    published_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="Public note of the revision.")
    # The inspectors' evidence as published with this revision, by domain slug:
    # {"adults": {"summary": ..., "standards_notes": ...}}. A copy, so that later edits in
    # the workspace never change what a published revision said.
    evidence = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["reasons"])

    class Meta:
        ordering = ["round__year", "council__name", "revision"]
        indexes = [
            # Every public page reads each round's newest revision time (the page cache's
            # publication watermark): an index scan, not every rating of the round.
            models.Index(fields=["round", "published_at"], name="rating_round_published_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "council", "revision"], name="one_rating_per_council_revision"
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="rating_revision_from_one"),
            models.CheckConstraint(
                condition=Q(status="rated", stars__gte=0, stars__lte=3)
                | Q(status="not_rated", stars__isnull=True),
                name="rating_stars_0_to_3_or_not_rated",
            ),
            models.CheckConstraint(
                condition=Q(revision=1) | Q(published_at__isnull=False),
                name="revision_after_first_has_publication_time",
            ),
        ]

    def __str__(self):
        stars = "not rated" if self.stars is None else f"{self.stars} stars"
        return f"{self.council} {self.round.year} r{self.revision}: {stars}"

    def judgement(self, service: str) -> ServiceJudgement | None:
        for judgement in self.judgements.all():
            if judgement.service == service:
                return judgement
        return None

    def rules_judgements(self) -> rules.Judgements | None:
        by_service = {j.service: j for j in self.judgements.all()}
        if set(by_service) != set(rules.SERVICES):
            return None
        return rules.Judgements(
            adults_serving=by_service["adults"].serving,
            adults_prospects=by_service["adults"].prospects,
            children_serving=by_service["children"].serving,
            children_prospects=by_service["children"].prospects,
        )


class ServiceJudgement(models.Model):
    """The two judgements for one service in one rating revision."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="judgements")
    service = models.CharField(max_length=10, choices=SERVICE_CHOICES)
    serving = models.CharField("serving people well?", max_length=10, choices=SERVING_CHOICES)
    prospects = models.CharField(
        "capacity for improvement", max_length=10, choices=PROSPECT_CHOICES
    )

    class Meta:
        ordering = ["rating", "service"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "service"], name="one_judgement_per_service"),
            models.CheckConstraint(
                condition=Q(service__in=rules.SERVICES), name="judgement_service_allowed"
            ),
            models.CheckConstraint(
                condition=Q(serving__in=rules.SERVING_LEVELS), name="judgement_serving_allowed"
            ),
            models.CheckConstraint(
                condition=Q(prospects__in=rules.PROSPECT_LEVELS),
                name="judgement_prospects_allowed",
            ),
        ]

    def __str__(self):
        return f"{self.get_service_display()}: {self.serving} / {self.prospects}"


class PublicationDetail(models.Model):
    """What the record says about one publication of a round: its first publication or a
    later refresh (the moments themselves are the round's and its revisions' publication
    times; ``ratings.publications`` lists them). Optional: without one, a publication is
    shown with its exact date and its round's source."""

    class DateShown(models.TextChoices):
        DAY = "day", "The day (confirmed)"
        MONTH = "month", "The month only (the day is not confirmed)"

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="publication_details"
    )
    published_at = models.DateTimeField()
    date_shown = models.CharField(max_length=5, choices=DateShown.choices, default=DateShown.DAY)
    description = models.CharField(
        max_length=200,
        blank=True,
        help_text='e.g. "the November 2002 refresh: 18 councils re-rated"',
    )
    source = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["round__year", "published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "published_at"], name="one_detail_per_publication"
            ),
        ]

    def __str__(self):
        return f"{self.round} at {self.published_at:%Y-%m-%d %H:%M}"
