"""The reference data bundled in ``ratings/data/`` and its loader.

The files (described in ``ratings/data/README.md``):

- ``councils.csv``: the 150 councils with social services responsibilities; their regions
  are created from it;
- ``domains.csv`` and ``standards.csv``: the three domains of the assessment framework and
  the standards under each;
- ``indicators.csv`` and ``key-indicator-caps.csv``: the performance indicators and, per
  methodology version, the key indicators whose failure caps a service's judgement;
- ``groups.csv``: named groups of councils (memberships are loaded elsewhere);
- ``known-ratings.csv``: real published rating facts, kept verbatim as ``PublishedFact``.

Every loader is idempotent: rows are matched on their natural key (a council's slug, an
indicator's code, a cap's indicator and methodology version, ...), created if missing and
updated only where a value differs, so loading twice changes nothing the second time.
Nothing is ever deleted: rows added in the admin survive a reload. Each loader returns what
it did as :class:`Counts` per kind of row.

A file is checked completely before anything from it is written. A bad file raises
:class:`ReferenceDataError`, which names the file and gives every problem with its line and
column; :func:`load_reference_data` runs in one transaction, so then nothing is written at
all. Files are read relative to this module, never from anywhere else.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models, transaction
from django.utils.text import slugify

from . import rules, vocabulary
from .councils import CouncilMatcher, CouncilNotFound, normalise
from .imports import ImportFailed, RowError
from .models import (
    Council,
    CouncilType,
    Domain,
    Group,
    Indicator,
    KeyIndicatorCap,
    Polarity,
    PublishedFact,
    Region,
    Standard,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

COUNCILS_FILE = "councils.csv"
DOMAINS_FILE = "domains.csv"
STANDARDS_FILE = "standards.csv"
INDICATORS_FILE = "indicators.csv"
CAPS_FILE = "key-indicator-caps.csv"
GROUPS_FILE = "groups.csv"
PUBLISHED_FACTS_FILE = "known-ratings.csv"

BAND_COUNT = 5
JUDGEMENT_COLUMNS = ("adults_serving", "adults_prospects", "children_serving", "children_prospects")
_ONS_CODE = re.compile(r"^[A-Z0-9]{2,9}$")


class ReferenceDataError(ImportFailed):
    """A bundled data file has errors; nothing from it was written.

    ``file`` names the file; ``errors`` lists every problem with its line and column.
    """

    def __init__(self, file: str, errors: Iterable[RowError]):
        self.file = file
        super().__init__(errors)

    def summary(self) -> str:
        return f"{self.file}: {super().summary()}"

    def __str__(self) -> str:
        return "\n".join(
            [self.summary() + ":", *(f"{self.file}, {error}" for error in self.errors)]
        )


@dataclass
class Counts:
    """How many rows of one kind a load created, updated or left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


# --- reading and checking files ------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "").strip()


