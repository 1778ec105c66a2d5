"""Where a value comes from, in words: "Published", with a numbered source, or "Sample".

The decision is ``ratings.provenance``'s; this only numbers the citations of a page or a
report (each distinct source once, in the order first cited) so that a value can point to
its source as a footnote does, on the page and in a PDF alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..provenance import PUBLISHED, SAMPLE, Provenance

PUBLISHED_LABEL = "Published"
SAMPLE_LABEL = "Sample"


@dataclass(frozen=True)
class SourceNote:
    number: int
    text: str
    url: str


@dataclass(frozen=True)
class ValueSource:
    """One value's provenance as shown."""

    kind: str  # "published" or "sample"
    label: str  # "Published" or "Sample"
    source: str = ""
    url: str = ""
    note: int | None = None  # the number of its source in the record's sources

    @property
    def is_published(self) -> bool:
        return self.kind == PUBLISHED


SAMPLE_SOURCE = ValueSource(SAMPLE, SAMPLE_LABEL)


class SourceNotes:
    """Numbers the sources cited on one page or report."""

    def __init__(self):
        self._numbers: dict[tuple[str, str], int] = {}
        self.notes: list[SourceNote] = []

    def cite(self, provenance: Provenance | None) -> ValueSource:
        if provenance is None or not provenance.is_published or provenance.citation is None:
            return SAMPLE_SOURCE
        citation = provenance.citation
        key = (citation.text, citation.url)
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self.notes) + 1
            self.notes.append(SourceNote(number, citation.text, citation.url))
        return ValueSource(PUBLISHED, PUBLISHED_LABEL, citation.text, citation.url, number)


def provenance_note(sources: list[ValueSource], *, is_sample: bool) -> str:
    """What a report's page footer says of its figures."""
    published = any(s.is_published for s in sources)
    if not is_sample:
        return "Published ratings: the sources are listed under “Sources of the figures”"
    if published:
        return (
            "Sample data around published facts: the sources are listed under "
            "“Sources of the figures”"
        )
    return "Sample data: not the ratings the inspectorate published"
