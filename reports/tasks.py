"""Background tasks (django-tasks): build a round's reports when it is scheduled for
publication or a correction is published, so that publication day's downloads are files
already on disk."""

from django.conf import settings
from django.db import transaction
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


def build_after_commit(year: int) -> None:
    """Queue the round's build once the publication (or correction) is committed: a worker
    must not read the data before it is there."""
    if settings.REPORTS_BUILD_ON_PUBLICATION:
        transaction.on_commit(lambda: build_round_reports.enqueue(year))
