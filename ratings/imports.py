"""All-or-nothing CSV imports (ratings, indicator values, CPA results) and the export.

Each import reads the whole file, checks every row and collects every error with its line
and column; only a file without errors is written, in one transaction. The functions take
an open text stream, so that the management commands, the web upload form and the tests
share them; the commands only parse their arguments and print.

Importing the same file twice changes nothing the second time, and importing an export
changes nothing at all: ``import_ratings(export_ratings(round))`` is the identity.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from . import rules, services, signals, vocabulary
from .councils import CouncilMatcher, CouncilNotFound
from .models import AssessmentRound, Council, CPACategory, CPAResult, Indicator, IndicatorValue

JUDGEMENT_COLUMNS = (
    "adults_serving",
    "adults_prospects",
    "children_serving",
    "children_prospects",
)
RATING_COLUMNS = ("council", *JUDGEMENT_COLUMNS)
RATING_OPTIONAL_COLUMNS = ("stars", "special_measures")
EXPORT_COLUMNS = (*RATING_COLUMNS, *RATING_OPTIONAL_COLUMNS)

INDICATOR_VALUE_COLUMNS = ("council", "indicator", "value")
INDICATOR_VALUE_OPTIONAL_COLUMNS = ("exempt", "note")

CPA_COLUMNS = ("council", "year", "category")
CPA_SCORE_COLUMNS = ("education_score", "childrens_social_care_score", "core_service_score")
CPA_OPTIONAL_COLUMNS = (*CPA_SCORE_COLUMNS, "note", "source")


# --- results and errors --------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in a file: its line (1 is the header; None for the whole file), the
    column, and what is wrong."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportFailed(Exception):
    """The file has errors; nothing was written. ``errors`` lists every one, in order."""

    def __init__(self, errors: Iterable[RowError]):
        # By line; errors of one line stay in the order given.
        self.errors = sorted(errors, key=lambda e: (e.line is not None, e.line or 0))
        super().__init__(self.summary())

    def summary(self) -> str:
        count = len(self.errors)
        return f"{count} error{'s' if count != 1 else ''}; nothing was written"

    def __str__(self) -> str:
        return "\n".join([self.summary() + ":", *(str(error) for error in self.errors)])


class UsageError(ValueError):
    """The import was asked for something impossible (unknown year or methodology, a file
    that cannot be read); nothing about the rows."""


@dataclass
class ImportResult:
    """What an import did, or with ``dry_run`` would do."""

    created: int = 0
    revised: int = 0
    unchanged: int = 0
    dry_run: bool = False
    revised_word: str = "revised"
    round: AssessmentRound | None = None
    round_created: bool = False
    # What happened besides the rows (the round created or scheduled), in sentences.
    notes: list[str] = field(default_factory=list)
    # One line per row created or changed, e.g. "line 4: St Helens: 1 star -> 2 stars ...".
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """e.g. "0 created, 0 revised, 150 unchanged"."""
        return (
            f"{self.created} created, {self.revised} {self.revised_word}, "
            f"{self.unchanged} unchanged"
        )

    def lines(self, *, verbose: bool = False) -> list[str]:
        """The report a command prints on standard output: notes, the changes (with
        ``verbose`` or in a dry run), then the summary. Warnings are separate."""
        lines = list(self.notes)
        if verbose or self.dry_run:
            lines += [f"  {change}" for change in self.changes]
        prefix = "Dry run, nothing written: " if self.dry_run else ""
        lines.append(f"{prefix}{self.summary()}")
        return lines


# --- reading files -------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed), or ImportFailed saying where it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFailed(
            [
                RowError(
                    line,
                    None,
                    f"the file is not UTF-8 text (byte 0x{data[error.start]:02x}); save it "
                    "as 'CSV UTF-8' and try again",
                )
            ]
        ) from None


def open_csv(path: str | Path) -> TextIO:
    """A file's text for an import ("-" is standard input).

    UsageError if it cannot be read; ImportFailed if it is not UTF-8.
    """
    if str(path) == "-":
        return io.StringIO(decode(sys.stdin.buffer.read()))
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a CSV file") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot be read ({error.strerror or error})") from None
    return io.StringIO(decode(data))


def parse_publish_at(text: str) -> dt.datetime:
    """An ISO date and time (2004-11-19T00:00+00:00) or a date (midnight, local time).

    A time without an offset is local time (Europe/London). UsageError if unreadable.
    """
    text = (text or "").strip()
    try:
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            value = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        value = None
    if value is None:
        raise UsageError(
            f"--publish-at {text!r} is not a date and time; write it like "
            "2004-11-19T00:00+00:00 or 2004-11-19"
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _column_name(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.replace("\ufeff", "").strip().casefold())


@dataclass
class _Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    # Rows that could not be read as rows (too many cells): reported with the others.
    errors: list[RowError] = field(default_factory=list)

    def failed(self, errors: list[RowError]) -> ImportFailed:
        """ImportFailed with the errors in file order: by line, then column."""

        def position(error: RowError) -> int:
            if error.column in self.columns:
                return self.columns.index(error.column)
            return -1 if error.column is None else len(self.columns)

        return ImportFailed(sorted(errors, key=lambda e: (e.line or 0, position(e))))


def _read_table(source: TextIO, *, required: Sequence[str], optional: Sequence[str]) -> _Table:
    """The header and non-blank rows of a CSV stream, or ImportFailed for a file that is not
    a table with the required columns. Lines are numbered from 1 (the header)."""
    try:
        text = source.read()
    except UnicodeDecodeError as error:
        raise ImportFailed(
            [RowError(None, None, f"the file is not UTF-8 text ({error.reason})")]
        ) from None
    if isinstance(text, bytes):
        text = decode(text)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ImportFailed(
            [
                RowError(
                    None,
                    None,
                    f"the file is empty; its first line must name the columns: "
                    f"{', '.join(required)}",
                )
            ]
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    errors: list[RowError] = []
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    header_line = 1
    previous_end = 0
    try:
        for cells in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if header is None:
                if not any(cell.strip() for cell in cells):
                    continue  # blank lines before the header
                header_line = line
                header = [_column_name(cell) for cell in cells]
                continue
            if not any(cell.strip() for cell in cells):
                continue
            extra = cells[len(header) :]
            if any(cell.strip() for cell in extra):
                errors.append(
                    RowError(
                        line,
                        None,
                        f"{len(cells)} cells, but the header names {len(header)} columns",
                    )
                )
                continue
            row: dict[str, str] = {}
            for name, cell in zip(header, cells + [""] * len(header), strict=False):
                if name and name not in row:
                    row[name] = cell.strip()
            rows.append((line, row))
    except csv.Error as error:
        raise ImportFailed(
            [RowError(reader.line_num or None, None, f"not a readable CSV file ({error})")]
        ) from None

    assert header is not None
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            errors.append(RowError(header_line, name, "the column appears more than once"))
        seen.add(name)
    missing = [name for name in required if name not in seen]
    if missing:
        known = ", ".join([*required, *optional])
        errors.extend(
            RowError(header_line, name, f"missing column (the columns are {known})")
            for name in missing
        )
    if missing or any(e.line == header_line for e in errors):
        raise ImportFailed(errors)
    if not rows and not errors:
        raise ImportFailed([RowError(header_line + 1, None, "the file has no rows")])
    return _Table(columns=[name for name in header if name], rows=rows, errors=errors)


def _unused_columns(table: _Table, used: Sequence[str]) -> list[str]:
    return [
        f"column {name!r} is not used (the columns are {', '.join(used)})"
        for name in table.columns
        if name not in used
    ]


def _progress(rows: list, *, enabled: bool, description: str) -> Iterable:
    return tqdm(rows, disable=not enabled, desc=description, unit="row", leave=False)


def _find_council(
    matcher: CouncilMatcher, line: int, text: str, errors: list[RowError]
) -> Council | None:
    if not text:
        errors.append(RowError(line, "council", "missing; give the council's name"))
        return None
    try:
        return matcher.find(text)
    except CouncilNotFound as error:
        errors.append(RowError(line, "council", str(error)))
        return None


def _round(year: int, methodology: str | None) -> tuple[AssessmentRound, bool]:
    try:
        round, created = services.round_for_year(year, methodology=methodology)
    except services.RoundError as error:
        raise UsageError(str(error)) from None
    if not created:
        # One import of a round at a time: the second waits for the first to finish.
        round = AssessmentRound.objects.select_for_update().get(pk=round.pk)
    return round, created


# --- ratings -------------------------------------------------------------------------------


@dataclass
class _RatingRow:
    line: int
    council: Council
    proposal: services.Proposal


@transaction.atomic
def import_ratings(
    source: TextIO,
    *,
    year: int,
    publish_at: dt.datetime | None = None,
    note: str = "",
    methodology: str | None = None,
    dry_run: bool = False,
    sample: bool = False,
    progress: bool = False,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Load one round's judgements from a ratings CSV; all or nothing.

    The round is created (draft, or scheduled at ``publish_at``) if it does not exist.
    Before it is published, rows update revision 1 in place and ``publish_at`` schedules
    it. Once published, a row that differs from the council's latest revision adds a new
    revision, published at ``publish_at`` (default now) with ``note`` (default "Revised
    <date>"). Councils not in the file are left alone. ``sample`` marks the round as
    sample data. Raises ImportFailed (every error) or UsageError.
    """
    now = now or timezone.now()
    if publish_at is not None and timezone.is_naive(publish_at):
        raise UsageError("publish_at must say its time zone")
    table = _read_table(source, required=RATING_COLUMNS, optional=RATING_OPTIONAL_COLUMNS)
    round, round_created = _round(year, methodology)
    published = not round_created and round.is_published(now)

    matcher = CouncilMatcher()
    caps = services.caps_for_round(round)
    current = services.latest_ratings(round)
    was_on = services.special_measures_before(round)

    errors: list[RowError] = list(table.errors)
    seen: dict[int, int] = {}
    planned: list[_RatingRow] = []
    for line, row in _progress(table.rows, enabled=progress, description="Checking"):
        row_errors: list[RowError] = []
        council = _find_council(matcher, line, row.get("council", ""), row_errors)
        if council is not None:
            if council.pk in seen:
                row_errors.append(
                    RowError(
                        line,
                        "council",
                        f"{council.name} is already on line {seen[council.pk]}",
                    )
                )
            else:
                seen[council.pk] = line

        stars: int | str | None = None
        if "stars" in row:
            try:
                stars = vocabulary.parse_stars(row["stars"])
            except vocabulary.VocabularyError as error:
                row_errors.append(RowError(line, "stars", str(error)))

        values: dict[str, str] = {}
        for column in JUDGEMENT_COLUMNS:
            cell = row.get(column, "")
            if stars == vocabulary.NOT_RATED:
                if cell:
                    row_errors.append(
                        RowError(
                            line,
                            column,
                            f"{cell!r}: a council that is not rated has no judgements; "
                            "leave it empty",
                        )
                    )
                continue
            if not cell:
                allowed = (
                    rules.SERVING_LEVELS if column.endswith("_serving") else rules.PROSPECT_LEVELS
                )
                row_errors.append(
                    RowError(
                        line,
                        column,
                        f"missing; use one of {', '.join(allowed)} (or write "
                        f"'{vocabulary.NOT_RATED}' in the stars column)",
                    )
                )
                continue
            try:
                values[column] = vocabulary.parse_judgement(column, cell)
            except vocabulary.VocabularyError as error:
                row_errors.append(RowError(line, column, str(error)))

        special_measures = None
        if "special_measures" in row:
            try:
                special_measures = vocabulary.parse_special_measures(row["special_measures"])
            except vocabulary.VocabularyError as error:
                row_errors.append(RowError(line, "special_measures", str(error)))

        if not row_errors and council is not None:
            judgements = None if stars == vocabulary.NOT_RATED else rules.Judgements(**values)
            try:
                proposal = services.propose(
                    round,
                    judgements,
                    caps=caps.get(council.pk, []),
                    on_special_measures=special_measures,
                    was_on=was_on.get(council.pk, False),
                )
            except services.CapExceeded as exceeded:
                for cap, value in exceeded.breaches:
                    row_errors.append(
                        RowError(
                            line,
                            f"{cap.service}_serving",
                            services.cap_breach_message(cap, value),
                        )
                    )
            else:
                if isinstance(stars, int) and stars != proposal.stars:
                    row_errors.append(
                        RowError(
                            line,
                            "stars",
                            f"the file says {stars} but the judgements give "
                            f"{proposal.stars} under the {round.methodology_version} "
                            "methodology",
                        )
                    )
                else:
                    planned.append(_RatingRow(line, council, proposal))
        errors.extend(row_errors)
    if errors:
        raise table.failed(errors)

    result = ImportResult(dry_run=dry_run, round=round, round_created=round_created)
    result.warnings += _unused_columns(table, EXPORT_COLUMNS)
    would = "would be" if dry_run else "was"
    if round_created:
        result.notes.append(
            f"Round {year} ({round.title}, {round.methodology_version} methodology) {would} "
            "created."
        )
    round_changed = round_created
    scheduled = publish_at is not None and not published
    if scheduled and services.schedule_round(round, publish_at, now=now):
        round_changed = True
        result.notes.append(
            f"Round {year} {would} scheduled for publication at "
            f"{timezone.localtime(publish_at):%Y-%m-%d %H:%M %Z}."
        )
    if sample and not round.is_sample:
        round.is_sample = True
        round_changed = True
        result.notes.append(f"Round {year} {would} marked as sample data.")

    changes = []
    for row in planned:
        change = services.plan_change(
            round,
            row.council,
            row.proposal,
            current.get(row.council.pk),
            published=published,
            now=now,
        )
        changes.append(change)
        if change.action == services.Action.CREATED:
            result.created += 1
        elif change.action == services.Action.REVISED:
            result.revised += 1
        else:
            result.unchanged += 1
            continue
        result.changes.append(f"line {row.line}: {change.describe()}")

    if note and not published:
        result.warnings.append(
            f"the note is for new revisions of a published round; round {year} is not "
            "published, so it is not used"
        )
    if published and (result.created or result.revised):
        when = timezone.localtime(publish_at or now)
        result.notes.append(
            f"Round {year} is already published: the changes {'would be' if dry_run else 'are'} "
            f"new revisions, published at {when:%Y-%m-%d %H:%M %Z}."
        )

    if not dry_run:
        if round_created:
            round.full_clean()
            round.save()
        elif round_changed:
            round.save(update_fields=["status", "publication_at", "is_sample"])
        services.apply_changes(round, changes, published_at=publish_at, note=note, now=now)
    return result