class _Problems:
    """The errors found in one file, raised together."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[RowError] = []

    def add(self, line: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(line, column, message))

    def check(self, row: _Row, column: str, parse: Callable[[str], object]) -> object:
        """``parse(row[column])``, or None after recording the ValueError it raised."""
        try:
            return parse(row[column])
        except ValueError as error:
            self.add(row.line, column, str(error))
            return None

    def unique(
        self, seen: dict, key, row: _Row, column: str, what: str, shown: str | None = None
    ) -> None:
        """Record ``key`` as seen on this row, or an error if an earlier row had it."""
        if key in seen:
            shown = key if shown is None else shown
            self.add(row.line, column, f"repeats {what} {shown!r} of line {seen[key]}")
        else:
            seen[key] = row.line

    def raise_if_any(self) -> None:
        if self.errors:
            raise ReferenceDataError(self.file, self.errors)


def _read(
    file: str, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[list[_Row], _Problems]:
    """The rows of a data file, with the problems of its form already recorded.

    Raises at once if the file cannot be read or its header is wrong; row-level problems
    are left in the returned :class:`_Problems` for the caller to add to and raise.
    """
    problems = _Problems(file)
    path = DATA_DIR / file
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.add(None, None, f"cannot be read ({error.strerror or error})")
        problems.raise_if_any()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.add(data.count(b"\n", 0, error.start) + 1, None, "is not UTF-8 text")
        problems.raise_if_any()

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        problems.add(None, None, "is empty; it needs a header line")
        problems.raise_if_any()
    except csv.Error as error:
        problems.add(1, None, f"is not valid CSV ({error})")
        problems.raise_if_any()
    seen: dict[str, int] = {}
    for column in header:
        if column in seen:
            problems.add(1, column, "the column appears twice")
        seen[column] = 1
        if column not in required and column not in optional:
            problems.add(
                1, column, f"unknown column; the columns are {', '.join([*required, *optional])}"
            )
    for column in required:
        if column not in header:
            problems.add(1, column, "missing column")
    problems.raise_if_any()

    rows: list[_Row] = []
    start = reader.line_num + 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.add(line, None, f"has {len(record)} cells; the header has {len(header)}")
                continue
            rows.append(_Row(line, dict(zip(header, record, strict=True))))
    except csv.Error as error:
        problems.add(start, None, f"is not valid CSV ({error})")
        problems.raise_if_any()
    return rows, problems


def _required(text: str) -> str:
    if not text:
        raise ValueError("is empty; a value is required")
    return text


def _max_length(model: type[models.Model], field: str) -> Callable[[str], str]:
    limit = model._meta.get_field(field).max_length

    def parse(text: str) -> str:
        if limit is not None and len(text) > limit:
            raise ValueError(f"is {len(text)} characters long; at most {limit} are allowed")
        return text

    return parse


def _text(model: type[models.Model], field: str, *, required: bool = True):
    limit = _max_length(model, field)
    return (lambda text: limit(_required(text))) if required else limit


def _slug(text: str) -> str:
    _required(text)
    try:
        validate_slug(text)
    except ValidationError:
        raise ValueError(
            f"{text!r} is not a slug; use lower-case letters, digits and hyphens"
        ) from None
    return text


def _choice(choices: Sequence[str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in choices:
            allowed = f"use one of {', '.join(choices)}" if choices else "there are none yet"
            raise ValueError(f"{text!r} is not {what}; {allowed}")
        return text

    return parse


def _order(text: str) -> int:
    if not text:
        return 0
    return vocabulary.parse_whole_number(text, minimum=0, maximum=32767, what="an order")


def _number(text: str) -> int | float:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{text.strip()!r} is not a number")
    return int(number) if number == number.to_integral_value() else float(number)


def _band_thresholds(text: str) -> list[int | float]:
    """Four ascending cut points separated by ';', or an empty list for an empty cell."""
    if not text:
        return []
    parts = text.split(";")
    example = "e.g. 10;20;30;40"
    if len(parts) != BAND_COUNT - 1:
        raise ValueError(
            f"{text!r} has {len(parts)} cut points; give {BAND_COUNT - 1} ascending numbers "
            f"separated by ';' ({example})"
        )
    numbers = [_number(part) for part in parts]
    if any(later < earlier for earlier, later in zip(numbers, numbers[1:], strict=False)):
        raise ValueError(f"{text!r} is not in ascending order ({example})")
    return numbers


def _threshold(text: str) -> Decimal | None:
    return vocabulary.parse_decimal(_required(text))


# --- writing -------------------------------------------------------------------------------


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """``update_or_create`` that leaves a row alone when nothing differs.

    Returns the row and what happened: ``created``, ``updated`` or ``unchanged``.
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [field for field, value in values.items() if getattr(row, field) != value]
    if not changed:
        return row, "unchanged"
    for field in changed:
        setattr(row, field, values[field])
    row.save(update_fields=changed)
    return row, "updated"


def _report(stdout, counts: dict[str, Counts]) -> None:
    if stdout is None:
        return
    for what, count in counts.items():
        stdout.write(f"{what.replace('_', ' ').capitalize()}: {count}\n")


