"""A council's indicators in a published round: values with their bands and the national,
regional and council-type averages, and the key-indicator results; as numbers
(:func:`indicators`) and as the lines a page or report prints (:func:`indicator_line`,
:func:`key_indicator_line`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .. import banding, rules, selectors
from ..models import AssessmentRound, Council, Indicator, Polarity
from .words import DASH, average_text, number, value_text


@dataclass
class IndicatorRow:
    code: str
    title: str
    domain: str
    unit: str
    polarity: str
    value: Decimal | None
    band: int | None
    exempt: bool
    note: str
    national: Decimal | None
    regional: Decimal | None
    by_type: Decimal | None

    @property
    def polarity_words(self) -> str:
        return Polarity(self.polarity).label if self.polarity in Polarity.values else ""


@dataclass
class KeyIndicatorResult:
    code: str
    title: str
    service: str
    maximum: str
    threshold: Decimal
    polarity: str
    value: Decimal | None
    exempt: bool
    failed: bool

    @property
    def result(self) -> str:
        if self.exempt:
            return "Exempt"
        if self.value is None:
            return "No value"
        return "Failed" if self.failed else "Passed"

    @property
    def minimum(self) -> str:
        comparison = "at most" if self.polarity == Polarity.LOWER_IS_BETTER else "at least"
        return f"{comparison} {number(self.threshold)}"

    @property
    def caps(self) -> str:
        return (
            f"{rules.SERVICE_LABELS[self.service].capitalize()} at "
            f"'{rules.SERVING_LABELS[self.maximum]}'"
        )


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    title: str
    domain: str
    unit: str
    polarity: str  # "Higher is better"
    value: str  # "61.5", "No value"
    band: str  # "1" to "5", or "–"
    exempt: bool
    note: str
    national: str  # "63.8", or "–"
    regional: str
    by_type: str


@dataclass(frozen=True)
class KeyIndicatorLine:
    code: str
    title: str
    value: str
    minimum: str  # "at least 50"
    result: str  # "Passed", "Failed", "Exempt", "No value"
    caps: str  # "Children's services at 'serving some people well'"


def indicator_line(row: IndicatorRow) -> IndicatorLine:
    return IndicatorLine(
        code=row.code,
        title=row.title,
        domain=row.domain,
        unit=row.unit,
        polarity=row.polarity_words,
        value=value_text(row.value),
        band=str(row.band) if row.band else DASH,
        exempt=row.exempt,
        note=row.note,
        national=average_text(row.national),
        regional=average_text(row.regional),
        by_type=average_text(row.by_type),
    )


def key_indicator_line(result: KeyIndicatorResult) -> KeyIndicatorLine:
    return KeyIndicatorLine(
        code=result.code,
        title=result.title,
        value=value_text(result.value),
        minimum=result.minimum,
        result=result.result,
        caps=result.caps,
    )


def indicators(
    round: AssessmentRound, council: Council, now: dt.datetime | None = None
) -> tuple[list[IndicatorRow], list[KeyIndicatorResult]]:
    """The council's indicator values in a published round, with bands and the national,
    regional and council-type averages; and its key-indicator results (two queries)."""
    rows = selectors.council_indicators(round, council, now)
    averages = selectors.indicator_averages(round, council, now)
    indicator_rows, key_results = [], []
    for indicator in rows:
        value = indicator.council_value
        if indicator.has_value:
            average = averages.get(indicator.pk, {})
            indicator_rows.append(
                IndicatorRow(
                    code=indicator.code,
                    title=indicator.title,
                    domain=indicator.domain.name,
                    unit=indicator.unit,
                    polarity=indicator.polarity,
                    value=value,
                    band=_band(value, indicator),
                    exempt=bool(indicator.council_exempt),
                    note=indicator.council_note or "",
                    national=average.get("national"),
                    regional=average.get("regional"),
                    by_type=average.get("by_type"),
                )
            )
        if indicator.cap_service:
            cap = rules.key_indicator_cap(
                indicator_code=indicator.code,
                service=indicator.cap_service,
                maximum=indicator.cap_maximum,
                threshold=float(indicator.cap_threshold),
                higher_is_better=indicator.polarity != Polarity.LOWER_IS_BETTER,
                value=None if value is None else float(value),
                exempt=bool(indicator.council_exempt),
            )
            key_results.append(
                KeyIndicatorResult(
                    code=indicator.code,
                    title=indicator.title,
                    service=indicator.cap_service,
                    maximum=indicator.cap_maximum,
                    threshold=indicator.cap_threshold,
                    polarity=indicator.polarity,
                    value=value,
                    exempt=bool(indicator.council_exempt),
                    failed=cap is not None,
                )
            )
    return indicator_rows, key_results


def _band(value, indicator: Indicator) -> int | None:
    try:
        return banding.band(value, indicator.band_thresholds, indicator.polarity)
    except ValueError:
        return None