def export_ratings(target: TextIO, *, year: int) -> int:
    """Write each council's latest revision in the round of ``year`` as a ratings CSV (the
    import format), councils in name order; return the number of rows. Includes revisions
    still under embargo: this is the inspectorate's copy, not a public download."""
    round = AssessmentRound.objects.filter(year=year).first()
    if round is None:
        years = ", ".join(str(y) for y in AssessmentRound.objects.values_list("year", flat=True))
        raise UsageError(f"there is no {year} round (rounds: {years or 'none'})")
    ratings = sorted(
        services.latest_ratings(round).values(),
        key=lambda r: (r.council.name.casefold(), r.council.name),
    )
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for rating in ratings:
        judgements = rating.rules_judgements()
        cells = judgements.as_dict() if judgements else dict.fromkeys(JUDGEMENT_COLUMNS, "")
        writer.writerow(
            [
                rating.council.name,
                *(cells[column] for column in JUDGEMENT_COLUMNS),
                vocabulary.NOT_RATED if rating.stars is None else rating.stars,
                "yes" if rating.on_special_measures else "no",
            ]
        )
    return len(ratings)


# --- indicator values ----------------------------------------------------------------------


@transaction.atomic
def import_indicator_values(
    source: TextIO,
    *,
    year: int,
    methodology: str | None = None,
    dry_run: bool = False,
    progress: bool = False,
    user=None,
) -> ImportResult:
    """Load councils' indicator values for the round of ``year``; all or nothing.

    Upserts on (council, indicator). An empty value is a missing value. Without an
    ``exempt`` or ``note`` column, existing values keep theirs. The round is created
    (draft) if it does not exist. Raises ImportFailed (every error) or UsageError.
    """
    table = _read_table(
        source, required=INDICATOR_VALUE_COLUMNS, optional=INDICATOR_VALUE_OPTIONAL_COLUMNS
    )
    round, round_created = _round(year, methodology)
    matcher = CouncilMatcher()
    indicators = {indicator.code.casefold(): indicator for indicator in Indicator.objects.all()}
    existing = (
        {}
        if round.pk is None
        else {
            (value.council_id, value.indicator_id): value
            for value in IndicatorValue.objects.filter(round=round)
        }
    )
    note_length = IndicatorValue._meta.get_field("note").max_length

    errors: list[RowError] = list(table.errors)
    seen: dict[tuple[int, int], int] = {}
    planned: list[tuple[int, Council, Indicator, dict]] = []
    for line, row in _progress(table.rows, enabled=progress, description="Checking"):
        row_errors: list[RowError] = []
        council = _find_council(matcher, line, row.get("council", ""), row_errors)
        code = row.get("indicator", "")
        indicator = indicators.get(code.strip().casefold())
        if not code:
            row_errors.append(RowError(line, "indicator", "missing; give the indicator's code"))
        elif indicator is None:
            row_errors.append(RowError(line, "indicator", f"{code!r} is not an indicator code"))
        fields: dict = {}
        try:
            fields["value"] = vocabulary.parse_decimal(row.get("value", ""))
        except vocabulary.VocabularyError as error:
            row_errors.append(RowError(line, "value", str(error)))
        if "exempt" in row:
            try:
                fields["exempt"] = bool(vocabulary.parse_yes_no(row["exempt"]))
            except vocabulary.VocabularyError as error:
                row_errors.append(RowError(line, "exempt", str(error)))
        if "note" in row:
            if len(row["note"]) > note_length:
                row_errors.append(RowError(line, "note", f"longer than {note_length} characters"))
            fields["note"] = row["note"]
        if council is not None and indicator is not None:
            key = (council.pk, indicator.pk)
            if key in seen:
                row_errors.append(
                    RowError(
                        line,
                        "indicator",
                        f"{council.name}'s {indicator.code} is already on line {seen[key]}",
                    )
                )
            else:
                seen[key] = line
        if not row_errors:
            planned.append((line, council, indicator, fields))
        errors.extend(row_errors)
    if errors:
        raise table.failed(errors)

    result = ImportResult(
        dry_run=dry_run, round=round, round_created=round_created, revised_word="updated"
    )
    result.warnings += _unused_columns(
        table, (*INDICATOR_VALUE_COLUMNS, *INDICATOR_VALUE_OPTIONAL_COLUMNS)
    )
    if round_created:
        would = "would be" if dry_run else "was"
        result.notes.append(
            f"Round {year} ({round.title}, {round.methodology_version} methodology) {would} "
            "created."
        )
    to_create: list[IndicatorValue] = []
    to_update: list[IndicatorValue] = []
    for line, council, indicator, fields in planned:
        value = existing.get((council.pk, indicator.pk))
        if value is None:
            value = IndicatorValue(round=round, council=council, indicator=indicator, **fields)
            to_create.append(value)
            result.created += 1
            result.changes.append(f"line {line}: {council.name} {indicator.code}: {value.value}")
        elif any(getattr(value, name) != new for name, new in fields.items()):
            old = value.value
            for name, new in fields.items():
                setattr(value, name, new)
            to_update.append(value)
            result.revised += 1
            result.changes.append(
                f"line {line}: {council.name} {indicator.code}: {old} -> {value.value}"
            )
        else:
            result.unchanged += 1

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


