"""Report files built once and served many times.

``council_pdf``, ``national_pdf`` and ``round_zip`` return the stored file for what the
report shows now, building and storing it first if there is none (a download of a report
not yet built renders it on demand). ``build_round`` builds a whole round ahead of its
publication: the background task and the ``build_reports`` command call it.

Reports are assembled as the public will see them at ``at`` (for a round being
published, its publication time), so a file built before publication is the file served
after it. Whether anyone may have it is the views' question, not this module's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ratings import embargo
from ratings.models import AssessmentRound, Council

from . import assembly, rendering
from .models import BuiltReport

Kind = BuiltReport.Kind


def _base_url() -> str:
    # Links in a PDF are absolute and must not depend on who asked first.
    return settings.PORTAL_BASE_URL


def _stored(kind, round, council, fingerprint) -> BuiltReport | None:
    return BuiltReport.objects.filter(
        kind=kind, round=round, council=council, fingerprint=fingerprint
    ).first()


def _store(kind, round, council, fingerprint, name: str, content: bytes) -> BuiltReport:
    built = BuiltReport(
        kind=kind, round=round, council=council, fingerprint=fingerprint, size=len(content)
    )
    built.file.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            built.save()
    except IntegrityError:
        # Built at the same moment by another worker: keep theirs, drop ours.
        built.file.delete(save=False)
        built = _stored(kind, round, council, fingerprint)
    return built


def _stored_or_built(kind, round, council, report, render: Callable[[], bytes], name: str):
    fingerprint = report.fingerprint()
    return _stored(kind, round, council, fingerprint) or _store(
        kind, round, council, fingerprint, name, render()
    )


def council_pdf(council: Council, round: AssessmentRound, at=None) -> BuiltReport | None:
    """The council's report PDF as published at ``at`` (None if nothing is published)."""
    report = assembly.council_report(council, round, at)
    if report is None:
        return None
    return council_pdf_for(report, council, round)


def council_pdf_for(report, council, round) -> BuiltReport:
    name = f"{round.year}/{report.council_slug}-{round.year}-{report.fingerprint()[:16]}.pdf"
    return _stored_or_built(
        Kind.COUNCIL,
        round,
        council,
        report,
        lambda: rendering.council_report_pdf(report, base_url=_base_url()),
        name,
    )


def national_pdf(round: AssessmentRound, at=None) -> BuiltReport | None:
    report = assembly.national_report(round, at)
    if report is None:
        return None
    return national_pdf_for(report, round)


def national_pdf_for(report, round) -> BuiltReport:
    name = f"{round.year}/{round.year}-national-report-{report.fingerprint()[:16]}.pdf"
    return _stored_or_built(
        Kind.NATIONAL,
        round,
        None,
        report,
        lambda: rendering.national_report_pdf(report, base_url=_base_url()),
        name,
    )


def zip_filename(round: AssessmentRound) -> str:
    return f"{round.year}-performance-reports.zip"


def round_zip(
    round: AssessmentRound, at=None, *, progress: Callable[[Iterable], Iterable] | None = None
) -> BuiltReport | None:
    """Every council report of the round (and the national report) in one ZIP; built from
    the stored PDFs, building any that are missing."""
    at = at or timezone.now()
    national = national_pdf(round, at)
    if national is None:
        return None
    councils = list(
        Council.objects.filter(
            pk__in=embargo.published_ratings(at).filter(round=round).values("council_id")
        ).order_by("name")
    )
    parts = [national]
    for council in (progress or iter)(councils):
        built = council_pdf(council, round, at)
        if built is not None:
            parts.append(built)
    fingerprint = hashlib.sha256("\n".join(part.fingerprint for part in parts).encode()).hexdigest()
    stored = _stored(Kind.ZIP, round, None, fingerprint)
    if stored is not None:
        return stored
    buffer = io.BytesIO()
    # PDFs are compressed already: stored, not deflated again (much faster, hardly larger).
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for part in parts:
            name = (
                f"{round.year}-national-report.pdf"
                if part.kind == Kind.NATIONAL
                else f"{part.council.slug}-{round.year}-performance-report.pdf"
            )
            with part.file.open("rb") as handle:
                archive.writestr(name, handle.read())
    return _store(
        Kind.ZIP,
        round,
        None,
        fingerprint,
        f"{round.year}/{round.year}-performance-reports-{fingerprint[:16]}.zip",
        buffer.getvalue(),
    )


def publication_moment(round: AssessmentRound, now: dt.datetime | None = None) -> dt.datetime:
    """When to assemble a round's reports for: its publication time, or now if that has
    passed (a correction published since then changes what is shown)."""
    now = now or timezone.now()
    return embargo.becomes_public_at(round, now) or now


def build_round(
    round: AssessmentRound,
    *,
    councils: Iterable[Council] | None = None,
    at: dt.datetime | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> BuiltReport | None:
    """Build (or find) every council PDF of the round, the national PDF and the ZIP, as the
    public will see them at ``at`` (default: the round's publication moment). Returns the
    ZIP's record, or None if nothing of the round will be public then."""
    at = at or publication_moment(round)
    rendering.warm_up()
    if councils is not None:
        for council in councils:
            council_pdf(council, round, at)
    return round_zip(round, at, progress=progress)
