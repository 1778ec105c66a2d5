"""What an import did, or in a dry run would do: :class:`ImportResult`."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import AssessmentRound


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
