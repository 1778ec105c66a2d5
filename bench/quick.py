"""Time one page quickly while working on it (bench/run.py gives the published figures).

    python bench/quick.py --database sqlite --size 150            # fills once, then reuses
    python bench/quick.py --database postgresql --size 15000 --url "/ratings/2006/?sort=-stars"
    python bench/quick.py ... --profile                           # cProfile one request

The database is filled by bench/run.py's ``fill`` the first time (SQLite in /tmp, a
PostgreSQL database named quick<size>) and reused afterwards; --refill starts again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--size", type=int, default=150)
    parser.add_argument("--url", default="/ratings/2006/")
    parser.add_argument("--requests", type=int, default=21)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sql", action="store_true", help="print each query and its time")
    args = parser.parse_args()

    if args.database == "sqlite":
        path = Path(f"/tmp/quick-{args.size}.sqlite3")
        if args.refill:
            path.unlink(missing_ok=True)
        url, fresh = f"sqlite:///{path}", not path.exists()
    else:
        import psycopg

        name = f"quick{args.size}"
        admin = POSTGRES.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if args.refill and exists:
                connection.execute(f'DROP DATABASE "{name}"')
                exists = None
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
        url, fresh = POSTGRES.rsplit("/", 1)[0] + "/" + name, not exists
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.test_settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    if fresh:
        sys.path.insert(0, str(ROOT / "bench"))
        from run import fill

        call_command("migrate", verbosity=0)
        call_command("load_portal_data", "--no-sample", verbosity=0)
        fill(args.size)
        if args.database == "postgresql":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    client = Client()
    for _ in range(3):
        cache.clear()
        assert client.get(args.url).status_code == 200
    if args.sql:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(args.url)
        for query in queries:
            print(f"{float(query['time']) * 1000:7.1f} ms  {query['sql'][:3000]}\n")
    if args.profile:
        import cProfile
        import pstats

        cache.clear()
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(args.url)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        return
    timings = []
    for _ in range(args.requests):
        cache.clear()
        start = time.perf_counter()
        response = client.get(args.url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    print(
        f"{args.database} {args.size} {args.url}: p50 {statistics.median(timings):.1f} ms "
        f"min {timings[0]:.1f} max {timings[-1]:.1f}"
    )


if __name__ == "__main__":
    main()
