"""Build jobs: every report file is built by a worker, once, whoever asks and however
many ask at once, retried when it fails, taken over when its worker dies.

A ``BuildJob`` row is the single flight of one file's builds: :func:`request` finds or
creates it under ``select_for_update`` and a unique constraint, so ten requests for a
missing PDF queue one build (the cache is not shared by every process, nor atomic, so it
is not used for this). A worker runs a job with :func:`run`: it claims it (queued, or
running with an expired lease), renews the lease as it goes, and on a failure queues it
again after a backoff (``MAX_ATTEMPTS`` in all) or marks it failed, with the error for
the workspace's round page to show; staff start it again with :func:`rebuild`.

A worker killed mid-build leaves its job running with a lease that stops being renewed;
once the lease has passed the job is taken over by the next request for its file, by the
next build of its round, or by ``manage.py recover_builds`` (run when the worker starts).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from ratings import embargo

from . import prebuilt
from .models import BuildJob, BuiltReport

State = BuildJob.State
Kind = BuiltReport.Kind
UNFINISHED = (State.QUEUED, State.RUNNING, State.FAILED)

MAX_ATTEMPTS = 4
FIRST_RETRY = dt.timedelta(seconds=30)  # then 2 and 8 minutes: exponential, by 4
# A worker renews its job's lease at least this often while it builds...
HEARTBEAT = dt.timedelta(seconds=15)
# ...and a lease not renewed for this long means the worker is gone.
LEASE = dt.timedelta(minutes=2)
# A queued job whose task has not started this long after it was due is queued again (its
# task was lost); a duplicate is harmless, as only one worker can claim the job.
LOST_TASK = dt.timedelta(minutes=10)
# What a PDF takes to draw, for Retry-After (WeasyPrint, one core; bench/results.md).
SECONDS_PER_PDF = 1.0
MAX_RETRY_AFTER = 300
ERROR_LENGTH = BuildJob._meta.get_field("last_error").max_length

logger = logging.getLogger(__name__)


def _set(job: BuildJob, **fields) -> bool:
    """Write ``fields`` on the job, without a history row (only staff's rebuilds are
    history); True if the row was there to write."""
    fields.setdefault("updated_at", timezone.now())
    written = BuildJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
    return bool(written)


def _enqueue(job: BuildJob, when: dt.datetime | None = None) -> None:
    """Queue the job's task once the job's row is committed (a worker must find it)."""
    from . import tasks

    task = tasks.run_build
    if when is not None:
        if not task.get_backend().supports_defer:
            # The backend cannot wait (the immediate backend of tests and development):
            # the job stays queued for recover_builds, or a request after LOST_TASK.
            return
        task = task.using(run_after=when)
    pk = job.pk
    transaction.on_commit(lambda: task.enqueue(pk))


def _revive(job: BuildJob, now: dt.datetime) -> bool:
    """Whether a job asked for again must be queued again: its worker died (the lease
    passed), its task was lost, or it was built and the file has gone since."""
    if job.state == State.RUNNING and job.lease_until and job.lease_until < now:
        return _set(job, state=State.QUEUED, run_after=now, lease_until=None)
    if job.state == State.QUEUED and (job.run_after or job.created_at) + LOST_TASK < now:
        return _set(job, run_after=now)
    if job.state == State.BUILT and not prebuilt.stored(
        job.kind, job.round, job.council, job.fingerprint
    ):
        return _set(job, state=State.QUEUED, attempts=0, run_after=now, last_error="")
    return False


def request(kind, round, council, fingerprint: str, at: dt.datetime, *, now=None) -> BuildJob:
    """The job that builds this file: created and queued if there is none, queued again
    if it must be (:func:`_revive`). A failed job waits for staff (the round page)."""
    now = now or timezone.now()
    with transaction.atomic():
        job, created = BuildJob.objects.select_for_update(of=("self",)).get_or_create(
            kind=kind,
            round=round,
            council=council,
            fingerprint=fingerprint,
            defaults={"at": at, "run_after": now},
        )
        queue = created or _revive(job, now)
        if queue:
            _enqueue(job)
    return job


def request_round(round, at: dt.datetime | None = None) -> BuildJob | None:
    """The job that builds the whole round (the ZIP job) as the public will see it at
    ``at`` (default: its publication moment), after taking over the round's jobs whose
    workers died. None if nothing of the round will be public then."""
    at = at or prebuilt.publication_moment(round)
    fingerprint = prebuilt.zip_fingerprint(round, at)
    if fingerprint is None:
        return None
    recover(round=round)
    return request(Kind.ZIP, round, None, fingerprint, at)


def recover(*, round=None, now=None) -> list[BuildJob]:
    """Queue again every job whose worker died (a running job whose lease has passed)
    and every queued job that is due: for a worker starting (``recover_builds``), whose
    queue may have lost tasks, and for a round's build. Returns the jobs queued."""
    now = now or timezone.now()
    stale = Q(state=State.RUNNING, lease_until__lt=now) | Q(state=State.QUEUED, run_after__lte=now)
    jobs = BuildJob.objects.filter(stale)
    if round is not None:
        jobs = jobs.filter(round=round)
    queued = []
    with transaction.atomic():
        for job in jobs.select_for_update(of=("self",)).order_by("pk"):
            _set(job, state=State.QUEUED, run_after=now, lease_until=None)
            _enqueue(job)
            queued.append(job)
    return queued


