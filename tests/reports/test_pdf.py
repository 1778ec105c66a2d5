"""The PDFs, parsed back with pypdf (and page 1 drawn with poppler's pdftoppm): text,
metadata, bookmarks, fonts, and the same figures as the HTML."""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from html import unescape

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from reports import assembly, rendering

from ..factories import RatingFactory

# Real WeasyPrint renders: what they check is drawn by WeasyPrint, not by the database, so
# `make test` runs them once, against PostgreSQL (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.pdf]


def _council(rated):
    return assembly.council_report(rated["walsall"], rated["r2004"], rated["after"])


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _words(text: str) -> str:
    return " ".join(text.split())


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(_outline_titles(item))
        else:
            titles.append(item.title)
    return titles


@pytest.fixture
def council_pdf(rated):
    report = _council(rated)
    created = timezone.now().replace(microsecond=0)
    pdf = rendering.council_report_pdf(report, base_url="https://ratings.example", created=created)
    return report, pdf, created


def test_council_pdf_text(council_pdf):
    report, pdf, _ = council_pdf
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert 3 <= len(reader.pages) <= 15
    text = _words(_text(reader))
    for expected in (
        "Walsall",
        "2 stars",
        "Social services performance report 2004",
        "Children and families",
        "Adults and older people",
        "Management and resources",
        "A1 Stability of placements",
        "C28 Intensive home care",
        "E44 Staff turnover",
        "Why this rating",
        "Rating history",
        "Comprehensive Performance Assessment",
        assembly.NO_EVIDENCE,
        f"Page 1 of {len(reader.pages)}",
        "https://ratings.example/methodology/",
    ):
        assert expected in text, expected
    for reason in report.reasons:
        assert _words(reason) in text


def test_council_pdf_metadata_and_bookmarks(council_pdf):
    report, pdf, created = council_pdf
    reader = PdfReader(io.BytesIO(pdf))
    metadata = reader.metadata
    assert metadata.title == "Walsall: social services performance report 2004"
    assert metadata.author == settings.INSPECTORATE_NAME
    assert metadata.creation_date == created
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root  # tagged
    assert root["/MarkInfo"]["/Marked"]
    titles = _outline_titles(reader.outline)
    assert titles[0].startswith("Walsall")
    for section in ("Contents", "Summary", "Children and families", "Rating history"):
        assert section in titles
    # Sub-headings repeated in every domain are not bookmarked.
    assert "Evidence summary" not in titles


def test_council_pdf_uses_the_shipped_fonts_only(council_pdf):
    _, pdf, _ = council_pdf
    reader = PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            fonts.add(font["/BaseFont"].split("+", 1)[-1])
    assert fonts, "no fonts found"
    assert {f.split("-")[0] for f in fonts} == {"Report"}, fonts
    # The stars are drawn with the fallback font that has ★ and ☆.
    assert any(f.startswith("Report-Stars") for f in fonts), fonts


def _figures(text: str) -> set[str]:
    # Addresses (the PDF's absolute links to the portal) are not figures.
    text = re.sub(r"https?://\S+", " ", text)
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def test_html_and_pdf_show_the_same_figures(rated, client):
    report = _council(rated)
    pdf_text = _words(_text(PdfReader(io.BytesIO(rendering.council_report_pdf(report)))))
    response = client.get("/councils/walsall/2004/report/")
    html = response.content.decode()
    body = html[html.index('<article class="report"') : html.index("</article>")]
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    html_text = _words(unescape(re.sub(r"<[^>]+>", " ", body)))
    # Every figure the page shows is in the PDF...
    assert _figures(html_text) <= _figures(pdf_text)
    # ...and the PDF shows no other figure but its page numbers and the chart's labels.
    pages = {str(n) for n in range(30)}  # the chart labels its axis 0 to 3 stars
    assert _figures(pdf_text) - _figures(html_text) <= pages
    for figure in ("61.5", "63.8", "50.8", "72.3", "18"):
        assert figure in _figures(html_text)


def test_a_correction_shows_in_the_pdf(rated):
    before = _council(rated)
    when = dt.datetime(2005, 2, 1, tzinfo=dt.UTC)
    RatingFactory(
        round=rated["r2004"],
        council=rated["walsall"],
        revision=2,
        published_at=when,
        note="Corrected: the children's judgement was entered wrongly.",
        adults_serving="yes",
        adults_prospects="excellent",
        children_serving="yes",
        children_prospects="excellent",
    )
    after = _council(rated)
    assert after.fingerprint() != before.fingerprint()
    text = _words(_text(PdfReader(io.BytesIO(rendering.council_report_pdf(after)))))
    assert "3 stars" in text
    assert "Corrected: the children's judgement was entered wrongly." in text.replace("’", "'")
    assert "Revision 2 (a revision of the rating first published with the round)" in text


def test_national_pdf(rated):
    report = assembly.national_report(rated["r2004"], rated["after"])
    reader = PdfReader(io.BytesIO(rendering.national_report_pdf(report)))
    text = _words(_text(reader))
    assert reader.metadata.title == "Social services star ratings 2004: national report"
    assert reader.metadata.author == settings.INSPECTORATE_NAME
    for expected in ("National summary", "Every council’s rating", "Devon", "Dudley", "Walsall"):
        assert expected in text, expected
    for headline in report.headlines:
        assert _words(headline) in text
    assert "Biggest movers" in _outline_titles(reader.outline)


def test_page_one_is_not_blank(council_pdf, tmp_path):
    """Page 1 drawn by poppler's pdftoppm (Debian package poppler-utils) has ink on it."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is missing: apt-get install poppler-utils")
        pytest.skip("pdftoppm is missing (Debian package poppler-utils)")
    _, pdf, _ = council_pdf
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", source, tmp_path / "page"],
        check=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    assert image.size[0] < image.size[1]  # portrait
    ink = sum(image.histogram()[:200])  # pixels darker than light grey
    assert ink > 0.005 * image.size[0] * image.size[1]
