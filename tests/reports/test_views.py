"""The report pages and downloads: 404 for anything not public, headers, conditional
requests, the links to them, and the HTML report's accessibility basics."""

import io
import re

import pytest
import time_machine
from django.conf import settings
from django.utils.http import http_date
from pypdf import PdfReader

from reports import assembly, rendering

from ..factories import AssessmentRoundFactory, CouncilFactory, RatingFactory

pytestmark = pytest.mark.django_db

HTML_URL = "/councils/walsall/2004/report/"
PDF_URL = "/councils/walsall/2004/report.pdf"
NATIONAL_URL = "/ratings/2004/report.pdf"


def test_urls_are_the_contract():
    from django.urls import reverse

    assert reverse("council-report", kwargs={"slug": "walsall", "year": 2004}) == HTML_URL
    assert reverse("council-report-pdf", kwargs={"slug": "walsall", "year": 2004}) == PDF_URL
    assert reverse("national-report-pdf", kwargs={"year": 2004}) == NATIONAL_URL


def test_council_pdf_download(rated, download):
    response = download(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="walsall-2004-performance-report.pdf"'
    )
    report = assembly.council_report(rated["walsall"], rated["r2004"])
    assert response["ETag"] == f'"{report.fingerprint()}"'
    assert response["Last-Modified"] == http_date(rated["r2004"].publication_at.timestamp())
    pdf = b"".join(response.streaming_content)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Walsall" in text and "2 stars" in text
    # Links in the PDF are absolute, to the portal's configured address.
    reader = PdfReader(io.BytesIO(pdf))
    assert f"{settings.PORTAL_BASE_URL}/methodology/" in "".join(
        p.extract_text() for p in reader.pages
    )


def test_conditional_requests_get_304(rated, client, download):
    first = download(PDF_URL)
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get(PDF_URL, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(PDF_URL, headers={"if-modified-since": modified}).status_code == 304
    assert client.get(PDF_URL, headers={"if-none-match": '"stale"'}).status_code == 200
    page = client.get(HTML_URL)
    assert page["ETag"] == etag  # the same report, the same fingerprint
    assert client.get(HTML_URL, headers={"if-none-match": etag}).status_code == 304


def test_a_correction_changes_the_etag_and_last_modified(rated, download):
    etag = download(PDF_URL, headers={"if-none-match": "x"})["ETag"]
    RatingFactory(
        round=rated["r2004"],
        council=rated["walsall"],
        revision=2,
        published_at=rated["after"],
        note="Corrected.",
    )
    response = download(PDF_URL, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response["Last-Modified"] == http_date(rated["after"].timestamp())


@pytest.mark.parametrize("url", [PDF_URL, NATIONAL_URL, "/ratings/2004/reports.zip"])
def test_a_query_string_does_not_make_a_download_be_worked_out_again(
    rated, client, download, monkeypatch, url
):
    # Which file a download serves does not depend on the query string: ?x=1, ?x=2...
    # must not each assemble every report again to find it.
    monkeypatch.setattr(rendering, "council_report_pdf", lambda report, **kw: b"%PDF-text")
    monkeypatch.setattr(rendering, "national_report_pdf", lambda report, **kw: b"%PDF-text")
    assembled = []
    for name in ("council_report", "national_report"):
        real = getattr(assembly, name)
        monkeypatch.setattr(
            assembly, name, lambda *a, real=real, **kw: assembled.append(1) or real(*a, **kw)
        )
    first = download(url)
    assert first.status_code == 200
    once = len(assembled)
    for query in ("x=1", "x=2", "page=99999999999999999999", "_export=csv"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        assert response["ETag"] == first["ETag"]
    assert len(assembled) == once


def test_national_pdf_download(rated, client, download):
    response = download(NATIONAL_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="2004-national-report.pdf"'
    report = assembly.national_report(rated["r2004"])
    assert response["ETag"] == f'"{report.fingerprint()}"'
    assert client.get(NATIONAL_URL, headers={"if-none-match": response["ETag"]}).status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        "/councils/walsall/2005/report/",
        "/councils/walsall/2005/report.pdf",
        "/ratings/2005/report.pdf",
    ],
)
def test_embargoed_round_is_404_until_its_publication(rated, client, download, url):
    embargoed = AssessmentRoundFactory(year=2005, embargoed=True)
    RatingFactory(round=embargoed, council=rated["walsall"])
    assert client.get(url).status_code == 404
    with time_machine.travel(embargoed.publication_at, tick=False):
        assert download(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/councils/sefton/2004/report/",  # not rated in 2004
        "/councils/sefton/2004/report.pdf",
        "/councils/nowhere/2004/report/",  # no such council
        "/councils/walsall/2002/report.pdf",  # no such round
        "/ratings/2002/report.pdf",
    ],
)
def test_not_public_is_404(rated, client, url):
    CouncilFactory(name="Sefton")
    assert client.get(url).status_code == 404


def test_only_get_and_head(rated, client):
    assert client.post(PDF_URL).status_code == 405


def test_html_report_is_accessible(rated, client):
    response = client.get(HTML_URL)
    assert response.status_code == 200
    html = response.content.decode()
    # One h1, then sections under h2 headings, in order.
    assert len(re.findall(r"<h1\b", html)) == 1
    headings = re.findall(r'<h2 class="govuk-heading-l" id="([^"]+)">([^<]+)</h2>', html)
    assert [text for _, text in headings][:4] == [
        "Summary",
        "Children and families",
        "Adults and older people",
        "Management and resources",
    ]
    # Every table has a caption and its header cells a scope.
    tables = re.findall(r"<table\b.*?</table>", html, flags=re.S)
    assert len(tables) >= 5
    for table in tables:
        assert "<caption" in table
        for th in re.findall(r"<th\b[^>]*>", table):
            assert 'scope="' in th, th
    # The stars as text, the symbols hidden from screen readers.
    assert '<span class="report-stars__symbols" aria-hidden="true">★★☆</span>' in html
    assert '<span class="report-stars__words">2 stars</span>' in html
    assert assembly.NO_EVIDENCE in html
    # In the site's layout, with the PDF offered.
    assert 'class="govuk-header"' in html
    assert 'href="/councils/walsall/2004/report.pdf"' in html
    assert 'href="/methodology/"' in html
    # No inline style or script (the Content-Security-Policy forbids them).
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_council_page_links_to_the_reports(rated, client):
    html = client.get("/councils/walsall/2004/").content.decode()
    assert f'href="{HTML_URL}"' in html
    assert f'href="{PDF_URL}"' in html


def test_national_summary_links_to_the_national_report(rated, client):
    html = client.get("/ratings/2004/summary/").content.decode()
    assert f'href="{NATIONAL_URL}"' in html
