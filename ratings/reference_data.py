"""The reference data bundled in ``ratings/data/`` and its loader.

The files (described in ``ratings/data/README.md``):

- ``councils.csv``: the 150 councils with social services responsibilities; their regions
  are created from it;
- ``domains.csv`` and ``standards.csv``: the three domains of the assessment framework and
  the standards under each;
- ``indicators.csv`` and ``key-indicator-caps.csv``: the performance indicators and, per
  methodology version, the key indicators whose failure caps a service's judgement;
- ``groups.csv``: named groups of councils (memberships are loaded elsewhere);
- ``known-ratings.csv``: real published rating facts, kept verbatim as ``PublishedFact``;
- ``published-figures.csv``: real published national figures, kept verbatim as
  ``PublishedFigure`` (``ratings.record`` checks the portal's figures against them).
- ``more-facts-2002-2008.csv``: rating facts found later, with their quotes and doubts
  (read by :mod:`ratings.later_facts`; only the rows of the portal's rounds, 2002-2005).

Every loader is idempotent: rows are matched on their natural key (a council's slug, an
indicator's code, a cap's indicator and methodology version, ...), created if missing and
updated only where a value differs, so loading twice changes nothing the second time.
Nothing is ever deleted: rows added in the admin survive a reload. Each loader returns what
it did as :class:`Counts` per kind of row.

A file is checked completely before anything from it is written. A bad file raises
:class:`ReferenceDataError`, which names the file and gives every problem with its line and
column; :func:`load_reference_data` runs in one transaction, so then nothing is written at
all. Files are read relative to this module, never from anywhere else.

The loaders are here; reading a file (on the imports' shared reading) and writing its rows
are in :mod:`ratings.imports.reference_files`, the cells' parsers in
:mod:`ratings.imports.reference_cells`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from . import later_facts, rules, vocabulary
from .councils import CouncilMatcher, normalise
from .imports import JUDGEMENT_COLUMNS
from .imports import reference_cells as cells
from .imports.reference_files import Counts, Problems, Row, read, report, upsert
from .imports.reference_files import ReferenceDataError as ReferenceDataError  # for callers
from .models import (
    Council,
    CouncilType,
    Domain,
    Group,
    Indicator,
    KeyIndicatorCap,
    Polarity,
    PublishedFact,
    PublishedFigure,
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
PUBLISHED_FIGURES_FILE = "published-figures.csv"
LATER_FACTS_FILE = later_facts.LATER_FACTS_FILE


def _read(
    file: str, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[list[Row], Problems]:
    # DATA_DIR is read at each call, so that it can be pointed at a copy (as the tests do).
    return read(DATA_DIR / file, required, optional)


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
        name = problems.check(row, "name", cells.field_text(Council, "name"))
        slug = problems.check(row, "slug", cells.slug_of(Council))
        council_type = problems.check(
            row, "type", cells.one_of(CouncilType.values, "a council type")
        )
        region = problems.check(row, "region", cells.field_text(Region, "name"))
        ons_code = problems.check(row, "ons_code", cells.ons_code)
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
            region, outcome = upsert(Region, {"name": region_name}, {"slug": slugify(region_name)})
            regions[region_name] = region
            counts["regions"].add(outcome)
        _, outcome = upsert(
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


@transaction.atomic
def load_domains_and_standards() -> dict[str, Counts]:
    """The domains of ``domains.csv`` and the standards of ``standards.csv``."""
    rows, problems = _read(DOMAINS_FILE, ("slug", "name"), ("order", "description"))
    domains = []
    slugs: dict[str, int] = {}
    names: dict[str, int] = {}
    for row in rows:
        slug = problems.check(row, "slug", cells.slug_of(Domain))
        name = problems.check(row, "name", cells.field_text(Domain, "name"))
        order = problems.check(row, "order", cells.order)
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
        domain = problems.check(row, "domain", cells.one_of(sorted(known), "a domain"))
        code = problems.check(row, "code", cells.field_text(Standard, "code"))
        title = problems.check(row, "title", cells.field_text(Standard, "title"))
        order = problems.check(row, "order", cells.order)
        if code is not None:
            problems.unique(codes, code, row, "code", "the code")
        standards.append((domain, code, title, row["description"], order))
    problems.raise_if_any()

    counts = {"domains": Counts(), "standards": Counts()}
    for slug, name, order, description in domains:
        _, outcome = upsert(
            Domain, {"slug": slug}, {"name": name, "order": order, "description": description}
        )
        counts["domains"].add(outcome)
    domain_ids = dict(Domain.objects.values_list("slug", "pk"))
    for domain, code, title, description, order in standards:
        _, outcome = upsert(
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
        code = problems.check(row, "code", cells.field_text(Indicator, "code"))
        title = problems.check(row, "title", cells.field_text(Indicator, "title"))
        domain = problems.check(
            row,
            "domain",
            cells.one_of(sorted(domain_ids), "a domain loaded from domains.csv"),
        )
        unit = problems.check(row, "unit", cells.field_text(Indicator, "unit"))
        polarity = problems.check(row, "polarity", cells.one_of(Polarity.values, "a polarity"))
        thresholds = problems.check(row, "band_thresholds", cells.band_thresholds)
        order = problems.check(row, "order", cells.order)
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
        code = problems.check(
            row, "indicator", cells.one_of(sorted(known_codes), "an indicator code")
        )
        version = problems.check(
            row, "methodology_version", cells.one_of(versions, "a methodology version")
        )
        service = problems.check(row, "service", cells.one_of(rules.SERVICES, "a service"))
        maximum = problems.check(
            row, "maximum", cells.one_of(rules.SERVING_LEVELS, "a 'serving people well' judgement")
        )
        threshold = problems.check(row, "threshold", cells.threshold)
        if code is not None and version is not None:
            problems.unique(keys, (code, version), row, "indicator", "the cap", f"{code} {version}")
        caps.append((code, version, service, maximum, threshold, row["note"]))
    problems.raise_if_any()

    counts = {"indicators": Counts(), "key_indicator_caps": Counts()}
    for code, title, domain, unit, polarity, thresholds, description, source, order in indicators:
        _, outcome = upsert(
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
        _, outcome = upsert(
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
        slug = problems.check(row, "slug", cells.slug_of(Group))
        name = problems.check(row, "name", cells.field_text(Group, "name"))
        if slug is not None:
            problems.unique(slugs, slug, row, "slug", "the slug")
        if name is not None:
            problems.unique(names, name, row, "name", "the name")
        groups.append((slug, name, row["description"]))
    problems.raise_if_any()

    counts = {"groups": Counts()}
    for slug, name, description in groups:
        _, outcome = upsert(Group, {"slug": slug}, {"name": name, "description": description})
        counts["groups"].add(outcome)
    return counts


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
        council = problems.check(row, "council", lambda text: cells.council(matcher, text))
        year = problems.check(
            row,
            "year",
            lambda text: vocabulary.parse_whole_number(
                cells.present(text), minimum=2000, maximum=2100, what="a year"
            ),
        )
        round_label = problems.check(
            row, "round", cells.field_text(PublishedFact, "round_label", required=False)
        )
        stars = problems.check(row, "stars", vocabulary.parse_stars)
        judgements = {
            column: problems.check(
                row,
                column,
                cells.optional(lambda text, c=column: vocabulary.parse_judgement(c, text)),
            )
            for column in JUDGEMENT_COLUMNS
        }
        special_measures = problems.check(row, "special_measures", cells.special_measures)
        source = problems.check(row, "source", cells.present)
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
        _, outcome = upsert(
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


_PUBLICATION = re.compile(r"(20[0-9]{2})(-[01][0-9](-[0-3][0-9])?)?")


def _publication(text: str) -> str:
    if not _PUBLICATION.fullmatch(text):
        raise ValueError(f"{text!r} is not a date like 2004-11-18, 2002-11 or 2003")
    return text


@transaction.atomic
def load_published_figures() -> dict[str, Counts]:
    """The published national figures of ``published-figures.csv``, verbatim with their
    sources. Each figure must be one the portal knows how to compute, and its value a
    number, a range or council names as that figure needs."""
    from . import record  # the figures' vocabulary lives with the checks that read it

    rows, problems = _read(
        PUBLISHED_FIGURES_FILE, ("publication", "figure", "value", "source"), ("note",)
    )
    figures = []
    keys: dict[tuple[str, str], int] = {}
    for row in rows:
        publication = problems.check(row, "publication", _publication)
        kind = problems.check(row, "figure", lambda text: record.figure_kind(text)[0])
        if kind is not None:
            problems.check(row, "value", lambda text, k=kind: record.parse_value(k.kind, text))
        source = problems.check(row, "source", cells.present)
        if publication is not None and kind is not None:
            problems.unique(
                keys, (publication, row["figure"]), row, "figure", "the figure", row["figure"]
            )
        figures.append((publication, row["figure"], row["value"], source, row["note"]))
    problems.raise_if_any()

    counts = {"published_figures": Counts()}
    for publication, figure, value, source, note in figures:
        _, outcome = upsert(
            PublishedFigure,
            {"publication": publication, "figure": figure},
            {"year": int(publication[:4]), "value": value, "source": source, "note": note},
        )
        counts["published_figures"].add(outcome)
    return counts


@transaction.atomic
def load_later_facts() -> dict[str, Counts]:
    """The 2002-2005 facts of ``more-facts-2002-2008.csv``, with their quotes and doubts.

    A fact that contradicts one of ``known-ratings.csv`` is kept as found, with the
    conflict and which fact the portal follows in its ``conflict`` field. The published
    facts must be loaded first.
    """
    problems = Problems(LATER_FACTS_FILE)
    try:
        found = later_facts.read_later_facts(DATA_DIR / LATER_FACTS_FILE)
    except (OSError, ValueError) as error:
        problems.add(None, None, str(error))
        problems.raise_if_any()
    known, _ = _read(
        PUBLISHED_FACTS_FILE,
        ("council", "year", "source"),
        ("round", "stars", *JUDGEMENT_COLUMNS, "special_measures"),
    )
    matcher = CouncilMatcher()

    def council_of(text: str) -> str | None:
        council = matcher.get(text)
        return council.name if council else None

    facts = []
    for fact in found:
        council = matcher.get(fact.council)
        if council is None:
            problems.add(fact.line, "council", f"{fact.council!r} is not a council")
            continue
        other = later_facts.conflicting_known_fact(fact, [r.cells for r in known], council_of)
        conflict = later_facts.conflict_text(fact, other) if other else ""
        if fact.conflict and not conflict:
            problems.add(
                fact.line, "stars", "is marked CONFLICT but no fact in known-ratings.csv differs"
            )
        facts.append((council, fact, conflict))
    problems.raise_if_any()

    counts = {"later_published_facts": Counts()}
    for council, fact, conflict in facts:
        _, outcome = upsert(
            PublishedFact,
            {
                "council_id": council.pk,
                "year": fact.year,
                "round_label": "",
                "source_file": LATER_FACTS_FILE,
            },
            {
                "stars": fact.stars,
                "not_rated": False,
                **{column: fact.judgements.get(column, "") for column in JUDGEMENT_COLUMNS},
                "special_measures": "",
                "source": fact.source,
                "quote": fact.quote,
                "doubt": "; ".join(fact.doubt),
                "conflict": conflict,
            },
        )
        counts["later_published_facts"].add(outcome)
    return counts


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
        load_published_figures,
        load_later_facts,
    ):
        done = load()
        report(stdout, done)
        counts.update(done)
    return counts
