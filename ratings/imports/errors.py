"""What can be wrong with an import: a problem in a file (:class:`RowError`), a file with
problems, of which nothing was written (:class:`ImportFailed`), and a request that cannot
be met whatever the file holds (:class:`UsageError`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
