"""What can be wrong with an import: a problem in a file (:class:`RowError`), a file with
problems, of which nothing was written (:class:`ImportFailed`), and a request that cannot
be met whatever the file holds (:class:`UsageError`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# The errors of a failed import that are listed; the others are counted. Nobody reads ten
# thousand errors, and each listed one may cost a fuzzy match ("did you mean ...?").
MAX_LISTED = 100


@dataclass(frozen=True)
class RowError:
    """One problem in a file: its line (1 is the header; None for the whole file), the
    column, and what is wrong."""

    line: int | None
    column: str | None
    message: str
    # The end of the message when it takes time to work out (an unknown council's "did
    # you mean ...?"): added by ImportFailed to the errors it lists, and only to those.
    then: Callable[[], str] | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def completed(self) -> RowError:
        """The error with the end of its message worked out."""
        if self.then is None:
            return self
        return RowError(self.line, self.column, self.message + self.then())


class ImportFailed(Exception):
    """The file has errors; nothing was written. ``errors`` lists the first
    :data:`MAX_LISTED` in order, ``unlisted`` counts the others and ``count`` all of them."""

    def __init__(self, errors: Iterable[RowError], *, unlisted: int = 0):
        # By line; errors of one line stay in the order given.
        errors = sorted(errors, key=lambda e: (e.line is not None, e.line or 0))
        self.errors = [error.completed() for error in errors[:MAX_LISTED]]
        self.unlisted = unlisted + len(errors) - len(self.errors)
        self.count = len(self.errors) + self.unlisted
        super().__init__(self.summary())

    def summary(self) -> str:
        return f"{self.count:,} error{'s' if self.count != 1 else ''}; nothing was written"

    def unlisted_line(self) -> list[str]:
        """The line that says how many errors are not listed, if any are not."""
        if not self.unlisted:
            return []
        return [
            f"... and {self.unlisted:,} more error{'s' if self.unlisted != 1 else ''}, not listed"
        ]

    def __str__(self) -> str:
        return "\n".join(
            [self.summary() + ":", *(str(error) for error in self.errors), *self.unlisted_line()]
        )


class UsageError(ValueError):
    """The import was asked for something impossible (unknown year or methodology, a file
    that cannot be read); nothing about the rows."""
