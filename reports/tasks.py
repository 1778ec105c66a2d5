"""Background tasks (django-tasks): build report files in the worker.

:func:`run_build` runs one build job (``reports.builds``): a PDF a download asked for, or
a whole round. :func:`build_round_reports` is queued when a round is scheduled for
publication or a correction is published, so that publication day's downloads are files
already on disk.

Nothing here is called by the workspace or the imports: they announce
``ratings.signals.publication_scheduled`` (after the commit) and
:func:`on_publication_scheduled`, connected in ``ReportsConfig.ready``, queues the build.
"""

from django.conf import settings
from django_tasks import task
from prometheus_client import Histogram

from ratings.models import AssessmentRound

BUILDS = Histogram(
    "portal_report_build_seconds",
    "Time to run a report build job (a PDF, or a round's every file), by outcome.",
    ["outcome"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600),
)


@task()
def run_build(job_id: int) -> str:
    from . import builds

    return builds.run(job_id)


@task()
def build_round_reports(year: int) -> str:
    """Build every file of the round as it will be at its publication, through the
    round's build job (one at a time, retried, taken over if this worker dies)."""
    from . import builds

    round = AssessmentRound.objects.filter(year=year).first()
    if round is None:
        return f"no {year} round"
    job = builds.request_round(round)
    if job is None:
        return f"nothing of {year} will be public"
    return f"{job} (job {job.pk})"


def on_publication_scheduled(year: int, **kwargs) -> None:
    """Queue the round's build (the signal is sent once the publication is committed: a
    worker must not read the data before it is there)."""
    if settings.REPORTS_BUILD_ON_PUBLICATION:
        build_round_reports.enqueue(year)
