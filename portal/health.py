"""Health checks for the process manager and the load balancer.

``/healthz`` answers whether the process serves requests at all (nothing else is asked:
a database outage must not make the orchestrator restart every web process);
``/readyz`` whether it can serve the portal: the database answers and the shared cache
stores and returns a value. Neither is cached anywhere.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != value:
        raise RuntimeError("the cache did not return what was stored")
    return "ok"


@never_cache
@require_safe
def readyz(request):
    checks, ready = {}, True
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            checks[name] = check()
        except Exception as error:  # noqa: BLE001 (any failure means not ready)
            checks[name] = f"failing: {type(error).__name__}"
            ready = False
    return JsonResponse(
        {"ready": ready, **checks}, status=200 if ready else 503, json_dumps_params={"indent": 1}
    )
