"""Thin views over ``reports.assembly`` and ``reports.prebuilt``.

Only published data: the round and the council's rating come through the embargo gate
(``ratings.embargo``), and anything not public at the time of the request is a 404. The
PDFs and the ZIP are files built ahead (``reports.prebuilt``; built on demand if missing),
served with ``FileResponse``; each carries the report's fingerprint as its ETag and the
publication time of the round or the shown revision as its Last-Modified, and
conditional requests are answered with 304.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from ratings import embargo, page_cache
from ratings.models import Council
from ratings.page_cache import cached_public_page

from . import assembly, prebuilt


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


def _download(request, find: Callable[[dt.datetime], Download]):
    """Serve the stored file ``find`` names (``FileResponse``), or 304.

    Which file a URL serves is cached under the page cache's key for the request (the
    publication watermark and the data generation, ``page_cache.download_key``), so that
    a download after the first is a cache lookup and a file, not the assembly of the
    report: it cannot outlive the data, and an embargoed file is never in it (only what
    ``find`` found public is stored, and the key moves when a publication time passes).
    """
    now = embargo.now()
    key = page_cache.download_key(request, now)
    download = cache.get(key)
    if download is None:
        download = find(now)
        cache.set(key, download, page_cache.TIMEOUT)
    not_modified = get_conditional_response(
        request, etag=download.etag, last_modified=download.last_modified
    )
    if not_modified is not None:
        return _with_validators(not_modified, download.etag, download.last_modified)
    response = FileResponse(
        default_storage.open(download.name, "rb"),
        as_attachment=True,
        filename=download.filename,
        content_type=download.content_type,
    )
    return _with_validators(response, download.etag, download.last_modified)


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


@require_safe
def council_report_pdf(request, slug: str, year: int):
    def find(now):
        council = get_object_or_404(Council, slug=slug)
        round = embargo.published_round(year, now)
        report = assembly.council_report(council, round, now) if round else None
        if report is None:
            raise Http404("No published rating for that council and year.")
        return _pdf_download(report, prebuilt.council_pdf_for(report, council, round))

    return _download(request, find)


@require_safe
def national_report_pdf(request, year: int):
    def find(now):
        report = _national_report_or_404(year, now)
        round = embargo.published_round(year, now)
        return _pdf_download(report, prebuilt.national_pdf_for(report, round))

    return _download(request, find)


@require_safe
def round_reports_zip(request, year: int):
    """Every council report of a published round, and the national report, in one ZIP."""

    def find(now):
        round = embargo.published_round(year, now)
        built = prebuilt.round_zip(round, now) if round else None
        if built is None:
            raise Http404("No published ratings for that year.")
        last_modified = _national_report_or_404(year, now).published_at.timestamp()
        return Download(
            built.file.name,
            quote_etag(built.fingerprint),
            last_modified,
            prebuilt.zip_filename(round),
            "application/zip",
        )

    return _download(request, find)
