"""What councils say about their ratings, and who saw them early.

- :class:`PreReleaseAccess`: who had the round's ratings before publication (a council
  contact who opened them in the pre-release window), published with the round as the
  statistics code asks of pre-release access lists;
- :class:`Representation`: a council's request, after publication, that its rating be
  reviewed (the 2005 process); an upheld one becomes a correction with its public note;
- :class:`CouncilResponse`: the council's right of reply, shown beside its rating once a
  publisher has moderated it.

The workspace writes these; the public reads them through ``ratings.selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .councils import Council
from .rounds import AssessmentRound

RESPONSE_MAX_LENGTH = 1500


class PreReleaseAccess(models.Model):
    """A person who saw a council's rating before the round was published: when first."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="pre_release_access"
    )
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The name as it was when access was given: the published list does not change when an
    # account is renamed or removed.
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, default="Council contact")
    first_access_at = models.DateTimeField()

    class Meta:
        ordering = ["round__year", "council__name", "name"]
        verbose_name_plural = "pre-release access"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "council", "user"], name="pre_release_access_once_per_person"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.council}), {self.round.year}"


class RepresentationState(models.TextChoices):
    OPEN = "open", "Being considered"
    UPHELD = "upheld", "Upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class Representation(models.Model):
    """A council's formal request, after publication, for its rating to be reviewed."""

    State = RepresentationState

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="representations"
    )
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="representations")
    grounds = models.TextField(validators=[MaxLengthValidator(5000)])
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField("reasons for the decision", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=RepresentationState.values),
                name="representation_state_allowed",
            ),
            models.UniqueConstraint(
                fields=["round", "council"],
                condition=Q(state="open"),
                name="one_open_representation_per_rating",
            ),
        ]

    def __str__(self):
        return f"Representation by {self.council} about {self.round.year}"


class ResponseState(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"
    REPLACED = "replaced", "Replaced by a later response"


class CouncilResponse(models.Model):
    """A council's reply to its published rating: plain text, moderated before it shows."""

    State = ResponseState
    MAX_LENGTH = RESPONSE_MAX_LENGTH

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="responses")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="responses")
    text = models.TextField(validators=[MaxLengthValidator(RESPONSE_MAX_LENGTH)])
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.TextField(blank=True)
    # When it became public; it stays on the record (``?as_at=``) from then on.
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ResponseState.values), name="response_state_allowed"
            ),
            models.UniqueConstraint(
                fields=["round", "council"],
                condition=Q(state="published"),
                name="one_published_response_per_rating",
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="published_response_has_time",
            ),
        ]

    def __str__(self):
        return f"Response by {self.council} to its {self.round.year} rating"

    @property
    def attribution(self) -> str:
        """ "Response from Leeds City Council, published 3 December 2006": how it is shown,
        on the council's page, in its report, its feed and the API."""
        day = timezone.localdate(self.published_at)
        return f"Response from {self.council.name}, published {day.day} {day:%B %Y}"
