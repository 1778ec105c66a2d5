"""Reports built before anyone asks: stored by content, served as files, rebuilt on a
correction, built when the workspace schedules a round, and never served early."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import prebuilt
from reports.models import BuiltReport
from tests.workspace import staff
from workspace import models as workspace_models

from ..factories import RatingFactory

pytestmark = pytest.mark.django_db

PDF_URL = "/councils/walsall/2004/report.pdf"
ZIP_URL = "/ratings/2004/reports.zip"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_build_reports_builds_the_round_with_a_progress_bar_and_then_finds_it_built(rated, call):
    status, out, err = call("build_reports", "--year", "2004")

    assert status == 0
    assert "Built the 2004 reports" in out
    assert "2004 council reports" in err and "3/3" in err  # tqdm's bar
    kinds = sorted(BuiltReport.objects.values_list("kind", flat=True))
    assert kinds == ["council", "council", "council", "national", "zip"]

    call("build_reports", "--year", "2004")
    assert BuiltReport.objects.count() == 5  # nothing built twice


def test_build_reports_explains_a_bad_year(rated, call):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="There is no 1999 round; the rounds are: 2003, 2004"):
        call("build_reports", "--year", "1999")


def test_a_download_serves_the_stored_file(rated, client):
    built = prebuilt.council_pdf(rated["walsall"], rated["r2004"])

    response = client.get(PDF_URL)

    assert response.status_code == 200
    assert response.streaming  # a FileResponse from storage, not a fresh rendering
    with built.file.open("rb") as stored:
        assert body(response) == stored.read()
    assert BuiltReport.objects.count() == 1


def test_a_report_not_yet_built_is_built_by_its_job_and_kept(rated, client, download):
    assert not BuiltReport.objects.exists()
    first = body(download(PDF_URL))
    assert "Walsall" in PdfReader(io.BytesIO(first)).pages[0].extract_text()
    assert BuiltReport.objects.filter(kind="council").count() == 1
    assert body(client.get(PDF_URL)) == first
    assert BuiltReport.objects.filter(kind="council").count() == 1


def test_a_correction_makes_a_new_file_and_the_old_one_is_no_longer_served(rated, download):
    old = prebuilt.council_pdf(rated["walsall"], rated["r2004"])
    when = timezone.now() - dt.timedelta(minutes=1)
    RatingFactory(
        round=rated["r2004"],
        council=rated["walsall"],
        revision=2,
        published_at=when,
        note="Revised: children's services re-judged.",
        children_serving="yes",
        children_prospects="excellent",
    )

    response = download(PDF_URL)

    served = body(response)
    with old.file.open("rb") as handle:
        assert served != handle.read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(served)).pages)
    assert "children's services re-judged" in text.replace("’", "'")
    new = BuiltReport.objects.exclude(pk=old.pk).get(kind="council")
    assert new.fingerprint != old.fingerprint
    assert response["ETag"] == f'"{new.fingerprint}"'


def test_the_zip_holds_every_council_report_and_the_national_report(rated, client, download):
    response = download(ZIP_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="2004-performance-reports.zip"'
    names = sorted(zipfile.ZipFile(io.BytesIO(body(response))).namelist())
    assert names == [
        "2004-national-report.pdf",
        "devon-2004-performance-report.pdf",
        "dudley-2004-performance-report.pdf",
        "walsall-2004-performance-report.pdf",
    ]
    again = client.get(ZIP_URL, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_scheduling_in_the_workspace_builds_the_reports_which_wait_for_publication(
    settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_BUILD_ON_PUBLICATION = True
    case = staff.open_round(councils=1)
    workspace_models.Assessment.objects.create(
        round=case.round,
        council=case.council,
        state="agreed",
        adults_serving="most",
        adults_prospects="promising",
        children_serving="most",
        children_prospects="promising",
    )
    publisher = Client()
    publisher.force_login(staff.publisher())
    when = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    local = timezone.localtime(when)
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(
            reverse("workspace:publication", args=[case.round.year]),
            {
                "action": "schedule",
                "date": local.date().isoformat(),
                "time": local.strftime("%H:%M"),
            },
        )
    assert response.status_code == 302

    # Built already (the immediate task backend ran at the commit)...
    assert sorted(BuiltReport.objects.values_list("kind", flat=True)) == [
        "council",
        "national",
        "zip",
    ]
    built = BuiltReport.objects.get(kind="council")
    public = Client()
    pdf_url = f"/councils/{case.council.slug}/{case.round.year}/report.pdf"
    zip_url = f"/ratings/{case.round.year}/reports.zip"
    # ...but not served before the publication time.
    for url in (pdf_url, zip_url, f"/ratings/{case.round.year}/report.pdf"):
        assert public.get(url).status_code == 404

    with time_machine.travel(when + dt.timedelta(seconds=1), tick=False):
        response = public.get(pdf_url)
        assert response.status_code == 200
        with built.file.open("rb") as stored:
            assert body(response) == stored.read()
        assert public.get(zip_url).status_code == 200
    assert BuiltReport.objects.count() == 3  # served what was built; nothing new
