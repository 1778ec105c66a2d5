"""Server-side caching of public pages that cannot outlive the data or leak an embargo.

A cached page is keyed by what it was built from:

- the **publication watermark**: the latest publication time that has passed, of any round
  or revision (a query through the selectors). When a scheduled round or correction
  reaches its time, the watermark moves, so every page is rebuilt with no action by anyone
  and nothing embargoed was ever in a cached page;
- the **data generation**: a counter in the cache, bumped whenever a ratings model is saved
  or deleted (connected in ``RatingsConfig.ready``), so an edit to published reference data
  (a council's name, say) is not hidden behind an old page.

The watermark is also the page's ``Last-Modified``; ETags come from Django's
``ConditionalGetMiddleware``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.http import http_date

from . import selectors

GENERATION_KEY = "ratings:data-generation"
TIMEOUT = 60 * 60


def published_rounds_and_watermark(now=None) -> tuple[list, dt.datetime | None]:
    """The published rounds, oldest first, and the most recent publication time that has
    passed (of a round or of a later revision), in one query."""
    now = now or timezone.now()
    newest_revision = (
        selectors.published_ratings(now)
        .filter(round=OuterRef("pk"), published_at__isnull=False)
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    rounds = list(
        selectors.published_rounds(now).annotate(newest_revision_at=Subquery(newest_revision))
    )
    moments = [r.publication_at for r in rounds] + [
        r.newest_revision_at for r in rounds if r.newest_revision_at is not None
    ]
    return rounds, max(moments, default=None)


def publication_watermark(now=None) -> dt.datetime | None:
    return published_rounds_and_watermark(now)[1]


def data_generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 0, timeout=None)


def bump_generation(**kwargs) -> None:
    """Any change to the ratings data invalidates every cached page. Connected to the
    models' save and delete signals; bulk writes call :func:`data_changed`."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def data_changed() -> None:
    """For writes that send no model signals (bulk imports): invalidate every cached page
    once the transaction commits."""
    transaction.on_commit(bump_generation)


def _key(request, watermark, generation) -> str:
    digest = hashlib.sha256(
        "|".join(
            [
                request.get_full_path(),
                str(watermark),
                str(generation),
                request.method,
                # A new release (or URL configuration) may render the same data differently.
                settings.RELEASE,
                getattr(request, "urlconf", None) or settings.ROOT_URLCONF,
            ]
        ).encode()
    ).hexdigest()
    return f"ratings:page:{digest}"


def cached_public_page(view):
    """Cache a public GET view's successful responses under the data they came from."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        now = timezone.now()
        # The view reads the published rounds from the request instead of asking again.
        request.ratings_now = now
        request.published_rounds, watermark = published_rounds_and_watermark(now)
        user = getattr(request, "user", None)
        if request.method not in ("GET", "HEAD") or (user and user.is_authenticated):
            # Staff may see their own name or tools in the page: never cache theirs.
            return view(request, *args, **kwargs)
        key = _key(request, watermark, data_generation())
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            # Must not outlive the data: shared caches ask again; browsers revalidate.
            response.headers.setdefault("Cache-Control", "public, max-age=0, must-revalidate")
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming:
                if watermark is not None:
                    response.headers.setdefault("Last-Modified", http_date(watermark.timestamp()))
                cache.set(key, response, TIMEOUT)
        return response

    return wrapper
