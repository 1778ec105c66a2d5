"""Background tasks (django-tasks): build a round's reports when it is scheduled for
publication or a correction is published, so that publication day's downloads are files
already on disk.

The workspace does not call this module: it announces ``ratings.signals.
publication_scheduled`` (after the commit) and :func:`on_publication_scheduled`, connected
in ``ReportsConfig.ready``, queues the build.
"""

import time

from django.conf import settings
from django_tasks import task
from prometheus_client import Histogram

from ratings.models import AssessmentRound

BUILDS = Histogram(
    "portal_report_build_seconds",
    "Time to build a round's reports, by outcome (built, failed).",
    ["outcome"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600),
)


@task()
def build_round_reports(year: int) -> str:
    from . import prebuilt

    round = AssessmentRound.objects.filter(year=year).first()
    if round is None:
        return f"no {year} round"
    start = time.perf_counter()
    try:
        built = prebuilt.build_round(round)
    except Exception:
        BUILDS.labels("failed").observe(time.perf_counter() - start)
        raise
    BUILDS.labels("built").observe(time.perf_counter() - start)
    return built.file.name if built else f"nothing of {year} will be public"


def on_publication_scheduled(year: int, **kwargs) -> None:
    """Queue the round's build (the signal is sent once the publication is committed: a
    worker must not read the data before it is there)."""
    if settings.REPORTS_BUILD_ON_PUBLICATION:
        build_round_reports.enqueue(year)
