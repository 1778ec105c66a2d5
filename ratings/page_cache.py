"""Server-side caching of public pages that cannot outlive the data or leak an embargo.

A cached page is keyed by what it was built from:

- the **publication watermark** (``ratings.embargo.watermark``): the latest publication
  time that has passed, of any round or revision. When a scheduled round or correction
  reaches its time, the watermark moves, so every page is rebuilt with no action by
  anyone and nothing embargoed was ever in a cached page;
- the **data generation**: a token in the cache, replaced whenever the domain announces
  ``ratings.signals.data_changed`` (any save or delete of a public ratings model, and
  every bulk write), so an edit to published reference data (a council's name, say) is
  not hidden behind an old page.

The watermark is also the page's ``Last-Modified``; its ETag is made once, when it is
cached (Django's ``ConditionalGetMiddleware`` answers the conditional requests). The
pages themselves get their rounds from the embargo gate, not from here.
"""

from __future__ import annotations

import hashlib
import time
from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.http import http_date
from prometheus_client import Counter

from . import embargo

# Public pages served from this cache ("hit") or built ("miss"): /metrics shows them.
LOOKUPS = Counter(
    "portal_page_cache_total", "Public pages found in the page cache or built.", ["result"]
)
TIMEOUT = 60 * 60


def data_generation() -> str:
    """A token that changes whenever the data does (``ratings.embargo.generation``: the
    same token the publication schedule is kept under). Random rather than a counter, so
    that a cleared cache can never bring back a token that meant other data."""
    return embargo.generation()


def public_cache_control(now=None, generation=None) -> str:
    """``Cache-Control`` for a public page or file served to an anonymous visitor: shared
    caches (nginx, a CDN) and browsers may keep it for ``PUBLIC_MAX_AGE`` seconds, but
    never past the next scheduled publication moment, so that no copy outlives an embargo
    lift or a scheduled correction. Worked out when the response is sent, not when it
    was built: a page cached here is older than the moment it is served at. The real
    time, not the record's "as at" day: a cache keeps a copy in the present."""
    moment = now or timezone.now()
    seconds = settings.PUBLIC_MAX_AGE
    upcoming = embargo.next_publication_at(moment, generation)
    if upcoming is not None:
        seconds = min(seconds, int((upcoming - moment).total_seconds()))
    if seconds <= 0:
        return "public, max-age=0, s-maxage=0, must-revalidate"
    return f"public, max-age={seconds}, s-maxage={seconds}"


def download_key(request, now=None) -> str:
    """A cache key for a download (a report file) that cannot outlive the data or leak an
    embargo: the same parts as a cached page's, but the path without the query string,
    which no download reads. Otherwise ``?x=1``, ``?x=2``... would each make the server
    assemble every report of a round again to find the file."""
    return _key(request, embargo.watermark(now), data_generation(), address=_path(request))


def _path(request) -> str:
    """The path, and the day the record is asked "as at" (the one query parameter every
    public page and download reads: ``ratings.as_at``)."""
    day = getattr(request, "as_at", None)
    return request.path if day is None else f"{request.path}?as_at={day.isoformat()}"


def _key(request, watermark, generation, *, address: str | None = None, vary=()) -> str:
    digest = hashlib.sha256(
        "|".join(
            [
                request.get_full_path() if address is None else address,
                str(watermark),
                str(generation),
                request.method,
                # A new release (or URL configuration) may render the same data differently.
                settings.RELEASE,
                getattr(request, "urlconf", None) or settings.ROOT_URLCONF,
                # Request headers the answer depends on (the API's Accept).
                *(request.META.get(header, "") for header in vary),
            ]
        ).encode()
    ).hexdigest()
    return f"ratings:page:{digest}"


