"""Report files built once and served many times.

``council_pdf``, ``national_pdf`` and ``round_zip`` return the stored file for what the
report shows at ``at``, building and storing it first if there is none; only builds
(``reports.builds``: a worker, the ``build_reports`` command) call them. The download
views only look files up (``stored``, ``zip_fingerprint``): a file not built yet is a
build job, never a rendering inside a request. ``build_round`` builds a whole round,
its council PDFs in ``settings.REPORT_BUILD_PROCESSES`` processes.

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
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ratings import embargo
from ratings.models import AssessmentRound, Council

from . import assembly, parallel, rendering
from .models import BuiltReport

Kind = BuiltReport.Kind


def _base_url() -> str:
    # Links in a PDF are absolute and must not depend on who asked first.
    return settings.PORTAL_BASE_URL


def stored(kind, round, council, fingerprint) -> BuiltReport | None:
    """The file stored for that content, if it has been built."""
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
        built = stored(kind, round, council, fingerprint)
    return built


def _stored_or_built(kind, round, council, report, render: Callable[[], bytes], name: str):
    fingerprint = report.fingerprint()
    return stored(kind, round, council, fingerprint) or _store(
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


def _round_councils(round: AssessmentRound, at: dt.datetime) -> list[Council]:
    """The councils with a rating in the round that is public at ``at``, by name (the
    ZIP's order)."""
    return list(
        Council.objects.filter(
            pk__in=embargo.published_ratings(at).filter(round=round).values("council_id")
        ).order_by("name")
    )


def _zip_fingerprint(fingerprints: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(fingerprints).encode()).hexdigest()


def zip_fingerprint(round: AssessmentRound, at: dt.datetime) -> str | None:
    """The fingerprint of the round's ZIP as of ``at`` (the national report's and every
    council report's, in the ZIP's order), with nothing rendered; None if nothing of the
    round is public then. Assembles every report: a few seconds for a round."""
    national = assembly.national_report(round, at)
    if national is None:
        return None
    councils = [assembly.council_report(c, round, at) for c in _round_councils(round, at)]
    return _zip_fingerprint(
        [national.fingerprint(), *(report.fingerprint() for report in councils if report)]
    )


def round_zip(
    round: AssessmentRound,
    at=None,
    *,
    progress: Callable[[Iterable], Iterable] | None = None,
    heartbeat: Callable[[], None] | None = None,
) -> BuiltReport | None:
    """Every council report of the round (and the national report) in one ZIP; built from
    the stored PDFs, building any that are missing (in parallel: ``build_round``)."""
    return build_round(round, at=at or timezone.now(), progress=progress, heartbeat=heartbeat)


def _zip(round: AssessmentRound, parts: list[BuiltReport]) -> BuiltReport:
    fingerprint = _zip_fingerprint(part.fingerprint for part in parts)
    found = stored(Kind.ZIP, round, None, fingerprint)
    if found is not None:
        return found
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


def build_processes() -> int:
    return max(1, int(settings.REPORT_BUILD_PROCESSES or 1))


def build_round(
    round: AssessmentRound,
    *,
    councils: Iterable[Council] | None = None,
    at: dt.datetime | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    heartbeat: Callable[[], None] | None = None,
    processes: int | None = None,
) -> BuiltReport | None:
    """Build (or find) every council PDF of the round, the national PDF and the ZIP, as the
    public will see them at ``at`` (default: the round's publication moment). Returns the
    ZIP's record, or None if nothing of the round will be public then.

    The council PDFs are drawn in ``processes`` processes (default
    ``settings.REPORT_BUILD_PROCESSES``); ``heartbeat`` is called as they are done, for a
    build job to keep its lease. ``councils`` are built first, then the rest."""
    at = at or publication_moment(round)
    national = national_pdf(round, at)
    if national is None:
        return None
    in_zip_order = _round_councils(round, at)
    todo = in_zip_order
    if councils is not None:
        first = {c.pk for c in councils}
        todo = sorted(in_zip_order, key=lambda c: c.pk not in first)
    processes = processes or build_processes()
    if processes > 1 and len(todo) > 1 and not connection.in_atomic_block:
        # Forked children cannot share the parent's connection, nor see its uncommitted
        # writes (hence never inside a transaction: there the round is built in-process).
        built = parallel.council_pdfs(round, todo, at, processes, progress, heartbeat)
    else:
        built = _council_pdfs(round, todo, at, progress, heartbeat)
    by_council = {b.council_id: b for b in built if b is not None}
    return _zip(round, [national, *(by_council[c.pk] for c in in_zip_order if c.pk in by_council)])


def _council_pdfs(round, councils, at, progress=None, heartbeat=None) -> list[BuiltReport | None]:
    """The council PDFs built one after another in this process."""
    rendering.warm_up()
    built = []
    for council in (progress or iter)(councils):
        built.append(council_pdf(council, round, at))
        if heartbeat is not None:
            heartbeat()
    return built
