"""Server-drawn SVG charts: accessible, with no script and no style attributes.

:func:`history_chart` is a pure function from points to an SVG string. The chart is an
image with a title and a description that says every value in words; each point is
labelled with its number of stars (or "Not rated") in text, so nothing depends on colour;
a visible table of the same data goes next to it on the page. Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

MAX_STARS = 3

# Layout, in SVG user units.
_LEFT = 72  # room for the y-axis labels
_RIGHT = 24
_TOP = 32
_PLOT_HEIGHT = 180
_BOTTOM = 56  # room for the x-axis labels
_STEP = 88  # between points
_INK = "#0b0c0c"
_GRID = "#b1b4b6"
_LINE = "#1d70b8"


def _stars(stars: int | None) -> str:
    if stars is None:
        return "not rated"
    return f"{stars} star" if stars == 1 else f"{stars} stars"


def describe(points: Sequence[tuple[str, int | None]]) -> str:
    """The data in words: "2002: 1 star; 2003: 2 stars; 2004: not rated."."""
    if not points:
        return "No ratings have been published."
    return "; ".join(f"{label}: {_stars(stars)}" for label, stars in points) + "."


def _id(prefix: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in prefix) or "chart"


def history_chart(
    points: Sequence[tuple[str, int | None]],
    *,
    title: str,
    description: str | None = None,
    id_prefix: str = "chart",
) -> str:
    """An SVG line chart of star ratings (0-3) over time.

    ``points`` are (label, stars) pairs in order; stars None is drawn as a "Not rated"
    label on the axis, and breaks the line. ``id_prefix`` keeps the ids of several charts
    on one page apart.
    """
    prefix = _id(id_prefix)
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    description = description or describe(points)
    count = max(len(points), 1)
    width = _LEFT + _STEP * count + _RIGHT
    height = _TOP + _PLOT_HEIGHT + _BOTTOM
    bottom = _TOP + _PLOT_HEIGHT

    def y(stars: int) -> float:
        return bottom - _PLOT_HEIGHT * stars / MAX_STARS

    def x(index: int) -> float:
        return _LEFT + _STEP * index + _STEP / 2

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ratings-chart" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="Arial, sans-serif" font-size="14">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    # Axes and grid lines, labelled 0-3 stars.
    parts.append('<g class="ratings-chart__axis">')
    for stars in range(MAX_STARS + 1):
        parts.append(
            f'<line x1="{_LEFT}" y1="{y(stars):g}" x2="{width - _RIGHT}" y2="{y(stars):g}" '
            f'stroke="{_INK if stars == 0 else _GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_LEFT - 8}" y="{y(stars) + 5:g}" text-anchor="end" '
            f'fill="{_INK}">{escape(_stars(stars))}</text>'
        )
    parts.append(
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{bottom}" stroke="{_INK}" '
        'stroke-width="1"/>'
    )
    parts.append("</g>")
    # The line, broken where a round has no rating.
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (_, stars) in enumerate(points):
        if stars is None:
            if segment:
                segments.append(segment)
            segment = []
        else:
            segment.append(f"{x(index):g},{y(stars):g}")
    if segment:
        segments.append(segment)
    for line in segments:
        if len(line) > 1:
            parts.append(
                f'<polyline points="{" ".join(line)}" fill="none" stroke="{_LINE}" '
                'stroke-width="3"/>'
            )
    # Points, each labelled in text; and the x-axis labels.
    parts.append('<g class="ratings-chart__points">')
    for index, (label, stars) in enumerate(points):
        cx = x(index)
        if stars is None:
            parts.append(
                f'<text x="{cx:g}" y="{bottom - 8}" text-anchor="middle" '
                f'fill="{_INK}">Not rated</text>'
            )
        else:
            parts.append(
                f'<circle cx="{cx:g}" cy="{y(stars):g}" r="6" fill="{_LINE}" '
                f'stroke="{_INK}" stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{cx:g}" y="{y(stars) - 12:g}" text-anchor="middle" '
                f'font-weight="bold" fill="{_INK}">{stars}</text>'
            )
        parts.append(
            f'<text x="{cx:g}" y="{bottom + 24}" text-anchor="middle" '
            f'fill="{_INK}">{escape(label)}</text>'
        )
    parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
