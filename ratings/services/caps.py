"""Key-indicator caps: which caps apply to each council in a round (from the methodology
version's ``KeyIndicatorCap`` rows and the council's indicator values), which judgements
are above them, and the error and message for a judgement that is. A round's caps take two
queries however many councils."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .. import rules
from ..models import AssessmentRound, Council, IndicatorValue, KeyIndicatorCap, Polarity
from .stored import council_ids


class CapExceeded(ValueError):
    """Judgements above the cap that a failed key indicator sets."""

    def __init__(self, breaches: Sequence[tuple[rules.KeyIndicatorCap, str]]):
        self.breaches = list(breaches)
        super().__init__("; ".join(cap_breach_message(cap, value) for cap, value in breaches))


def caps_for_round(
    round: AssessmentRound, councils: Iterable[Council | int] | None = None
) -> dict[int, list[rules.KeyIndicatorCap]]:
    """The key-indicator caps that apply to each council in a round, by council id.

    A cap applies when the round's methodology version has a ``KeyIndicatorCap`` for an
    indicator and the council's value for it in the round fails (``rules.key_indicator_cap``).
    Councils with no cap are left out: use ``.get(council.pk, [])``. Two queries however
    many councils.
    """
    if round.pk is None:
        return {}
    key_caps = {
        cap.indicator_id: cap
        for cap in KeyIndicatorCap.objects.filter(
            methodology_version=round.methodology_version
        ).select_related("indicator")
    }
    if not key_caps:
        return {}
    values = IndicatorValue.objects.filter(round=round, indicator_id__in=key_caps).only(
        "council_id", "indicator_id", "value", "exempt"
    )
    ids = council_ids(councils)
    if ids is not None:
        values = values.filter(council_id__in=ids)
    result: dict[int, list[rules.KeyIndicatorCap]] = {}
    for value in values:
        key_cap = key_caps[value.indicator_id]
        cap = rules.key_indicator_cap(
            indicator_code=key_cap.indicator.code,
            service=key_cap.service,
            maximum=key_cap.maximum,
            threshold=float(key_cap.threshold),
            higher_is_better=key_cap.indicator.polarity != Polarity.LOWER_IS_BETTER,
            value=None if value.value is None else float(value.value),
            exempt=value.exempt,
        )
        if cap is not None:
            result.setdefault(value.council_id, []).append(cap)
    for caps in result.values():
        caps.sort(key=lambda c: (rules.SERVICES.index(c.service), c.indicator_code))
    return result


def caps_for(round: AssessmentRound, council: Council | int) -> list[rules.KeyIndicatorCap]:
    """The key-indicator caps that apply to one council in a round."""
    pk = council if isinstance(council, int) else council.pk
    return caps_for_round(round, [pk]).get(pk, [])


def cap_breaches(
    judgements: rules.Judgements, caps: Iterable[rules.KeyIndicatorCap]
) -> list[tuple[rules.KeyIndicatorCap, str]]:
    """Each cap the judgements are above, with the judgement it is above of."""
    breaches = []
    for cap in caps:
        current = judgements.serving(cap.service)
        if rules.SERVING_LEVELS.index(current) > rules.SERVING_LEVELS.index(cap.maximum):
            breaches.append((cap, current))
    return breaches


def cap_breach_message(cap: rules.KeyIndicatorCap, value: str) -> str:
    return (
        f"{value!r} is above the cap {cap.maximum!r} set by key indicator "
        f"{cap.indicator_code} ({cap.failing_because})"
    )
