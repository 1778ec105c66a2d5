"""Benchmark the performance reports against the reports issue's targets.

    python bench/reports.py            # about 5 minutes on 2 cores

On a fresh SQLite database with the bundled data (150 councils, the 2004 sample round):

1. Cold render: a council report assembled and rendered to PDF in a new process, timed
   twice: the first report of the process (WeasyPrint loaded on the way), and a report
   after ``rendering.warm_up()`` (as the worker does before building), each for 5
   councils; target ≤ 1.5 s.
2. Serving: a prebuilt council PDF through its download URL against a static file of the
   same size, both from the same gunicorn server over HTTP (one worker), 500 requests
   each, taken in turn, after a warm-up; target: p50 within 2x the static file's.
3. Building: `manage.py build_reports --year 2004` in a new process (every council PDF,
   the national PDF and the ZIP), with its wall time and peak memory (maximum resident set
   size); targets ≤ 3 minutes and < 500 MB.

Writes its section of bench/results.md (between the `<!-- reports -->` markers).
"""

from __future__ import annotations

import http.client
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.md"
START, END = "<!-- reports -->", "<!-- /reports -->"
PYTHON = sys.executable


def env(work: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'reports.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_LOCATION": str(work / "cache"),
        "REPORTS_BUILD_ON_PUBLICATION": "0",
    }


def manage(work: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env(work),
        check=True,
        capture_output=True,
        text=True,
    )


COLD = """
import os, statistics, sys, time
import django
django.setup()
from ratings.models import AssessmentRound, Council
from reports import assembly, rendering
round = AssessmentRound.objects.get(year=2004)
slugs = ["walsall", "devon", "ealing", "leeds", "cornwall", "sefton"]
def one(slug):
    start = time.perf_counter()
    council = Council.objects.get(slug=slug)
    rendering.council_report_pdf(assembly.council_report(council, round))
    return time.perf_counter() - start
mode = sys.argv[1]
if mode == "first":
    print(one(slugs[0]))
else:
    rendering.warm_up()
    print(statistics.median([one(s) for s in slugs[1:]]))
"""


def cold_render(work: Path) -> tuple[float, float]:
    def run(mode: str) -> float:
        output = subprocess.run(
            [PYTHON, "-c", COLD, mode],
            cwd=ROOT,
            env=env(work),
            check=True,
            capture_output=True,
            text=True,
        )
        return float(output.stdout.strip().splitlines()[-1])

    first = statistics.median([run("first") for _ in range(3)])
    warmed = run("warm")
    return first, warmed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_gets(port: int, paths: list[str], count: int) -> dict[str, list[float]]:
    """``count`` timed GETs of each path, taken in turn (so that both see the same load),
    after 20 untimed rounds."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    timings: dict[str, list[float]] = {path: [] for path in paths}
    for attempt in range(count + 20):
        for path in paths:
            start = time.perf_counter()
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status == 200, (path, response.status, body[:200])
            if attempt >= 20:
                timings[path].append(elapsed)
    connection.close()
    return timings


def serving(work: Path) -> tuple[float, float, int]:
    """p50 (ms) of the prebuilt PDF and of a same-size static file, and the size."""
    manage(work, "build_reports", "--year", "2004", "--no-progress")
    from_media = next((work / "media" / "reports" / "2004").glob("walsall-2004-*.pdf"))
    # Into STATIC_ROOT (collected above), where WhiteNoise finds it when the server starts.
    static_copy = ROOT / "staticfiles" / "bench-same-size.pdf"
    shutil.copy(from_media, static_copy)
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env(work),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        pdf_path, static_path = "/councils/walsall/2004/report.pdf", "/static/bench-same-size.pdf"
        timings = timed_gets(port, [pdf_path, static_path], 500)
        pdf, static = timings[pdf_path], timings[static_path]
    finally:
        server.terminate()
        server.wait()
        static_copy.unlink(missing_ok=True)
    return statistics.median(pdf), statistics.median(static), from_media.stat().st_size


def build_all(work: Path) -> tuple[float, float]:
    """Wall seconds and peak MB of building every 2004 report in a new process."""
    shutil.rmtree(work / "media", ignore_errors=True)
    manage(
        work,
        "shell",
        "-c",
        "from reports.models import BuiltReport; BuiltReport.objects.all().delete()",
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    manage(work, "build_reports", "--year", "2004", "--no-progress")
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is the largest child so far (KB on Linux): the build is the largest.
    return took, max(peak, before) / 1024


def write(rows: list[tuple[str, str, str, str]]) -> None:
    table = [
        START,
        "## Performance reports",
        "",
        f"Measured {time.strftime('%-d %B %Y')} by `python bench/reports.py` on this machine "
        f"({os.cpu_count()} cores), on SQLite with the bundled data (150 councils, 2004).",
        "",
        "| measure | figure | target | met |",
        "| --- | ---: | ---: | --- |",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        END,
    ]
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if START in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1] if END in rest else ""
        text = before + "\n".join(table) + after
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(table) + "\n"
    RESULTS.write_text(text)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    print("loading the bundled data ...", flush=True)
    manage(work, "migrate", "--noinput")
    manage(work, "load_portal_data")
    manage(work, "collectstatic", "--noinput")

    print("cold render ...", flush=True)
    first, warmed = cold_render(work)
    print("building every 2004 report ...", flush=True)
    took, peak = build_all(work)
    print("serving ...", flush=True)
    pdf, static, size = serving(work)

    def met(ok: bool) -> str:
        return "yes" if ok else "**no**"

    rows = [
        (
            "council report, cold render, first of a new process (s)",
            f"{first:.2f}",
            "1.5",
            met(first <= 1.5),
        ),
        (
            "council report, cold render, WeasyPrint loaded (s)",
            f"{warmed:.2f}",
            "1.5",
            met(warmed <= 1.5),
        ),
        (
            f"prebuilt PDF download, p50 ({size // 1024} KB, ms)",
            f"{pdf:.2f}",
            f"{2 * static:.2f} (2x static)",
            met(pdf <= 2 * static),
        ),
        ("static file of the same size, p50 (ms)", f"{static:.2f}", "", ""),
        ("all 150 council reports + national + ZIP (s)", f"{took:.0f}", "180", met(took <= 180)),
        ("peak memory building them (MB)", f"{peak:.0f}", "500", met(peak < 500)),
    ]
    write(rows)
    for row in rows:
        print(" | ".join(row))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
