"""The ratings import: one round's judgements from a ratings CSV, all or nothing.

:func:`import_ratings` runs four steps, each a function here: :func:`parse` reads the
table, :func:`validate` checks every row (collecting every error by line and column),
:func:`plan` works out what would change and :func:`apply` writes it in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .. import rules, services, vocabulary
from ..councils import CouncilMatcher
from ..models import AssessmentRound, Council
from .errors import ImportFailed, RowError, UsageError
from .lookups import find_council, round_created_note, round_for_import
from .reading import Table, read_table, unused_columns
from .results import ImportResult
from .rows import check_rows, earlier_line

JUDGEMENT_COLUMNS = (
    "adults_serving",
    "adults_prospects",
    "children_serving",
    "children_prospects",
)
RATING_COLUMNS = ("council", *JUDGEMENT_COLUMNS)
# A row may give stars that the table does not give for its judgements only when it says
# they are the published outcome, and what the published record says caused them.
PUBLISHED_OUTCOME_COLUMNS = ("published_outcome", "published_outcome_note")
RATING_OPTIONAL_COLUMNS = ("stars", "special_measures", *PUBLISHED_OUTCOME_COLUMNS)
EXPORT_COLUMNS = (*RATING_COLUMNS, "stars", "special_measures")


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
    table = parse(source)
    # Locked from here to the end of the transaction: the plan holds while it is written.
    round, round_created = round_for_import(year, methodology)
    rows = validate(table, round, progress=progress)
    planned = plan(
        table,
        rows,
        round,
        round_created,
        publish_at=publish_at,
        note=note,
        sample=sample,
        dry_run=dry_run,
        now=now,
    )
    if not dry_run:
        apply(planned, publish_at=publish_at, note=note, now=now)
    return planned.result


# --- parse ---------------------------------------------------------------------------------


def parse(source: TextIO) -> Table:
    """The file's rows by line, or ImportFailed if it is not a table of ratings."""
    return read_table(source, required=RATING_COLUMNS, optional=RATING_OPTIONAL_COLUMNS)


# --- validate ------------------------------------------------------------------------------


@dataclass
class CheckedRow:
    """A row without errors: its council and what it proposes for the council's rating."""

    line: int
    council: Council
    proposal: services.Proposal


def validate(table: Table, round: AssessmentRound, *, progress: bool = False) -> list[CheckedRow]:
    """Every row checked against the round's methodology, caps and special measures: the
    rows as proposals, or ImportFailed with every error by line and column."""
    return check_rows(table, _row_check(round), progress=progress)


def _row_check(
    round: AssessmentRound,
) -> Callable[[int, dict[str, str], list[RowError]], CheckedRow | None]:
    """The check of one row, for :func:`check_rows`: a council (once), its judgements or
    "not rated", and the stars and special measures if given, which must agree with what
    the rules give."""
    matcher = CouncilMatcher()
    caps = services.caps_for_round(round)
    was_on = services.special_measures_before(round)
    seen: dict[int, int] = {}

    def check(line: int, row: dict[str, str], errors: list[RowError]) -> CheckedRow | None:
        council = find_council(matcher, line, row.get("council", ""), errors)
        if council is not None:
            earlier = earlier_line(seen, council.pk, line)
            if earlier is not None:
                errors.append(
                    RowError(line, "council", f"{council.name} is already on line {earlier}")
                )
        stars = _optional_cell(line, row, "stars", vocabulary.parse_stars, errors)
        values = _judgements(line, row, stars, errors)
        special_measures = _optional_cell(
            line, row, "special_measures", vocabulary.parse_special_measures, errors
        )
        outcome = _published_outcome(line, row, stars, errors)
        if errors or council is None:
            return None
        judgements = None if stars == vocabulary.NOT_RATED else rules.Judgements(**values)
        try:
            proposal = services.propose(
                round,
                judgements,
                caps=caps.get(council.pk, []),
                on_special_measures=special_measures,
                was_on=was_on.get(council.pk, False),
                published_outcome=outcome,
            )
        except services.CapExceeded as exceeded:
            errors.extend(
                RowError(line, f"{cap.service}_serving", services.cap_breach_message(cap, value))
                for cap, value in exceeded.breaches
            )
            return None
        except rules.RulesError as error:
            errors.append(
                RowError(line, "published_outcome", f"{error}; leave published_outcome empty")
            )
            return None
        if isinstance(stars, int) and stars != proposal.stars:
            errors.append(
                RowError(
                    line,
                    "stars",
                    f"the file says {stars} but the judgements give {proposal.stars} under "
                    f"the {round.methodology_version} methodology",
                )
            )
            return None
        return CheckedRow(line, council, proposal)

    return check


def _published_outcome(
    line: int, row: dict[str, str], stars: int | str | None, errors: list[RowError]
) -> tuple[int, str] | None:
    """(stars, note) if the row says its stars are the published outcome, which the table
    does not give for its judgements; None if it does not say so."""
    marked = _optional_cell(line, row, "published_outcome", vocabulary.parse_yes_no, errors)
    note = row.get("published_outcome_note", "").strip()
    if not marked:
        if note:
            errors.append(
                RowError(
                    line,
                    "published_outcome_note",
                    "a note is only for a published outcome; write yes in published_outcome "
                    "or leave the note empty",
                )
            )
        return None
    if not isinstance(stars, int):
        errors.append(
            RowError(line, "stars", "a published outcome needs the published stars, 0 to 3")
        )
        return None
    if not note:
        errors.append(
            RowError(
                line,
                "published_outcome_note",
                "missing; say what the published record gives as the cause of the outcome",
            )
        )
        return None
    return stars, note


