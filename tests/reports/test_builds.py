"""Build jobs: a file not built yet is a 503 that queues one build, however many ask; a
failed build is retried with a backoff, then marked failed; a build whose worker died is
taken over; the embargo's 404 comes first; nginx may send the files; a round's PDFs are
drawn in several processes.

No test here draws a real PDF: the reports are drawn as text (``text_pdfs``), and tasks
are queued, not run, where the test is about the queue (django-tasks' dummy backend).
"""

import dataclasses
import datetime as dt
import json
import threading
import zipfile

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from django_tasks.signals import task_enqueued

from reports import builds, prebuilt, rendering
from reports.models import BuildJob, BuiltReport

from ..factories import AssessmentRoundFactory, RatingFactory

pytestmark = pytest.mark.django_db

PDF_URL = "/councils/walsall/2004/report.pdf"
NATIONAL_URL = "/ratings/2004/report.pdf"
ZIP_URL = "/ratings/2004/reports.zip"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _text_pdf(report, **kwargs) -> bytes:
    return ("%PDF-text\n" + json.dumps(dataclasses.asdict(report), default=str)).encode()


@pytest.fixture
def text_pdfs(monkeypatch):
    monkeypatch.setattr(rendering, "council_report_pdf", _text_pdf)
    monkeypatch.setattr(rendering, "national_report_pdf", _text_pdf)
    monkeypatch.setattr(rendering, "warm_up", lambda: None)


@pytest.fixture
def queued(settings):
    """The tasks queued and not run (the dummy backend), as a list of (name, args, when)."""
    from django_tasks import task_backends

    settings.TASKS = DUMMY_TASKS
    backend = task_backends["default"]
    backend.clear()

    def tasks():
        return [(r.task.name, list(r.args), r.task.run_after) for r in backend.results]

    return tasks


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- 503 while a file is being prepared ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind", "link"),
    [
        (PDF_URL, "council", "/councils/walsall/2004/report/"),
        (NATIONAL_URL, "national", "/ratings/2004/summary/"),
        (ZIP_URL, "zip", "/ratings/2004/"),
    ],
)
def test_a_file_not_built_is_a_503_that_queues_its_build(
    rated, client, queued, django_capture_on_commit_callbacks, text_pdfs, url, kind, link
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)

    assert response.status_code == 503
    assert 5 <= int(response["Retry-After"]) <= 300
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "being prepared" in html
    assert f'href="{link}"' in html
    assert 'class="govuk-header"' in html  # the site's layout
    job = BuildJob.objects.get()
    assert (job.kind, job.state, job.round, job.attempts) == (kind, "queued", rated["r2004"], 0)
    assert queued() == [("run_build", [job.pk], None)]
    assert not BuiltReport.objects.exists()  # nothing drawn in the request

    # The 503 was not cached: once the worker has built the file, it is served.
    assert builds.run(job.pk).startswith("reports/2004/")
    again = client.get(url)
    assert again.status_code == 200
    assert body(again).startswith(b"%PDF-text" if kind != "zip" else b"PK")


