"""The CPA import: councils' Comprehensive Performance Assessment results, from a CSV
file, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from django.db import transaction

from .. import services, signals, vocabulary
from ..councils import CouncilMatcher
from ..models import Council, CPACategory, CPAResult
from .errors import RowError
from .lookups import find_council
from .reading import read_table, unused_columns
from .results import ImportResult
from .rows import assign, check_rows, earlier_line

CPA_COLUMNS = ("council", "year", "category")
CPA_SCORE_COLUMNS = ("education_score", "childrens_social_care_score", "core_service_score")
CPA_OPTIONAL_COLUMNS = (*CPA_SCORE_COLUMNS, "note", "source")

# A row without errors: its line, council, year and the fields it gives.
_Row = tuple[int, Council, int, dict]


@transaction.atomic
def import_cpa(
    source: TextIO,
    *,
    dry_run: bool = False,
    sample: bool = False,
    progress: bool = False,
) -> ImportResult:
    """Load Comprehensive Performance Assessment results; all or nothing.

    Upserts on (council, year). An optional column that is absent leaves existing results'
    values alone. ``sample`` marks the rows as sample data; a sample import never replaces
    a published (non-sample) result, it keeps it and says so. Raises ImportFailed.
    """
    table = read_table(source, required=CPA_COLUMNS, optional=CPA_OPTIONAL_COLUMNS)
    rows = check_rows(table, _row_check(sample), progress=progress)

    result = ImportResult(dry_run=dry_run, revised_word="updated")
    result.warnings += unused_columns(table, (*CPA_COLUMNS, *CPA_OPTIONAL_COLUMNS))
    to_create, to_update = _plan(rows, result, sample=sample)
    if not dry_run:
        CPAResult.objects.bulk_create(to_create)
        CPAResult.objects.bulk_update(
            to_update,
            ["category", *CPA_SCORE_COLUMNS, "note", "source", "is_sample", "sample_fields"],
        )
        if to_create or to_update:
            signals.announce_data_changed()
    return result


def _row_check(sample: bool) -> Callable[[int, dict[str, str], list[RowError]], _Row]:
    """The check of one row, for :func:`check_rows`: a council, a year (once per council),
    a category, and if given the scores, a note and a source."""
    matcher = CouncilMatcher()
    categories = list(CPACategory.values)
    seen: dict[tuple[int, int], int] = {}

    def check(line: int, row: dict[str, str], errors: list[RowError]) -> _Row:
        council = find_council(matcher, line, row.get("council", ""), errors)
        year = None
        try:
            year = vocabulary.parse_whole_number(
                row.get("year", ""),
                minimum=services.YEAR_RANGE[0],
                maximum=services.YEAR_RANGE[1],
                what="a year",
            )
            if year is None:
                errors.append(RowError(line, "year", "missing; give the year, e.g. 2004"))
        except vocabulary.VocabularyError as error:
            errors.append(RowError(line, "year", str(error)))
        fields: dict = {"is_sample": sample}
        if not row.get("category", ""):
            errors.append(
                RowError(line, "category", f"missing; use one of {', '.join(categories)}")
            )
        else:
            try:
                fields["category"] = vocabulary.parse_choice(
                    row["category"], categories, "a CPA category"
                )
            except vocabulary.VocabularyError as error:
                errors.append(RowError(line, "category", str(error)))
        for column in CPA_SCORE_COLUMNS:
            if column in row:
                try:
                    fields[column] = vocabulary.parse_whole_number(
                        row[column], minimum=1, maximum=4, what="a score"
                    )
                except vocabulary.VocabularyError as error:
                    errors.append(RowError(line, column, str(error)))
        for column in ("note", "source"):
            if column in row:
                fields[column] = row[column]
        if council is not None and year is not None:
            earlier = earlier_line(seen, (council.pk, year), line)
            if earlier is not None:
                errors.append(
                    RowError(
                        line,
                        "council",
                        f"{council.name}'s {year} result is already on line {earlier}",
                    )
                )
        return line, council, year, fields

    return check


def _plan(
    rows: list[_Row], result: ImportResult, *, sample: bool
) -> tuple[list[CPAResult], list[CPAResult]]:
    """The results to create and to update, counted and described in ``result``; a sample
    import keeps a published result, with a warning."""
    years = {year for _, _, year, _ in rows}
    existing = {(cpa.council_id, cpa.year): cpa for cpa in CPAResult.objects.filter(year__in=years)}
    to_create: list[CPAResult] = []
    to_update: list[CPAResult] = []
    for line, council, year, fields in rows:
        cpa = existing.get((council.pk, year))
        if cpa is None:
            cpa = CPAResult(council=council, year=year, **fields)
            to_create.append(cpa)
            result.created += 1
            result.changes.append(f"line {line}: {council.name} {year}: {cpa.category}")
            continue
        if sample and not cpa.is_sample:
            supplied = _sample_scores(cpa, fields)
            kept = f"line {line}: kept {council.name}'s published {year} result ({cpa.category})"
            if not supplied:
                result.unchanged += 1
                result.warnings.append(f"{kept}; a sample import does not replace it")
                continue
            words = ", ".join(column.replace("_", " ") for column in supplied)
            result.warnings.append(f"{kept}; the sample supplies only its {words}, marked so")
            if assign(cpa, {**supplied, "sample_fields": sorted(supplied)}):
                to_update.append(cpa)
                result.revised += 1
                result.changes.append(f"line {line}: {council.name} {year}: sample {words}")
            else:
                result.unchanged += 1
            continue
        if not sample:
            fields = _published_scores(cpa, fields)
        old = cpa.category
        if assign(cpa, fields):
            to_update.append(cpa)
            result.revised += 1
            result.changes.append(f"line {line}: {council.name} {year}: {old} -> {cpa.category}")
        else:
            result.unchanged += 1
    return to_create, to_update


def _sample_scores(cpa: CPAResult, fields: dict) -> dict:
    """The scores a sample row may give a published result: those the record leaves
    empty (or that earlier sample rows gave), so that national counts can run over every
    council while every published value stays as published."""
    return {
        column: fields[column]
        for column in CPA_SCORE_COLUMNS
        if fields.get(column) is not None
        and (getattr(cpa, column) is None or column in cpa.sample_fields)
    }


def _published_scores(cpa: CPAResult, fields: dict) -> dict:
    """A published row's fields for an existing result: a score it gives replaces a sample
    one; an empty score leaves a sample one (marked as sample) in place."""
    fields = dict(fields)
    sample_fields = [c for c in cpa.sample_fields if fields.get(c) is None]
    for column in sample_fields:
        fields.pop(column, None)
    if sample_fields != list(cpa.sample_fields):
        fields["sample_fields"] = sample_fields
    return fields