def keep_for(watermark, now=None) -> int:
    """How long to keep a page built from the publications up to ``watermark``: an hour,
    or, for a page rendered ahead of a publication still to come (``ratings.prerender``),
    until an hour after it."""
    if watermark is None:
        return TIMEOUT
    ahead = (watermark - (now or timezone.now())).total_seconds()
    return TIMEOUT + max(0, int(ahead))


def single_flight(key: str, build, timeout: int):
    """The value at ``key``, built by ``build`` and stored for ``timeout`` seconds if it
    is missing; while one process builds it, others asking for it wait for that build
    (up to ``SINGLE_FLIGHT_WAIT`` seconds) rather than build it again, so that the
    minute after an embargo lift, when every page is asked for at once, builds each page
    once. Returns (value, built here)."""
    value = cache.get(key)
    if value is not None:
        return value, False
    lock = f"{key}:building"
    owned = cache.add(lock, 1, timeout=int(settings.SINGLE_FLIGHT_WAIT) + 30)
    if not owned:
        deadline = time.monotonic() + settings.SINGLE_FLIGHT_WAIT
        while time.monotonic() < deadline:
            time.sleep(0.02)
            value = cache.get(key)
            if value is not None:
                return value, False
            if cache.get(lock) is None:
                break
        # The other build failed or is slow: build it here rather than keep a visitor waiting.
    try:
        value = build()
        if value is not None:
            cache.set(key, value, timeout)
        return value, True
    finally:
        if owned:  # never another's lock, which its own build releases
            cache.delete(lock)


def _signed_in(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # No session: anonymous, found without reading the session (which would make
        # the answer vary on the Cookie header for every shared cache).
        return False
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def _cacheable(response) -> bool:
    # A response that sets a cookie (a CSRF token, say) is for its visitor alone.
    return response.status_code == 200 and not response.streaming and not response.cookies


def cached_public_page(view=None, *, reads_query: bool = True, vary: tuple[str, ...] = ()):
    """Cache a public GET view's successful responses under the data they came from.

    ``@cached_public_page(reads_query=False)`` is for a page that shows nothing of its
    query string: it is cached under its path alone, so that ``?x=1``, ``?x=2``... are
    served from the cache rather than each built again. ``vary`` names request headers
    (as in ``request.META``) that the answer depends on.
    """
    if view is None:
        return partial(cached_public_page, reads_query=reads_query, vary=vary)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # One clock reading for the key and the page (the views read request.ratings_now),
        # so that a page is never cached under a watermark older than what it shows.
        now = request.ratings_now = embargo.now()
        if not settings.PAGE_CACHE_ENABLED:
            # Off (to measure or debug pages as built): each answer is built, as for staff.
            response = view(request, *args, **kwargs)
            response.headers.setdefault("Cache-Control", public_cache_control())
            return response
        if request.method not in ("GET", "HEAD") or _signed_in(request):
            # Staff may see their own name or tools in the page: never cache theirs.
            return view(request, *args, **kwargs)
        watermark, generation = embargo.watermark_and_generation(now)
        key = _key(
            request,
            watermark,
            generation,
            address=None if reads_query else _path(request),
            vary=vary,
        )
        uncacheable = []

        def build():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if not _cacheable(response):
                uncacheable.append(response)
                return None
            if watermark is not None:
                response.headers.setdefault("Last-Modified", http_date(watermark.timestamp()))
            # The ETag once, here, rather than a hash of the page on every request
            # (ConditionalGetMiddleware keeps an ETag it finds); a view's own is kept.
            if "ETag" not in response.headers:
                set_response_etag(response)
            # Worked out when it is served, not when it was built (below).
            response.headers.pop("Cache-Control", None)
            return response

        response, built = single_flight(key, build, keep_for(watermark))
        LOOKUPS.labels("miss" if built else "hit").inc()
        if response is None:  # built here, and not to be cached (a 404, say)
            response = uncacheable[0]
        # Every answer, a 404 included (that of a round still under embargo, say).
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = public_cache_control(generation=generation)
        return response

    return wrapper
