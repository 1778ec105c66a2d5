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

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone
from django.utils.http import http_date

from . import selectors

GENERATION_KEY = "ratings:data-generation"
TIMEOUT = 60 * 60


def publication_watermark(now=None) -> dt.datetime | None:
    """The most recent publication time that has passed (rounds and later revisions)."""
    now = now or timezone.now()
    rounds = selectors.published_rounds(now).aggregate(latest=Max("publication_at"))["latest"]
    revisions = (
        selectors.published_ratings(now)
        .filter(published_at__isnull=False)
        .aggregate(latest=Max("published_at"))["latest"]
    )
    moments = [moment for moment in (rounds, revisions) if moment is not None]
    return max(moments) if moments else None


def data_generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 0, timeout=None)


def bump_generation(**kwargs) -> None:
    """Signal receiver: any change to the ratings data invalidates every cached page."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def _key(request, watermark, generation) -> str:
    digest = hashlib.sha256(
        "|".join(
            [request.get_full_path(), str(watermark), str(generation), request.method]
        ).encode()
    ).hexdigest()
    return f"ratings:page:{digest}"


def cached_public_page(view):
    """Cache a public GET view's successful responses under the data they came from."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = getattr(request, "user", None)
        if request.method not in ("GET", "HEAD") or (user and user.is_authenticated):
            # Staff may see their own name or tools in the page: never cache theirs.
            return view(request, *args, **kwargs)
        watermark = publication_watermark()
        key = _key(request, watermark, data_generation())
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming:
                if watermark is not None:
                    response.headers.setdefault("Last-Modified", http_date(watermark.timestamp()))
                cache.set(key, response, TIMEOUT)
        return response

    return wrapper
