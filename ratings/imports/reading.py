"""Reading CSV files for the imports and the reference data loader.

The mechanics both use: UTF-8 text from bytes (:func:`utf8`) and a file's CSV records
with the line each starts on (:func:`records`). For the imports: a file's text
(:func:`open_csv`, :func:`decode`), its header and rows (:func:`read_table`), the columns
an import does not use (:func:`unused_columns`) and the progress bar over its rows.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from .errors import ImportFailed, RowError, UsageError


class NotUTF8(ValueError):
    """Bytes that are not UTF-8 text: ``line`` (from 1) holds the first bad ``byte``."""

    def __init__(self, data: bytes, error: UnicodeDecodeError):
        super().__init__(str(error))
        self.line = data.count(b"\n", 0, error.start) + 1
        self.byte = data[error.start]


def utf8(data: bytes) -> str:
    """``data`` as UTF-8 text (a byte-order mark is allowed), or NotUTF8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotUTF8(data, error) from None


class UnreadableCSV(ValueError):
    """The csv module gave up on a record that starts on ``line``, having read up to line
    ``reached``."""

    def __init__(self, error: csv.Error, *, line: int, reached: int):
        super().__init__(str(error))
        self.line = line
        self.reached = reached


def records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record of ``text``, blank ones too, with the line it starts on (a quoted
    cell may hold line breaks, so a record can span lines); UnreadableCSV where the csv
    module gives up."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise UnreadableCSV(error, line=previous_end + 1, reached=reader.line_num) from None
        yield previous_end + 1, cells
        previous_end = reader.line_num


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed), or ImportFailed saying where it is not."""
    try:
        return utf8(data)
    except NotUTF8 as error:
        raise ImportFailed(
            [
                RowError(
                    error.line,
                    None,
                    f"the file is not UTF-8 text (byte 0x{error.byte:02x}); save it "
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


def column_name(text: str) -> str:
    """A header cell as a column name: "Adults serving" is ``adults_serving``."""
    return re.sub(r"[\s\-]+", "_", text.replace("\ufeff", "").strip().casefold())


@dataclass
class Table:
    """A file's columns (as :func:`column_name` gives them) and its rows by line."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    # Rows that could not be read as rows (too many cells): reported with the others.
    errors: list[RowError] = field(default_factory=list)

    def in_order(self, errors: list[RowError]) -> list[RowError]:
        """``errors`` in file order: by line (the whole file's first), then column."""

        def position(error: RowError) -> int:
            if error.column in self.columns:
                return self.columns.index(error.column)
            return -1 if error.column is None else len(self.columns)

        return sorted(errors, key=lambda e: (e.line or 0, position(e)))

    def failed(self, errors: list[RowError], *, unlisted: int = 0) -> ImportFailed:
        """ImportFailed with the errors in file order, and ``unlisted`` more."""
        return ImportFailed(self.in_order(errors), unlisted=unlisted)


def read_table(
    source: TextIO,
    *,
    required: Sequence[str],
    optional: Sequence[str],
    max_rows: int | None = None,
) -> Table:
    """The header and non-blank rows of a CSV stream, or ImportFailed for a file that is not
    a table with the required columns. Lines are numbered from 1 (the header).

    With ``max_rows``, a file of more rows is read up to that many, with an error for the
    whole file: the rows read are still checked, so that their errors are listed too.
    """
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
    errors: list[RowError] = []
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    header_line = 1
    count = 0
    try:
        for line, cells in records(text):
            if header is None:
                if not any(cell.strip() for cell in cells):
                    continue  # blank lines before the header
                header_line = line
                header = [column_name(cell) for cell in cells]
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if max_rows is not None and count == max_rows:
                errors.append(
                    RowError(
                        None,
                        None,
                        f"the file has more than {max_rows:,} rows: split it into files of "
                        f"at most {max_rows:,} rows (only the first {max_rows:,} were checked)",
                    )
                )
                break
            count += 1
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
    except UnreadableCSV as error:
        raise ImportFailed(
            [RowError(error.reached or None, None, f"not a readable CSV file ({error})")]
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
    return Table(columns=[name for name in header if name], rows=rows, errors=errors)


def unused_columns(table: Table, used: Sequence[str]) -> list[str]:
    """A warning for each column of ``table`` that is not one of ``used``."""
    return [
        f"column {name!r} is not used (the columns are {', '.join(used)})"
        for name in table.columns
        if name not in used
    ]


def progress_bar(rows: list, *, enabled: bool, description: str) -> Iterable:
    """``rows``, with a progress bar on the terminal if ``enabled``."""
    return tqdm(rows, disable=not enabled, desc=description, unit="row", leave=False)
