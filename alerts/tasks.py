"""The alerts' background task (django-tasks): send every alert that is due.

Queued when a round is scheduled or a correction published
(``ratings.signals.publication_scheduled``, after the commit; connected in
``AlertsConfig.ready``): once at once (a publication made public straight away), and,
where the backend can run a task later (the database backend can), once at each of the
round's moments still to come. What it sends is decided when it runs, by the embargo
gate (``alerts.sending``): a task that runs early sends nothing for a publication still
to come. ``manage.py send_alerts`` does the same, for the worker's start and a timer
(docs/operations.md): a moment moved after its task was queued is still alerted.
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from ratings import embargo

from . import sending


@task()
def send_alerts() -> str:
    return str(sending.send_due_alerts())


def on_publication_scheduled(year: int, **kwargs) -> None:
    if not settings.ALERTS_SEND_ON_PUBLICATION:
        return
    send_alerts.enqueue()
    if not send_alerts.get_backend().supports_defer:
        return
    round = next((r for r in embargo.schedule().rounds if r.year == year), None)
    if round is None:
        return
    for moment in embargo.upcoming_moments(round):
        send_alerts.using(run_after=moment).enqueue()
