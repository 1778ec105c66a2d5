"""What the public pages and the reports show, in words, built on the reads in
``ratings.selectors``.

Presenters only format: rounds, ratings and their context come from the selectors (and the
national figures from ``ratings.summary``), so nothing embargoed reaches a page and no
query is written here. One module a page:

- :mod:`.words`: words, numbers and stars, the same everywhere;
- :mod:`.council`: the council page, and the record it shares with the council report;
- :mod:`.history`, :mod:`.indicators`: the parts of that record;
- :mod:`.national`: the national figures, shared by the summary page and the national
  report;
- :mod:`.compare`: councils side by side;
- :mod:`.league`: the league table's download rows and provenance markers;
- :mod:`.provenance`: "Published" (with numbered sources) or "Sample", per value.
"""

from .compare import Benchmark, ComparedCouncil, Comparison, benchmark, compare
from .council import (
    CouncilPage,
    CouncilRecord,
    CPALine,
    GroupLine,
    Judgement,
    council_page,
    report_urls,
)
from .history import HistoryLine, SpecialMeasuresEvent, chart_points, special_measures_events
from .indicators import (
    IndicatorLine,
    IndicatorRow,
    KeyIndicatorLine,
    KeyIndicatorResult,
    indicators,
)
from .league import export_row, provenance_marker, stars_provenance
from .national import (
    GroupComparisonLine,
    MoverLine,
    NationalFigures,
    ShareLine,
    StarsLine,
    national_figures,
)
from .provenance import SAMPLE_SOURCE, SourceNote, SourceNotes, ValueSource, provenance_note
from .words import (
    DASH,
    NO_VALUE,
    NOT_RATED,
    STAR_SYMBOLS,
    Stars,
    change_words,
    council_type_label,
    percent,
    prospects_words,
    serving_words,
    stars_html,
    stars_words,
)

__all__ = [
    "DASH",
    "NOT_RATED",
    "NO_VALUE",
    "SAMPLE_SOURCE",
    "STAR_SYMBOLS",
    "Benchmark",
    "CPALine",
    "ComparedCouncil",
    "Comparison",
    "CouncilPage",
    "CouncilRecord",
    "GroupComparisonLine",
    "GroupLine",
    "HistoryLine",
    "IndicatorLine",
    "IndicatorRow",
    "Judgement",
    "KeyIndicatorLine",
    "KeyIndicatorResult",
    "MoverLine",
    "NationalFigures",
    "ShareLine",
    "SourceNote",
    "SourceNotes",
    "SpecialMeasuresEvent",
    "Stars",
    "StarsLine",
    "ValueSource",
    "benchmark",
    "change_words",
    "chart_points",
    "compare",
    "council_page",
    "council_type_label",
    "export_row",
    "indicators",
    "national_figures",
    "percent",
    "prospects_words",
    "provenance_marker",
    "provenance_note",
    "report_urls",
    "serving_words",
    "special_measures_events",
    "stars_html",
    "stars_provenance",
    "stars_words",
]