def test_ten_requests_for_a_file_queue_one_build(
    rated, client, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = {client.get(PDF_URL).status_code for _ in range(10)}
        answers |= {client.get(f"{PDF_URL}?x={n}").status_code for n in range(3)}
    assert answers == {503}
    assert BuildJob.objects.count() == 1
    assert queued() == [("run_build", [BuildJob.objects.get().pk], None)]


def test_the_zip_is_worked_out_once_while_it_is_being_prepared(rated, client, queued, monkeypatch):
    calls = []
    real = prebuilt.zip_fingerprint
    monkeypatch.setattr(prebuilt, "zip_fingerprint", lambda *a: calls.append(1) or real(*a))
    for _ in range(3):
        assert client.get(ZIP_URL).status_code == 503
    assert len(calls) == 1


@pytest.mark.parametrize("url", ["/councils/walsall/2005/report.pdf", "/ratings/2005/report.pdf"])
def test_an_embargoed_file_is_404_and_queues_nothing(rated, client, queued, url):
    embargoed = AssessmentRoundFactory(year=2005, embargoed=True)
    RatingFactory(round=embargoed, council=rated["walsall"])
    assert client.get(url).status_code == 404
    assert client.get("/ratings/2005/reports.zip").status_code == 404
    assert not BuildJob.objects.exists()
    assert queued() == []


# --- retries, failure, takeover ----------------------------------------------------------


def _job(rated, **fields) -> BuildJob:
    report = prebuilt.assembly.council_report(rated["walsall"], rated["r2004"])
    return BuildJob.objects.create(
        kind="council",
        round=rated["r2004"],
        council=rated["walsall"],
        fingerprint=report.fingerprint(),
        at=timezone.now(),
        **fields,
    )


def _broken(report, **kwargs):
    raise OSError("WeasyPrint: cannot load font")


def test_a_failure_schedules_a_retry_with_a_backoff(
    rated, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(rendering, "council_report_pdf", _broken)
    job = _job(rated)
    start = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        outcome = builds.run(job.pk)

    assert "retrying" in outcome
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("queued", 1)
    assert job.last_error == "OSError: WeasyPrint: cannot load font"
    ((name, args, when),) = queued()
    assert (name, args) == ("run_build", [job.pk])
    assert when == job.run_after
    assert start + builds.FIRST_RETRY <= when <= timezone.now() + builds.FIRST_RETRY
    assert builds.backoff(2) == 4 * builds.FIRST_RETRY  # exponential

    # The retry, later, succeeds.
    monkeypatch.setattr(rendering, "council_report_pdf", _text_pdf)
    builds.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.last_error) == ("built", 2, "")


def test_after_the_last_attempt_the_job_is_failed(
    rated, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(rendering, "council_report_pdf", _broken)
    job = _job(rated, attempts=builds.MAX_ATTEMPTS - 1)
    with django_capture_on_commit_callbacks(execute=True):
        builds.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("failed", builds.MAX_ATTEMPTS)
    assert "cannot load font" in job.last_error
    assert queued() == []  # no more retries: the workspace shows it
    # A failed job is not queued again by the next request: staff rebuild it.
    builds.request(job.kind, job.round, job.council, job.fingerprint, timezone.now())
    assert queued() == []


def test_a_long_error_is_cut_to_fit(rated, queued, monkeypatch):
    def very_broken(report, **kwargs):
        raise ValueError("x" * 5000)

    monkeypatch.setattr(rendering, "council_report_pdf", very_broken)
    job = _job(rated, attempts=builds.MAX_ATTEMPTS - 1)
    builds.run(job.pk)
    job.refresh_from_db()
    assert len(job.last_error) == 500 and job.last_error.endswith("…")


def _stale(rated) -> BuildJob:
    """A job its worker was killed in the middle of: running, its lease long passed."""
    return _job(
        rated,
        state="running",
        attempts=1,
        lease_until=timezone.now() - dt.timedelta(minutes=5),
    )


def test_a_stale_running_job_is_taken_over_by_the_next_request_and_completed(
    rated, client, queued, text_pdfs, django_capture_on_commit_callbacks
):
    job = _stale(rated)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(PDF_URL).status_code == 503
    assert queued() == [("run_build", [job.pk], None)]
    job.refresh_from_db()
    assert job.state == "queued"

    builds.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.lease_until) == ("built", 2, None)
    assert client.get(PDF_URL).status_code == 200


def test_a_running_job_with_a_live_lease_is_left_to_its_worker(rated, client, queued):
    job = _job(
        rated, state="running", attempts=1, lease_until=timezone.now() + dt.timedelta(minutes=1)
    )
    assert client.get(PDF_URL).status_code == 503
    assert builds.claim(job.pk) is None
    assert builds.recover() == []
    assert queued() == []


def test_a_worker_that_was_taken_over_does_not_overwrite_its_successor(rated, text_pdfs):
    job = _stale(rated)
    first = BuildJob.objects.get(pk=job.pk)
    first.attempts = 1  # what the slow worker knows
    successor = builds.claim(job.pk)
    assert successor.attempts == 2
    builds._failed(first, OSError("late"))
    job.refresh_from_db()
    assert (job.state, job.last_error) == ("running", "")


def test_recover_builds_queues_stale_and_due_jobs(
    rated, call, queued, django_capture_on_commit_callbacks
):
    stale = _stale(rated)
    due = BuildJob.objects.create(
        kind="national",
        round=rated["r2004"],
        fingerprint="n" * 64,
        at=timezone.now(),
        run_after=timezone.now() - dt.timedelta(seconds=1),
    )
    BuildJob.objects.create(
        kind="zip", round=rated["r2004"], fingerprint="z" * 64, at=timezone.now(), state="failed"
    )
    with django_capture_on_commit_callbacks(execute=True):
        status, out, _ = call("recover_builds")
    assert status == 0
    assert "2 report build jobs queued again" in out
    assert sorted(args[0] for _, args, _ in queued()) == sorted([stale.pk, due.pk])
    stale.refresh_from_db()
    assert stale.state == "queued"


def test_the_round_build_takes_over_a_stale_job_of_its_round(
    rated, text_pdfs, django_capture_on_commit_callbacks
):
    stale = _stale(rated)
    with django_capture_on_commit_callbacks(execute=True):
        job = builds.request_round(rated["r2004"])
    stale.refresh_from_db()
    job.refresh_from_db()
    assert stale.state == "built"  # queued again by the round's build, and run
    assert job.kind == "zip" and job.state == "built"
    assert BuiltReport.objects.filter(kind="council").count() == 3


def test_build_jobs_by_state_are_a_metric(rated, client):
    _stale(rated)
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'portal_report_build_jobs{state="running"} 1.0' in text
    assert 'portal_report_build_jobs{state="failed"} 0.0' in text


# --- nginx sends the file --------------------------------------------------------------------


def test_with_accel_redirect_nginx_sends_the_file(rated, client, settings, text_pdfs):
    settings.REPORTS_ACCEL_REDIRECT = "/_protected_reports/"
    built = prebuilt.council_pdf(rated["walsall"], rated["r2004"])

    response = client.get(PDF_URL)

    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected_reports/{built.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="walsall-2004-performance-report.pdf"'
    )
    assert response["ETag"] == f'"{built.fingerprint}"'
    assert response["Last-Modified"] and response["Cache-Control"].startswith("public")
    # Conditional requests are still answered here.
    assert client.get(PDF_URL, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_without_accel_redirect_the_file_is_sent_from_here(rated, client, settings, text_pdfs):
    settings.REPORTS_ACCEL_REDIRECT = ""
    prebuilt.council_pdf(rated["walsall"], rated["r2004"])
    response = client.get(PDF_URL)
    assert "X-Accel-Redirect" not in response
    assert body(response).startswith(b"%PDF-text")


# --- a round in several processes --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_round_is_built_in_two_processes(rated, text_pdfs):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("forked processes cannot open the test's in-memory SQLite database")
    built = prebuilt.build_round(rated["r2004"], processes=2)
    names = sorted(zipfile.ZipFile(built.file.open("rb")).namelist())
    assert names == [
        "2004-national-report.pdf",
        "devon-2004-performance-report.pdf",
        "dudley-2004-performance-report.pdf",
        "walsall-2004-performance-report.pdf",
    ]
    assert BuiltReport.objects.filter(kind="council").count() == 3
    # The same round built again in one process finds every file.
    assert prebuilt.build_round(rated["r2004"], processes=1) == built


@pytest.mark.django_db(transaction=True)
def test_ten_requests_at_once_queue_one_build(rated, queued):
    """Ten threads, each with its own database connection, ask at the same moment."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite takes one writer at a time: nothing to race")
    start = threading.Barrier(10)
    answers = []
    enqueued = []  # from every thread (each has its own backend instance)

    def count(sender, task_result, **kwargs):
        enqueued.append(task_result.task.name)

    task_enqueued.connect(count, weak=False)

    def ask():
        try:
            start.wait()
            answers.append(Client().get(PDF_URL).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    task_enqueued.disconnect(count)
    assert answers == [503] * 10
    assert BuildJob.objects.count() == 1
    assert enqueued == ["run_build"]
