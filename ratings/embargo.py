"""The embargo: what of the ratings the public may see, and from when. Written once, here.

Two predicates decide everything the portal publishes:

- a **round is public** once it is scheduled and its publication time has passed;
- a **revision is public** (a council's rating as first published, refreshed or
  corrected) once its round is public and its own publication time, if it has one, has
  passed. Revision 1 has none: it follows its round.

Each is written once, as data (:data:`ROUND_IS_PUBLIC`, :data:`REVISION_IS_PUBLIC`), and
read three ways: on an object in Python (:func:`round_is_public`,
:func:`revision_is_public`; ``AssessmentRound.is_published`` and the workspace's rules
use these), as an ORM filter (:func:`public_rounds_q`, :func:`public_revisions_q`; the
selectors' querysets) and as SQL on a table alias (:func:`public_round_sql`,
:func:`public_revision_sql`; the league table's hand-written query). So the three cannot
drift apart, and ``tests/test_embargo_gate.py`` checks that they agree case by case.

Below the predicates is **the gate**: the published rounds, the publication watermark and
the public revisions. Public code (pages, downloads, the API, reports, the sitemap) gets
rounds and ratings from here or from ``ratings.selectors``, which builds on it, and never
from the models' managers or its own test of a publication field:
``tests/test_embargo_lint.py`` reads their source and fails if one does.

The publication schedule (every scheduled round and every publication moment) is read
once per change of the data, not per request: it is kept in the cache under a token that
is replaced whenever the domain announces ``ratings.signals.data_changed``. Which of it has
passed is a question of the clock, answered here without a query.
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone

from . import signals
from .models import AssessmentRound, Rating, RoundStatus

# --- the two predicates -------------------------------------------------------------------

SCHEDULED = RoundStatus.SCHEDULED


@dataclass(frozen=True)
class Condition:
    """One test of one field: ``equals`` a value; ``passed`` (a time, not empty, not after
    the moment asked about); ``none_or_passed`` (no time of its own, or one that passed)."""

    field: str
    test: str
    value: object = None


ROUND_IS_SCHEDULED = Condition("status", "equals", SCHEDULED)
ROUND_IS_PUBLIC: tuple[Condition, ...] = (
    ROUND_IS_SCHEDULED,
    Condition("publication_at", "passed"),
)
# The revision's own part; its round's part is ROUND_IS_PUBLIC, through ``round``.
REVISION_IS_PUBLIC: tuple[Condition, ...] = (Condition("published_at", "none_or_passed"),)


# The record "as at" a past moment (``?as_at=``, ``ratings.as_at``): while set, the gate's
# clock stands no later than it, so every page, download and API answer built in the
# request shows what was public then. It can only hold the clock back, never forward.
_as_at: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "ratings_as_at", default=None
)


# A page rendered ahead of a publication (``ratings.prerender``): while set, the gate's
# clock reads this moment instead of the current time, so the page shows what the public
# will see once it passes. Only the worker sets it, and what it renders is stored under
# that moment's cache keys (``ratings.page_cache``), which no request can reach before then.
_rendering_for: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "ratings_rendering_for", default=None
)


def _now(now: dt.datetime | None) -> dt.datetime:
    moment = now or _rendering_for.get() or timezone.now()
    ceiling = _as_at.get()
    return moment if ceiling is None or moment <= ceiling else ceiling


def now(moment: dt.datetime | None = None) -> dt.datetime:
    """The gate's clock: ``moment`` or the current time, held back to the record's "as
    at" moment when one is set. Public code reads the time here, never from the system
    clock, so that ``?as_at=`` reaches every read."""
    return _now(moment)


def as_at_moment() -> dt.datetime | None:
    """The "as at" moment the gate's clock is held to, if any."""
    return _as_at.get()


def hold_clock(moment: dt.datetime | None) -> contextvars.Token:
    """Hold the gate's clock at ``moment`` (None: the real time) until
    :func:`release_clock` is called with the token."""
    return _as_at.set(moment)


def release_clock(token: contextvars.Token) -> None:
    _as_at.reset(token)


@contextlib.contextmanager
def rendering_for(moment: dt.datetime):
    """Within the block, the gate's clock reads ``moment`` (a publication moment still to
    come): for rendering, ahead of time, the pages the public will be served then. Never
    for answering a request."""
    token = _rendering_for.set(moment)
    try:
        yield
    finally:
        _rendering_for.reset(token)


