"""Fill in an nginx template's ${PORTAL_...} placeholders from the environment.

    python deploy/render_nginx.py TEMPLATE OUTPUT

Only ${PORTAL_...} placeholders are touched (nginx's own variables are written $name), and
a placeholder with no value in the environment is an error rather than an empty string:
nginx would otherwise start with, say, no upstream address. docker-compose.yml's nginx
does the same with the official image's envsubst step; make stack uses this, so that it
needs nothing beyond Python.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"\$\{(PORTAL_[A-Z0-9_]+)\}")


def render(template: str, values: dict[str, str]) -> str:
    missing = sorted({name for name in PLACEHOLDER.findall(template) if not values.get(name)})
    if missing:
        raise SystemExit(f"render_nginx: no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit(__doc__)
    template, output = Path(argv[1]), Path(argv[2])
    output.write_text(render(template.read_text(), dict(os.environ)))


if __name__ == "__main__":
    main(sys.argv)
