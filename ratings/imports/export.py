"""The ratings export: a round's latest revisions as a ratings CSV, in the import format, so
that ``import_ratings(export_ratings(round))`` changes nothing."""

from __future__ import annotations

import csv
from typing import TextIO

from .. import rules, services, vocabulary
from ..models import AssessmentRound
from .errors import UsageError
from .ratings import EXPORT_COLUMNS, JUDGEMENT_COLUMNS, PUBLISHED_OUTCOME_COLUMNS


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
    notes = {rating.pk: rules.published_outcome_note(rating.reasons) for rating in ratings}
    # Only a round with a published outcome needs the columns that say so.
    outcomes = any(notes.values())
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow((*EXPORT_COLUMNS, *(PUBLISHED_OUTCOME_COLUMNS if outcomes else ())))
    for rating in ratings:
        judgements = rating.rules_judgements()
        cells = judgements.as_dict() if judgements else dict.fromkeys(JUDGEMENT_COLUMNS, "")
        note = notes[rating.pk]
        writer.writerow(
            [
                rating.council.name,
                *(cells[column] for column in JUDGEMENT_COLUMNS),
                vocabulary.NOT_RATED if rating.stars is None else rating.stars,
                "yes" if rating.on_special_measures else "no",
                *((("yes", note) if note else ("", "")) if outcomes else ()),
            ]
        )
    return len(ratings)
