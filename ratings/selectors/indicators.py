"""Indicator values as the public sees them: only a published round's, with the averages
the council page compares a council with."""

from __future__ import annotations

from django.db.models import Avg, F, FilteredRelation, Q, QuerySet

from .. import embargo
from ..models import AssessmentRound, Council, Indicator, IndicatorValue


def round_indicator_values(round: AssessmentRound, now=None) -> QuerySet[IndicatorValue]:
    """Every council's indicator values in ``round`` if it is published at ``now`` (none
    otherwise), by council and indicator code."""
    values = IndicatorValue.objects.filter(round=round)
    if not embargo.round_is_public(round, now):
        return values.none()
    return values.select_related("round", "council", "council__region", "indicator").order_by(
        "council__name", "indicator__code"
    )


def council_indicators(round: AssessmentRound, council: Council, now=None) -> list[Indicator]:
    """The indicators the council has a value for in a published round, or that are key
    indicators of its methodology, in framework order; each annotated with the council's
    ``council_value``, ``council_exempt``, ``council_note`` (``has_value``) and the key
    indicator's ``cap_service``, ``cap_maximum`` and ``cap_threshold`` (one query). None
    of a round not published at ``now``."""
    if not embargo.round_is_public(round, now):
        return []
    # Two LEFT JOINs on the unique (round, council, indicator) and (indicator, version)
    # keys, rather than a correlated subquery per column: one pass over the indicators.
    return list(
        Indicator.objects.select_related("domain")
        .annotate(
            own=FilteredRelation(
                "values", condition=Q(values__round=round, values__council=council)
            ),
            cap=FilteredRelation(
                "caps", condition=Q(caps__methodology_version=round.methodology_version)
            ),
            has_value=Q(own__id__isnull=False),
            council_value=F("own__value"),
            council_exempt=F("own__exempt"),
            council_note=F("own__note"),
            cap_service=F("cap__service"),
            cap_maximum=F("cap__maximum"),
            cap_threshold=F("cap__threshold"),
        )
        .filter(Q(own__id__isnull=False) | Q(cap__id__isnull=False))
        .order_by("domain__order", "order", "code")
    )


def indicator_averages(round: AssessmentRound, council: Council, now=None) -> dict[int, dict]:
    """Per indicator id, the ``national``, ``regional`` (the council's region) and
    ``by_type`` (its type of council) averages of a published round (one query)."""
    if not embargo.round_is_public(round, now):
        return {}
    return {
        row["indicator_id"]: row
        for row in IndicatorValue.objects.filter(round=round, value__isnull=False)
        .order_by()
        .values("indicator_id")
        .annotate(
            national=Avg("value"),
            regional=Avg("value", filter=Q(council__region_id=council.region_id)),
            by_type=Avg("value", filter=Q(council__council_type=council.council_type)),
        )
    }