def _holds(conditions: Sequence[Condition], obj, now: dt.datetime) -> bool:
    for condition in conditions:
        value = getattr(obj, condition.field)
        if condition.test == "equals":
            ok = value == condition.value
        elif condition.test == "passed":
            ok = value is not None and value <= now
        else:
            ok = value is None or value <= now
        if not ok:
            return False
    return True


def _q(conditions: Sequence[Condition], now: dt.datetime, prefix: str) -> Q:
    q = Q()
    for condition in conditions:
        name = prefix + condition.field
        if condition.test == "equals":
            q &= Q(**{name: condition.value})
        elif condition.test == "passed":
            q &= Q(**{f"{name}__lte": now})
        else:
            q &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": now})
    return q


def _sql(
    conditions: Sequence[Condition], model, alias: str, now: dt.datetime, *, timed: bool = False
) -> tuple[str, list]:
    moment = connection.ops.adapt_datetimefield_value(now)
    parts, params = [], []
    for condition in conditions:
        column = (
            f"{alias}.{connection.ops.quote_name(model._meta.get_field(condition.field).column)}"
        )
        test = "passed" if timed and condition.test == "none_or_passed" else condition.test
        if test == "equals":
            parts.append(f"{column} = %s")
            params.append(condition.value)
        elif test == "passed":
            parts.append(f"{column} <= %s")
            params.append(moment)
        else:
            parts.append(f"({column} IS NULL OR {column} <= %s)")
            params.append(moment)
    return " AND ".join(parts), params


def round_is_public(round, now: dt.datetime | None = None) -> bool:
    return _holds(ROUND_IS_PUBLIC, round, _now(now))


def revision_is_public(rating, now: dt.datetime | None = None, *, round=None) -> bool:
    now = _now(now)
    return _holds(REVISION_IS_PUBLIC, rating, now) and round_is_public(round or rating.round, now)


def revision_is_pending(rating, now: dt.datetime | None = None) -> bool:
    """A revision whose own publication time has not come (a correction or refresh still
    under embargo), whatever its round's state."""
    return not _holds(REVISION_IS_PUBLIC, rating, _now(now))


def public_rounds_q(now: dt.datetime | None = None, prefix: str = "") -> Q:
    """Rounds that are public, as a filter (``prefix``: the lookup path to the round)."""
    return _q(ROUND_IS_PUBLIC, _now(now), prefix)


def public_revisions_q(now: dt.datetime | None = None, prefix: str = "") -> Q:
    """Rating revisions that are public, their round's part included."""
    now = _now(now)
    return _q(REVISION_IS_PUBLIC, now, prefix) & _q(ROUND_IS_PUBLIC, now, f"{prefix}round__")


def public_responses_q(now: dt.datetime | None = None, prefix: str = "") -> Q:
    """Councils' responses (right of reply) that are public: published by a publisher by
    ``now``, about a round that is public."""
    now = _now(now)
    return Q(**{f"{prefix}state": "published", f"{prefix}published_at__lte": now}) & _q(
        ROUND_IS_PUBLIC, now, f"{prefix}round__"
    )


def public_round_sql(alias: str, now: dt.datetime | None = None) -> tuple[str, list]:
    """The round predicate on the rounds' table as ``alias``: (SQL, parameters)."""
    return _sql(ROUND_IS_PUBLIC, AssessmentRound, alias, _now(now))


def public_revision_sql(
    alias: str, now: dt.datetime | None = None, *, timed: bool = False
) -> tuple[str, list]:
    """The revision's own part of its predicate on the ratings' table as ``alias`` (join
    its round and add :func:`public_round_sql` for the rest). ``timed``: the rows are
    known to have a publication time of their own (later revisions always do: the check
    constraint ``revision_after_first_has_publication_time``), so the test is a plain
    comparison an index can answer."""
    return _sql(REVISION_IS_PUBLIC, Rating, alias, _now(now), timed=timed)


def published_at(rating, round=None) -> dt.datetime | None:
    """When a revision was (or will be) published: its own time, else its round's."""
    return rating.published_at or (round or rating.round).publication_at


