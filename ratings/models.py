"""The ratings domain: councils, rounds, judgements, ratings, indicators, groups and CPA.

Stars are never computed here: ``ratings.rules`` decides them and the services in
``ratings.services`` store what it said. Constraints live in the database as well as in
forms, so that an import, the admin and a raw SQL session all meet the same rules.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import rules


def _choices(values, labels=None):
    return [(value, (labels or {}).get(value, value.capitalize())) for value in values]


SERVICE_CHOICES = [("adults", "Adults' services"), ("children", "Children's services")]
SERVING_CHOICES = [(v, rules.SERVING_LABELS[v].capitalize()) for v in rules.SERVING_LEVELS]
PROSPECT_CHOICES = _choices(rules.PROSPECT_LEVELS)


class CouncilType(models.TextChoices):
    COUNTY = "county", "County council"
    METROPOLITAN = "metropolitan", "Metropolitan district"
    LONDON_BOROUGH = "london_borough", "London borough"
    UNITARY = "unitary", "Unitary authority"
    # The City of London and the Isles of Scilly fit none of the four.
    SUI_GENERIS = "sui_generis", "Other (sui generis)"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for judgements"
    CLOSED = "closed", "Closed for moderation"
    SCHEDULED = "scheduled", "Scheduled for publication"


class RatingStatus(models.TextChoices):
    RATED = "rated", "Rated"
    NOT_RATED = "not_rated", "Not rated"


class CPACategory(models.TextChoices):
    EXCELLENT = "excellent", "Excellent"
    GOOD = "good", "Good"
    FAIR = "fair", "Fair"
    WEAK = "weak", "Weak"
    POOR = "poor", "Poor"


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher", "Higher is better"
    LOWER_IS_BETTER = "lower", "Lower is better"
    NEUTRAL = "neutral", "Neither (context only)"


class Region(models.Model):
    """A government office region of England."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Council(models.Model):
    """A council with social services responsibilities."""

    Type = CouncilType

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    council_type = models.CharField("type", max_length=20, choices=Type.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="councils")
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    # Other names the press and other bodies use ("Hull" for Kingston upon Hull).
    alternative_names = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(council_type__in=CouncilType.values),
                name="council_type_allowed",
            ),
        ]

    def __str__(self):
        return self.name


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
        from .embargo import round_is_public

        return round_is_public(self, now)


class Domain(models.Model):
    """A domain of the assessment framework (children and families, ...)."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Standard(models.Model):
    """A published standard within a domain, against which inspectors judge."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain__order", "order", "code"]

    def __str__(self):
        return f"{self.code} {self.title}"


class Indicator(models.Model):
    """A performance indicator (PAF or Best Value), banded 1-5."""

    Polarity = Polarity

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="indicators")
    unit = models.CharField(max_length=50, help_text="e.g. %, per 1,000 aged 65+, £ per week")
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    # Four ascending cut points between the five bands; band 5 is best whatever the polarity.
    band_thresholds = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="Where the definition comes from.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain__order", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(polarity__in=Polarity.values),
                name="indicator_polarity_allowed",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self):
        thresholds = self.band_thresholds or []
        if thresholds and (
            len(thresholds) != 4
            or not all(isinstance(t, int | float) for t in thresholds)
            or sorted(thresholds) != list(thresholds)
        ):
            raise ValidationError(
                {"band_thresholds": "Give four ascending numbers (the cut points of bands 1-5)."}
            )


class KeyIndicatorCap(models.Model):
    """A key indicator's minimum in one methodology version, and what failing it caps."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="caps")
    methodology_version = models.CharField(max_length=20)
    service = models.CharField(max_length=10, choices=SERVICE_CHOICES)
    maximum = models.CharField(
        "maximum judgement",
        max_length=10,
        choices=SERVING_CHOICES,
        help_text="The highest 'serving people well' judgement a council failing it may have.",
    )
    threshold = models.DecimalField(max_digits=12, decimal_places=3)
    note = models.TextField(blank=True, help_text="The source, and how sure we are.")

    class Meta:
        ordering = ["methodology_version", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "methodology_version"], name="one_cap_per_indicator_version"
            ),
            models.CheckConstraint(
                condition=Q(service__in=rules.SERVICES), name="cap_service_allowed"
            ),
            models.CheckConstraint(
                condition=Q(maximum__in=rules.SERVING_LEVELS), name="cap_maximum_allowed"
            ),
        ]

    def __str__(self):
        return (
            f"{self.indicator.code} ({self.methodology_version}): {self.service} ≤ {self.maximum}"
        )


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


class Group(models.Model):
    """A named set of councils, e.g. the Children's Trust pathfinders."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    year = models.PositiveSmallIntegerField()
    is_sample = models.BooleanField(
        default=False, help_text="Generated sample membership, not a published fact."
    )
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["year", "group__name", "council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "council", "year"], name="one_membership_per_group_year"
            ),
        ]

    def __str__(self):
        return f"{self.council} in {self.group} ({self.year})"


class CPAResult(models.Model):
    """The Audit Commission's Comprehensive Performance Assessment of a council in a year.

    Categories are stored as published; the portal never computes them.
    """

    Category = CPACategory

    score_validators = [MinValueValidator(1), MaxValueValidator(4)]

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="cpa_results")
    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=10, choices=Category.choices)
    education_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=score_validators
    )
    childrens_social_care_score = models.PositiveSmallIntegerField(
        "children's social care score", null=True, blank=True, validators=score_validators
    )
    core_service_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=score_validators
    )
    note = models.TextField(blank=True)
    source = models.TextField(blank=True)
    is_sample = models.BooleanField(default=False)

    class Meta:
        verbose_name = "CPA result"
        ordering = ["year", "council__name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="one_cpa_per_council_year"),
            models.CheckConstraint(
                condition=Q(category__in=CPACategory.values),
                name="cpa_category_allowed",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 1, f"{f}__lte": 4}),
                    name=f"cpa_{f}_1_to_4",
                )
                for f in ("education_score", "childrens_social_care_score", "core_service_score")
            ],
        ]

    def __str__(self):
        return f"{self.council} CPA {self.year}: {self.category}"


class PublishedFact(models.Model):
    """A rating fact found in public reporting, kept verbatim with its source.

    Sample rounds are generated to agree with these; pages show them as the real record.
    Empty fields are unknown.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="published_facts")
    year = models.PositiveSmallIntegerField()
    round_label = models.CharField(
        max_length=50, blank=True, help_text="e.g. May, November refresh"
    )
    stars = models.PositiveSmallIntegerField(null=True, blank=True)
    not_rated = models.BooleanField(default=False)
    adults_serving = models.CharField(max_length=10, blank=True, choices=SERVING_CHOICES)
    adults_prospects = models.CharField(max_length=10, blank=True, choices=PROSPECT_CHOICES)
    children_serving = models.CharField(max_length=10, blank=True, choices=SERVING_CHOICES)
    children_prospects = models.CharField(max_length=10, blank=True, choices=PROSPECT_CHOICES)
    special_measures = models.CharField(max_length=10, blank=True)
    source = models.TextField()

    class Meta:
        ordering = ["year", "round_label", "council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "round_label"], name="one_fact_per_council_round"
            ),
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | Q(stars__lte=3), name="fact_stars_0_to_3"
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.year} {self.round_label}".strip()
