"""A read replica for the public pages (``DATABASE_REPLICA_URL``).

Anonymous visitors' GET and HEAD requests outside the staff areas read the ratings data
(the ``ratings`` app's tables) from the replica; everything else reads and writes the
primary: writes, signed-in staff (anything carrying a session cookie), the workspace,
the admin, the worker and the management commands (no request, so no replica), built
reports, sessions, the task queue, and migrations.

Replication lag and the embargo (docs/operations.md): the embargo gate compares the
publication times in the data with the clock, so a replica that holds a round scheduled
yesterday lifts its embargo at the same moment as the primary. Lag matters only for a
change made in the last moments, and a change can also narrow what is public (a scheduled
correction cancelled or moved later, a round's schedule withdrawn): a lagging replica
read just after the old time would show what was withdrawn, and the page cache and the
gate's schedule would keep it under the new data generation. So for
``DATABASE_REPLICA_MAX_LAG`` seconds after any change of the ratings data (the domain's
``data_changed``), every read goes to the primary; the replica's lag must stay below that
(monitor it).
"""

from __future__ import annotations

import contextlib
import contextvars

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.dispatch import receiver

from ratings import signals

from .middleware import STAFF_AREAS

REPLICA = "replica"
# Apps whose reads may come from the replica: the public ratings data, nothing else.
REPLICA_APPS = frozenset({"ratings"})
PINNED_KEY = "portal:db:primary-pinned"

_reads_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "portal_reads_from_replica", default=False
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads():
    """Within it, the public data is read from the replica (when there is one)."""
    token = _reads_from_replica.set(True)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _reads_from_replica.get()
            and model._meta.app_label in REPLICA_APPS
            and replica_configured()
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: rows from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


@receiver(signals.data_changed, dispatch_uid="portal.db_router.pin_primary")
def pin_primary(**kwargs) -> None:
    """The data changed: read the primary until the replica has surely caught up. In the
    shared cache, so that every process and machine does (REDIS_URL)."""
    if replica_configured():
        cache.set(PINNED_KEY, True, timeout=settings.DATABASE_REPLICA_MAX_LAG)


def primary_pinned() -> bool:
    return cache.get(PINNED_KEY) is not None


def reads_public_data_only(request) -> bool:
    """An anonymous visitor reading a public page: nothing it does needs the primary."""
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(STAFF_AREAS)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class ReplicaReadsMiddleware:
    """Sends an anonymous public request's reads of the ratings data to the replica."""

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if not reads_public_data_only(request) or primary_pinned():
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)
