"""Thin views over ``reports.assembly``, ``reports.prebuilt`` and ``reports.builds``.

Only published data: the round and the council's rating come through the embargo gate
(``ratings.embargo``), and anything not public at the time of the request is a 404,
before anything else is looked at. The PDFs and the ZIP are files built by a worker
(``reports.builds``), served with ``FileResponse`` (or by nginx, with
``X-Accel-Redirect``, when ``REPORTS_ACCEL_REDIRECT`` is set); each carries the report's
fingerprint as its ETag and the publication time of the round or the shown revision as
its Last-Modified, and conditional requests are answered with 304. A file not built yet
is never drawn in the request: the answer is a 503 with ``Retry-After`` and a page that
links to the report's HTML, and one build job is queued however many ask.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.views.decorators.http import require_safe

from ratings import embargo, page_cache
from ratings.models import Council
from ratings.page_cache import cached_public_page

from . import assembly, builds, prebuilt
from .models import BuildJob, BuiltReport

Kind = BuiltReport.Kind


def _council_report_or_404(slug: str, year: int, now):
    council = get_object_or_404(Council.objects.select_related("region"), slug=slug)
    round = embargo.published_round(year, now)
    report = assembly.council_report(council, round, now) if round else None
    if report is None:
        raise Http404("No published rating for that council and year.")
    return report


def _national_report_or_404(year: int, now):
    round = embargo.published_round(year, now)
    report = assembly.national_report(round, now) if round else None
    if report is None:
        raise Http404("No published ratings for that year.")
    return report


def _validators(report) -> tuple[str, float]:
    return quote_etag(report.fingerprint()), report.published_at.timestamp()


def _with_validators(response, etag: str, last_modified: float):
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    response.headers["Cache-Control"] = page_cache.public_cache_control()
    return response


@dataclass(frozen=True)
class Download:
    """Which stored file a download URL serves, and its validators."""

    name: str  # in storage
    etag: str
    last_modified: float
    filename: str
    content_type: str


@dataclass(frozen=True)
class BeingPrepared:
    """A public file not built yet: its build job, and where its HTML version is."""

    job: BuildJob
    title: str
    html_url: str
    html_text: str


def _download(request, find: Callable[[dt.datetime], Download | BeingPrepared]):
    """Serve the stored file ``find`` names (``FileResponse``, or ``X-Accel-Redirect``),
    or 304; or, if it is not built yet, 503 (``find`` has queued its build).

    Which file a URL serves is cached under the page cache's key for the request (the
    publication watermark and the data generation, ``page_cache.download_key``), so that
    a download after the first is a cache lookup and a file, not the assembly of the
    report: it cannot outlive the data, and an embargoed file is never in it (only what
    ``find`` found public is stored, and the key moves when a publication time passes).
    A file being prepared is never cached: the next request must find it once built.
    """
    now = embargo.now()
    key = page_cache.download_key(request, now)
    download = cache.get(key)
    if download is None:
        found = find(now)  # Http404 for anything not public, before any build is asked for
        if isinstance(found, BeingPrepared):
            return _being_prepared(request, found)
        download = found
        cache.set(key, download, page_cache.TIMEOUT)
    not_modified = get_conditional_response(
        request, etag=download.etag, last_modified=download.last_modified
    )
    if not_modified is not None:
        return _with_validators(not_modified, download.etag, download.last_modified)
    if settings.REPORTS_ACCEL_REDIRECT and isinstance(default_storage, FileSystemStorage):
        response = _accel_redirect(download)
    else:
        response = FileResponse(
            default_storage.open(download.name, "rb"),
            as_attachment=True,
            filename=download.filename,
            content_type=download.content_type,
        )
    return _with_validators(response, download.etag, download.last_modified)


def _accel_redirect(download: Download) -> HttpResponse:
    """An empty answer naming the file for nginx to send (its ``internal`` location at
    ``REPORTS_ACCEL_REDIRECT`` aliases ``MEDIA_ROOT``), with the headers it passes on."""
    response = HttpResponse(content_type=download.content_type)
    response.headers["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=download.filename
    )
    prefix = settings.REPORTS_ACCEL_REDIRECT.rstrip("/") + "/"
    response.headers["X-Accel-Redirect"] = prefix + quote(download.name)
    return response


def _being_prepared(request, pending: BeingPrepared):
    seconds = builds.retry_after(pending.job)
    minutes = max(1, math.ceil(seconds / 60))
    response = render(
        request,
        "reports/being_prepared.html",
        {
            "title": pending.title,
            "html_url": pending.html_url,
            "html_text": pending.html_text,
            "minutes_text": f"{minutes} minute{'' if minutes == 1 else 's'}",
        },
        status=503,
    )
    response.headers["Retry-After"] = str(seconds)
    # Neither nginx nor a browser may keep this: the file will be there soon.
    response.headers["Cache-Control"] = "no-store"
    return response


def _pdf_download(report, built) -> Download:
    etag, last_modified = _validators(report)
    return Download(built.file.name, etag, last_modified, report.filename, "application/pdf")


@require_safe
@cached_public_page(reads_query=False)
def council_report(request, slug: str, year: int):
    """The council's performance report as a page of the site."""
    report = _council_report_or_404(slug, year, embargo.now())
    # Staff see their own navigation (and a CSRF token) in the page: no validators for them.
    public = not request.user.is_authenticated
    etag, last_modified = _validators(report)
    if public:
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return _with_validators(not_modified, etag, last_modified)
    response = render(
        request,
        "reports/council_report_page.html",
        {
            "report": report,
            "for_pdf": False,
            "site_url": "",
            "breadcrumbs": [
                ("Home", reverse("home")),
                ("Councils", reverse("council-search")),
                (report.council, reverse("council-year", args=[slug, year])),
            ],
        },
    )
    if not public:
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return _with_validators(response, etag, last_modified)


