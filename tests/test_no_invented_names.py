"""No public surface names a body that never existed or an internal research file.

The ratings were published by the Social Services Inspectorate (2002, 2003) and the
Commission for Social Care Inspection (2004, 2005); there was never a "Social Care
Inspectorate". Source notes once read "seed 001", the name of a research file, not a
publication. Every page, download, API answer and PDF of the bundled data is read for
either.
"""

import io
import re

import pypdf
import pytest

from ratings.models import Council

pytestmark = pytest.mark.django_db

FORBIDDEN = re.compile(r"Social Care Inspectorate|\bseed\b", re.IGNORECASE)
YEARS = (2002, 2003, 2004, 2005)


@pytest.fixture
def loaded(bundled):
    """The bundled data, loaded once for the module (``tests/conftest.py``)."""


def body(response) -> str:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def assert_clean(where: str, text: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, (
        f"{where} says {found.group(0)!r}: …{text[max(found.start() - 80, 0) : found.end() + 80]}…"
    )


@pytest.mark.record
def test_no_page_or_download_says_it(client, loaded):
    paths = ["/", "/ratings/", "/record/", "/methodology/", "/about/", "/accessibility/"]
    paths += ["/open-data/", "/councils/?q=ea", "/sitemap.xml"]
    for year in YEARS:
        paths += [
            f"/ratings/{year}/",
            f"/ratings/{year}/?as_at={year}-12-31",
            f"/ratings/{year}/summary/",
            f"/ratings/{year}/?_export=csv",
            f"/ratings/{year}/?_export=json",
        ]
    paths += [f"/councils/{slug}/" for slug in Council.objects.values_list("slug", flat=True)]
    paths += ["/councils/hackney/2002/report/", "/councils/ealing/2004/report/"]
    for path in paths:
        assert_clean(path, body(client.get(path)))


@pytest.mark.record
def test_no_api_answer_says_it(client, loaded):
    paths = ["/api/", "/api/rounds/", "/api/record/", "/api/councils/?format=csv"]
    for year in YEARS:
        paths += [
            f"/api/rounds/{year}/",
            f"/api/rounds/{year}/summary/",
            f"/api/rounds/{year}/ratings/?format=csv",
        ]
    paths += [f"/api/councils/{slug}/" for slug in Council.objects.values_list("slug", flat=True)]
    for path in paths:
        assert_clean(path, body(client.get(path)))


@pytest.mark.pdf
def test_no_pdf_says_it(download, loaded):
    # The councils whose published facts once cited research files, and a national report.
    for path in (
        "/councils/hackney/2002/report.pdf",
        "/councils/plymouth/2005/report.pdf",
        "/ratings/2004/report.pdf",
    ):
        response = download(path)
        pdf = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
        assert_clean(path, " ".join(page.extract_text() for page in pdf.pages))
        assert_clean(path, str(pdf.metadata))