def _optional_cell(
    line: int, row: dict[str, str], column: str, parse: Callable, errors: list[RowError]
):
    """``parse`` of the row's cell in ``column``; None if the file has no such column, or
    after adding the error to ``errors``."""
    if column not in row:
        return None
    try:
        return parse(row[column])
    except vocabulary.VocabularyError as error:
        errors.append(RowError(line, column, str(error)))
        return None


def _judgements(
    line: int, row: dict[str, str], stars: int | str | None, errors: list[RowError]
) -> dict[str, str]:
    """The row's judgements by column; a council not rated must have none."""
    values: dict[str, str] = {}
    for column in JUDGEMENT_COLUMNS:
        cell = row.get(column, "")
        if stars == vocabulary.NOT_RATED:
            if cell:
                errors.append(
                    RowError(
                        line,
                        column,
                        f"{cell!r}: a council that is not rated has no judgements; leave it empty",
                    )
                )
            continue
        if not cell:
            allowed = rules.SERVING_LEVELS if column.endswith("_serving") else rules.PROSPECT_LEVELS
            errors.append(
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
            errors.append(RowError(line, column, str(error)))
    return values


# --- plan ----------------------------------------------------------------------------------


@dataclass
class Plan:
    """What an import would change: the result to report, each row's change, and whether
    the round itself changes (created, scheduled or marked as sample data)."""

    result: ImportResult
    changes: list[services.Change]
    round_changed: bool


def plan(
    table: Table,
    rows: list[CheckedRow],
    round: AssessmentRound,
    round_created: bool,
    *,
    publish_at: dt.datetime | None,
    note: str,
    sample: bool,
    dry_run: bool,
    now: dt.datetime,
) -> Plan:
    """What writing ``rows`` would change, by :func:`ratings.services.plan_change`: each
    council's rating created, revised or unchanged, and the round scheduled or marked as
    sample data (in memory; :func:`apply` saves it), with the notes and warnings to report."""
    year = round.year
    published = not round_created and round.is_published(now)
    # Scheduled before this import and not yet public: its ratings are as scheduled.
    was_scheduled = not round_created and services.round_is_scheduled_not_public(round, now)
    current = services.latest_ratings(round)
    result = ImportResult(dry_run=dry_run, round=round, round_created=round_created)
    result.warnings += unused_columns(table, (*EXPORT_COLUMNS, *PUBLISHED_OUTCOME_COLUMNS))
    would = "would be" if dry_run else "was"
    if round_created:
        result.notes.append(round_created_note(round, dry_run=dry_run))
    round_changed = round_created
    scheduled = publish_at is not None and not published
    if scheduled and services.schedule_round(round, publish_at, now=now):
        round_changed = True
        at = f"{timezone.localtime(publish_at):%Y-%m-%d %H:%M %Z}"
        result.notes.append(
            f"Round {year} {would} scheduled for publication at {at}"
            + ("." if publish_at > now else ", which has passed: it is public at once.")
        )
    if sample and not round.is_sample:
        round.is_sample = True
        round_changed = True
        result.notes.append(f"Round {year} {would} marked as sample data.")

    changes, errors, locked_lines = [], [], []
    for row in rows:
        try:
            change = services.plan_change(
                round,
                row.council,
                row.proposal,
                current.get(row.council.pk),
                published=published,
                now=now,
            )
        except services.ScheduledChange as refused:
            errors.append(RowError(row.line, "council", str(refused)))
            continue
        if was_scheduled and change.action != services.Action.UNCHANGED:
            locked_lines.append(row.line)
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
    if locked_lines:
        lines = ", ".join(str(line) for line in locked_lines[:10])
        more = f" and {len(locked_lines) - 10} more" if len(locked_lines) > 10 else ""
        errors.append(
            RowError(
                None,
                None,
                f"{services.scheduled_round_message(round)} (lines {lines}{more} would "
                "change them)",
            )
        )
    if errors:
        raise ImportFailed(errors)
    if published and (result.created or result.revised):
        when = publish_at or now
        at = f"{timezone.localtime(when):%Y-%m-%d %H:%M %Z}"
        are = "would be" if dry_run else "are"
        result.notes.append(
            f"Round {year} is already published: the changes {are} new revisions, "
            + (
                f"scheduled for publication at {at}; none of them is public before then."
                if when > now
                else f"published at {at}."
            )
        )
    return Plan(result, changes, round_changed)


# --- apply ---------------------------------------------------------------------------------


@transaction.atomic(savepoint=False)
def apply(
    planned: Plan,
    *,
    publish_at: dt.datetime | None,
    note: str,
    now: dt.datetime,
) -> None:
    """Write what :func:`plan` planned, in one transaction: the round, then the ratings
    (new revisions of a published round at ``publish_at``, with ``note``)."""
    round = planned.result.round
    if planned.result.round_created:
        round.full_clean()
        round.save()
    elif planned.round_changed:
        round.save(update_fields=["status", "publication_at", "is_sample"])
    # Announces the data change: bulk writes send no model signals of their own.
    services.apply_changes(round, planned.changes, published_at=publish_at, note=note, now=now)
