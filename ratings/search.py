"""Finding councils from what someone types: "st helens", "St. Helens", "helens", "Hull".

Names are compared as ``ratings.councils`` compares them (:func:`normalise`), so case,
punctuation and spacing do not matter, and alternative names count. An exact match (by
:class:`CouncilMatcher`, which also knows the usual affixes) comes first; then names that
start with the words typed, then names containing them. One query: every council.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .councils import CouncilMatcher, alternative_names, normalise
from .models import Council

SUGGESTION_LIMIT = 10


@dataclass
class SearchResult:
    query: str
    exact: Council | None = None
    councils: list[Council] = field(default_factory=list)
    did_you_mean: list[str] = field(default_factory=list)


def _keys(council: Council) -> list[str]:
    return [
        key
        for key in (normalise(name) for name in [council.name, *alternative_names(council)])
        if key
    ]


def _score(query: str, keys: Iterable[str]) -> int | None:
    """How well a council's names match (lower is better), or None for no match."""
    best = None
    words = query.split()
    for key in keys:
        if key == query:
            score = 0
        elif key.startswith(query):
            score = 1
        elif any(word.startswith(query) for word in key.split()) or f" {query}" in key:
            score = 2
        elif query in key:
            score = 3
        elif all(any(part.startswith(word) for part in key.split()) for word in words):
            score = 4
        else:
            continue
        best = score if best is None else min(best, score)
    return best


def search(query: str, councils: Iterable[Council] | None = None) -> SearchResult:
    """The councils matching ``query``, best first; ``exact`` when one council is called
    exactly that (by name, slug or alternative name, tolerantly)."""
    result = SearchResult(query=query)
    key = normalise(query or "")
    if not key:
        return result
    if councils is None:
        councils = Council.objects.select_related("region").order_by("name")
    matcher = CouncilMatcher(councils)
    result.exact = matcher.get(query)
    scored = []
    for council in matcher.councils:
        score = _score(key, _keys(council))
        if score is None and normalise(council.slug) == key:
            score = 0
        if score is not None:
            scored.append((score, council.name.casefold(), council))
    scored.sort(key=lambda item: item[:2])
    result.councils = [council for _, _, council in scored]
    if result.exact is not None and result.exact not in result.councils:
        result.councils.insert(0, result.exact)
    if not result.councils:
        result.did_you_mean = matcher.suggest(query, limit=3)
    return result
