"""The vocabularies the models store: judgements' choices (from the rules engine), council
types, round and rating states, CPA categories, indicator polarities."""

from __future__ import annotations

from django.db import models

from .. import rules


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