# --- the loaders ---------------------------------------------------------------------------


@transaction.atomic
def load_councils() -> dict[str, Counts]:
    """The councils of ``councils.csv`` and the regions they name."""
    rows, problems = _read(
        COUNCILS_FILE, ("name", "slug", "type", "region"), ("ons_code", "alternative_names")
    )
    councils = []
    names: dict[str, int] = {}
    slugs: dict[str, int] = {}
    for row in rows:
        name = problems.check(row, "name", _text(Council, "name"))
        slug = problems.check(row, "slug", lambda text: _max_length(Council, "slug")(_slug(text)))
        council_type = problems.check(row, "type", _choice(CouncilType.values, "a council type"))
        region = problems.check(row, "region", _text(Region, "name"))
        ons_code = problems.check(row, "ons_code", _ons_code)
        alternatives = [part.strip() for part in row["alternative_names"].split(";")]
        alternatives = [part for part in alternatives if part]
        if name is not None:
            problems.unique(names, normalise(name), row, "name", "the council name", name)
        if slug is not None:
            problems.unique(slugs, slug, row, "slug", "the slug")
        councils.append((row, name, slug, council_type, region, ons_code, alternatives))
    for row, *_, alternatives in councils:
        for alternative in alternatives:
            other = names.get(normalise(alternative))
            if other is not None and other != row.line:
                problems.add(
                    row.line,
                    "alternative_names",
                    f"{alternative!r} is the name of the council on line {other}",
                )
    problems.raise_if_any()

    counts = {"regions": Counts(), "councils": Counts()}
    regions: dict[str, Region] = {}
    for _row, name, slug, council_type, region_name, ons_code, alternatives in councils:
        if region_name not in regions:
            region, outcome = _upsert(Region, {"name": region_name}, {"slug": slugify(region_name)})
            regions[region_name] = region
            counts["regions"].add(outcome)
        _, outcome = _upsert(
            Council,
            {"slug": slug},
            {
                "name": name,
                "council_type": council_type,
                "region_id": regions[region_name].pk,
                "ons_code": ons_code,
                "alternative_names": alternatives,
            },
        )
        counts["councils"].add(outcome)
    return counts


def _ons_code(text: str) -> str:
    if text and not _ONS_CODE.match(text):
        raise ValueError(
            f"{text!r} is not an ONS or GSS code (up to 9 capital letters and digits, "
            "e.g. E09000001); leave it empty if unknown"
        )
    return text


@transaction.atomic
def load_domains_and_standards() -> dict[str, Counts]:
    """The domains of ``domains.csv`` and the standards of ``standards.csv``."""
    rows, problems = _read(DOMAINS_FILE, ("slug", "name"), ("order", "description"))
    domains = []
    slugs: dict[str, int] = {}
    names: dict[str, int] = {}
    for row in rows:
        slug = problems.check(row, "slug", lambda text: _max_length(Domain, "slug")(_slug(text)))
        name = problems.check(row, "name", _text(Domain, "name"))
        order = problems.check(row, "order", _order)
        if slug is not None:
            problems.unique(slugs, slug, row, "slug", "the slug")
        if name is not None:
            problems.unique(names, name, row, "name", "the name")
        domains.append((slug, name, order, row["description"]))
    problems.raise_if_any()

    rows, problems = _read(STANDARDS_FILE, ("domain", "code", "title"), ("description", "order"))
    known = set(slugs) | set(Domain.objects.values_list("slug", flat=True))
    standards = []
    codes: dict[str, int] = {}
    for row in rows:
        domain = problems.check(row, "domain", _choice(sorted(known), "a domain"))
        code = problems.check(row, "code", _text(Standard, "code"))
        title = problems.check(row, "title", _text(Standard, "title"))
        order = problems.check(row, "order", _order)
        if code is not None:
            problems.unique(codes, code, row, "code", "the code")
        standards.append((domain, code, title, row["description"], order))
    problems.raise_if_any()

    counts = {"domains": Counts(), "standards": Counts()}
    for slug, name, order, description in domains:
        _, outcome = _upsert(
            Domain, {"slug": slug}, {"name": name, "order": order, "description": description}
        )
        counts["domains"].add(outcome)
    domain_ids = dict(Domain.objects.values_list("slug", "pk"))
    for domain, code, title, description, order in standards:
        _, outcome = _upsert(
            Standard,
            {"code": code},
            {
                "domain_id": domain_ids[domain],
                "title": title,
                "description": description,
                "order": order,
            },
        )
        counts["standards"].add(outcome)
    return counts


