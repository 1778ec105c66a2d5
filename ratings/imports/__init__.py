"""All-or-nothing CSV imports (ratings, indicator values, CPA results) and the export.

Each import reads the whole file, checks every row and collects every error with its line
and column; only a file without errors is written, in one transaction. The functions take
an open text stream, so that the management commands, the web upload form and the tests
share them; the commands only parse their arguments and print.

Importing the same file twice changes nothing the second time, and importing an export
changes nothing at all: ``import_ratings(export_ratings(round))`` is the identity.

The modules: ``errors`` and ``results`` (what an import reports), ``reading`` (files,
tables, progress; shared with the reference data loader), ``rows`` (checking every row),
``lookups`` (a row's council, an import's round), one module per import (``ratings``,
``indicator_values``, ``cpa``), ``export``, and the reference data loader's files and
cells (``reference_files``, ``reference_cells``). This package exports what callers use.
"""

from .cpa import CPA_COLUMNS, CPA_OPTIONAL_COLUMNS, CPA_SCORE_COLUMNS, import_cpa
from .errors import ImportFailed, RowError, UsageError
from .export import export_ratings
from .indicator_values import (
    INDICATOR_VALUE_COLUMNS,
    INDICATOR_VALUE_OPTIONAL_COLUMNS,
    import_indicator_values,
)
from .ratings import (
    EXPORT_COLUMNS,
    JUDGEMENT_COLUMNS,
    RATING_COLUMNS,
    RATING_OPTIONAL_COLUMNS,
    import_ratings,
    parse_publish_at,
)
from .reading import decode, open_csv
from .results import ImportResult

__all__ = [
    "CPA_COLUMNS",
    "CPA_OPTIONAL_COLUMNS",
    "CPA_SCORE_COLUMNS",
    "EXPORT_COLUMNS",
    "INDICATOR_VALUE_COLUMNS",
    "INDICATOR_VALUE_OPTIONAL_COLUMNS",
    "JUDGEMENT_COLUMNS",
    "RATING_COLUMNS",
    "RATING_OPTIONAL_COLUMNS",
    "ImportFailed",
    "ImportResult",
    "RowError",
    "UsageError",
    "decode",
    "export_ratings",
    "import_cpa",
    "import_indicator_values",
    "import_ratings",
    "open_csv",
    "parse_publish_at",
]
