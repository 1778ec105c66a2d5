"""What inspectors judge against: the framework's domains and standards, the performance
indicators with their bands, and the key indicators' caps per methodology version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .. import rules
from .choices import SERVICE_CHOICES, SERVING_CHOICES, Polarity


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
