"""`manage.py recover_builds`: take over the report builds a stopped worker left.

Run it when a worker starts (the worker's container runs it before ``db_worker``): a job
a killed worker was running stays "running" until its lease passes, and a queued job's
task may have been lost with the worker. Either is queued again; running it twice is
harmless, as only one worker can claim a job.
"""

from django.core.management.base import BaseCommand

from reports import builds


class Command(BaseCommand):
    help = (
        "Queue again the report build jobs whose worker stopped (running, with an expired "
        "lease) and the queued jobs that are due. Run when a worker starts."
    )

    def handle(self, *args, **options):
        jobs = builds.recover()
        for job in jobs:
            self.stdout.write(f"Queued again: {builds.describe(job)} (job {job.pk})")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(jobs)} report build job{'' if len(jobs) == 1 else 's'} queued again."
            )
        )
