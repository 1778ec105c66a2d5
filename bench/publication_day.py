"""Publication day under load, on the production stack (`make stack`), in one run.

    python bench/publication_day.py        # about 12 minutes on 2 cores; needs root for apt

What it does, in order (the load generator, wrk, runs on the same 2 cores as the stack):

1. Starts the stack afresh on its own PostgreSQL database (`portal_bench`, dropped and
   made again), with an empty Redis database and nginx cache, and builds the 2005
   reports (`build_reports --year 2005`, timed: the "150 reports" target).
2. Baselines, in the same run: `/robots.txt` from one of the stack's gunicorns, and a bare
   Django view (no middleware, bench/bare_wsgi.py) from a gunicorn configured the same
   way. Then, from that gunicorn directly: cached pages (league table, API summary,
   compare) and cold pages (home, summary) from a third gunicorn with the page cache off
   (``PAGE_CACHE_ENABLED=0``; the figures worked out once per publication stay cached,
   as they are after a lift). Each figure is a ratio to `/robots.txt`.
3. Through nginx: the public mix (home 20%, league tables 20%, summaries 10%, council
   pages 35%, PDFs 10%, API 5%) against the bare view's throughput.
4. The lift: a 2006 round (every council) is imported with a publication time a few
   minutes ahead; the worker builds its reports and renders its pages ahead. From 30 s
   before the moment, the 2005 mix runs through nginx with 64 connections, checking that
   no answer shows the 2006 round; at the moment, the 2006 mix runs for 60 s with 64
   connections (errors, p99). A probe asks for `/ratings/2006/` every 100 ms through
   nginx and records when it first answers 200.

Writes its section of bench/results.md (between the `<!-- publicationday -->` markers).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STACK = ROOT / "var" / "stack"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results.md"
LUA = ROOT / "bench" / "publication_day.lua"
DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench"
NGINX = "http://127.0.0.1:8080"
WEB = "http://127.0.0.1:8001"
BARE = "127.0.0.1:8003"
COLD = "127.0.0.1:8004"
YEAR, NEW = 2005, 2006
LEAD = 300  # seconds from the import to the lift: the worker builds and renders meanwhile
SECONDS = 10  # each single-page measurement


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def stack_env() -> dict[str, str]:
    env = dict(os.environ)
    for line in (STACK / "env").read_text().splitlines():
        name, _, value = line.partition("=")
        if name:
            env[name] = value.strip("'")
    return env


def manage(*args: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True, text=True, **kwargs
    )


def get(url: str, timeout: float = 10) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while get(url) != 200:
        if time.monotonic() > deadline:
            raise SystemExit(f"no 200 from {url} after {seconds} s")
        time.sleep(0.3)


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise SystemExit("needs wrk: sudo apt-get install wrk")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)


def fresh_stack() -> dict[str, str]:
    """The stack on an empty database of its own, with empty caches."""
    subprocess.run(["deploy/stack.sh", "stop"], cwd=ROOT, check=True)
    subprocess.run(
        ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
         "DROP DATABASE IF EXISTS portal_bench WITH (FORCE)"],
        check=True,
    )  # fmt: skip
    shutil.rmtree(STACK / "proxy-cache", ignore_errors=True)
    shutil.rmtree(STACK / "media", ignore_errors=True)
    env = {**os.environ, "STACK_DATABASE_URL": DATABASE}
    if (STACK / "env").exists():
        import redis

        redis.Redis.from_url(stack_env()["REDIS_URL"]).flushdb()
    subprocess.run(["deploy/stack.sh", "start"], cwd=ROOT, env=env, check=True)
    return stack_env()


def start_gunicorn(app: str, address: str, env: dict, chdir: Path = ROOT) -> subprocess.Popen:
    process = subprocess.Popen(
        [GUNICORN, app, "--bind", address, "--workers", "2", "--worker-class", "gthread",
         "--threads", "4", "--chdir", str(chdir), "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return process


def wrk(base: str, paths: list[str], seconds: int, connections: int, forbidden: str = "") -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    env = {**os.environ, "PATHS": handle.name, "FORBIDDEN": forbidden}
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA),
         base],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    os.unlink(handle.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    checks = re.search(r"CHECKS (\d+) (\d+) (\d+) (\S+)", output)
    if not forbidden:  # answers not read by the script: wrk's own counts
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        total = int(re.search(r"(\d+) requests in", output).group(1))
        errors = int(non_2xx.group(1)) if non_2xx else 0
        checks = re.match(r"(\d+) (\d+) (\d+) (\S+)", f"{total} {errors} 0 -")
    latency = re.search(r"LATENCY ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "answers": int(checks.group(1)),
        "errors": int(checks.group(2)),
        "leaks": int(checks.group(3)),
        "statuses": checks.group(4),
        "p50": float(latency.group(1)),
        "p90": float(latency.group(2)),
        "p99": float(latency.group(3)),
        "max": float(latency.group(4)),
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
    }


def mix(year: int, slugs: list[str], regions: list[str], size: int = 1000) -> list[str]:
    """The public mix for the latest round ``year``: home 20%, league tables 20%,
    summaries 10%, council pages 35%, PDFs 10%, API 5%."""
    pick = random.Random(year).choice
    league = [f"/ratings/{year}/", f"/ratings/{year}/?o=-stars"] + [
        f"/ratings/{year}/?region={region}" for region in regions
    ]
    parts = [
        (20, lambda: "/"),
        (20, lambda: pick(league)),
        (10, lambda: pick([f"/ratings/{year}/summary/", f"/ratings/{year - 1}/summary/"])),
        (35, lambda: pick([f"/councils/{pick(slugs)}/", f"/councils/{pick(slugs)}/{year}/"])),
        (10, lambda: f"/councils/{pick(slugs)}/{year}/report.pdf"),
        (
            5,
            lambda: pick(
                [f"/api/rounds/{year}/summary/", f"/api/rounds/{year}/ratings/"]
                + [f"/api/councils/{pick(slugs)}/"]
            ),
        ),
    ]
    paths = [make() for share, make in parts for _ in range(size * share // 100)]
    random.Random(year + 1).shuffle(paths)
    return paths


def rated_slugs(year: int, env: dict) -> tuple[list[str], list[str]]:
    output = manage(
        "shell",
        "-c",
        "from ratings.models import Council, Region;"
        f"print(','.join(Council.objects.filter(ratings__round__year={year}).distinct()"
        ".values_list('slug', flat=True)));"
        "print(','.join(Region.objects.values_list('slug', flat=True)))",
        env=env,
        capture_output=True,
    ).stdout.splitlines()
    return output[-2].split(","), output[-1].split(",")


def new_round_file(env: dict) -> str:
    """The 2005 ratings as a 2006 round in which every council is rated."""
    exported = manage("export_ratings", "--year", str(YEAR), env=env, capture_output=True).stdout
    rows = list(csv.reader(io.StringIO(exported)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        if "not rated" in row:
            row = [row[0], "yes", "excellent", "yes", "excellent", "", ""]
        writer.writerow(row)
    path = STACK / "bench-2006.csv"
    path.write_text(out.getvalue())
    return str(path)


def queued_tasks(env: dict) -> int:
    output = manage(
        "shell",
        "-c",
        "from django_tasks_db.models import DBTaskResult;"
        "print(DBTaskResult.objects.filter(status__in=['READY', 'RUNNING']).count())",
        env=env,
        capture_output=True,
    ).stdout
    return int(output.split()[-1])


class Probe(threading.Thread):
    """Asks for the new round's league table every 100 ms; records (time, status)."""

    def __init__(self, until: float):
        super().__init__(daemon=True)
        self.until, self.seen = until, []

    def run(self):
        while time.time() < self.until:
            started = time.time()
            self.seen.append((started, get(f"{NGINX}/ratings/{NEW}/")))
            time.sleep(max(0, 0.1 - (time.time() - started)))


