"""The public record around the ratings: the Audit Commission's CPA results, and the
rating facts found in published reporting (kept verbatim, with their sources)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .choices import PROSPECT_CHOICES, SERVING_CHOICES, CPACategory
from .councils import Council


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
    # A published result whose record gives no score for a field can carry the sample's, so
    # that national counts run over every council; the fields named here are those.
    sample_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Scores of a published result that are sample data (the record gives none).",
    )

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
    # Facts come from more than one file, and two files may each say something of the same
    # council and round (a later find may repeat, refine or contradict an earlier one).
    source_file = models.CharField(max_length=100, default="known-ratings.csv")
    quote = models.TextField(blank=True, help_text="The source's words, as found.")
    doubt = models.TextField(
        blank=True,
        help_text="What the record leaves in doubt, as written: e.g. a value marked "
        "'probable' or 'inferred', or a year given as '2004 or 2005'.",
    )
    conflict = models.TextField(
        blank=True,
        help_text="Another published fact this one contradicts, and which of the two the "
        "portal follows.",
    )

    class Meta:
        ordering = ["year", "round_label", "council__name", "source_file"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "round_label", "source_file"],
                name="one_fact_per_council_round_file",
            ),
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | Q(stars__lte=3), name="fact_stars_0_to_3"
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.year} {self.round_label}".strip()


class SpecialMeasuresBefore(models.Model):
    """A council on special measures before the first published round: the register is
    older than the star ratings (zero-star councils joined it, and councils left it on
    reaching a star). Without a council, the record counts one more member but does not
    name it (May 2002: "four already were", of which the sources name one)."""

    council = models.ForeignKey(
        Council,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="special_measures_before",
    )
    since = models.CharField(max_length=50, blank=True, help_text='e.g. "1998"')
    note = models.TextField(blank=True)
    source = models.TextField()

    class Meta:
        verbose_name = "special measures before the first round"
        verbose_name_plural = "special measures before the first round"
        ordering = ["council__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(council__isnull=False),
                name="one_earlier_special_measures_entry_per_council",
            ),
        ]

    def __str__(self):
        return str(self.council) if self.council_id else "A council the record does not name"


class PublishedFigure(models.Model):
    """A national figure as a publication gave it (``ratings/data/published-figures.csv``),
    kept verbatim with its source, so that the portal's own figures can be checked against
    the record (``ratings.record``).

    ``publication`` is the star ratings publication the figure speaks of, as far as its
    date is known: ``2002-05-30``, ``2002-11`` (the refresh, day not confirmed). ``value``
    is a number, a range (``75–76``) or council names separated by ``;`` (``none`` for an
    empty list).
    """

    publication = models.CharField(max_length=10, help_text="e.g. 2004-11-18 or 2002-11")
    year = models.PositiveSmallIntegerField(help_text="The round's year.")
    figure = models.CharField(max_length=80, help_text="A stable key, e.g. stars.0")
    value = models.TextField()
    source = models.TextField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["publication", "figure"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "figure"], name="one_figure_per_publication"
            ),
        ]

    def __str__(self):
        return f"{self.publication} {self.figure}: {self.value}"
