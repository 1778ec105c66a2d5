"""Reading and writing a bundled reference data file (for :mod:`ratings.reference_data`).

Reading: a file's rows and every problem in it (:func:`read`, :class:`Problems`), raised
together as :class:`ReferenceDataError`. A data file is stricter than an import: its
header is exact, with no unknown column, and every row has a cell per column. Writing:
:func:`upsert` a row, :class:`Counts` of what was done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import models

from .errors import ImportFailed, RowError
from .reading import NotUTF8, UnreadableCSV, records, utf8


class ReferenceDataError(ImportFailed):
    """A bundled data file has errors; nothing from it was written.

    ``file`` names the file; ``errors`` lists every problem with its line and column.
    """

    def __init__(self, file: str, errors: Iterable[RowError]):
        self.file = file
        super().__init__(errors)

    def summary(self) -> str:
        return f"{self.file}: {super().summary()}"

    def __str__(self) -> str:
        return "\n".join(
            [
                self.summary() + ":",
                *(f"{self.file}, {error}" for error in self.errors),
                *self.unlisted_line(),
            ]
        )


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "").strip()


class Problems:
    """The errors found in one file, raised together."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[RowError] = []

    def add(self, line: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(line, column, message))

    def check(self, row: Row, column: str, parse: Callable[[str], object]) -> object:
        """``parse(row[column])``, or None after recording the ValueError it raised."""
        try:
            return parse(row[column])
        except ValueError as error:
            self.add(row.line, column, str(error))
            return None

    def unique(
        self, seen: dict, key, row: Row, column: str, what: str, shown: str | None = None
    ) -> None:
        """Record ``key`` as seen on this row, or an error if an earlier row had it."""
        if key in seen:
            shown = key if shown is None else shown
            self.add(row.line, column, f"repeats {what} {shown!r} of line {seen[key]}")
        else:
            seen[key] = row.line

    def raise_if_any(self) -> None:
        if self.errors:
            raise ReferenceDataError(self.file, self.errors)


def read(
    path: Path, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[list[Row], Problems]:
    """The rows of a data file, with the problems of its form already recorded.

    Raises at once if the file cannot be read or its header is wrong; row-level problems
    are left in the returned :class:`Problems` for the caller to add to and raise.
    """
    problems = Problems(path.name)
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.add(None, None, f"cannot be read ({error.strerror or error})")
        problems.raise_if_any()
    try:
        text = utf8(data)
    except NotUTF8 as error:
        problems.add(error.line, None, "is not UTF-8 text")
        problems.raise_if_any()

    lines = records(text)
    try:
        header = [cell.strip() for cell in next(lines)[1]]
    except StopIteration:
        problems.add(None, None, "is empty; it needs a header line")
        problems.raise_if_any()
    except UnreadableCSV as error:
        problems.add(error.line, None, f"is not valid CSV ({error})")
        problems.raise_if_any()
    seen: dict[str, int] = {}
    for column in header:
        if column in seen:
            problems.add(1, column, "the column appears twice")
        seen[column] = 1
        if column not in required and column not in optional:
            problems.add(
                1, column, f"unknown column; the columns are {', '.join([*required, *optional])}"
            )
    for column in required:
        if column not in header:
            problems.add(1, column, "missing column")
    problems.raise_if_any()

    rows: list[Row] = []
    try:
        for line, record in lines:
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.add(line, None, f"has {len(record)} cells; the header has {len(header)}")
                continue
            rows.append(Row(line, dict(zip(header, record, strict=True))))
    except UnreadableCSV as error:
        problems.add(error.line, None, f"is not valid CSV ({error})")
        problems.raise_if_any()
    return rows, problems


@dataclass
class Counts:
    """How many rows of one kind a load created, updated or left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """``update_or_create`` that leaves a row alone when nothing differs.

    Returns the row and what happened: ``created``, ``updated`` or ``unchanged``.
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [field for field, value in values.items() if getattr(row, field) != value]
    if not changed:
        return row, "unchanged"
    for field in changed:
        setattr(row, field, values[field])
    row.save(update_fields=changed)
    return row, "updated"


def report(stdout, counts: dict[str, Counts]) -> None:
    """Say what a load did on ``stdout`` (any object with ``write``), if given."""
    if stdout is None:
        return
    for what, count in counts.items():
        stdout.write(f"{what.replace('_', ' ').capitalize()}: {count}\n")
