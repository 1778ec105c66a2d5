"""Background tasks (django-tasks): build a round's reports when it is scheduled for
publication or a correction is published, so that publication day's downloads are files
already on disk.

The workspace does not call this module: it announces ``ratings.signals.
publication_scheduled`` (after the commit) and :func:`on_publication_scheduled`, connected
in ``ReportsConfig.ready``, queues the build.
"""

from django.conf import settings
from django_tasks import task

from ratings.models import AssessmentRound


@task()
def build_round_reports(year: int) -> str:
    from . import prebuilt

    round = AssessmentRound.objects.filter(year=year).first()
    if round is None:
        return f"no {year} round"
    built = prebuilt.build_round(round)
    return built.file.name if built else f"nothing of {year} will be public"


def on_publication_scheduled(year: int, **kwargs) -> None:
    """Queue the round's build (the signal is sent once the publication is committed: a
    worker must not read the data before it is there)."""
    if settings.REPORTS_BUILD_ON_PUBLICATION:
        build_round_reports.enqueue(year)
