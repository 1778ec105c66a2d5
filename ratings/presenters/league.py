"""The league table's rows: the marker of where each row's stars come from, and a row in
plain values for the downloads."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..models import Rating
from ..provenance import SAMPLE
from .provenance import PUBLISHED_LABEL, SAMPLE_LABEL


def stars_provenance(rating):
    """The provenance of a row's stars (``ratings.provenance.Provenance``), or None when
    the row was read without it."""
    found = getattr(rating, "provenance", None)
    return found.stars if found is not None else None


def provenance_marker(kind: str | None) -> SafeString | str:
    """ "Published" or "Sample" after a row's stars, in words (never colour alone)."""
    if kind is None:
        return mark_safe("")  # safe, so that the stars' HTML it follows stays safe
    label = SAMPLE_LABEL if kind == SAMPLE else PUBLISHED_LABEL
    return format_html('<br><span class="provenance provenance--{}">{}</span>', kind, label)


def export_row(rating: Rating) -> dict:
    """A league-table row in plain values (the download columns)."""
    return {
        "council": rating.council.name,
        "region": rating.council.region.name,
        "type": rating.council.council_type,
        "stars": rating.stars,
        "adults_serving": rating.adults_serving or "",
        "adults_prospects": rating.adults_prospects or "",
        "children_serving": rating.children_serving or "",
        "children_prospects": rating.children_prospects or "",
        "change": rating.change or "",
        "on_special_measures": "yes" if rating.on_special_measures else "no",
        "is_sample": "yes" if rating.round.is_sample else "no",
        # Of the stars: "published" (with its source) or "sample".
        "provenance": found.kind if (found := stars_provenance(rating)) else "",
        "source": found.citation.text if found and found.citation else "",
    }
