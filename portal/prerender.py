"""Public pages rendered ahead of a publication, so that the first visitor after the
embargo lifts is served a page from the cache, not one built while everyone else waits.

When a round or a correction is scheduled (``ratings.signals.publication_scheduled``),
the worker renders each page the publication changes as the public will see it at the
publication moment: the gate's clock is set to that moment (``ratings.embargo.
rendering_for``) and each page is asked for through Django's full request handling as an
anonymous visitor, so the page cache (``ratings.page_cache``) stores it under the key it
will have once the moment has passed. Before then no request can reach that key: the key
holds the publication watermark, which only moves when the moment passes.

A change to the data after the rendering makes a new data generation, so the pages
rendered before it are never served; the worker renders again shortly before the moment
(``PRERENDER_LEAD`` seconds) to catch such changes. The cache must be shared by the web
processes and the worker (Redis, ``REDIS_URL``) for this to help them.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client

from ratings import embargo, selectors
from ratings.models import AssessmentRound

log = logging.getLogger(__name__)

# The API answers by Accept header: none (most clients and scripts) and JSON.
API_ACCEPTS = ("", "application/json")


@dataclass(frozen=True)
class Rendered:
    moment: dt.datetime
    pages: int
    failed: tuple[str, ...]


def paths_for(round: AssessmentRound, moment: dt.datetime) -> tuple[list[str], list[str]]:
    """The site's pages and the API's answers a publication of ``round`` at ``moment``
    changes: the front page, the lists of rounds, the round's league table and summary,
    and each council's pages (the council, its year, its report) for every council with a
    rating then public. Returns (pages, API paths)."""
    year = round.year
    slugs = sorted(
        selectors.current_ratings(moment)
        .filter(round=round)
        .values_list("council__slug", flat=True)
        .distinct()
    )
    pages = ["/", "/ratings/", f"/ratings/{year}/", f"/ratings/{year}/summary/"]
    api = ["/api/rounds/", f"/api/rounds/{year}/", f"/api/rounds/{year}/summary/"]
    api.append(f"/api/rounds/{year}/ratings/")
    for slug in slugs:
        pages += [f"/councils/{slug}/", f"/councils/{slug}/{year}/"]
        pages.append(f"/councils/{slug}/{year}/report/")
        api.append(f"/api/councils/{slug}/")
    return pages, api


def _client() -> Client:
    base = urlsplit(settings.PORTAL_BASE_URL)
    host = base.netloc or "localhost"
    return Client(HTTP_HOST=host, secure=base.scheme == "https", raise_request_exception=False)


def render_publication(round: AssessmentRound, moment: dt.datetime) -> Rendered:
    """Render every page of ``paths_for`` as at ``moment`` into the page cache."""
    client = _client()
    rendered, failed = 0, []
    with embargo.rendering_for(moment):
        pages, api = paths_for(round, moment)
        asks = [(path, "") for path in pages] + [(p, a) for p in api for a in API_ACCEPTS]
        for path, accept in asks:
            headers = {"HTTP_ACCEPT": accept} if accept else {}
            response = client.get(path, **headers)
            if response.status_code == 200:
                rendered += 1
            else:
                failed.append(f"{path} ({response.status_code})")
    if failed:
        log.warning("Pre-rendering %s for %s: %d pages failed", round, moment, len(failed))
    return Rendered(moment, rendered, tuple(failed))


def render_upcoming(round: AssessmentRound, now: dt.datetime | None = None) -> list[Rendered]:
    """Render the pages of each publication of ``round`` still to come."""
    return [render_publication(round, m) for m in embargo.upcoming_moments(round, now)]