# --- CPA -----------------------------------------------------------------------------------


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
    table = _read_table(source, required=CPA_COLUMNS, optional=CPA_OPTIONAL_COLUMNS)
    matcher = CouncilMatcher()
    categories = list(CPACategory.values)

    errors: list[RowError] = list(table.errors)
    seen: dict[tuple[int, int], int] = {}
    planned: list[tuple[int, Council, int, dict]] = []
    for line, row in _progress(table.rows, enabled=progress, description="Checking"):
        row_errors: list[RowError] = []
        council = _find_council(matcher, line, row.get("council", ""), row_errors)
        year = None
        try:
            year = vocabulary.parse_whole_number(
                row.get("year", ""),
                minimum=services.YEAR_RANGE[0],
                maximum=services.YEAR_RANGE[1],
                what="a year",
            )
            if year is None:
                row_errors.append(RowError(line, "year", "missing; give the year, e.g. 2004"))
        except vocabulary.VocabularyError as error:
            row_errors.append(RowError(line, "year", str(error)))
        fields: dict = {"is_sample": sample}
        if not row.get("category", ""):
            row_errors.append(
                RowError(line, "category", f"missing; use one of {', '.join(categories)}")
            )
        else:
            try:
                fields["category"] = vocabulary.parse_choice(
                    row["category"], categories, "a CPA category"
                )
            except vocabulary.VocabularyError as error:
                row_errors.append(RowError(line, "category", str(error)))
        for column in CPA_SCORE_COLUMNS:
            if column in row:
                try:
                    fields[column] = vocabulary.parse_whole_number(
                        row[column], minimum=1, maximum=4, what="a score"
                    )
                except vocabulary.VocabularyError as error:
                    row_errors.append(RowError(line, column, str(error)))
        for column in ("note", "source"):
            if column in row:
                fields[column] = row[column]
        if council is not None and year is not None:
            key = (council.pk, year)
            if key in seen:
                row_errors.append(
                    RowError(
                        line,
                        "council",
                        f"{council.name}'s {year} result is already on line {seen[key]}",
                    )
                )
            else:
                seen[key] = line
        if not row_errors:
            planned.append((line, council, year, fields))
        errors.extend(row_errors)
    if errors:
        raise table.failed(errors)

    result = ImportResult(dry_run=dry_run, revised_word="updated")
    result.warnings += _unused_columns(table, (*CPA_COLUMNS, *CPA_OPTIONAL_COLUMNS))
    years = {year for _, _, year, _ in planned}
    existing = {(cpa.council_id, cpa.year): cpa for cpa in CPAResult.objects.filter(year__in=years)}
    to_create: list[CPAResult] = []
    to_update: list[CPAResult] = []
    for line, council, year, fields in planned:
        cpa = existing.get((council.pk, year))
        if cpa is None:
            cpa = CPAResult(council=council, year=year, **fields)
            to_create.append(cpa)
            result.created += 1
            result.changes.append(f"line {line}: {council.name} {year}: {cpa.category}")
        elif sample and not cpa.is_sample:
            result.unchanged += 1
            result.warnings.append(
                f"line {line}: kept {council.name}'s published {year} result "
                f"({cpa.category}); a sample import does not replace it"
            )
        elif any(getattr(cpa, name) != new for name, new in fields.items()):
            old = cpa.category
            for name, new in fields.items():
                setattr(cpa, name, new)
            to_update.append(cpa)
            result.revised += 1
            result.changes.append(f"line {line}: {council.name} {year}: {old} -> {cpa.category}")
        else:
            result.unchanged += 1

    if not dry_run:
        CPAResult.objects.bulk_create(to_create)
        CPAResult.objects.bulk_update(
            to_update,
            ["category", *CPA_SCORE_COLUMNS, "note", "source", "is_sample"],
        )
        if to_create or to_update:
            signals.announce_data_changed()
    return result