def _pdf_or_being_prepared(report, what, title: str, instead: tuple[str, str]):
    """The stored PDF of ``report`` or, if it is not built yet, "being prepared" (a 503
    that queues its one build job), pointing to ``instead`` (a link and its words).
    ``what``: the file's kind, round, council (or None) and the moment it is for."""
    kind, round, council, now = what
    fingerprint = report.fingerprint()
    built = prebuilt.stored(kind, round, council, fingerprint)
    if built is not None:
        return _pdf_download(report, built)
    return BeingPrepared(builds.request(kind, round, council, fingerprint, now), title, *instead)


@require_safe
def council_report_pdf(request, slug: str, year: int):
    def find(now):
        council = get_object_or_404(Council, slug=slug)
        round = embargo.published_round(year, now)
        report = assembly.council_report(council, round, now) if round else None
        if report is None:
            raise Http404("No published rating for that council and year.")
        return _pdf_or_being_prepared(
            report,
            (Kind.COUNCIL, round, council, now),
            f"{council.name}’s {year} performance report (PDF)",
            (reverse("council-report", args=[slug, year]), "read the report on this site"),
        )

    return _download(request, find)


@require_safe
def national_report_pdf(request, year: int):
    def find(now):
        report = _national_report_or_404(year, now)
        round = embargo.published_round(year, now)
        return _pdf_or_being_prepared(
            report,
            (Kind.NATIONAL, round, None, now),
            f"The {year} national report (PDF)",
            (
                reverse("national-summary", args=[year]),
                f"read the {year} national summary on this site",
            ),
        )

    return _download(request, find)


def _zip_fingerprint(request, round, now) -> str | None:
    """The round's ZIP's fingerprint, assembling every report of the round (seconds): kept
    under the download's key, so that while the ZIP is being prepared each request does
    not assemble them all again. A fact about the data, not the 503: it moves with it."""
    key = page_cache.download_key(request, now) + ":zip-fingerprint"
    fingerprint = cache.get(key)
    if fingerprint is None:
        fingerprint = prebuilt.zip_fingerprint(round, now)
        cache.set(key, fingerprint, page_cache.TIMEOUT)
    return fingerprint


@require_safe
def round_reports_zip(request, year: int):
    """Every council report of a published round, and the national report, in one ZIP."""

    def find(now):
        round = embargo.published_round(year, now)
        fingerprint = _zip_fingerprint(request, round, now) if round else None
        if fingerprint is None:
            raise Http404("No published ratings for that year.")
        built = prebuilt.stored(Kind.ZIP, round, None, fingerprint)
        if built is None:
            return BeingPrepared(
                builds.request(Kind.ZIP, round, None, fingerprint, now),
                f"The {year} reports of every council (ZIP)",
                reverse("league-table", args=[year]),
                f"see the {year} ratings on this site",
            )
        last_modified = _national_report_or_404(year, now).published_at.timestamp()
        return Download(
            built.file.name,
            quote_etag(built.fingerprint),
            last_modified,
            prebuilt.zip_filename(round),
            "application/zip",
        )

    return _download(request, find)
