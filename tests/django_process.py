"""Django run in another process, with only the environment a test gives it: for settings
that are read once, when the settings module is imported."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

# The environment of a production start (DEBUG off) that needs no server.
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "s" * 50, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}


def manage(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        check=False,
    )