def becomes_public_at(round, now: dt.datetime | None = None) -> dt.datetime | None:
    """The publication time of a round scheduled but not yet public; None otherwise."""
    now = _now(now)
    scheduled = _holds((ROUND_IS_SCHEDULED,), round, now)
    if scheduled and not round_is_public(round, now) and round.publication_at is not None:
        return round.publication_at
    return None


# --- the schedule -------------------------------------------------------------------------

TOKEN_KEY = "ratings:embargo:schedule-token"
SCHEDULE_KEY = "ratings:embargo:schedule"


@dataclass(frozen=True)
class Schedule:
    """Every scheduled round (oldest first) and every publication moment, of a round or a
    later revision, past and future, each round's own moments too."""

    rounds: tuple
    moments: tuple[dt.datetime, ...]
    round_moments: dict[int, tuple[dt.datetime, ...]]


_local: dict[str, Schedule] = {}


# The token as read once in this request (``one_reading_per_request``): a page asks the
# gate dozens of times, and each read of a shared cache is a round trip to it.
_read_in_request: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "ratings_token_read", default=None
)


@contextlib.contextmanager
def one_reading_per_request():
    """Within the block (a request: ``portal.middleware``), the data generation token is
    read from the cache once, not at every question to the gate; a change made within
    the block is still seen at once."""
    reset = _read_in_request.set({})
    try:
        yield
    finally:
        _read_in_request.reset(reset)


def _read_token() -> str:
    # Random rather than a counter: a cleared cache can never bring back an old token.
    return cache.get_or_set(TOKEN_KEY, lambda: uuid.uuid4().hex, timeout=None)


def _token() -> str:
    read = _read_in_request.get()
    if read is not None and "token" in read:
        return read["token"]
    token = _read_token()
    if read is not None:
        read["token"] = token
    return token


@receiver(signals.data_changed, dispatch_uid="ratings.embargo.schedule")
def _forget_schedule(**kwargs) -> None:
    cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    read = _read_in_request.get()
    if read is not None:
        read.clear()


def _read_schedule() -> Schedule:
    # One query: each scheduled round once per distinct later-revision time (a LEFT JOIN
    # to the revisions that have a publication time of their own; NULL when none).
    rows = (
        AssessmentRound.objects.filter(_q((ROUND_IS_SCHEDULED,), timezone.now(), ""))
        .filter(publication_at__isnull=False)
        .annotate(
            revisions=FilteredRelation("ratings", condition=Q(ratings__published_at__isnull=False)),
            revision_at=F("revisions__published_at"),
        )
        .order_by("year")
        .distinct()
    )
    by_year: dict[int, object] = {}
    moments: dict[int, set[dt.datetime]] = {}
    for row in rows:
        by_year.setdefault(row.year, row)
        moments.setdefault(row.pk, set()).add(row.publication_at)
        if row.revision_at is not None:
            moments[row.pk].add(row.revision_at)
    return Schedule(
        rounds=tuple(by_year.values()),
        moments=tuple(sorted(set().union(*moments.values()))),
        round_moments={pk: tuple(sorted(times)) for pk, times in moments.items()},
    )


def generation() -> str:
    """A token that changes whenever the data does (any ``data_changed``): the schedule
    is kept under it, and so are the cached pages and figures (``ratings.page_cache``).
    One token for both, so that a cached page costs one read of it."""
    return _token()


def watermark_and_generation(now: dt.datetime | None = None) -> tuple[dt.datetime | None, str]:
    """:func:`watermark` and :func:`generation` from one read of the token."""
    token = _token()
    moments = schedule(token).moments
    past = bisect.bisect_right(moments, _now(now))
    return (moments[past - 1] if past else None), token


def schedule(token: str | None = None) -> Schedule:
    key = f"{SCHEDULE_KEY}:{token or _token()}"
    # Each process keeps the current schedule too: unpickling it from a shared cache on
    # every request costs more than the rest of a cached page.
    found = _local.get(key)
    if found is None:
        found = cache.get(key)
        if found is None:
            found = _read_schedule()
            cache.set(key, found, timeout=None)  # right for as long as its token is current
        _local.clear()
        _local[key] = found
    return found


# --- the gate -----------------------------------------------------------------------------


def published_rounds(now: dt.datetime | None = None) -> list:
    """The published rounds, oldest first (no query while the data is unchanged)."""
    now = _now(now)
    return [r for r in schedule().rounds if round_is_public(r, now)]