@transaction.atomic
def load_indicators() -> dict[str, Counts]:
    """The indicators of ``indicators.csv`` and the key-indicator caps of
    ``key-indicator-caps.csv``. The domains must be loaded first."""
    rows, problems = _read(
        INDICATORS_FILE,
        ("code", "title", "domain", "unit", "polarity"),
        ("band_thresholds", "description", "source", "order"),
    )
    domain_ids = dict(Domain.objects.values_list("slug", "pk"))
    indicators = []
    codes: dict[str, int] = {}
    for row in rows:
        code = problems.check(row, "code", _text(Indicator, "code"))
        title = problems.check(row, "title", _text(Indicator, "title"))
        domain = problems.check(
            row,
            "domain",
            _choice(sorted(domain_ids), "a domain loaded from domains.csv"),
        )
        unit = problems.check(row, "unit", _text(Indicator, "unit"))
        polarity = problems.check(row, "polarity", _choice(Polarity.values, "a polarity"))
        thresholds = problems.check(row, "band_thresholds", _band_thresholds)
        order = problems.check(row, "order", _order)
        if code is not None:
            problems.unique(codes, code, row, "code", "the code")
        indicators.append(
            (
                code,
                title,
                domain,
                unit,
                polarity,
                thresholds,
                row["description"],
                row["source"],
                order,
            )
        )
    problems.raise_if_any()

    rows, problems = _read(
        CAPS_FILE,
        ("indicator", "methodology_version", "service", "maximum", "threshold"),
        ("note",),
    )
    known_codes = set(codes) | set(Indicator.objects.values_list("code", flat=True))
    versions = list(rules.methodology_versions())
    caps = []
    keys: dict[tuple[str, str], int] = {}
    for row in rows:
        code = problems.check(row, "indicator", _choice(sorted(known_codes), "an indicator code"))
        version = problems.check(
            row, "methodology_version", _choice(versions, "a methodology version")
        )
        service = problems.check(row, "service", _choice(rules.SERVICES, "a service"))
        maximum = problems.check(
            row, "maximum", _choice(rules.SERVING_LEVELS, "a 'serving people well' judgement")
        )
        threshold = problems.check(row, "threshold", _threshold)
        if code is not None and version is not None:
            problems.unique(keys, (code, version), row, "indicator", "the cap", f"{code} {version}")
        caps.append((code, version, service, maximum, threshold, row["note"]))
    problems.raise_if_any()

    counts = {"indicators": Counts(), "key_indicator_caps": Counts()}
    for code, title, domain, unit, polarity, thresholds, description, source, order in indicators:
        _, outcome = _upsert(
            Indicator,
            {"code": code},
            {
                "title": title,
                "domain_id": domain_ids[domain],
                "unit": unit,
                "polarity": polarity,
                "band_thresholds": thresholds,
                "description": description,
                "source": source,
                "order": order,
            },
        )
        counts["indicators"].add(outcome)
    indicator_ids = dict(Indicator.objects.values_list("code", "pk"))
    for code, version, service, maximum, threshold, note in caps:
        _, outcome = _upsert(
            KeyIndicatorCap,
            {"indicator_id": indicator_ids[code], "methodology_version": version},
            {"service": service, "maximum": maximum, "threshold": threshold, "note": note},
        )
        counts["key_indicator_caps"].add(outcome)
    return counts