def main() -> None:
    ensure_wrk()
    say("starting the stack on a fresh database")
    env = fresh_stack()
    slugs, regions = rated_slugs(YEAR, env)
    say(f"{len(slugs)} councils rated in {YEAR}; building the {YEAR} reports")
    started = time.perf_counter()
    manage("build_reports", "--year", str(YEAR), env=env, stdout=subprocess.DEVNULL)
    build_seconds = time.perf_counter() - started

    bare = start_gunicorn("bare_wsgi:application", BARE, env, chdir=ROOT / "bench")
    cold = start_gunicorn("portal.wsgi:application", COLD, {**env, "PAGE_CACHE_ENABLED": "0"})
    try:
        wait_for(f"http://{BARE}/")
        wait_for(f"http://{COLD}/readyz")
        compare = "/compare/?councils=" + ",".join(slugs[:3])
        warm = ["/", f"/ratings/{YEAR}/", f"/ratings/{YEAR}/summary/", compare]
        for path in [*warm, f"/api/rounds/{YEAR}/summary/", f"/councils/{slugs[0]}/"]:
            get(WEB + path)  # cached (and the figures worked out) before measuring
            get(f"http://{COLD}{path}")
        say("baselines and single pages, from gunicorn directly")
        single = {
            "/robots.txt (baseline)": (WEB, "/robots.txt"),
            "bare Django view": (f"http://{BARE}", "/"),
            "cached league table": (WEB, f"/ratings/{YEAR}/"),
            "cached API summary": (WEB, f"/api/rounds/{YEAR}/summary/"),
            "cached compare": (WEB, compare),
            "cold home": (f"http://{COLD}", "/"),
            "cold summary": (f"http://{COLD}", f"/ratings/{YEAR}/summary/"),
            "cold council page": (f"http://{COLD}", f"/councils/{slugs[0]}/"),
        }
        measured = {name: wrk(base, [path], SECONDS, 16) for name, (base, path) in single.items()}
    finally:
        cold.terminate()
    robots = measured["/robots.txt (baseline)"]["rps"]
    targets = {
        "cached league table": 0.7,
        "cached API summary": 0.5,
        "cached compare": 0.5,
        "cold home": 0.10,
        "cold summary": 0.10,
    }
    direct = []
    for name, result in measured.items():
        ratio = result["rps"] / robots
        target = targets.get(name)
        direct.append(
            f"| {name} | {result['rps']:,.0f} | {ratio:.2f} | {result['p50']:.1f} | "
            f"{result['p99']:.1f} | {result['errors']} | "
            f"{'' if target is None else f'≥ {target}'} | "
            f"{'' if target is None else ('yes' if ratio >= target else '**no**')} |"
        )

    say("the public mix through nginx")
    before_mix = mix(YEAR, slugs, regions)
    bare_rps = measured["bare Django view"]["rps"]
    try:
        wrk(NGINX, before_mix, 5, 64)  # the proxy cache and the page cache filled
        steady = wrk(NGINX, before_mix, 20, 64)
    finally:
        bare.terminate()

    say(f"importing a {NEW} round to be published in {LEAD} s")
    lift = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=LEAD)).replace(microsecond=0)
    manage(
        "import_ratings", new_round_file(env), "--year", str(NEW), "--methodology", str(YEAR),
        "--publish-at", lift.isoformat(), env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    lift_at = lift.timestamp()
    while queued_tasks(env) and time.time() < lift_at - 35:
        time.sleep(2)
    worker_done = queued_tasks(env) == 0
    left = lift_at - time.time()
    say(f"worker {'done' if worker_done else 'NOT done'} {left:.0f} s before the lift")
    time.sleep(max(0, lift_at - 30 - time.time()))
    probe = Probe(until=lift_at + 5)
    probe.start()
    before = wrk(NGINX, before_mix, int(lift_at - time.time()), 64, forbidden=f"/ratings/{NEW}/")
    time.sleep(max(0, lift_at - time.time()))
    after = wrk(NGINX, mix(NEW, slugs, regions), 60, 64)
    probe.join()
    early = [status for at, status in probe.seen if at < lift_at and status != 404]
    first_200 = next((at for at, status in probe.seen if status == 200), None)

    lines = [
        "<!-- publicationday -->",
        "## Publication day on the production stack (issue 12)",
        "",
        f"Measured {dt.date.today():%-d %B %Y} by `python bench/publication_day.py`, in one run, "
        f"on this machine ({os.cpu_count()} cores, shared with wrk, the load generator): "
        "`make stack` (nginx, two gunicorns of 2 workers × 4 threads, PostgreSQL, Redis, the "
        "worker) on a fresh database with the bundled data. wrk: 2 threads, "
        f"16 connections for {SECONDS} s per single page; 64 for the mixes.",
        "",
        "### From one gunicorn directly, as ratios to `/robots.txt` in the same run",
        "",
        "| page | req/s | / robots.txt | p50 (ms) | p99 (ms) | errors | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        *direct,
        "",
        "Cold pages come from a third gunicorn with the page cache off "
        "(`PAGE_CACHE_ENABLED=0`): each request builds its page; the national summary, "
        "worked out once per publication, stays cached, as after a lift.",
        "",
        "### Through nginx, and the lift",
        "",
        "| run | req/s | p50 (ms) | p99 (ms) | max (ms) | answers | errors | shows 2006 early |"
        " target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        f"| public mix, {YEAR} (20 s) | {steady['rps']:,.0f} ({steady['rps'] / bare_rps:.1f}× "
        f"the bare view) | {steady['p50']:.1f} | {steady['p99']:.1f} | {steady['max']:.0f} | "
        f"{steady['answers']:,} | {steady['errors']} | – | ≥ 3× the bare view | "
        f"{'yes' if steady['rps'] >= 3 * bare_rps else '**no**'} |",
        f"| the 30 s before the lift ({YEAR} mix) | {before['rps']:,.0f} | {before['p50']:.1f} | "
        f"{before['p99']:.1f} | {before['max']:.0f} | {before['answers']:,} | "
        f"{before['errors']} | {before['leaks']} | none early | "
        f"{'yes' if before['leaks'] == 0 and not early else '**no**'} |",
        f"| the minute after the lift ({NEW} mix) | {after['rps']:,.0f} | {after['p50']:.1f} | "
        f"{after['p99']:.1f} | {after['max']:.0f} | {after['answers']:,} | {after['errors']} "
        f"| – | 0 errors, p99 ≤ 500 ms | "
        f"{'yes' if after['errors'] == 0 and after['p99'] <= 500 else '**no**'} |",
        "",
        f"- Building the {YEAR} round's reports (`build_reports`, every council PDF, the "
        f"national PDF and the ZIP): {build_seconds:.0f} s (target ≤ 80 s: "
        f"{'met' if build_seconds <= 80 else '**not met**'}).",
        f"- The worker had built the {NEW} reports and rendered its pages "
        f"{'before' if worker_done else '**not** before'} the 30 s before the lift.",
        f"- Probe of `/ratings/{NEW}/` every 100 ms through nginx: {len(probe.seen)} answers; "
        f"before the lift {sum(1 for at, _ in probe.seen if at < lift_at)}, all 404 "
        f"{'(yes)' if not early else f'(**no**: {early})'}; first 200 "
        + (f"{first_200 - lift_at:+.2f} s from the moment." if first_200 else "never.")
        + "",
        f"- Statuses other than 200: before {before['statuses']}, after {after['statuses']}; "
        f"socket errors: steady {steady['socket_errors']}, before {before['socket_errors']}, "
        f"after {after['socket_errors']}.",
        "<!-- /publicationday -->",
    ]
    section = "\n".join(lines)
    text = RESULTS.read_text()
    if "<!-- publicationday -->" in text:
        text = re.sub(
            r"<!-- publicationday -->.*?<!-- /publicationday -->", lambda m: section, text,
            flags=re.S,
        )  # fmt: skip
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)
    print(section)


if __name__ == "__main__":
    sys.exit(main())
