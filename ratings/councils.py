"""Finding a council from the name a file, a form or a newspaper gives it.

Names are compared after :func:`normalise`: case, spacing, punctuation and "&" against
"and" do not matter, so "St. Helens", "ST HELENS", "st-helens" (the slug) and "St Helens"
are one council. ``Council.alternative_names`` adds the other names in use ("Hull" for
Kingston upon Hull). A name that is still unknown after that is matched once more without
the usual affixes ("... County Council", "London Borough of ..."), and only if that
leaves exactly one council.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable

from .models import Council

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_PREFIXES = (
    "the ",
    "london borough of ",
    "royal borough of ",
    "metropolitan borough of ",
    "borough of ",
    "county of ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " metropolitan district council",
    " borough council",
    " county council",
    " district council",
    " city council",
    " council",
)


class CouncilNotFound(LookupError):
    """No council, or more than one, has the name given. ``did_you_mean``, when the
    suggestions were not asked for, works them out: "; did you mean 'Barnet'?" or ""."""

    def __init__(self, text: str, message: str, did_you_mean: Callable[[], str] | None = None):
        self.text = text
        self.did_you_mean = did_you_mean
        super().__init__(message)


def normalise(text: str) -> str:
    """The form in which council names are compared: lower case, "&" as "and", no
    punctuation or accents, hyphens and underscores as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ").replace("_", " ").replace("-", " ")
    text = text.replace("’", "").replace("'", "")  # "King's Lynn" -> "kings lynn"
    text = _PUNCTUATION.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _without_affixes(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix) :], True
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return key


def alternative_names(council: Council) -> list[str]:
    """A council's other names (stored as a JSON list; a ";"-separated string is read too)."""
    names = council.alternative_names or []
    if isinstance(names, str):
        names = names.split(";")
    return [str(name).strip() for name in names if str(name).strip()]


class CouncilMatcher:
    """Every council by every name it goes by, built with one query.

    >>> matcher = CouncilMatcher()
    >>> matcher.find("st. helens")  # doctest: +SKIP
    <Council: St Helens>
    """

    def __init__(self, councils: Iterable[Council] | None = None):
        if councils is None:
            councils = Council.objects.all()
        self.councils: list[Council] = list(councils)
        self._exact: dict[str, set[int]] = {}
        self._loose: dict[str, set[int]] = {}
        self._by_id: dict[int, Council] = {}
        for council in self.councils:
            self._by_id[council.pk] = council
            for name in [council.name, council.slug, *alternative_names(council)]:
                key = normalise(name)
                if key:
                    self._exact.setdefault(key, set()).add(council.pk)
                    self._loose.setdefault(_without_affixes(key), set()).add(council.pk)

    def find(self, text: str, *, suggest: bool = True) -> Council:
        """The council called ``text``, or :class:`CouncilNotFound` saying why not: with
        the closest names if ``suggest``, else with a way to work them out later (a fuzzy
        match against every name takes a millisecond or more: too long for every row of a
        file of unknown councils)."""
        key = normalise(text or "")
        if not key:
            raise CouncilNotFound(text, "no council given")
        for index, lookup in ((self._exact, key), (self._loose, _without_affixes(key))):
            ids = index.get(lookup, set())
            if len(ids) == 1:
                return self._by_id[next(iter(ids))]
            if len(ids) > 1:
                names = sorted(self._by_id[pk].name for pk in ids)
                raise CouncilNotFound(
                    text, f"{text!r} could be any of {', '.join(names)}; give the full name"
                )
        message = f"{text!r} is not a council"
        if suggest:
            raise CouncilNotFound(text, message + self.did_you_mean(text))
        raise CouncilNotFound(text, message, lambda: self.did_you_mean(text))

    def get(self, text: str) -> Council | None:
        """The council called ``text``, or None."""
        try:
            return self.find(text, suggest=False)
        except CouncilNotFound:
            return None

    def did_you_mean(self, text: str) -> str:
        """ "; did you mean 'A' or 'B'?" with the closest names, or "" if none is close."""
        suggestions = self.suggest(text)
        if not suggestions:
            return ""
        return f"; did you mean {' or '.join(repr(s) for s in suggestions)}?"

    def suggest(self, text: str, limit: int = 2) -> list[str]:
        """The names of the councils whose names are closest to ``text``."""
        key = normalise(text or "")
        close = difflib.get_close_matches(key, list(self._exact), n=limit * 3, cutoff=0.75)
        names: list[str] = []
        for match in close:
            for pk in sorted(self._exact[match]):
                name = self._by_id[pk].name
                if name not in names:
                    names.append(name)
        return names[:limit]


def find_council(text: str) -> Council:
    """The council called ``text`` (name, slug or alternative name, tolerantly)."""
    return CouncilMatcher().find(text)
