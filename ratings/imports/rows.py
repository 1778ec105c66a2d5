"""The imports' work on a file's rows: every row checked with its errors collected
(:func:`check_rows`), a key already given on an earlier line (:func:`earlier_line`), and an
existing row's fields updated (:func:`assign`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .errors import MAX_LISTED, RowError
from .reading import Table, progress_bar

Checked = TypeVar("Checked")


def check_rows(
    table: Table,
    check: Callable[[int, dict[str, str], list[RowError]], Checked | None],
    *,
    progress: bool = False,
) -> list[Checked]:
    """Every row of ``table`` checked by ``check(line, row, errors)``, which adds the row's
    errors to ``errors`` and returns what the row holds. What the rows without errors hold,
    or ImportFailed with the file's first errors, in file order, and the number of others."""
    errors: list[RowError] = list(table.errors)
    unlisted = 0
    checked: list[Checked] = []
    for line, row in progress_bar(table.rows, enabled=progress, description="Checking"):
        row_errors: list[RowError] = []
        value = check(line, row, row_errors)
        if row_errors:
            errors.extend(row_errors)
            if len(errors) > 2 * MAX_LISTED:
                # Only the first errors are listed: the others are counted, not kept, so
                # that a file of nothing but errors is not held in memory twice over.
                errors = table.in_order(errors)
                unlisted += len(errors) - MAX_LISTED
                del errors[MAX_LISTED:]
        elif value is not None and not errors:
            checked.append(value)
    if errors:
        raise table.failed(errors, unlisted=unlisted)
    return checked


def earlier_line(seen: dict, key, line: int) -> int | None:
    """The line that already gave ``key``; or None, noting that ``line`` gives it."""
    if key in seen:
        return seen[key]
    seen[key] = line
    return None


def assign(instance, fields: dict) -> bool:
    """Set ``fields`` on ``instance`` if any differs from its value; whether one did."""
    if not any(getattr(instance, name) != new for name, new in fields.items()):
        return False
    for name, new in fields.items():
        setattr(instance, name, new)
    return True