def claim(job_id: int, *, now=None) -> BuildJob | None:
    """Take the job to run it: if it is queued, or running under a lease that has passed
    (taken over). None if there is nothing to do (built, failed, or another worker on it)."""
    now = now or timezone.now()
    with transaction.atomic():
        job = (
            BuildJob.objects.select_for_update(of=("self",))
            .select_related("round", "council")
            .filter(pk=job_id)
            .first()
        )
        if job is None:
            return None
        expired = job.state == State.RUNNING and (job.lease_until is None or job.lease_until < now)
        if job.state != State.QUEUED and not expired:
            return None
        _set(
            job,
            state=State.RUNNING,
            attempts=job.attempts + 1,
            started_at=now,
            lease_until=now + LEASE,
        )
    return job


def _mine(job: BuildJob):
    # The attempt is the run's token: a worker that was taken over (it was only slow)
    # must not overwrite what its successor writes.
    return BuildJob.objects.filter(pk=job.pk, state=State.RUNNING, attempts=job.attempts)


def _heartbeat(job: BuildJob) -> Callable[[], None]:
    renewed = time.monotonic()

    def beat() -> None:
        nonlocal renewed
        if time.monotonic() - renewed >= HEARTBEAT.total_seconds():
            renewed = time.monotonic()
            _mine(job).update(lease_until=timezone.now() + LEASE)

    return beat


def _build(job: BuildJob, heartbeat: Callable[[], None]) -> BuiltReport | None:
    if job.kind == Kind.ZIP:
        return prebuilt.build_round(job.round, at=job.at, heartbeat=heartbeat)
    if job.kind == Kind.NATIONAL:
        return prebuilt.national_pdf(job.round, job.at)
    return prebuilt.council_pdf(job.council, job.round, job.at)


def backoff(attempts: int) -> dt.timedelta:
    return FIRST_RETRY * 4 ** max(0, attempts - 1)


def _error(error: BaseException) -> str:
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text[: ERROR_LENGTH - 1] + "…" if len(text) > ERROR_LENGTH else text


def run(job_id: int) -> str:
    """Claim the job and build its file; on a failure, retry later or mark it failed."""
    from .tasks import BUILDS

    job = claim(job_id)
    if job is None:
        return f"build job {job_id}: nothing to do"
    start = time.perf_counter()
    try:
        built = _build(job, _heartbeat(job))
    except Exception as error:
        BUILDS.labels("failed").observe(time.perf_counter() - start)
        logger.exception("Report build job %s (attempt %s) failed", job.pk, job.attempts)
        return _failed(job, error)
    BUILDS.labels("built").observe(time.perf_counter() - start)
    _mine(job).update(
        state=State.BUILT, finished_at=timezone.now(), lease_until=None, last_error=""
    )
    return built.file.name if built else f"{job}: nothing of it is public then"


