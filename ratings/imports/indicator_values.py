"""The indicator values import: councils' indicator values for a round, from a CSV file,
all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from django.db import transaction

from .. import signals, vocabulary
from ..councils import CouncilMatcher
from ..models import AssessmentRound, Council, Indicator, IndicatorValue
from .errors import RowError
from .lookups import find_council, round_created_note, round_for_import
from .reading import read_table, unused_columns
from .results import ImportResult
from .rows import assign, check_rows, earlier_line

INDICATOR_VALUE_COLUMNS = ("council", "indicator", "value")
INDICATOR_VALUE_OPTIONAL_COLUMNS = ("exempt", "note")

# A row without errors: its line, council, indicator and the fields it gives.
_Row = tuple[int, Council, Indicator, dict]


@transaction.atomic
def import_indicator_values(
    source: TextIO,
    *,
    year: int,
    methodology: str | None = None,
    dry_run: bool = False,
    progress: bool = False,
    user=None,
    max_rows: int | None = None,
) -> ImportResult:
    """Load councils' indicator values for the round of ``year``; all or nothing.

    Upserts on (council, indicator). An empty value is a missing value. Without an
    ``exempt`` or ``note`` column, existing values keep theirs. The round is created
    (draft) if it does not exist. A file of more than ``max_rows`` rows (if given) is
    refused. Raises ImportFailed (the first errors, and how many more) or UsageError.
    """
    table = read_table(
        source,
        required=INDICATOR_VALUE_COLUMNS,
        optional=INDICATOR_VALUE_OPTIONAL_COLUMNS,
        max_rows=max_rows,
    )
    round, round_created = round_for_import(year, methodology)
    rows = check_rows(table, _row_check(), progress=progress)

    result = ImportResult(
        dry_run=dry_run, round=round, round_created=round_created, revised_word="updated"
    )
    result.warnings += unused_columns(
        table, (*INDICATOR_VALUE_COLUMNS, *INDICATOR_VALUE_OPTIONAL_COLUMNS)
    )
    if round_created:
        result.notes.append(round_created_note(round, dry_run=dry_run))
    to_create, to_update = _plan(round, rows, result)
    if not dry_run:
        if round_created:
            round.full_clean()
            round.save()
            for value in to_create:
                value.round = round
        IndicatorValue.objects.bulk_create(to_create)
        IndicatorValue.objects.bulk_update(to_update, ["value", "exempt", "note"])
        # The audit trail: who loaded which values (``user`` None from the terminal).
        IndicatorValue.history.bulk_history_create(to_create, default_user=user)
        IndicatorValue.history.bulk_history_create(to_update, update=True, default_user=user)
        if to_create or to_update:
            signals.announce_data_changed()
    return result


def _row_check() -> Callable[[int, dict[str, str], list[RowError]], _Row]:
    """The check of one row, for :func:`check_rows`: a council, a known indicator (once
    per council), a value, and if given whether it is exempt and a note."""
    matcher = CouncilMatcher()
    indicators = {indicator.code.casefold(): indicator for indicator in Indicator.objects.all()}
    note_length = IndicatorValue._meta.get_field("note").max_length
    seen: dict[tuple[int, int], int] = {}

    def check(line: int, row: dict[str, str], errors: list[RowError]) -> _Row:
        council = find_council(matcher, line, row.get("council", ""), errors)
        code = row.get("indicator", "")
        indicator = indicators.get(code.strip().casefold())
        if not code:
            errors.append(RowError(line, "indicator", "missing; give the indicator's code"))
        elif indicator is None:
            errors.append(RowError(line, "indicator", f"{code!r} is not an indicator code"))
        fields: dict = {}
        try:
            fields["value"] = vocabulary.parse_decimal(row.get("value", ""))
        except vocabulary.VocabularyError as error:
            errors.append(RowError(line, "value", str(error)))
        if "exempt" in row:
            try:
                fields["exempt"] = bool(vocabulary.parse_yes_no(row["exempt"]))
            except vocabulary.VocabularyError as error:
                errors.append(RowError(line, "exempt", str(error)))
        if "note" in row:
            if len(row["note"]) > note_length:
                errors.append(RowError(line, "note", f"longer than {note_length} characters"))
            fields["note"] = row["note"]
        if council is not None and indicator is not None:
            earlier = earlier_line(seen, (council.pk, indicator.pk), line)
            if earlier is not None:
                errors.append(
                    RowError(
                        line,
                        "indicator",
                        f"{council.name}'s {indicator.code} is already on line {earlier}",
                    )
                )
        return line, council, indicator, fields

    return check


def _plan(
    round: AssessmentRound, rows: list[_Row], result: ImportResult
) -> tuple[list[IndicatorValue], list[IndicatorValue]]:
    """The values to create and to update, counted and described in ``result``."""
    existing = (
        {}
        if round.pk is None
        else {
            (value.council_id, value.indicator_id): value
            for value in IndicatorValue.objects.filter(round=round)
        }
    )
    to_create: list[IndicatorValue] = []
    to_update: list[IndicatorValue] = []
    for line, council, indicator, fields in rows:
        value = existing.get((council.pk, indicator.pk))
        if value is None:
            value = IndicatorValue(round=round, council=council, indicator=indicator, **fields)
            to_create.append(value)
            result.created += 1
            result.changes.append(f"line {line}: {council.name} {indicator.code}: {value.value}")
            continue
        old = value.value
        if assign(value, fields):
            to_update.append(value)
            result.revised += 1
            result.changes.append(
                f"line {line}: {council.name} {indicator.code}: {old} -> {value.value}"
            )
        else:
            result.unchanged += 1
    return to_create, to_update
