"""Reads for everything public, built on the embargo gate (``ratings.embargo``).

Public pages, downloads, the API, reports and the sitemap read rounds from the gate and
ratings and their context from here, never from the models' managers: every query below
starts from the gate's predicates, so nothing under embargo is shown, downloaded or
listed. ``now`` is a parameter so that tests can move the clock; it defaults to the
current time.

- :mod:`.revisions`: a round's current ratings (annotated), a council's history;
- :mod:`.league`: the league table page in one hand-written query;
- :mod:`.indicators`: a published round's indicator values and their averages;
- :mod:`.context`: CPA results, group memberships and the published record of a council;
  the indicator domains; where each rating's values come from (published or sample);
- :mod:`.council_voice`: councils' responses, representations being considered, and who
  had pre-release access to a round.
"""

from .context import (
    cpa_results,
    domains,
    group_memberships,
    published_facts,
    rating_provenance,
)
from .council_voice import (
    council_responses,
    pre_release_access,
    representation_years,
    response_of,
)
from .indicators import council_indicators, indicator_averages, round_indicator_values
from .league import LEAGUE_CHANGES, LEAGUE_SORTS, LeagueRow, league_filter_choices, league_rows
from .revisions import (
    UNKNOWN,
    council_count,
    council_ratings,
    council_ratings_with_judgements,
    current_ratings,
    round_ratings,
    star_histories,
    star_sources,
)

__all__ = [
    "LEAGUE_CHANGES",
    "LEAGUE_SORTS",
    "UNKNOWN",
    "LeagueRow",
    "council_count",
    "council_responses",
    "council_indicators",
    "council_ratings",
    "council_ratings_with_judgements",
    "cpa_results",
    "current_ratings",
    "domains",
    "group_memberships",
    "indicator_averages",
    "league_filter_choices",
    "league_rows",
    "pre_release_access",
    "published_facts",
    "representation_years",
    "response_of",
    "rating_provenance",
    "round_indicator_values",
    "round_ratings",
    "star_histories",
    "star_sources",
]
