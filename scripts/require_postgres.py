"""Decide whether the PostgreSQL run of the suite can go ahead.

Exit 0: PostgreSQL answers, run the suite against it. Exit 3: it does not answer and we are
not on CI, so the run is skipped with a loud message. On CI (CI=true) an unreachable
PostgreSQL is a failure (exit 1): the suite must never skip it silently there.
"""

import os
import sys

import psycopg

url = os.environ["TEST_POSTGRES_URL"]
try:
    psycopg.connect(url, connect_timeout=5).close()
except psycopg.OperationalError as error:
    if os.environ.get("CI", "").lower() == "true":
        print(f"PostgreSQL is required on CI and did not answer at {url}: {error}")
        sys.exit(1)
    print(
        f"*** PostgreSQL did not answer at {url}; the PostgreSQL run of the suite was NOT "
        "done. Start PostgreSQL or set TEST_POSTGRES_URL. ***"
    )
    sys.exit(3)
print(f"PostgreSQL answers at {url}: running the suite against it.")
