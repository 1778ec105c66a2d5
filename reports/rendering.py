"""The reports as HTML and PDF, from one template each.

``templates/reports/council_report.html`` and ``national_report.html`` are standalone
documents; their bodies are the includes ``_council_report.html`` and
``_national_report.html``, which the site's pages (``*_page.html``, in the site's layout)
include too, so the HTML page and the PDF show the same figures.

PDFs are drawn by WeasyPrint with nothing from the network: the stylesheet
(``static/reports/report.css``) and the fonts it names are read from the file system
through Django's staticfiles finders, and the URL fetcher refuses anything outside the
reports' static folder. Links in a PDF are made absolute with ``base_url`` (the portal's
address: ``settings.PORTAL_BASE_URL`` unless a caller gives one).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from .assembly import CouncilReport, NationalReport

STYLESHEET = "reports/report.css"
# Tagged PDF for accessibility: PDF/UA-1 (tagged structure, the title shown, the language,
# every font embedded) works with these documents, so there is no need to fall back to
# ``pdf_tags=True`` alone.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


# The history chart (ratings.charts) names Arial, which a PDF would take from the system:
# in a PDF it is drawn in the shipped fonts instead, so the PDF needs no system font.
_SVG_FONT = re.compile(r'font-family="[^"]*"')
PDF_CHART_FONT = 'font-family="Report Sans, Report Stars, sans-serif"'


def stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    if not found:  # pragma: no cover - the file is in the repository
        raise FileNotFoundError(STYLESHEET)
    return Path(found)


@cache
def _static_fetcher_class():
    # WeasyPrint is imported when the first PDF is drawn, not when the URLs are loaded: it
    # takes most of a second, which every page and management command would pay.
    from weasyprint.urls import URLFetcher

    class StaticFetcher(URLFetcher):
        """Reads the reports' own static files (the fonts) and nothing else: no network,
        no other file."""

        def __init__(self, root: Path):
            super().__init__(allowed_protocols=["file"])
            self.root = root.resolve()

        def fetch(self, url, headers=None):
            response = super().fetch(url, headers)
            path = Path(response.path or "").resolve()
            if not path.is_relative_to(self.root):
                response.close()
                raise ValueError(f"Reports may read only their own static files, not {url}")
            return response

    return StaticFetcher


def _base_url(base_url: str | None) -> str:
    return (base_url or settings.PORTAL_BASE_URL or "").rstrip("/")


def _context(report, *, for_pdf: bool, base_url: str | None, created: dt.datetime | None):
    chart_svg = getattr(report, "chart_svg", "")
    return {
        "chart_svg": _SVG_FONT.sub(PDF_CHART_FONT, chart_svg) if for_pdf else chart_svg,
        "report": report,
        "for_pdf": for_pdf,
        # Prefixes the portal's own links in a PDF ("" on the site: links stay relative).
        "site_url": _base_url(base_url) if for_pdf else "",
        "created": created or timezone.now(),
        "inspectorate_name": report.publisher,
        "portal_name": report.portal_name,
    }


def _pdf(html: str, base_url: str | None) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    stylesheet = stylesheet_path()
    font_config = FontConfiguration()
    fetcher = _static_fetcher_class()(stylesheet.parent)
    css = CSS(filename=str(stylesheet), font_config=font_config, url_fetcher=fetcher)
    site = _base_url(base_url)
    document = HTML(string=html, base_url=f"{site}/" if site else None, url_fetcher=fetcher)
    rendered = document.render(stylesheets=[css], font_config=font_config, **PDF_OPTIONS)
    return rendered.write_pdf(**PDF_OPTIONS)


def council_report_html(
    report: CouncilReport,
    *,
    for_pdf: bool = False,
    base_url: str | None = None,
    created: dt.datetime | None = None,
) -> str:
    """The council report as a standalone HTML document (with the print layout's extras
    when ``for_pdf``)."""
    return render_to_string(
        "reports/council_report.html",
        _context(report, for_pdf=for_pdf, base_url=base_url, created=created),
    )


def council_report_pdf(
    report: CouncilReport, *, base_url: str | None = None, created: dt.datetime | None = None
) -> bytes:
    """The council report as an A4 PDF (tagged, PDF/UA-1)."""
    html = council_report_html(report, for_pdf=True, base_url=base_url, created=created)
    return _pdf(html, base_url)


def national_report_html(
    report: NationalReport,
    *,
    for_pdf: bool = False,
    base_url: str | None = None,
    created: dt.datetime | None = None,
) -> str:
    """The national report as a standalone HTML document."""
    return render_to_string(
        "reports/national_report.html",
        _context(report, for_pdf=for_pdf, base_url=base_url, created=created),
    )


def national_report_pdf(
    report: NationalReport, *, base_url: str | None = None, created: dt.datetime | None = None
) -> bytes:
    """The national report as an A4 PDF (tagged, PDF/UA-1)."""
    html = national_report_html(report, for_pdf=True, base_url=base_url, created=created)
    return _pdf(html, base_url)


def warm_up() -> None:
    """Import WeasyPrint and load the report fonts once (about 0.7 s), for a worker that
    renders many reports to pay before its first one rather than during it."""
    from weasyprint import HTML

    HTML(string='<p style="font-family: sans-serif">★</p>').render()
