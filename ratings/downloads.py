"""Cells of the downloads that a spreadsheet opens (CSV, XLSX): never a formula.

A spreadsheet runs a text cell that starts with "=", "+", "-" or "@" as a formula (a tab
or a carriage return in front is skipped), so a council or region named
``=HYPERLINK("https://...", "Click")`` would be a live link in a download (OWASP, "CSV
injection"). Every download for spreadsheets passes its cells through
:func:`spreadsheet_cell`: the league table's CSV and XLSX (``ratings.tables``), the API's
CSV (``api.renderers``), and any download to come. JSON is data, not a spreadsheet, and is
left as it is.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """``value`` as a spreadsheet's cell: text that would run as a formula after an
    apostrophe (which spreadsheets read as "this is text"); numbers, None and anything
    else as they are, so that -3 stays the number -3."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
