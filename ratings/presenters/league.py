"""The league table's downloads: a row in plain values."""

from __future__ import annotations

from ..models import Rating


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
    }
