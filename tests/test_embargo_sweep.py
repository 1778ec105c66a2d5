"""The embargo sweep: with a round and a correction scheduled for later, every public
surface (pages from the sitemap and the URL patterns, downloads, the API) is fetched and
none shows them; once the clock passes their publication time they appear, with no action.

The data is made once for the module; the surfaces are swept in :data:`CHUNKS` parts
(every surface in exactly one), so that a leak is reported with a short list to read.
"""

import dataclasses
import datetime as dt
import io
import json
import re
from urllib.parse import urlparse

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from ratings import imports
from ratings.models import AssessmentRound
from reports import rendering

from .transactions import settle

# The data is made once for the module: its parts stay on one worker (while the other
# sweep module runs on the other).
pytestmark = pytest.mark.django_db

CHUNKS = 4
ROUND_MARKER = "Embargoed ratings round title"
NOTE_MARKER = "Embargoed correction note"
FUTURE_YEAR = 2006


def _text_pdf(report, **kwargs) -> bytes:
    """Stands in for WeasyPrint in the sweeps: the report's every field as text, so that a
    leak inside a PDF or the (uncompressed) ZIP is found by a plain search, and fast enough
    to build a round's ZIP of 150 reports. What is public is decided before rendering."""
    return ("%PDF-text\n" + json.dumps(dataclasses.asdict(report), default=str)).encode()


@pytest.fixture(scope="module", autouse=True)
def text_pdfs():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rendering, "council_report_pdf", _text_pdf)
        patch.setattr(rendering, "national_report_pdf", _text_pdf)
        yield


@pytest.fixture(scope="module")
def embargoed(text_pdfs, bundled):
    """The bundled data, a 2006 round scheduled for next week (every council rated) and a
    correction to Walsall's 2005 rating scheduled for tomorrow."""
    now = timezone.now()
    round_file = io.StringIO()
    imports.export_ratings(round_file, year=2005)
    lines = round_file.getvalue().splitlines()
    # Every not-rated council of 2005 is rated in 2006, serving all people well.
    rows = [
        line if ",not rated," not in line else line.split(",")[0] + ",yes,excellent,yes,excellent,,"
        for line in lines
    ]
    publication = now + dt.timedelta(days=7)
    imports.import_ratings(
        io.StringIO("\n".join(rows) + "\n"),
        year=FUTURE_YEAR,
        methodology="2005",
        publish_at=publication,
    )
    AssessmentRound.objects.filter(year=FUTURE_YEAR).update(title=ROUND_MARKER)
    walsall = next(line for line in lines if line.startswith("Walsall,"))
    corrected = "Walsall,yes,excellent,yes,excellent,3,no"
    assert walsall != corrected
    correction_time = now + dt.timedelta(days=1)
    imports.import_ratings(
        io.StringIO(lines[0] + "\n" + corrected + "\n"),
        year=2005,
        publish_at=correction_time,
        note=NOTE_MARKER,
    )
    settle()
    return {"round": publication, "correction": correction_time}


def public_paths() -> list[str]:
    """Every URL pattern outside the admin, with its parameters filled in from a sample."""
    values = {"year": ["2004", "2005", str(FUTURE_YEAR)], "slug": ["walsall", "ealing"]}
    paths = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if not route.startswith("admin/"):
                    walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and not route.startswith("^"):
                expanded = ["/" + route]
                for name, options in values.items():
                    expanded = [
                        re.sub(rf"<(?:\w+:)?{name}>", option, path)
                        for path in expanded
                        for option in options
                    ]
                paths.extend(p for p in expanded if "<" not in p)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


def surfaces(client) -> list[str]:
    """Every public address: URL patterns, sitemap entries, downloads and API formats."""
    sitemap = client.get("/sitemap.xml").content.decode()
    from_sitemap = [urlparse(loc).path for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)]
    paths = public_paths()
    extras = [
        f"/ratings/{year}/?_export={fmt}"
        for year in (2005, FUTURE_YEAR)
        for fmt in ("csv", "xlsx", "json")
    ] + [
        f"{path}?format={fmt}"
        for path in paths
        if path.startswith("/api/") and "schema" not in path and "docs" not in path
        for fmt in ("json", "csv")
    ]
    return sorted(set(paths + from_sitemap + extras))


def leaks(client, paths, markers=()) -> list[str]:
    """The paths whose answer shows anything embargoed (or any of ``markers``)."""
    found = []
    for path in paths:
        response = client.get(path)
        # A report file not built yet is a 503 that says so (and queues its build); any
        # other 5xx is a server error.
        being_prepared = response.status_code == 503 and response.has_header("Retry-After")
        assert response.status_code < 500 or being_prepared, path
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        if (
            ROUND_MARKER in text
            or NOTE_MARKER in text
            or any(marker in text for marker in markers)
            or f"/ratings/{FUTURE_YEAR}/" in text
            or (path.startswith(f"/ratings/{FUTURE_YEAR}/") and response.status_code != 404)
            or (f"/rounds/{FUTURE_YEAR}/" in path and response.status_code != 404)
            # "Being prepared" would say that an embargoed report exists: the 404 comes first.
            or (f"/{FUTURE_YEAR}/" in path and being_prepared)
        ):
            found.append(path)
    return found


def chunk(paths: list[str], part: int) -> list[str]:
    """Part ``part`` of ``CHUNKS`` of the paths: together they are every path, once."""
    return paths[part::CHUNKS]


@pytest.mark.parametrize("part", range(CHUNKS))
def test_nothing_embargoed_on_any_public_surface_until_its_time(client, embargoed, part):
    paths = surfaces(client)
    assert len(paths) > 150  # the sitemap lists every council
    assert leaks(client, chunk(paths, part)) == []
    # Nor was a build queued for anything of the embargoed round.
    from reports.models import BuildJob

    assert not BuildJob.objects.filter(round__year=FUTURE_YEAR).exists()


def test_embargoed_ratings_appear_when_their_time_comes(client, embargoed):
    with time_machine.travel(embargoed["correction"] + dt.timedelta(seconds=1), tick=False):
        assert NOTE_MARKER in client.get("/councils/walsall/2005/").content.decode()
        assert client.get(f"/ratings/{FUTURE_YEAR}/").status_code == 404

    with time_machine.travel(embargoed["round"] + dt.timedelta(seconds=1), tick=False):
        for path in [
            f"/ratings/{FUTURE_YEAR}/",
            f"/ratings/{FUTURE_YEAR}/summary/",
            f"/api/rounds/{FUTURE_YEAR}/ratings/",
            f"/councils/walsall/{FUTURE_YEAR}/",
        ]:
            assert client.get(path).status_code == 200, path
        assert ROUND_MARKER in client.get("/").content.decode()
        assert f"/ratings/{FUTURE_YEAR}/" in client.get("/sitemap.xml").content.decode()
