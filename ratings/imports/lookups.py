"""What an import's rows and arguments name: the council of a row, and the round of a year
(with the note an import gives when it creates one)."""

from __future__ import annotations

from .. import services
from ..councils import CouncilMatcher, CouncilNotFound
from ..models import AssessmentRound, Council
from .errors import RowError, UsageError


def find_council(
    matcher: CouncilMatcher, line: int, text: str, errors: list[RowError]
) -> Council | None:
    """The council a row names, or None after adding the error to ``errors``."""
    if not text:
        errors.append(RowError(line, "council", "missing; give the council's name"))
        return None
    try:
        return matcher.find(text, suggest=False)
    except CouncilNotFound as error:
        # The suggestions are worked out only if this error is one of those listed.
        errors.append(RowError(line, "council", str(error), then=error.did_you_mean))
        return None


def round_for_import(year: int, methodology: str | None) -> tuple[AssessmentRound, bool]:
    """The round of ``year``, locked, and False; or a new, unsaved round and True.
    UsageError if the year or methodology does not fit."""
    try:
        round, created = services.round_for_year(year, methodology=methodology)
    except services.RoundError as error:
        raise UsageError(str(error)) from None
    if not created:
        # One import of a round at a time: the second waits for the first to finish.
        round = AssessmentRound.objects.select_for_update().get(pk=round.pk)
    return round, created


def round_created_note(round: AssessmentRound, *, dry_run: bool) -> str:
    """The note saying that an import created, or would create, its round."""
    would = "would be" if dry_run else "was"
    return (
        f"Round {round.year} ({round.title}, {round.methodology_version} methodology) {would} "
        "created."
    )
