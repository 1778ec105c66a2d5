"""The data bundled with the portal and how `load_portal_data` loads it.

Reference data (councils, framework, indicators, published facts) comes from
``ratings.reference_data``. The sample rounds, CPA results and group memberships in
``data/sample/`` go through the same import functions an inspectorate uses, so the bundled
data meets every rule real data must meet. Everything here is idempotent.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from . import imports, reference_data, special_measures
from .councils import CouncilMatcher
from .models import AssessmentRound, Group, GroupMembership, PublicationDetail

DATA_DIR = Path(__file__).resolve().parent / "data"
SAMPLE_DIR = DATA_DIR / "sample"
LONDON = ZoneInfo("Europe/London")


SSI = "Social Services Inspectorate"
CSCI = "Commission for Social Care Inspection"


@dataclass(frozen=True)
class SampleRelease:
    """One publication of sample ratings: a round's main release or a later refresh.
    A round's main release names its publisher and where the publication is recorded."""

    year: int
    file: str
    publish_at: dt.datetime
    title: str = ""
    note: str = ""
    publisher: str = ""
    source: str = ""
    source_url: str = ""
    date_shown: str = "day"
    description: str = ""


def _at(year, month, day, hour=9, minute=30) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Publication dates and publishers are the real ones (sources below); the ratings are
# sample data around the published facts. The exact days of the November 2002 refresh
# (reported 19-21 November) and of the November 2003 round (the week of 12 November) are
# not confirmed; the pages show those months only.
SAMPLE_RELEASES = [
    SampleRelease(
        2002,
        "ratings-2002-may.csv",
        _at(2002, 5, 30),
        "Star ratings, May 2002",
        publisher=SSI,
        source="Health Service Journal, 30 May 2002; Community Care, 30 May 2002",
        source_url="https://www.hsj.co.uk/home/social-services-publish-star-ratings/21982.article",
    ),
    SampleRelease(
        2002,
        "ratings-2002-november.csv",
        # Reported by publicnet on 19 November 2002 and by Community Care on 21 November
        # as "last week": published by 19 November; the day itself is not confirmed.
        _at(2002, 11, 19),
        note="Revised November 2002: re-rated in the November 2002 refresh.",
        source="publicnet, 19 November 2002; Community Care, 21 November 2002",
        source_url="http://www.publicnet.co.uk/news/2002/11/19/star-ratings-driving-up-performance/",
        date_shown="month",
        description="the November 2002 refresh: 18 councils re-rated, 12 up and 6 down",
    ),
    SampleRelease(
        2003,
        "ratings-2003.csv",
        _at(2003, 11, 13),
        "Star ratings, November 2003",
        publisher=SSI,
        date_shown="month",
        source="Community Care, 12 November 2003; BBC News, November 2003",
        source_url="https://www.communitycare.co.uk/2003/11/12/new-ratings-reveal-rise-in-standards/",
    ),
    SampleRelease(
        2004,
        "ratings-2004.csv",
        _at(2004, 11, 18),
        "Star ratings, November 2004",
        publisher=CSCI,
        source="BBC News, 18 November 2004; Public Finance, November 2004",
        source_url="http://news.bbc.co.uk/2/hi/uk_news/4019635.stm",
    ),
    SampleRelease(
        2005,
        "ratings-2005.csv",
        _at(2005, 12, 1),
        "Star ratings, December 2005",
        publisher=CSCI,
        source="BBC News, 1 December 2005; Community Care, 30 November 2005",
        source_url="http://news.bbc.co.uk/2/hi/health/4485326.stm",
    ),
]


def _open(path: Path):
    return path.open(newline="", encoding="utf-8")


def _report(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def load_sample_indicator_values(stdout=None) -> None:
    for release in SAMPLE_RELEASES:
        path = SAMPLE_DIR / f"indicator-values-{release.year}.csv"
        if release.title and path.exists():
            with _open(path) as source:
                result = imports.import_indicator_values(source, year=release.year)
            _report(stdout, f"Indicator values {release.year}: {result.summary()}")


def load_sample_ratings(stdout=None) -> None:
    loaded_years = set(
        AssessmentRound.objects.filter(ratings__isnull=False).values_list("year", flat=True)
    )
    for index, release in enumerate(SAMPLE_RELEASES):
        superseded = any(later.year == release.year for later in SAMPLE_RELEASES[index + 1 :])
        if superseded and release.year in loaded_years:
            # Its ratings are revision 1 of a published round, which a later release of the
            # same year revised; importing it again would revise the revision back.
            _report(stdout, f"Ratings {release.file}: already loaded")
            continue
        with _open(SAMPLE_DIR / release.file) as source:
            result = imports.import_ratings(
                source,
                year=release.year,
                publish_at=release.publish_at,
                note=release.note,
                sample=True,
            )
        if release.title:
            described = {
                "title": release.title,
                "publisher": release.publisher,
                "source": release.source,
                "source_url": release.source_url,
            }
            round = AssessmentRound.objects.get(year=release.year)
            changed = [name for name, value in described.items() if getattr(round, name) != value]
            if changed:
                for name in changed:
                    setattr(round, name, described[name])
                round.save(update_fields=changed)
        _report(stdout, f"Ratings {release.file}: {result.summary()}")
    for release in SAMPLE_RELEASES:
        _describe_publication(release)


def _describe_publication(release: SampleRelease) -> None:
    PublicationDetail.objects.update_or_create(
        round=AssessmentRound.objects.get(year=release.year),
        published_at=release.publish_at,
        defaults={
            "date_shown": release.date_shown,
            "description": release.description,
            "source": release.source,
            "source_url": release.source_url,
        },
    )


def load_cpa(stdout=None) -> None:
    """The published CPA facts first, then sample results, which never replace them."""
    with _open(DATA_DIR / "known-cpa.csv") as source:
        result = imports.import_cpa(source)
    _report(stdout, f"Published CPA results: {result.summary()}")
    with _open(SAMPLE_DIR / "cpa.csv") as source:
        result = imports.import_cpa(source, sample=True)
    _report(stdout, f"Sample CPA results: {result.summary()}")


def load_group_memberships(stdout=None) -> int:
    """Group memberships; rows not named by a source are sample data."""
    matcher = CouncilMatcher()
    groups = {group.slug: group for group in Group.objects.all()}
    count = 0
    with _open(SAMPLE_DIR / "group-memberships.csv") as source:
        for line, row in enumerate(csv.DictReader(source), start=2):
            council = matcher.get(row["council"])
            group = groups.get(row["group"])
            if council is None or group is None:
                raise ValueError(
                    f"group-memberships.csv line {line}: unknown council or group "
                    f"{row['council']!r} / {row['group']!r}"
                )
            GroupMembership.objects.update_or_create(
                group=group,
                council=council,
                year=int(row["year"]),
                defaults={
                    "is_sample": row["is_sample"].strip().lower() in {"yes", "true", "1"},
                    "source": row.get("source", "").strip(),
                },
            )
            count += 1
    _report(stdout, f"Group memberships: {count}")
    return count


@transaction.atomic
def load_portal_data(*, sample: bool = True, stdout=None) -> None:
    """Load the reference data and, unless ``sample`` is false, the sample rounds."""
    reference_data.load_reference_data(stdout=stdout)
    _report(stdout, f"Special measures before the first round: {special_measures.load()}")
    if not sample:
        return
    load_sample_indicator_values(stdout)
    load_sample_ratings(stdout)
    load_cpa(stdout)
    load_group_memberships(stdout)