@transaction.atomic
def load_groups() -> dict[str, Counts]:
    """The group definitions of ``groups.csv`` (not their members)."""
    rows, problems = _read(GROUPS_FILE, ("slug", "name"), ("description",))
    groups = []
    slugs: dict[str, int] = {}
    names: dict[str, int] = {}
    for row in rows:
        slug = problems.check(row, "slug", lambda text: _max_length(Group, "slug")(_slug(text)))
        name = problems.check(row, "name", _text(Group, "name"))
        if slug is not None:
            problems.unique(slugs, slug, row, "slug", "the slug")
        if name is not None:
            problems.unique(names, name, row, "name", "the name")
        groups.append((slug, name, row["description"]))
    problems.raise_if_any()

    counts = {"groups": Counts()}
    for slug, name, description in groups:
        _, outcome = _upsert(Group, {"slug": slug}, {"name": name, "description": description})
        counts["groups"].add(outcome)
    return counts


def _optional(parse: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: parse(text) if text else ""


def _special_measures(text: str) -> str:
    if text:
        vocabulary.parse_special_measures(text)
    return _max_length(PublishedFact, "special_measures")(text)


@transaction.atomic
def load_published_facts() -> dict[str, Counts]:
    """The published rating facts of ``known-ratings.csv``, verbatim with their sources.

    Stars are 0-3 or "not rated"; empty judgements are unknown and stay empty. The round
    label, the special measures cell and the source are kept as written. The councils must
    be loaded first.
    """
    rows, problems = _read(
        PUBLISHED_FACTS_FILE,
        ("council", "year", "source"),
        ("round", "stars", *JUDGEMENT_COLUMNS, "special_measures"),
    )
    matcher = CouncilMatcher()
    facts = []
    keys: dict[tuple[int, int, str], int] = {}
    for row in rows:
        council = problems.check(row, "council", lambda text: _council(matcher, text))
        year = problems.check(
            row,
            "year",
            lambda text: vocabulary.parse_whole_number(
                _required(text), minimum=2000, maximum=2100, what="a year"
            ),
        )
        round_label = problems.check(
            row, "round", _text(PublishedFact, "round_label", required=False)
        )
        stars = problems.check(row, "stars", vocabulary.parse_stars)
        judgements = {
            column: problems.check(
                row, column, _optional(lambda text, c=column: vocabulary.parse_judgement(c, text))
            )
            for column in JUDGEMENT_COLUMNS
        }
        special_measures = problems.check(row, "special_measures", _special_measures)
        source = problems.check(row, "source", _required)
        if council is not None and year is not None and round_label is not None:
            problems.unique(
                keys,
                (council.pk, year, round_label),
                row,
                "council",
                "the fact for",
                " ".join(str(part) for part in (council.name, year, round_label) if part),
            )
        facts.append((council, year, round_label, stars, judgements, special_measures, source))
    problems.raise_if_any()

    counts = {"published_facts": Counts()}
    for council, year, round_label, stars, judgements, special_measures, source in facts:
        not_rated = stars == vocabulary.NOT_RATED
        _, outcome = _upsert(
            PublishedFact,
            {"council_id": council.pk, "year": year, "round_label": round_label},
            {
                "stars": None if not_rated else stars,
                "not_rated": not_rated,
                **judgements,
                "special_measures": special_measures,
                "source": source,
            },
        )
        counts["published_facts"].add(outcome)
    return counts


def _council(matcher: CouncilMatcher, text: str) -> Council:
    try:
        return matcher.find(_required(text))
    except CouncilNotFound as error:
        raise ValueError(str(error)) from None


@transaction.atomic
def load_reference_data(stdout=None) -> dict[str, Counts]:
    """Load every reference data file, in order, in one transaction; say what was done on
    ``stdout`` (any object with ``write``) if given. Returns the counts by kind of row."""
    counts: dict[str, Counts] = {}
    for load in (
        load_councils,
        load_domains_and_standards,
        load_indicators,
        load_groups,
        load_published_facts,
    ):
        done = load()
        _report(stdout, done)
        counts.update(done)
    return counts
