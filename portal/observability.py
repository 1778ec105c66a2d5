"""What operators see of the running portal: one JSON log line per request (with its
request id, view, status and duration) and Prometheus metrics at ``/metrics`` (requests
and latency by view, page-cache hits, report builds, the task queue's length).

``/metrics`` answers only a client whose address is in ``METRICS_ALLOWED_ADDRESSES`` and
that did not come through the proxy (a request nginx forwards carries
``X-Forwarded-For``): to everyone else it does not exist. Each process counts its own
requests; with several gunicorn workers, scrape each, or set ``PROMETHEUS_MULTIPROC_DIR``
(prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

REQUESTS = Counter(
    "portal_requests_total", "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)  # fmt: skip
LATENCY = Histogram(
    "portal_request_duration_seconds", "Time to answer a request, by view.", ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)  # fmt: skip
QUEUE = Gauge("portal_task_queue_length", "Background tasks waiting for the worker.")

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
logger = logging.getLogger("portal.requests")


def _queue_length() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()


QUEUE.set_function(_queue_length)


class RequestLogMiddleware:
    """Gives every request an id (the proxy's ``X-Request-ID`` when it is a plain token,
    else a new one; sent back in the response), then logs and counts it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        start = time.perf_counter()
        response = self.get_response(request)
        duration = time.perf_counter() - start
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(duration)
        response.headers["X-Request-ID"] = request.id
        logger.info(
            "request",
            extra={
                "request_id": request.id,
                "method": method,
                "path": request.path,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
            },
        )
        return response


@never_cache
def metrics(request):
    allowed = request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_ADDRESSES
    if not allowed or "HTTP_X_FORWARDED_FOR" in request.META:
        raise Http404("No such page.")
    return HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST)