def published_round(year: int, now: dt.datetime | None = None):
    """The round of ``year`` if it is published, else None (callers answer 404)."""
    return next((r for r in published_rounds(now) if r.year == year), None)


def latest_published_round(now: dt.datetime | None = None):
    rounds = published_rounds(now)
    return rounds[-1] if rounds else None


def previous_published_round(round, now: dt.datetime | None = None):
    earlier = [r for r in published_rounds(now) if r.year < round.year]
    return earlier[-1] if earlier else None


def watermark(now: dt.datetime | None = None) -> dt.datetime | None:
    """The latest publication moment, of any round or revision, that has passed: what a
    cached page or download was built from."""
    moments = schedule().moments
    past = bisect.bisect_right(moments, _now(now))
    return moments[past - 1] if past else None


def next_publication_at(
    now: dt.datetime | None = None, generation: str | None = None
) -> dt.datetime | None:
    """The next publication moment after ``now``, of any round or revision, or None: no
    copy of a public page may be kept past it. ``generation``: the token, if already read
    in this request."""
    moments = schedule(generation).moments
    upcoming = bisect.bisect_right(moments, _now(now))
    return moments[upcoming] if upcoming < len(moments) else None


def last_published_at(round, now: dt.datetime | None = None) -> dt.datetime | None:
    """The latest publication moment of ``round`` (its own or a revision's) that has
    passed; None if the round is not public."""
    now = _now(now)
    if not round_is_public(round, now):
        return None
    moments = schedule().round_moments.get(round.pk, ())
    past = bisect.bisect_right(moments, now)
    return moments[past - 1] if past else round.publication_at


def publication_moments(round, now: dt.datetime | None = None) -> list[dt.datetime]:
    """Every publication of ``round`` that has happened by ``now``, first first: its own
    publication, then each later moment at which revisions of it became public (a
    refresh, a correction). Empty if the round is not public."""
    now = _now(now)
    if not round_is_public(round, now):
        return []
    moments = schedule().round_moments.get(round.pk, ())
    return sorted({round.publication_at} | {m for m in moments if round.publication_at <= m <= now})


def upcoming_moments(round, now: dt.datetime | None = None) -> list[dt.datetime]:
    """The publication moments of ``round`` still to come (its own and its revisions'),
    first first: what the worker renders pages for ahead of time (``portal.prerender``)."""
    now = timezone.now() if now is None else now  # the real time: this is never "as at"
    return [m for m in schedule().round_moments.get(round.pk, ()) if m > now]


def published_rounds_queryset(now: dt.datetime | None = None) -> QuerySet:
    """The published rounds as a queryset, for subqueries."""
    return AssessmentRound.objects.filter(public_rounds_q(now)).order_by("year")


def published_ratings(now: dt.datetime | None = None) -> QuerySet:
    """Every rating revision the public may see."""
    return Rating.objects.filter(public_revisions_q(now))


# --- the release calendar -----------------------------------------------------------------

ROUND_PUBLICATION = "round"
CORRECTION = "correction"


@dataclass(frozen=True)
class Upcoming:
    """A publication still to come: a round's first publication (``kind`` "round") or a
    later publication of revisions of it (a correction or refresh: "correction"). Only the
    year, the moment and the kind: nothing of what will be published."""

    year: int
    at: dt.datetime
    kind: str


def upcoming_publications(now: dt.datetime | None = None) -> list[Upcoming]:
    """Every scheduled publication after ``now`` (the gate's clock, so ``?as_at=`` holds
    here too), soonest first, from the schedule (no query while the data is unchanged).

    A round not yet public is published at its own time; a revision of it timed earlier
    comes out with it, so that moment is not a publication of its own. Every other later
    moment of a round's revisions is a correction."""
    now = _now(now)
    found = []
    current = schedule()
    for round in current.rounds:
        public = round_is_public(round, now)
        for moment in current.round_moments.get(round.pk, ()):
            if moment <= now:
                continue
            if public or moment > round.publication_at:
                found.append(Upcoming(round.year, moment, CORRECTION))
            elif moment == round.publication_at:
                found.append(Upcoming(round.year, moment, ROUND_PUBLICATION))
    return sorted(found, key=lambda u: (u.at, u.year, u.kind != ROUND_PUBLICATION))
