"""The round page's report builds: failed, running and queued builds listed with their
error, a "Rebuild" button for the publisher (POST, CSRF), and the rebuild in the trail."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.models import BuildJob
from workspace import audit

from . import staff

pytestmark = pytest.mark.django_db

ERROR = "WeasyPrint: OSError: no space left on device"


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def jobs():
    case = staff.open_round(councils=2)
    now = timezone.now()

    def job(council, state, **fields):
        return BuildJob.objects.create(
            kind="council" if council else "zip",
            round=case.round,
            council=council,
            fingerprint=f"{state}{council.pk if council else ''}".ljust(64, "0"),
            at=now,
            state=state,
            **fields,
        )

    return {
        "case": case,
        "failed": job(case.councils[0], "failed", attempts=4, last_error=ERROR),
        "running": job(
            case.councils[1], "running", attempts=1, lease_until=now + dt.timedelta(minutes=1)
        ),
        "queued": job(None, "queued", run_after=now),
        "built": job(None, "built", attempts=1),
    }


def test_the_round_page_lists_unfinished_builds_with_their_error(jobs):
    case = jobs["case"]
    response = signed_in(staff.publisher()).get(
        reverse("workspace:publication", args=[case.round.year])
    )
    assert response.status_code == 200
    listed = [job for job, _ in response.context["builds"]]
    assert listed == [jobs["failed"], jobs["running"], jobs["queued"]]  # not the built one
    html = response.content.decode()
    assert ERROR in html
    rebuild = reverse("workspace:rebuild-report", args=[case.round.year, jobs["failed"].pk])
    assert f'action="{rebuild}"' in html
    # No button for a build a worker is on.
    running = reverse("workspace:rebuild-report", args=[case.round.year, jobs["running"].pk])
    assert f'action="{running}"' not in html


def test_a_rebuild_queues_the_job_again_and_is_in_the_trail(
    jobs, django_capture_on_commit_callbacks
):
    case, failed = jobs["case"], jobs["failed"]
    publisher = staff.publisher()
    url = reverse("workspace:rebuild-report", args=[case.round.year, failed.pk])

    with django_capture_on_commit_callbacks() as queued:
        response = signed_in(publisher).post(url)

    assert response.status_code == 302
    assert len(queued) == 1  # its build task, once the rebuild commits
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_error) == ("queued", 0, ERROR)
    (event,) = audit.rebuilds(case.round)
    assert event.who == publisher.username
    assert event.subject == f"Report build: {case.councils[0].name}"
    assert [(c.field, c.before, c.after) for c in event.changes][0] == ("State", "Failed", "Queued")
    page = signed_in(publisher).get(reverse("workspace:publication", args=[case.round.year]))
    assert "rebuilt" in page.content.decode()


def test_a_build_a_worker_is_on_is_not_started_twice(jobs, django_capture_on_commit_callbacks):
    case, running = jobs["case"], jobs["running"]
    url = reverse("workspace:rebuild-report", args=[case.round.year, running.pk])
    with django_capture_on_commit_callbacks() as queued:
        assert signed_in(staff.publisher()).post(url).status_code == 302
    assert queued == []
    running.refresh_from_db()
    assert (running.state, running.attempts) == ("running", 1)


def test_a_rebuild_needs_the_csrf_token(jobs):
    case, failed = jobs["case"], jobs["failed"]
    client = signed_in(staff.publisher(), enforce_csrf_checks=True)
    url = reverse("workspace:rebuild-report", args=[case.round.year, failed.pk])
    assert client.post(url).status_code == 403
    failed.refresh_from_db()
    assert failed.state == "failed"


@pytest.mark.parametrize("job", ["999999", "other round"])
def test_a_job_of_another_round_or_none_is_404(jobs, job):
    case = jobs["case"]
    other = staff.open_round(year=2007, councils=1)
    if job == "other round":
        job = BuildJob.objects.create(
            kind="national",
            round=other.round,
            fingerprint="9" * 64,
            at=timezone.now(),
            state="failed",
        ).pk
    url = reverse("workspace:rebuild-report", args=[case.round.year, job])
    assert signed_in(staff.publisher()).post(url).status_code == 404
