"""Saving one council's indicator values in a round from the workspace's form: each
indicator's value and exemption, written only where it changed, with the user in the
history."""

from __future__ import annotations

from django.db import transaction

from ratings.models import IndicatorValue


@transaction.atomic
def save_indicator_values(round, council, values: dict[int, tuple], user) -> int:
    """Store one council's indicator values (value, exempt) by indicator id; return how
    many changed. An empty value with no exemption removes nothing but clears the value."""
    existing = {
        v.indicator_id: v for v in IndicatorValue.objects.filter(round=round, council=council)
    }
    changed = 0
    for indicator_id, (value, exempt) in values.items():
        row = existing.get(indicator_id)
        if row is None:
            if value is None and not exempt:
                continue
            row = IndicatorValue(round=round, council=council, indicator_id=indicator_id)
        elif row.value == value and row.exempt == exempt:
            continue
        row.value, row.exempt = value, exempt
        row._history_user = user
        row.save()
        changed += 1
    return changed
