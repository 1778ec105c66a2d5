"""Background tasks of the site shell (django-tasks): render a publication's pages ahead
of its moment (``portal.prerender``).

Queued when a round or correction is scheduled (``ratings.signals.publication_scheduled``,
sent after the commit), and again ``PRERENDER_LEAD`` seconds before each moment, where the
task backend can run a task later (the database backend can; the test suite's immediate
backend cannot, and renders once).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from ratings.models import AssessmentRound

from . import prerender


@task()
def prerender_publication(year: int, again_before: bool = True) -> str:
    round = AssessmentRound.objects.filter(year=year).first()
    if round is None:
        return f"no {year} round"
    rendered = prerender.render_upcoming(round)
    if again_before and default_task_backend.supports_defer:
        lead = dt.timedelta(seconds=settings.PRERENDER_LEAD)
        for done in rendered:
            if done.moment - lead > timezone.now():
                prerender_publication.using(run_after=done.moment - lead).enqueue(year, False)
    return ", ".join(f"{r.pages} pages for {r.moment.isoformat()}" for r in rendered) or (
        f"nothing of {year} to come"
    )


def on_publication_scheduled(year: int, **kwargs) -> None:
    if settings.PRERENDER_ON_PUBLICATION:
        prerender_publication.enqueue(year)
