"""CSV for every endpoint: ``?format=csv`` or ``Accept: text/csv``.

One row per result with a header row of the JSON field names. Nested objects are
flattened with dotted names (``two_or_three_stars.count``); lists of plain values are
joined with "; " and lists of objects are written as JSON. ``None`` is an empty cell and
booleans are ``true``/``false`` as in the JSON. A paginated JSON response becomes the rows
of its ``results``; the list views return every row, unpaginated, when CSV is asked for.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

from ratings.downloads import spreadsheet_cell

PAGE_KEYS = {"count", "next", "previous", "results"}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            # Joined, numbers are text: "-1; 2" would be a formula too.
            return spreadsheet_cell("; ".join(_cell(item) for item in value))
        return json.dumps(value, cls=JSONEncoder, ensure_ascii=False)
    # Text a spreadsheet would run as a formula is prefixed with an apostrophe.
    return spreadsheet_cell(str(value))


def flatten(data: dict, prefix: str = "") -> dict[str, str]:
    """A nested dict as one flat row of dotted names."""
    row: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(flatten(value, f"{name}."))
        else:
            row[name] = _cell(value)
    return row


def serializer_columns(serializer, prefix: str = "") -> list[str]:
    """The flattened column names a serializer gives, for the header of an empty list."""
    columns = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            columns += serializer_columns(field, f"{prefix}{name}.")
        else:
            columns.append(f"{prefix}{name}")
    return columns


def _rows_and_serializer(data):
    if isinstance(data, dict) and set(data) >= PAGE_KEYS and isinstance(data["results"], list):
        data = data["results"]
    serializer = getattr(data, "serializer", None)
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    rows = data if isinstance(data, list) else [data]
    return [row if isinstance(row, dict) else {"value": row} for row in rows], serializer


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows, serializer = _rows_and_serializer(data)
        flat = [flatten(row) for row in rows]
        header = serializer_columns(serializer) if serializer is not None else []
        seen = set(header)
        for row in flat:
            for name in row:
                if name not in seen:
                    seen.add(name)
                    header.append(name)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n", restval="")
        writer.writeheader()
        writer.writerows(flat)
        self._name_the_download(renderer_context or {})
        return out.getvalue().encode(self.charset)

    @staticmethod
    def _name_the_download(context: dict) -> None:
        response, view = context.get("response"), context.get("view")
        name = getattr(view, "csv_filename", None)
        if response is None or response.status_code >= 400 or not callable(name):
            return
        response["Content-Disposition"] = f'attachment; filename="{name()}.csv"'


def document_csv_responses(result, generator, request, public):
    """Spectacular post-processing hook: a ``text/csv`` response is text, not the JSON
    object the serializer describes."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if "text/csv" in content:
                    content["text/csv"] = {
                        "schema": {
                            "type": "string",
                            "description": (
                                "CSV with a header row of the JSON field names; nested "
                                "objects are flattened with dotted names. Lists are not "
                                "paginated in CSV: every row is returned."
                            ),
                        }
                    }
    return result