def _failed(job: BuildJob, error: BaseException) -> str:
    now = timezone.now()
    message = _error(error)
    if job.attempts >= MAX_ATTEMPTS:
        _mine(job).update(state=State.FAILED, finished_at=now, lease_until=None, last_error=message)
        return f"{job}: failed after {job.attempts} attempts: {message}"
    when = now + backoff(job.attempts)
    if _mine(job).update(state=State.QUEUED, run_after=when, lease_until=None, last_error=message):
        _enqueue(job, when)
    return f"{job}: attempt {job.attempts} failed, retrying at {when:%H:%M:%S}: {message}"


def can_rebuild(job: BuildJob, now=None) -> bool:
    """Staff may start again a job that failed or is stuck, not one a worker is on."""
    now = now or timezone.now()
    if job.state == State.RUNNING:
        return job.lease_until is None or job.lease_until < now
    return job.state in (State.FAILED, State.QUEUED)


def rebuild(job: BuildJob, user) -> BuildJob:
    """Start the job again from its first attempt (staff, from the round page). Its
    history row names who did and, as its change reason, the state it was in; the last
    error stays shown until a build succeeds."""
    with transaction.atomic():
        job = BuildJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
        job._change_reason = job.state
        job.state = State.QUEUED
        job.attempts = 0
        job.run_after = timezone.now()
        job.lease_until = None
        job._history_user = user
        job.save()
        _enqueue(job)
    return job


def describe(job: BuildJob) -> str:
    """What the job builds, in words for staff."""
    if job.kind == Kind.COUNCIL:
        return f"{job.council.name}’s {job.round.year} report (PDF)"
    if job.kind == Kind.NATIONAL:
        return f"The {job.round.year} national report (PDF)"
    return f"Every {job.round.year} report and the ZIP of them"


def unfinished(round) -> list[BuildJob]:
    """The round's jobs that are not built: failed first, then running, then queued."""
    order = {State.FAILED: 0, State.RUNNING: 1, State.QUEUED: 2}
    jobs = BuildJob.objects.filter(round=round, state__in=UNFINISHED).select_related("council")
    return sorted(jobs, key=lambda j: (order[j.state], j.kind, j.council.name if j.council else ""))


def retry_after(job: BuildJob) -> int:
    """Seconds to wait before asking again for the job's file (for ``Retry-After``): its
    share of the queue ahead of it, at least 5 s and at most 5 minutes (a failed job:
    5 minutes; it waits for staff)."""
    if job.state == State.FAILED:
        return MAX_RETRY_AFTER
    pdfs = 1
    if job.kind == Kind.ZIP:
        public = embargo.published_ratings(job.at).filter(round=job.round)
        pdfs = public.values("council").distinct().count() + 1
    ahead = BuildJob.objects.filter(
        state__in=(State.QUEUED, State.RUNNING), created_at__lt=job.created_at
    ).count()
    workers = prebuilt.build_processes()
    seconds = math.ceil((pdfs + ahead) * SECONDS_PER_PDF / workers)
    if job.state == State.QUEUED and job.run_after:
        seconds += max(0, math.ceil((job.run_after - timezone.now()).total_seconds()))
    return min(MAX_RETRY_AFTER, max(5, seconds))


class JobsCollector:
    """``portal_report_build_jobs{state=...}``: build jobs by state, read at each scrape
    (a queue that grows, or failures, should page someone)."""

    @staticmethod
    def _gauge():
        return GaugeMetricFamily(
            "portal_report_build_jobs", "Report build jobs by state.", labels=["state"]
        )

    def describe(self):
        # Registering asks for the names: without this it would collect, a query at import.
        return [self._gauge()]

    def collect(self):
        gauge = self._gauge()
        try:
            counts = dict(BuildJob.objects.values_list("state").annotate(n=Count("pk")).order_by())
        except Exception:  # the database is down: /metrics still answers
            logger.warning("Could not count the report build jobs", exc_info=True)
            counts = {}
        for state in State.values:
            gauge.add_metric([state], counts.get(state, 0))
        yield gauge


REGISTRY.register(JobsCollector())
