"""Create the PostgreSQL database a URL names, if it does not exist yet.

    python deploy/create_database.py postgres://postgres@127.0.0.1:5432/portal_stack

Connects to the same server's ``postgres`` maintenance database with the URL's user, as
``createdb`` does. Used by make stack, so that a fresh clone needs no manual step.
"""

from __future__ import annotations

import sys

import dj_database_url
import psycopg
from psycopg import sql


def main(url: str) -> None:
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"create_database: {url!r} is not a PostgreSQL URL")
    name = config["NAME"]
    connection = psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            print(f"database {name} exists")
        else:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"database {name} created")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
