"""Server-side caching of public pages that cannot outlive the data or leak an embargo.

A cached page is keyed by what it was built from:

- the **publication watermark**: the latest publication time that has passed, of any round
  or revision (from the publication schedule, cached per data generation). When a
  scheduled round or correction reaches its time, the watermark moves, so every page is
  rebuilt with no action by anyone and nothing embargoed was ever in a cached page;
- the **data generation**: a token in the cache, replaced whenever a ratings model is saved
  or deleted (connected in ``RatingsConfig.ready``), so an edit to published reference data
  (a council's name, say) is not hidden behind an old page.

The watermark is also the page's ``Last-Modified``; ETags come from Django's
``ConditionalGetMiddleware``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone
from django.utils.http import http_date

from .models import AssessmentRound, RoundStatus

GENERATION_KEY = "ratings:data-generation"
TIMEOUT = 60 * 60


SCHEDULE_KEY = "ratings:publication-schedule"
_local_schedule: dict[str, tuple] = {}


def _publication_schedule() -> tuple[list, list[dt.datetime]]:
    """Every scheduled round (oldest first) and every publication moment (of a round or a
    later revision), past and future: what the embargo turns on, read once per data
    generation instead of on every request."""
    generation = data_generation()
    key = f"{SCHEDULE_KEY}:{generation}"
    # Each process keeps the schedule of the current generation too: unpickling it from a
    # shared (file) cache on every request costs more than the rest of a cached download.
    local = _local_schedule.get(key)
    if local is not None:
        return local
    schedule = cache.get(key)
    if schedule is None:
        # One query: each scheduled round once per distinct later-revision time (a LEFT
        # JOIN to the revisions that have their own publication time; NULL when none).
        rows = (
            AssessmentRound.objects.filter(
                status=RoundStatus.SCHEDULED, publication_at__isnull=False
            )
            .annotate(
                revisions=FilteredRelation(
                    "ratings", condition=Q(ratings__published_at__isnull=False)
                ),
                revision_at=F("revisions__published_at"),
            )
            .order_by("year")
            .distinct()
        )
        by_year: dict[int, AssessmentRound] = {}
        moments_set: set[dt.datetime] = set()
        for row in rows:
            by_year.setdefault(row.year, row)
            moments_set.add(row.publication_at)
            if row.revision_at is not None:
                moments_set.add(row.revision_at)
        rounds = list(by_year.values())
        moments = sorted(moments_set)
        schedule = (rounds, moments)
        # Right for as long as its generation is current, however long that is.
        cache.set(key, schedule, timeout=None)
    _local_schedule.clear()
    _local_schedule[key] = schedule
    return schedule


def published_rounds_and_watermark(now=None) -> tuple[list, dt.datetime | None]:
    """The published rounds, oldest first, and the most recent publication time that has
    passed (of a round or of a later revision). No query while the data is unchanged: the
    schedule is cached per data generation, and which of it has passed is a question of
    the clock (``AssessmentRound.is_published``, the selectors' rule in Python)."""
    now = now or timezone.now()
    rounds, moments = _publication_schedule()
    published = [r for r in rounds if r.is_published(now)]
    past = bisect.bisect_right(moments, now)
    return published, (moments[past - 1] if past else None)


def publication_watermark(now=None) -> dt.datetime | None:
    return published_rounds_and_watermark(now)[1]


def data_generation() -> str:
    """A token that changes whenever the data does. Random rather than a counter, so that
    a cleared cache can never bring back a token that meant other data."""
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def _bump() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def bump_generation(**kwargs) -> None:
    """Any change to the public ratings data invalidates every cached page (connected to
    the models' save and delete signals; bulk writes call :func:`data_changed`). Bumped at
    once and again when the transaction commits: a request in between may have cached
    what it read before the commit, under the first bump."""
    _bump()
    transaction.on_commit(_bump)


def data_changed() -> None:
    """For writes that send no model signals (bulk writes): invalidate every cached page,
    the publication schedule and the download lookups, at once and again at the commit
    (as :func:`bump_generation`)."""
    bump_generation()


def download_key(request, now=None) -> str:
    """A cache key for a download (a report file) that cannot outlive the data or leak an
    embargo: the same parts as a cached page's."""
    rounds, watermark = published_rounds_and_watermark(now)
    return _key(request, watermark, data_generation())


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
