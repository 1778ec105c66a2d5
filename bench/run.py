"""Benchmark the public pages and the API at 150 and 15,000 councils.

    python bench/run.py                      # SQLite and PostgreSQL (if it answers)
    python bench/run.py --databases sqlite   # one of them
    python bench/run.py --sizes 150          # quicker

For each database and size, a fresh database is migrated and filled with a synthetic
dataset (N councils x 5 published rounds, every round marked as sample), then each page is
requested through Django's test client in-process, so the figures are server time: URL
routing, queries, rendering, middleware; no network. p50 and p95 over --requests requests
after a warm-up, with the page cache cleared before each request (a cache hit would measure
nothing). Writes bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.md"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench")
BASELINE = "/robots.txt (baseline)"
MATERIALISED = "summary, figures worked out ahead"
TARGETS = {
    ("league table", 150): 25,
    ("league table", 15000): 60,
    # Issue 12: the summary at 15,000 councils p50 <= 60 ms (figures worked out ahead).
    (MATERIALISED, 15000): 60,
    ("API summary, figures worked out ahead", 15000): 60,
}


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}"
    return POSTGRES_URL


def reset_database(kind: str) -> None:
    if kind == "sqlite":
        (ROOT / "bench" / "bench.sqlite3").unlink(missing_ok=True)
        return
    import psycopg

    admin_url = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    name = POSTGRES_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def measure_one(kind: str, size: int, requests: int) -> list[tuple[str, float, float]]:
    """Run in a child process with its own DATABASE_URL; return (page, p50, p95) in ms."""
    reset_database(kind)
    env = {**os.environ, "DATABASE_URL": database_url(kind), "DEBUG": "0"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.test_settings")
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(size), "--requests", str(requests)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = []
    for line in output.splitlines():
        if line.startswith("RESULT\t"):
            _, page, p50, p95 = line.split("\t")
            rows.append((page, float(p50), float(p95)))
    return rows


def child(size: int, requests: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from ratings import materialised
    from ratings.models import AssessmentRound

    call_command("migrate", verbosity=0)
    call_command("load_portal_data", "--no-sample", verbosity=0)
    slug = fill(size)

    client = Client()
    pages = {
        # The baseline, measured in the same run: a bare view through the whole
        # middleware stack, so each page's figure can be stated as a ratio to it.
        BASELINE: "/robots.txt",
        "league table": "/ratings/2006/",
        "council page": f"/councils/{slug}/",
        # Issue 13-14: the council's feed and badge, and the release calendar.
        "council feed": f"/councils/{slug}/feed.atom",
        "council badge": f"/councils/{slug}/badge.svg",
        "release calendar": "/ratings/upcoming/",
        "summary": "/ratings/2006/summary/",
        # As after a lift: the page not cached, its figures worked out ahead (ADR 9).
        MATERIALISED: "/ratings/2006/summary/",
        "API summary, figures worked out ahead": "/api/rounds/2006/summary/",
        "API ratings list": "/api/rounds/2006/ratings/",
        "record page": "/record/",
    }
    for page, url in pages.items():
        timings = []
        for attempt in range(requests + 3):
            cache.clear()
            if "figures worked out ahead" in page:
                materialised.national_summary(AssessmentRound.objects.get(year=2006))
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if attempt >= 3:  # warm-up
                timings.append(elapsed)
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        print(f"RESULT\t{page}\t{statistics.median(timings):.1f}\t{p95:.1f}")


def fill(size: int) -> str:
    """N synthetic councils rated in five published rounds (2002-2006), all marked sample."""
    from django.db import transaction

    from ratings import rules
    from ratings.models import (
        AssessmentRound,
        Council,
        CouncilType,
        Rating,
        Region,
        RoundStatus,
        ServiceJudgement,
    )

    rng = random.Random(2004)
    regions = list(Region.objects.all())
    types = list(CouncilType.values)
    table = list(rules.star_table("2005").items())
    with transaction.atomic():
        Council.objects.all().delete()
        councils = Council.objects.bulk_create(
            Council(
                name=f"Synthetic council {n:05d}",
                slug=f"synthetic-council-{n:05d}",
                council_type=types[n % len(types)],
                region=regions[n % len(regions)],
            )
            for n in range(size)
        )
        for year in range(2002, 2007):
            round = AssessmentRound.objects.create(
                year=year,
                title=f"Synthetic round {year}",
                methodology_version="2005",
                status=RoundStatus.SCHEDULED,
                publication_at=dt.datetime(year, 11, 18, tzinfo=dt.UTC),
                is_sample=True,
            )
            picks = [rng.choice(table) for _ in councils]
            ratings = Rating.objects.bulk_create(
                Rating(
                    round=round,
                    council=council,
                    stars=stars,
                    reasons=list(rules.rate(judgements, methodology="2005").reasons),
                    on_special_measures=stars == 0,
                )
                for council, (judgements, stars) in zip(councils, picks, strict=True)
            )
            ServiceJudgement.objects.bulk_create(
                ServiceJudgement(
                    rating=rating,
                    service=service,
                    serving=judgements.serving(service),
                    prospects=judgements.prospects(service),
                )
                for rating, (judgements, _) in zip(ratings, picks, strict=True)
                for service in rules.SERVICES
            )
    return councils[size // 2].slug


def postgres_answers() -> bool:
    try:
        import psycopg

        psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="150,15000")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.requests)
        return

    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today():%-d %B %Y} by `python bench/run.py` on this machine "
        f"({os.cpu_count()} cores); server time through Django's test client, page cache "
        f"cleared before every request, {args.requests} requests after 3 warm-up requests. "
        "The league table paginates at 200 rows, so the 15,000-council figure is one page.",
        "",
        "| database | councils | page | p50 (ms) | p95 (ms) | p50 / baseline "
        "| target p50 (ms) | met |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for kind in args.databases.split(","):
        if kind == "postgresql" and not postgres_answers():
            lines.append(f"| {kind} | – | not measured: no server at {POSTGRES_URL} | | | | | |")
            continue
        for size in map(int, args.sizes.split(",")):
            print(f"{kind}, {size} councils ...", flush=True)
            rows = measure_one(kind, size, args.requests)
            baseline = next(p50 for page, p50, _ in rows if page == BASELINE)
            for page, p50, p95 in rows:
                target = TARGETS.get((page, size))
                met = "" if target is None else ("yes" if p50 <= target else "**no**")
                lines.append(
                    f"| {kind} | {size:,} | {page} | {p50:.1f} | {p95:.1f} | "
                    f"{p50 / baseline:.1f}× | {target if target is not None else ''} | {met} |"
                )
    RESULTS.write_text("\n".join(lines) + "\n" + kept_sections())
    print(RESULTS.read_text())


def kept_sections() -> str:
    """Sections other tools write into results.md between <!-- name --> and <!-- /name -->
    markers (bench/reports.py's <!-- reports -->), kept as they are."""
    if not RESULTS.exists():
        return ""
    found = re.finditer(r"<!-- (\w+) -->.*?<!-- /\1 -->", RESULTS.read_text(), flags=re.S)
    return "".join(f"\n{match.group(0)}\n" for match in found)


if __name__ == "__main__":
    main()
